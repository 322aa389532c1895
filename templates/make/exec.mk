
{{outputs}} &: {{inputs}}{{cmdinputs}}
	@echo {{message}}
	@exec $(exec_cmd) --keep-going --depfile-phony {{args}}
-include {{depfile}}
