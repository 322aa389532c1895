
runs:{{summaries}}{{products}}

report: {{summary}}

# The report waits for every run's outcome stamp and every file of its results: make
# looks at each target of a grouped rule on its own, so a run remade for a missing
# product would otherwise race the report.
{{summary}} {{index}} &:{{summaries}}{{products}} {{runlist}}
	@echo 'REPORT {{nruns}} runs'
	@$(report_cmd) {{outdir}}{{templatesarg}} -- $(gen_cmd) --backend make --config {{cfgcmd}}{{templatesarg}}
.PRECIOUS: {{summary}} {{index}}

# The lists of runs the report reads, what it shows of a command's results
# (OUT/.runja/report.json) and how runs are run (OUT/.runja/jobs), written by
# runja-gen: deleted, they are remade.
{{runlist}} {{jobs}} &:
	@$(gen_cmd) --backend make --config {{cfgcmd}}{{templatesarg}}

# The Makefile remakes itself (and make restarts) when runja.cfg, runja-gen, the
# templates or a folder whose listing decides the runs change.
Makefile: {{cfg}} $(gen){{templates}}{{inputs}}
	@echo 'REGEN Makefile'
	@$(gen_cmd) --backend make --config {{cfgcmd}}{{templatesarg}}

# A run waiting for runs.settle keeps the Makefile due, once per make.
ifeq ($(MAKE_RESTARTS),)
Makefile:{{settling}}
endif

# What the regeneration watches may vanish (a run removed): an empty rule lets make
# remake the Makefile instead of stopping on a missing prerequisite. (The space before
# ':' keeps a name ending in '&' from reading as '&:'.)
{{phonies}}
