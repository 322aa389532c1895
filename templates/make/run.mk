
{{outputs}} &: {{inputs}} $(process)
	@echo {{message}}
	@{{launcher}}$(process_cmd) --keep-going --depfile-phony {{args}}
-include {{depfile}}
