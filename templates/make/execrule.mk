
# Runs processed by the user's own program (command in runja.cfg), through
# runja-process --exec: results appear in OUT/RUNID all at once, a failed run keeps
# the previous ones; each rule's target is a stamp beside them, .runja.done.
