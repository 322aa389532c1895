
{{outputs}} : {{inputs}} $(process){{cmdinputs}}
	@echo {{message}}
	@exec {{launcher}}$(process_cmd) {{args}}
-include {{depfile}}
