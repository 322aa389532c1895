
{{outputs}} : {{inputs}} $(process){{cmdinputs}}
	@echo {{message}}
	@{{launcher}}$(process_cmd) {{args}}
-include {{depfile}}
