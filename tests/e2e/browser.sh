# The report in headless Chromium on a small tree with a failed run: tests/browser/check.sh.
exec sh tests/browser/check.sh
