# The manual pages (man/): mandoc -Tlint finds nothing to warn about; every option of each
# program's --help and of its source's option table is in its page, and every option the
# page describes is in --help; every key the config checker knows (gen/*.c, the ops'
# declarations in process/ops/) is in runja.cfg(5), and every key described there is one.
. tests/lib.sh

if command -v mandoc >/dev/null 2>&1; then
	out=$(mandoc -Tlint -Wwarning man/*.1 man/*.5 2>&1)
	same man-lint "$out" ""
	# every page renders, with its name and sections
	for f in man/*.1 man/*.5; do
		n=$(basename "$f")
		r=$(mandoc -Tascii "$f" | sed "s/.\x08//g")
		case $r in
		*NAME*SYNOPSIS*DESCRIPTION*"EXIT STATUS"*"SEE ALSO"*) pass "man-sections-$n" ;;
		*) fail "man-sections-$n" "NAME, SYNOPSIS, DESCRIPTION, EXIT STATUS, SEE ALSO not all there" ;;
		esac
	done
else
	echo "SKIP man-lint: no mandoc (apt-get install mandoc)"
fi

# every program the Makefile builds and installs has a page, installed with the others
bins=$(sed -n 's/^BINS = //p' Makefile.in)
same man-page-per-program "$(printf '%s.1 ' $bins)" "$(sed -n 's/^MAN1 = //p' Makefile.in) "

py=$(command -v python3) || { echo "SKIP man-consistency: no python3"; finish; }
for b in $bins; do
	"$top/$b" --help >"$tmp/${b#runja-}.help" || fail "help-$b" "$b --help exits non-zero"
done
"$py" - "$tmp" $bins <<'PY'
import glob, os, re, sys

tmp = sys.argv[1]
progs = [b[len("runja-"):] for b in sys.argv[2:]]

def say(ok, name, *lines):
    print(("PASS " if ok else "FAIL ") + name)
    if not ok:
        for l in lines:
            print("  " + l)

def compare(name, code, man, codewhat, manwhat):
    say(code <= man, name + "-documented", "missing from the page: " + " ".join(sorted(code - man)) + " (" + codewhat + ")")
    say(man <= code, name + "-real", "in the page but not " + manwhat + ": " + " ".join(sorted(man - code)))

OPT = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")

def helpopts(text):
    """the options --help describes: the leading column of every line that starts with -"""
    opts = set()
    for line in text.splitlines():
        if re.match(r"^ {2,}-", line):
            col = re.split(r" {2,}", line.strip())[0]
            opts |= set(OPT.findall(col))
    return opts

def sourceopts(path):
    """the long options of the source's getopt_long table, and its short ones"""
    s = open(path).read()
    m = re.search(r"longopts\[\] = \{(.*?)\n\s*\};", s, re.S)
    opts = {"--" + n for n in re.findall(r'\{"([\w-]+)",', m.group(1))}
    for short in re.findall(r'getopt_long\([^"]*"\+?([^"]*)"', s):
        opts |= {"-" + c for c in short.replace(":", "")}
    return opts

def manopts(path):
    """the options the page's tagged lists describe: .It Fl X[, Fl Y]"""
    opts = set()
    for line in open(path):
        if line.startswith(".It Fl "):
            for w in re.findall(r"\bFl (\S+)", line):
                if w != "\\-":
                    opts.add("-" + w)
    return opts

for p in progs:
    page = "man/runja-%s.1" % p
    if not os.path.exists(page):
        say(False, "man-page-" + p, page + " is missing")
        continue
    h = helpopts(open(os.path.join(tmp, p + ".help")).read())
    m = manopts(page)
    compare("options-" + p, h, m, "runja-%s --help" % p, "in --help")
    src = sourceopts("%s/main.c" % p)
    say(src <= m, "options-%s-source-documented" % p,
        "in %s/main.c's option table but not the page: %s" % (p, " ".join(sorted(src - m))))

# the config checker's keys: every confkeys() call's list, under the group its message names
def funcstart(s, pos):
    return s.rfind("\n{\n", 0, pos)

def funcbody(s, pos):
    a = funcstart(s, pos)
    b = s.find("\n}\n", pos)
    return s[a:b]

ARRAY = re.compile(r"static const char \*const (\w+)\[\] = \{([^}]*)\};")
CALL = re.compile(r"confkeys\(\s*[^,]+,\s*[^,]+,\s*([^,]+?),\s*(.+?)\)\s*<\s*0", re.S)
keys, unknown = set(), []
for f in sorted(glob.glob("gen/*.c")):
    s = open(f).read()
    arrays = [(m.start(), m.group(1), re.findall(r'"(\w+)"', m.group(2))) for m in ARRAY.finditer(s)]
    for c in CALL.finditer(s):
        if c.start() == 0 or s[c.start() - 1] == "\n":
            continue  # its definition
        line = s.count("\n", 0, c.start()) + 1
        start = funcstart(s, c.start())
        names = [w for w in re.findall(r"\w+", c.group(1)) if w != "override"]
        lists = []
        for n in names:
            found = [a for a in arrays if a[1] == n and start < a[0] < c.start()]
            if found:
                lists.append(found[-1][2])
        where = c.group(2)
        lit = re.search(r"'([\w.]+)'", where)
        if where.strip() == "NULL":
            prefix = ""
        elif lit:
            prefix = lit.group(1) + "."
        else:
            idx = re.search(r'"([\w.]+)\[%d\]"', funcbody(s, c.start()))
            prefix = idx.group(1) + "[]." if idx else None
        if not lists and "opdesc" in funcbody(s, c.start()):
            continue  # an op's keys: from its declaration, below
        if not lists or prefix is None:
            unknown.append("%s:%d" % (f, line))
            continue
        for l in lists:
            keys |= {prefix + k for k in l}
say(not unknown, "config-keys-understood", "cannot tell the keys or the group of confkeys() at " + ", ".join(unknown))
say(len(keys) > 40, "config-keys-found", "only %d keys found in gen/*.c" % len(keys))

ops = {}
for f in sorted(glob.glob("process/ops/*.c")):
    s = open(f).read()
    m = re.search(r'\.name = "(\w+)"', s)
    if m:
        ops[m.group(1)] = set(re.findall(r'\bOP(?:INT|NUM|ENUM|FILE)\("(\w+)"', s))
say(len(ops) >= 8, "ops-found", "only %d ops in process/ops/" % len(ops))

# the page: tagged items .It Cm X at the first depth of KEYS, ops and their keys in OPS
mankeys, manops, section, depth, op = set(), {}, None, 0, None
for line in open("man/runja.cfg.5"):
    line = line.rstrip("\n")
    if line.startswith(".Sh "):
        section = line[4:]
    elif line.startswith(".Bl"):
        depth += 1
    elif line.startswith(".El"):
        depth -= 1
    elif line.startswith(".It Cm "):
        name = line.split()[2]
        if section == "KEYS" and depth == 1:
            mankeys.add(name)
        elif section == "OPS" and depth == 1:
            op = name
            manops[op] = set()
        elif section == "OPS" and depth == 2:
            manops[op].add(name)
compare("config-keys", keys, mankeys, "gen/*.c", "a key of gen/*.c")
compare("ops", set(ops), set(manops), "process/ops/", "an op")
for o in sorted(set(ops) & set(manops)):
    compare("op-" + o + "-keys", ops[o], manops[o], "process/ops/" + o + ".c", "a key of " + o)
PY
finish
