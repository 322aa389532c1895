/* tests of gen/conf.c: runja.cfg's command group (a user's own program per run), and every error word for word */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen/conf.h"
#include "tests/test.h"

/* the message of the last parse */
static char err[512];

/* parse text as a main config named runja.cfg (or, with override, as run_003/run.cfg); frees it */
static int
parse(const char *text, bool override)
{
	struct conf c;
	int r;

	strcpy(err, "");
	r = confparse(&c, text, override ? "run_003/run.cfg" : "runja.cfg", override, err, sizeof(err));
	delconf(&c);
	return r;
}

/* text must fail with exactly msg */
#define BAD(text, msg) do { EXPECTINT(parse(text, false), -1); EXPECTSTR(err, msg); } while (0)
#define BADOVER(text, msg) do { EXPECTINT(parse(text, true), -1); EXPECTSTR(err, msg); } while (0)

/* two valid lines, so that the line under test is line 3 */
#define HEAD "version = 1;\nruns = { match = \"run_*\"; };\n"

/* parse text as runja.cfg into *c (caller frees with delconf); returns the status */
static int
parseinto(struct conf *c, const char *text, bool override)
{
	strcpy(err, "");
	return confparse(c, text, override ? "run_003/run.cfg" : "runja.cfg", override, err, sizeof(err));
}

TEST(command)
{
	struct conf c;
	char *p;

	EXPECTINT(parseinto(&c, HEAD
	                    "command = {\n"
	                    "  run = [\"python3\", \"analyse.py\", \"{run}\", \"--out={out}\", \"{{literal}}\"];\n"
	                    "  inputs = [\"analyse.py\", \"lib/*.py\"];\n"
	                    "  params = { threshold = 0.1; smooth = 3; name = \"a b\"; on = true; list = [1, 2]; g = { x = 1L; }; };\n"
	                    "  after_pipeline = true;\n"
	                    "  timeout = \"1h30m\";\n"
	                    "  memory = \"2G\";\n"
	                    "};\n", false), 0);
	EXPECTSTR(err, "");
	EXPECTINT(c.cmd.nrun, 5);
	EXPECTSTR(c.cmd.run[3], "--out={out}");
	EXPECTINT(c.cmd.ninputs, 2);
	EXPECTSTR(c.cmd.inputs[1], "lib/*.py");
	EXPECTINT(c.cmd.afterpipeline, 1);
	EXPECTINT(c.cmd.timeout, 5400);
	EXPECTINT(c.cmd.memory, 2LL << 30);
	EXPECTINT(c.cmd.line, 4);
	EXPECTINT(c.cmd.warm, 1);  /* python3 analyse.py: warm by default */
	EXPECTINT(c.cmd.warmasked, 0);
	p = json_dumps(c.cmd.params, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(15));
	EXPECTSTR(p, "{\"g\":{\"x\":1},\"list\":[1,2],\"name\":\"a b\",\"on\":true,\"smooth\":3,\"threshold\":0.1}");
	free(p);
	delconf(&c);

	EXPECTINT(parseinto(&c, HEAD "command = { run = [\"/usr/bin/python3.11\", \"lib/analyse.py\", \"{run}\"]; warm = true; };\n", false), 0);
	EXPECTSTR(err, "");
	EXPECTINT(c.cmd.warm, 1);
	EXPECTINT(c.cmd.warmasked, 1);
	delconf(&c);

	/* warm by default ("auto") for PYTHON SCRIPT.py only; false or a launcher's config say otherwise */
	{
		static const struct {
			const char *cfg;
			int warm;
		} cases[] = {
			{"run = [\"python3\", \"analyse.py\", \"{run}\"];", 1},
			{"run = [\"python\", \"analyse.py\"];", 1},
			{"run = [\"/usr/bin/python3.11\", \"lib/analyse.py\"];", 1},
			{"run = [\"python3\", \"analyse.py\"]; warm = \"auto\";", 1},
			{"run = [\"python3\", \"analyse.py\"]; warm = false;", 0},
			{"run = [\"python3\", \"-m\", \"analyse\"];", 0},
			{"run = [\"python3\", \"-u\", \"analyse.py\"];", 0},
			{"run = [\"python3\", \"{run}/analyse.py\"];", 0},
			{"run = [\"python3-config\", \"a.py\"];", 0},
			{"run = [\"./analyse.py\", \"{run}\"];", 0},
			{"run = [\"sh\", \"analyse.sh\"];", 0},
			{"run = [\"./a\"]; warm = \"auto\";", 0},
		};
		char text[512];
		size_t i;

		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			snprintf(text, sizeof(text), HEAD "command = { %s };\n", cases[i].cfg);
			EXPECTINT(parseinto(&c, text, false), 0);
			EXPECTSTR(err, "");
			if (c.cmd.warm != cases[i].warm || c.cmd.warmasked) {
				printf("  %s: warm %d (asked %d), expected %d\n", cases[i].cfg, c.cmd.warm, c.cmd.warmasked, cases[i].warm);
				testfailed = 1;
			}
			delconf(&c);
		}
	}

	/* no command: nothing */
	EXPECTINT(parseinto(&c, HEAD, false), 0);
	EXPECT(c.cmd.run == NULL && c.cmd.params == NULL && c.cmd.timeout == 0);
	delconf(&c);

	/* a run.cfg sets only params */
	EXPECTINT(parseinto(&c, "command = { params = { threshold = 0.2; }; };\n", true), 0);
	p = json_dumps(c.cmd.params, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(15));
	EXPECTSTR(p, "{\"threshold\":0.2}");
	EXPECT(c.cmd.run == NULL);
	free(p);
	delconf(&c);
	BADOVER("command = { run = [\"x\"]; };\n",
	        "run_003/run.cfg:1: unknown key 'run' in 'command' (a run.cfg sets only command.params)");
}

