
{{outputs}} : {{inputs}} $(exec){{cmdinputs}}
	@echo {{message}}
	@exec {{launcher}}$(exec_cmd) --keep-going --depfile-phony {{args}}
-include {{depfile}}
