
# Runs processed by the user's own program (command in runja.cfg), through
# runja-process --exec: results appear all at once, a failed run keeps the previous ones.
