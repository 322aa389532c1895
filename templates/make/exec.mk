
{{outputs}} : {{inputs}} $(process){{cmdinputs}}
	@echo {{message}}
	@exec {{launcher}}$(process_cmd) --keep-going {{args}}
-include {{depfile}}
