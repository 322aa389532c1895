
{{outputs}} &: {{inputs}}
	@echo {{message}}
	@$(process_cmd) --keep-going --depfile-phony {{args}}
-include {{depfile}}