TEST(commanderrors)
{
#define CMD HEAD "command = {\n"
	BAD(CMD "  run = [\"./a\", \"{outdir}\"];\n};\n",
	    "runja.cfg:4: unknown placeholder '{outdir}' in command.run (did you mean '{out}'?)");
	BAD(CMD "  run = [\"./a\", \"{xyzzy}\"];\n};\n",
	    "runja.cfg:4: unknown placeholder '{xyzzy}' in command.run (there are {run}, {out}, {id}, {frames}, {params}, {pipeline})");
	BAD(CMD "  run = [\"./a\", \"{pipeline}\"];\n};\n",
	    "runja.cfg:4: placeholder '{pipeline}' in command.run needs command.after_pipeline = true");
	BAD(CMD "  run = [\"./a\", \"{run\"];\n};\n",
	    "runja.cfg:4: a '{' without its '}' in command.run argument '{run' (write {{ for a brace)");
	BAD(CMD "  run = [\"./a\", \"run}\"];\n};\n",
	    "runja.cfg:4: a '}' without its '{' in command.run argument 'run}' (write }} for a brace)");
	BAD(CMD "  run = [];\n};\n",
	    "runja.cfg:4: 'command.run' must be a list of strings, the program first: [\"python3\", \"analyse.py\", \"{run}\", \"{out}\"]");
	BAD(CMD "  run = \"python3 analyse.py\";\n};\n",
	    "runja.cfg:4: 'command.run' must be a list of strings, the program first: [\"python3\", \"analyse.py\", \"{run}\", \"{out}\"]");
	BAD(CMD "  run = [\"{run}/x\"];\n};\n",
	    "runja.cfg:4: the program of command.run must be a name or path, not '{run}/x'");
	BAD(CMD "  inputs = [\"a.py\"];\n};\n", "runja.cfg:3: missing required key 'command.run'");
	BAD(CMD "  run = [\"./a\"];\n  inputs = [\"lib/*/a.py\"];\n};\n",
	    "runja.cfg:5: 'command.inputs': a wildcard only in the file name, not in 'lib/*/a.py'");
	BAD(CMD "  run = [\"./a\"];\n  inputs = [1];\n};\n",
	    "runja.cfg:5: 'command.inputs' must be a string or a list of strings");
	BAD(CMD "  run = [\"./a\"];\n  timeout = \"15 min\";\n};\n",
	    "runja.cfg:5: 'command.timeout' must be a duration such as \"15m\", \"90s\", \"2h\" or \"1h30m\" (or whole seconds)");
	BAD(CMD "  run = [\"./a\"];\n  timeout = 0;\n};\n",
	    "runja.cfg:5: 'command.timeout' must be a duration such as \"15m\", \"90s\", \"2h\" or \"1h30m\" (or whole seconds)");
	BAD(CMD "  run = [\"./a\"];\n  memory = \"lots\";\n};\n",
	    "runja.cfg:5: 'command.memory' must be a size such as \"8G\" or \"512M\" (at least 1M)");
	BAD(CMD "  run = [\"./a\"];\n  params = 3;\n};\n",
	    "runja.cfg:5: 'command.params' must be a group { name = value; ... }");
	BAD(CMD "  run = [\"./a\"];\n  params = { a-b = 1; };\n};\n",
	    "runja.cfg:5: parameter name 'a-b' must be letters, digits and '_' (it is also RUNJA_PARAM_a-b)");
	BAD(CMD "  run = [\"./a\"];\n  after_pipeline = 1;\n};\n",
	    "runja.cfg:5: 'command.after_pipeline' must be true or false");
	BAD(CMD "  run = [\"./a\"];\n  afterpipeline = true;\n};\n",
	    "runja.cfg:5: unknown key 'afterpipeline' in 'command' (did you mean 'after_pipeline'?)");
	BAD(CMD "  run = [\"./a\"];\n  prams = {};\n};\n",
	    "runja.cfg:5: unknown key 'prams' in 'command' (did you mean 'params'?)");
	BAD(CMD "  run = [\"./a\"];\n  warm = true;\n};\n",
	    "runja.cfg:5: 'command.warm' needs a Python script: run = [\"python3\", \"SCRIPT.py\", ...]");
	BAD(CMD "  run = [\"python3\", \"-c\", \"print(1)\"];\n  warm = true;\n};\n",
	    "runja.cfg:5: 'command.warm' needs a Python script: run = [\"python3\", \"SCRIPT.py\", ...]");
	BAD(CMD "  run = [\"python3\", \"a.py\"];\n  warm = \"yes\";\n};\n",
	    "runja.cfg:5: 'command.warm' must be true, false or \"auto\"");
	BAD(CMD "  run = [\"python3\", \"a.py\"];\n  warm = 1;\n};\n",
	    "runja.cfg:5: 'command.warm' must be true, false or \"auto\"");
	BAD(CMD "  run = [\"python3\", \"-m\", \"pkg\"];\n  warm = true;\n};\n",
	    "runja.cfg:5: 'command.warm' needs a Python script: run = [\"python3\", \"SCRIPT.py\", ...]");
	BAD(HEAD "command = 3;\n", "runja.cfg:3: 'command' must be a group { run = [...]; ... }");
	BAD(HEAD "comand = { run = [\"./a\"]; };\n", "runja.cfg:3: unknown key 'comand' (did you mean 'command'?)");
#undef CMD
}

int
main(void)
{
	RUN(command);
	RUN(commanderrors);
	return TESTEXIT();
}
