
{{outputs}} &: {{inputs}} $(process)
	@echo {{message}}
	@{{launcher}}$(process_cmd) --depfile-phony {{args}}
-include {{depfile}}
