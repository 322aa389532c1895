/* tests of common/paramkey.c: the parameters key of the ledger, the same on runja-gen's side and the programs' */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/paramkey.h"
#include "common/util.h"
#include "gen/conf.h"
#include "tests/test.h"

static char err[1024];

/* a pipeline with every op kind, some keys at their defaults, and every product */
static const char every[] =
	"version = 1;\n"
	"runs = { root = \"data\"; match = \"run_*\"; };\n"
	"output = { npy = false; };\n"
	"input = { channel = \"g\"; max_pixels = 5000000; };\n"
	"pipeline = (\n"
	"  { op = \"crop\"; x = 0; y = 200; width = 1024; height = 300; },\n"
	"  { op = \"background\"; frames = 5; method = \"median\"; },\n"
	"  { op = \"background\"; file = \"dark frame, 2.png\"; },\n"
	"  { op = \"downsample\"; factor = 2; }, { op = \"invert\"; }, { op = \"scale\"; gain = 0.1; },\n"
	"  { op = \"blur\"; sigma = 2.0; }, { op = \"median\"; radius = 1; }, { op = \"threshold\"; level = 0.25; }\n"
	");\n"
	"products = { mean = true; std = true; min = true; max = true; stats = true;\n"
	"  timestack = { column = 7; }; front = { level = 0.1; from = \"bottom\"; }; };\n";

/* is key 16 lowercase hex digits? */
static bool
iskey(const char *key)
{
	return strlen(key) == 16 && strspn(key, "0123456789abcdef") == 16;
}

/* the key of the pipeline of config text cfg, from its structs as runja-gen has them, into key */
static void
confkey(const char *cfg, char *key)
{
	struct conf c;

	if (confparse(&c, cfg, "runja.cfg", false, err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	paramkeypipeline(key, c.ops, c.nops, &c.prods, c.channel, c.maxpixels, c.npy);
	delconf(&c);
}

TEST(agree)
{
	struct conf c;
	struct opspec ops[16];
	struct prodspec p = {.tsrow = -1, .tscol = -1};
	char gen[PARAMKEYSIZE], proc[PARAMKEYSIZE], *prod[8];
	size_t i, np;
	struct buf b;

	/* runja-process parses the texts runja-gen wrote (--op, --product) back: the key is the same */
	EXPECTINT(confparse(&c, every, "runja.cfg", false, err, sizeof(err)), 0);
	EXPECTINT(c.nops, 9);
	paramkeypipeline(gen, c.ops, c.nops, &c.prods, c.channel, c.maxpixels, c.npy);
	for (i = 0; i < c.nops; i++) {
		bufinit(&b);
		specfmtop(&b, &c.ops[i]);
		EXPECTINT(specparseop(b.s, &ops[i], err, sizeof(err)), 0);
		buffree(&b);
	}
	np = specprodtexts(&c.prods, prod);
	EXPECTINT(np, 7);
	for (i = 0; i < np; i++) {
		EXPECTINT(specparseprod(prod[i], &p, err, sizeof(err)), 0);
		free(prod[i]);
	}
	paramkeypipeline(proc, ops, c.nops, &p, (enum channel)chanbyname("g"), 5000000, false);
	EXPECT(iskey(gen));
	EXPECTSTR(proc, gen);
	for (i = 0; i < c.nops; i++)
		specfreeop(&ops[i]);
	delconf(&c);
}

TEST(pipeline)
{
	static const char *const changes[][2] = {
		{"channel = \"g\"", "channel = \"r\""},
		{"max_pixels = 5000000", "max_pixels = 5000001"},
		{"npy = false", "npy = true"},
		{"sigma = 2.0", "sigma = 2.5"},
		{"dark frame, 2.png", "dark frame, 3.png"},
		{"{ op = \"invert\"; }, { op = \"scale\"; gain = 0.1; }", "{ op = \"scale\"; gain = 0.1; }, { op = \"invert\"; }"},
		{"{ op = \"invert\"; }, ", ""},
		{"min = true", "min = false"},
		{"column = 7", "row = 7"},
		{"level = 0.1;", "level = 0.2;"},
	};
	char base[PARAMKEYSIZE], key[PARAMKEYSIZE];
	size_t i;

	confkey(every, base);
	/* what does not change what is computed does not change the key: comments, key order, the defaults written out */
	{
		const char *p = strstr(every, "products"), *q = strstr(every, "pipeline");
		char *moved = xasprintf("# a comment\n%.*s%s%.*s", (int)(q - every), every, p, (int)(p - q), q);

		confkey(moved, key);
		EXPECTSTR(key, base);
		free(moved);
	}
	/* each of what is computed does */
	for (i = 0; i < sizeof(changes) / sizeof(changes[0]); i++) {
		const char *at = strstr(every, changes[i][0]);
		char *text = xasprintf("%.*s%s%s", (int)(at - every), every, changes[i][1], at + strlen(changes[i][0]));

		confkey(text, key);
		if (strcmp(key, base) == 0) {
			printf("  '%s' for '%s' left the key as it was\n", changes[i][1], changes[i][0]);
			EXPECT(strcmp(key, base) != 0);
		}
		free(text);
	}
}

TEST(command)
{
	char *const prog[] = {"python3", "analyse.py", "{run}", "{out}"};
	char *const joined[] = {"python3", "analyse.py", "{run} {out}"};
	char *const params[] = {"python3", "analyse.py", "{run}", "{out}", "params", "{}"};
	char a[PARAMKEYSIZE], b[PARAMKEYSIZE];

	paramkeycommand(a, prog, 4, "{}");
	EXPECT(iskey(a));
	/* no parameters are "{}" */
	paramkeycommand(b, prog, 4, NULL);
	EXPECTSTR(b, a);
	/* the same words are the same key; other words, parameters or splits of them are not */
	paramkeycommand(b, prog, 4, "{\"x\":1}");
	EXPECT(strcmp(a, b) != 0);
	paramkeycommand(b, prog, 3, "{}");
	EXPECT(strcmp(a, b) != 0);
	paramkeycommand(b, joined, 3, "{}");
	EXPECT(strcmp(a, b) != 0);
	paramkeycommand(b, params, 6, NULL);
	EXPECT(strcmp(a, b) != 0);
	/* a command is no pipeline */
	{
		struct prodspec p = {.tsrow = -1, .tscol = -1};

		paramkeypipeline(b, NULL, 0, &p, CHLUMA, 1, false);
		paramkeycommand(a, NULL, 0, NULL);
		EXPECT(strcmp(a, b) != 0);
	}
}

int
main(void)
{
	RUN(agree);
	RUN(pipeline);
	RUN(command);
	return TESTEXIT();
}
