/* tests of gen/conf.c: runja.cfg and run.cfg text -> struct conf, and every error word for word */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen/conf.h"
#include "tests/test.h"
#include "tests/unit/mkop.h"

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
/* HEAD and the opening of a pipeline: the op under test is on line 4 */
#define PIPE HEAD "pipeline = (\n"

TEST(full)
{
	static const char text[] =
		"# every section of SPEC section 2\n"
		"version = 1;\n"
		"runs = {\n"
		"  root = \"/data/tank\";\n"
		"  match = [\"run_*\", \"*/run_*\"];\n"
		"  exclude = [\"*/broken_*\"];\n"
		"  frames = \"cam1/*.png\";\n"
		"  override = \"run.cfg\";\n"
		"};\n"
		"output = { dir = \"results\"; npy = false; png_compression = 9; };\n"
		"input  = { channel = \"g\"; on_bad_frame = \"skip\"; max_pixels = 10000000000L; };\n"
		"pipeline = (\n"
		"  { op = \"crop\"; x = 0; y = 200; width = 1024; height = 300; },\n"
		"  { op = \"downsample\"; factor = 2; },\n"
		"  { op = \"invert\"; },\n"
		"  { op = \"scale\"; gain = 1.5; offset = -0.25; },\n"
		"  { op = \"background\"; frames = 5; method = \"mean\"; },\n"
		"  { op = \"background\"; file = \"dark.png\"; },\n"
		"  { op = \"blur\"; sigma = 2; },\n"
		"  { op = \"median\"; radius = 3; },\n"
		"  { op = \"threshold\"; level = 0.5; }\n"
		");\n"
		"products = {\n"
		"  mean = true; std = false; min = true; max = true; stats = true;\n"
		"  timestack = { column = 150; };\n"
		"  front = { level = 0.1; from = \"bottom\"; };\n"
		"};\n"
		"jobs = { launcher = \"srun --quiet -N1 -n1 --exclusive\"; pool = 4; };\n";
	struct conf c;

	EXPECTINT(confparse(&c, text, "runja.cfg", false, err, sizeof(err)), 0);
	EXPECTSTR(c.root, "/data/tank");
	EXPECTINT(c.nmatch, 2);
	if (c.nmatch == 2) {
		EXPECTSTR(c.match[0], "run_*");
		EXPECTSTR(c.match[1], "*/run_*");
	}
	EXPECTINT(c.nexclude, 1);
	if (c.nexclude == 1)
		EXPECTSTR(c.exclude[0], "*/broken_*");
	EXPECTSTR(c.frames, "cam1/*.png");
	EXPECTSTR(c.override, "run.cfg");
	EXPECTSTR(c.outdir, "results");
	EXPECT(!c.npy);
	EXPECTINT(c.pngcompression, 9);
	EXPECTINT(c.channel, CHG);
	EXPECT(c.skipbad);
	EXPECTINT(c.maxpixels, 10000000000LL);
	EXPECTINT(c.nops, 9);
	if (c.nops == 9) {
		/* the values as their canonical text gives them (tests/unit/spec_test.c) */
		EXPECTSTR(optext(&c.ops[0]), "crop:x=0,y=200,width=1024,height=300");
		EXPECTSTR(optext(&c.ops[1]), "downsample:factor=2");
		EXPECTSTR(optext(&c.ops[2]), "invert");
		EXPECTSTR(optext(&c.ops[3]), "scale:gain=1.5,offset=-0.25");
		EXPECTSTR(optext(&c.ops[4]), "background:frames=5,method=mean");
		EXPECTSTR(optext(&c.ops[5]), "background:file=dark.png");
		EXPECTSTR(optext(&c.ops[6]), "blur:sigma=2");
		EXPECTSTR(optext(&c.ops[7]), "median:radius=3");
		EXPECTSTR(optext(&c.ops[8]), "threshold:level=0.5");
	}
	EXPECT(c.prods.mean && !c.prods.std && c.prods.min && c.prods.max && c.prods.stats);
	EXPECT(c.prods.timestack && c.prods.front);
	EXPECTINT(c.prods.tsrow, -1);
	EXPECTINT(c.prods.tscol, 150);
	EXPECTNEAR(c.prods.frontlevel, 0.1, 0);
	EXPECTINT(c.prods.frontfrom, FROMBOTTOM);
	EXPECTSTR(c.launcher, "srun --quiet -N1 -n1 --exclusive");
	EXPECTINT(c.pool, 4);
	EXPECT(c.haspipeline);
	EXPECT(c.hasproducts);
	delconf(&c);
}

TEST(defaults)
{
	struct conf c;

	/* the smallest valid file; match may be a single string */
	EXPECTINT(confparse(&c, HEAD, "runja.cfg", false, err, sizeof(err)), 0);
	EXPECTSTR(c.root, ".");
	EXPECTINT(c.nmatch, 1);
	if (c.nmatch == 1)
		EXPECTSTR(c.match[0], "run_*");
	EXPECTINT(c.nexclude, 0);
	EXPECTSTR(c.frames, "*.png");
	EXPECT(c.override == NULL);
	EXPECTSTR(c.outdir, "out");
	EXPECT(c.npy);
	EXPECTINT(c.pngcompression, 3);
	EXPECTINT(c.channel, CHLUMA);
	EXPECT(!c.skipbad);
	EXPECTINT(c.maxpixels, 100000000);
	EXPECTINT(c.nops, 0);
	EXPECT(c.prods.mean && c.prods.std);
	EXPECT(!c.prods.min && !c.prods.max && !c.prods.stats && !c.prods.timestack && !c.prods.front);
	EXPECTINT(c.prods.tsrow, -1);
	EXPECTINT(c.prods.tscol, -1);
	EXPECTSTR(c.launcher, "");
	EXPECTINT(c.pool, 0);
	EXPECT(!c.haspipeline);
	EXPECT(!c.hasproducts);
	delconf(&c);

	/* defaults inside ops and products: scale gain 1 offset 0, background median, front 0.5 left */
	EXPECTINT(confparse(&c, HEAD
	                    "pipeline = ( { op = \"scale\"; }, { op = \"background\"; frames = 3; } );\n"
	                    "products = { timestack = { row = 0; }; front = {}; };\n",
	                    "runja.cfg", false, err, sizeof(err)), 0);
	EXPECTINT(c.nops, 2);
	if (c.nops == 2) {
		EXPECTSTR(optext(&c.ops[0]), "scale:gain=1,offset=0");
		EXPECTSTR(optext(&c.ops[1]), "background:frames=3,method=median");
	}
	/* a products group replaces the defaults: only what it names is on */
	EXPECT(!c.prods.mean && !c.prods.std);
	EXPECT(c.prods.timestack);
	EXPECTINT(c.prods.tsrow, 0);
	EXPECTINT(c.prods.tscol, -1);
	EXPECT(c.prods.front);
	EXPECTNEAR(c.prods.frontlevel, 0.5, 0);
	EXPECTINT(c.prods.frontfrom, FROMLEFT);
	delconf(&c);

	/* an empty pipeline is a pipeline; comments and blank lines are fine */
	EXPECTINT(confparse(&c, "// comment\n\nversion = 1; # more\nruns = { match = (\"a\", \"b/c\"); };\n"
	                    "pipeline = ();\n", "runja.cfg", false, err, sizeof(err)), 0);
	EXPECTINT(c.nmatch, 2);
	EXPECTINT(c.nops, 0);
	EXPECT(c.haspipeline);
	delconf(&c);
}

TEST(unknownkeys)
{
	BAD(HEAD "outptu = { dir = \"x\"; };\n", "runja.cfg:3: unknown key 'outptu' (did you mean 'output'?)");
	BAD(HEAD "colour = 1;\n", "runja.cfg:3: unknown key 'colour'");
	BAD("version = 1;\n"
	    "runs = {\n"
	    "  match = \"run_*\";\n"
	    "  roots = \".\";\n"
	    "};\n",
	    "runja.cfg:4: unknown key 'roots' in 'runs' (did you mean 'root'?)");
	BAD("version = 1;\nruns = {\n  match = \"run_*\";\n  recursive = true;\n};\n",
	    "runja.cfg:4: unknown key 'recursive' in 'runs'");
	BAD(HEAD "output = { dri = \"x\"; };\n", "runja.cfg:3: unknown key 'dri' in 'output' (did you mean 'dir'?)");
	BAD(HEAD "input = {\n  chanel = \"r\";\n};\n", "runja.cfg:4: unknown key 'chanel' in 'input' (did you mean 'channel'?)");
	BAD(HEAD "jobs = { launch = \"srun\"; };\n", "runja.cfg:3: unknown key 'launch' in 'jobs' (did you mean 'launcher'?)");
	BAD(HEAD "jobs = { queue = \"x\"; };\n", "runja.cfg:3: unknown key 'queue' in 'jobs'");
	BAD(HEAD "products = {\n  means = true;\n};\n",
	    "runja.cfg:4: unknown key 'means' in 'products' (did you mean 'mean'?)");
	BAD(HEAD "products = { timestack = { rows = 1; }; };\n",
	    "runja.cfg:3: unknown key 'rows' in 'products.timestack' (did you mean 'row'?)");
	BAD(HEAD "products = { front = { levle = 1; }; };\n",
	    "runja.cfg:3: unknown key 'levle' in 'products.front' (did you mean 'level'?)");
	BAD(PIPE "  { op = \"blur\";\n    sigmaa = 2; }\n);\n",
	    "runja.cfg:5: unknown key 'sigmaa' in op 'blur' (did you mean 'sigma'?)");
	BAD(PIPE "  { op = \"invert\"; x = 1; }\n);\n", "runja.cfg:4: unknown key 'x' in op 'invert'");
	BAD(PIPE "  { op = \"crop\"; x = 0; y = 0; width = 1; hieght = 1; }\n);\n",
	    "runja.cfg:4: unknown key 'hieght' in op 'crop' (did you mean 'height'?)");
}

TEST(types)
{
	/* string expected */
	BAD("version = 1;\nruns = { match = \"run_*\";\n  root = 1; };\n", "runja.cfg:3: 'runs.root' must be a string");
	BAD("version = 1;\nruns = { match = \"run_*\";\n  frames = [\"*.png\"]; };\n",
	    "runja.cfg:3: 'runs.frames' must be a string");
	BAD("version = 1;\nruns = { match = \"run_*\";\n  override = true; };\n",
	    "runja.cfg:3: 'runs.override' must be a string");
	BAD(HEAD "output = { dir = 5; };\n", "runja.cfg:3: 'output.dir' must be a string");
	BAD(HEAD "jobs = { launcher = 5; };\n", "runja.cfg:3: 'jobs.launcher' must be a string");
	BAD(PIPE "  { op = \"background\"; file = 3; }\n);\n", "runja.cfg:4: 'file' in op 'background' must be a string");
	/* bool expected */
	BAD(HEAD "output = { npy = 1; };\n", "runja.cfg:3: 'output.npy' must be true or false");
	BAD(HEAD "products = { mean = \"yes\"; };\n", "runja.cfg:3: 'products.mean' must be true or false");
	BAD(HEAD "products = { stats = 0; };\n", "runja.cfg:3: 'products.stats' must be true or false");
	/* integer expected */
	BAD("version = \"1\";\nruns = { match = \"run_*\"; };\n", "runja.cfg:1: 'version' must be an integer equal to 1");
	BAD(HEAD "output = { png_compression = 3.0; };\n",
	    "runja.cfg:3: 'output.png_compression' must be an integer from 0 to 9");
	BAD(HEAD "input = { max_pixels = 1e6; };\n", "runja.cfg:3: 'input.max_pixels' must be an integer from 1 to 2^40");
	BAD(HEAD "jobs = { pool = \"4\"; };\n", "runja.cfg:3: 'jobs.pool' must be an integer >= 0 or \"auto\"");
	BAD(PIPE "  { op = \"downsample\"; factor = 2.5; }\n);\n",
	    "runja.cfg:4: 'factor' in op 'downsample' must be an integer >= 1");
	BAD(HEAD "products = { timestack = { row = \"top\"; }; };\n",
	    "runja.cfg:3: 'products.timestack.row' must be an integer >= 0");
	/* number expected */
	BAD(PIPE "  { op = \"blur\"; sigma = \"2\"; }\n);\n", "runja.cfg:4: 'sigma' in op 'blur' must be a number > 0 and < 10000");
	BAD(PIPE "  { op = \"threshold\"; level = \"x\"; }\n);\n", "runja.cfg:4: 'level' in op 'threshold' must be a number");
	BAD(PIPE "  { op = \"scale\"; gain = true; }\n);\n", "runja.cfg:4: 'gain' in op 'scale' must be a number");
	BAD(PIPE "  { op = \"scale\"; offset = \"1\"; }\n);\n", "runja.cfg:4: 'offset' in op 'scale' must be a number");
	BAD(HEAD "products = { front = { level = true; }; };\n", "runja.cfg:3: 'products.front.level' must be a number");
	/* one of a list of names */
	BAD(HEAD "input = { channel = \"red\"; };\n", "runja.cfg:3: 'input.channel' must be one of luma, r, g, b");
	BAD(HEAD "input = { channel = 1; };\n", "runja.cfg:3: 'input.channel' must be one of luma, r, g, b");
	BAD(HEAD "input = { on_bad_frame = \"ignore\"; };\n", "runja.cfg:3: 'input.on_bad_frame' must be one of fail, skip");
	BAD(PIPE "  { op = \"background\"; frames = 2; method = \"mode\"; }\n);\n",
	    "runja.cfg:4: 'method' in op 'background' must be one of mean, median");
	BAD(HEAD "products = { front = { from = \"up\"; }; };\n",
	    "runja.cfg:3: 'products.front.from' must be one of left, right, top, bottom");
	BAD(PIPE "  { op = \"sharpen\"; }\n);\n",
	    "runja.cfg:4: 'op' must be one of background, blur, crop, downsample, invert, median, scale, threshold");
	BAD(PIPE "  { op = 1; }\n);\n",
	    "runja.cfg:4: 'op' must be one of background, blur, crop, downsample, invert, median, scale, threshold");
	/* list or group expected */
	BAD("version = 1;\nruns = \"run_*\";\n", "runja.cfg:2: 'runs' must be a group { ... }");
	BAD(HEAD "output = \"out\";\n", "runja.cfg:3: 'output' must be a group { ... }");
	BAD(HEAD "input = 1;\n", "runja.cfg:3: 'input' must be a group { ... }");
	BAD(HEAD "jobs = (1);\n", "runja.cfg:3: 'jobs' must be a group { ... }");
	BAD(HEAD "products = [\"mean\"];\n", "runja.cfg:3: 'products' must be a group { ... }");
	BAD(HEAD "pipeline = { op = \"invert\"; };\n", "runja.cfg:3: 'pipeline' must be a list ( {...}, {...} )");
	BAD(HEAD "pipeline = [];\n", "runja.cfg:3: 'pipeline' must be a list ( {...}, {...} )");
	/* (libconfig dates a scalar list element by the token after it, hence the ',' on its line) */
	BAD(PIPE "  { op = \"invert\"; },\n  \"blur\", { op = \"invert\"; }\n);\n",
	    "runja.cfg:5: each op of 'pipeline' must be a group { op = \"...\"; ... }");
	BAD(HEAD "products = { timestack = 3; };\n",
	    "runja.cfg:3: 'products.timestack' must be a group { row = N; } or { column = N; }");
	BAD(HEAD "products = { front = \"left\"; };\n",
	    "runja.cfg:3: 'products.front' must be a group { level = 0.5; from = \"left\"; }");
	BAD("version = 1;\nruns = { match = 3; };\n", "runja.cfg:2: 'runs.match' must be a string or a list of strings");
	BAD("version = 1;\nruns = { match = (\"a\", 1); };\n",
	    "runja.cfg:2: 'runs.match' must be a string or a list of strings");
	BAD("version = 1;\nruns = { match = \"a\";\n  exclude = { x = 1; }; };\n",
	    "runja.cfg:3: 'runs.exclude' must be a string or a list of strings");
}

TEST(ranges)
{
	BAD(HEAD "output = { png_compression = 10; };\n",
	    "runja.cfg:3: 'output.png_compression' must be an integer from 0 to 9");
	BAD(HEAD "output = { png_compression = -1; };\n",
	    "runja.cfg:3: 'output.png_compression' must be an integer from 0 to 9");
	BAD("version = 2;\nruns = { match = \"run_*\"; };\n", "runja.cfg:1: 'version' must be an integer equal to 1");
	BAD(HEAD "input = { max_pixels = 0; };\n", "runja.cfg:3: 'input.max_pixels' must be an integer from 1 to 2^40");
	BAD(HEAD "input = { max_pixels = 1099511627777L; };\n",
	    "runja.cfg:3: 'input.max_pixels' must be an integer from 1 to 2^40");
	BAD(HEAD "jobs = { pool = -1; };\n", "runja.cfg:3: 'jobs.pool' must be an integer >= 0 or \"auto\"");
	BAD(PIPE "  { op = \"crop\"; x = 0; y = 0; width = 0; height = 1; }\n);\n",
	    "runja.cfg:4: 'width' in op 'crop' must be an integer >= 1");
	BAD(PIPE "  { op = \"crop\"; x = 0; y = 0; width = 1; height = 0; }\n);\n",
	    "runja.cfg:4: 'height' in op 'crop' must be an integer >= 1");
	BAD(PIPE "  { op = \"crop\"; x = -1; y = 0; width = 1; height = 1; }\n);\n",
	    "runja.cfg:4: 'x' in op 'crop' must be an integer >= 0");
	BAD(PIPE "  { op = \"crop\"; x = 0; y = -5; width = 1; height = 1; }\n);\n",
	    "runja.cfg:4: 'y' in op 'crop' must be an integer >= 0");
	BAD(PIPE "  { op = \"downsample\"; factor = 0; }\n);\n",
	    "runja.cfg:4: 'factor' in op 'downsample' must be an integer >= 1");
	BAD(PIPE "  { op = \"blur\"; sigma = 0; }\n);\n", "runja.cfg:4: 'sigma' in op 'blur' must be a number > 0 and < 10000");
	BAD(PIPE "  { op = \"blur\"; sigma = -1.0; }\n);\n", "runja.cfg:4: 'sigma' in op 'blur' must be a number > 0 and < 10000");
	BAD(PIPE "  { op = \"median\"; radius = 0; }\n);\n",
	    "runja.cfg:4: 'radius' in op 'median' must be an integer from 1 to 1000");
	BAD(PIPE "  { op = \"median\"; radius = 1001; }\n);\n",
	    "runja.cfg:4: 'radius' in op 'median' must be an integer from 1 to 1000");
	/* 1 to 2^20 as before, now said, and the same in --op (it took any int) */
	BAD(PIPE "  { op = \"background\"; frames = 0; }\n);\n",
	    "runja.cfg:4: 'frames' in op 'background' must be an integer from 1 to 1048576");
	BAD(HEAD "products = { timestack = { column = -1; }; };\n",
	    "runja.cfg:3: 'products.timestack.column' must be an integer >= 0");
}

TEST(missing)
{
	BAD("", "runja.cfg:1: missing required key 'version'");
	BAD("runs = { match = \"run_*\"; };\n", "runja.cfg:1: missing required key 'version'");
	BAD("version = 1;\n", "runja.cfg:1: missing required key 'runs'");
	BAD("version = 1;\nruns = {\n  root = \"data\";\n};\n", "runja.cfg:2: missing required key 'runs.match'");
	BAD(PIPE "  { op = \"crop\"; x = 0; y = 0; width = 1; }\n);\n", "runja.cfg:4: missing key 'height' in op 'crop'");
	BAD(PIPE "  { op = \"crop\"; y = 0; width = 1; height = 1; }\n);\n", "runja.cfg:4: missing key 'x' in op 'crop'");
	BAD(PIPE "  { op = \"downsample\"; }\n);\n", "runja.cfg:4: missing key 'factor' in op 'downsample'");
	BAD(PIPE "  { op = \"background\"; method = \"mean\"; }\n);\n",
	    "runja.cfg:4: missing key 'frames' in op 'background'");
	BAD(PIPE "  { op = \"invert\"; },\n  {\n    op = \"blur\";\n  }\n);\n",
	    "runja.cfg:5: missing key 'sigma' in op 'blur'");
	BAD(PIPE "  { op = \"median\"; }\n);\n", "runja.cfg:4: missing key 'radius' in op 'median'");
	BAD(PIPE "  { op = \"threshold\"; }\n);\n", "runja.cfg:4: missing key 'level' in op 'threshold'");
	BAD(PIPE "  { sigma = 2; }\n);\n", "runja.cfg:4: missing key 'op' in a pipeline entry");
}

TEST(values)
{
	BAD("version = 1;\nruns = { match = []; };\n", "runja.cfg:2: 'runs.match' must name at least one pattern");
	BAD("version = 1;\nruns = { match = (); };\n", "runja.cfg:2: 'runs.match' must name at least one pattern");
	BAD("version = 1;\nruns = { match = \"/data/run_*\"; };\n",
	    "runja.cfg:2: 'runs.match' must be a relative path pattern, not '/data/run_*'");
	BAD("version = 1;\nruns = { match = \"\"; };\n", "runja.cfg:2: 'runs.match' must be a relative path pattern, not ''");
	BAD("version = 1;\nruns = { match = [\"run_*\", \"../run_*\"]; };\n",
	    "runja.cfg:2: 'runs.match' has an empty, '.' or '..' component in '../run_*'");
	BAD("version = 1;\nruns = { match = \"2026/../run_*\"; };\n",
	    "runja.cfg:2: 'runs.match' has an empty, '.' or '..' component in '2026/../run_*'");
	BAD("version = 1;\nruns = { match = \"./run_*\"; };\n",
	    "runja.cfg:2: 'runs.match' has an empty, '.' or '..' component in './run_*'");
	BAD("version = 1;\nruns = { match = \"a//run_*\"; };\n",
	    "runja.cfg:2: 'runs.match' has an empty, '.' or '..' component in 'a//run_*'");
	BAD("version = 1;\nruns = { match = \"run_*/\"; };\n",
	    "runja.cfg:2: 'runs.match' has an empty, '.' or '..' component in 'run_*/'");
	BAD("version = 1;\nruns = { match = \"run_*\";\n  exclude = \"/x\"; };\n",
	    "runja.cfg:3: 'runs.exclude' must be a relative path pattern, not '/x'");
	BAD("version = 1;\nruns = { match = \"run_*\";\n  frames = \"cam1/raw/*.png\"; };\n",
	    "runja.cfg:3: 'runs.frames' may name at most one subfolder, not 'cam1/raw/*.png'");
	BAD("version = 1;\nruns = { match = \"run_*\";\n  frames = \"/tmp/*.png\"; };\n",
	    "runja.cfg:3: 'runs.frames' must be a relative path pattern, not '/tmp/*.png'");
	BAD("version = 1;\nruns = { match = \"run_*\";\n  frames = \"../*.png\"; };\n",
	    "runja.cfg:3: 'runs.frames' has an empty, '.' or '..' component in '../*.png'");
	BAD("version = 1;\nruns = { match = \"run_*\";\n  frames = \"\"; };\n",
	    "runja.cfg:3: 'runs.frames' must be a relative path pattern, not ''");
	BAD("version = 1;\nruns = { match = \"run_*\";\n  root = \"\"; };\n", "runja.cfg:3: 'runs.root' must not be empty");
	BAD("version = 1;\nruns = { match = \"run_*\";\n  override = \"cfg/run.cfg\"; };\n",
	    "runja.cfg:3: 'runs.override' must be a file name, not 'cfg/run.cfg'");
	BAD("version = 1;\nruns = { match = \"run_*\";\n  override = \"\"; };\n",
	    "runja.cfg:3: 'runs.override' must be a file name, not ''");
	BAD("version = 1;\nruns = { match = \"run_*\";\n  overrides = \"\"; };\n",
	    "runja.cfg:3: 'runs.overrides' must not be empty");
	BAD("version = 1;\nruns = { match = \"run_*\";\n  overrides = 3; };\n",
	    "runja.cfg:3: 'runs.overrides' must be a string");
	BAD("version = 1;\nruns = { match = \"run_*\";\n  overide = \"run.cfg\"; };\n",
	    "runja.cfg:3: unknown key 'overide' in 'runs' (did you mean 'override'?)");
	{
		static const char text[] = "a = 1;\nb\0c";
		char e[256];

		EXPECTINT(conftext(text, sizeof(text) - 1, "overrides/run_1.cfg", e, sizeof(e)), -1);
		EXPECTSTR(e, "overrides/run_1.cfg:2: not a text file (it holds a NUL byte)");
		EXPECTINT(conftext(text, 7, "x.cfg", e, sizeof(e)), 0);
	}
	BAD(HEAD "output = { dir = \"\"; };\n", "runja.cfg:3: 'output.dir' must not be empty");
	BAD(HEAD "jobs = { launcher = \"srun\\n-N1\"; };\n", "runja.cfg:3: 'jobs.launcher' must be one line");
	BAD(PIPE "  { op = \"background\"; file = \"bg.png\"; frames = 5; }\n);\n",
	    "runja.cfg:4: op 'background' takes either 'file' or 'frames' and 'method', not both");
	BAD(PIPE "  { op = \"background\"; method = \"mean\"; file = \"bg.png\"; }\n);\n",
	    "runja.cfg:4: op 'background' takes either 'file' or 'frames' and 'method', not both");
	BAD(PIPE "  { op = \"background\"; file = \"/bg.png\"; }\n);\n",
	    "runja.cfg:4: 'file' in op 'background' must be a relative path pattern, not '/bg.png'");
	BAD(PIPE "  { op = \"background\"; file = \"\"; }\n);\n",
	    "runja.cfg:4: 'file' in op 'background' must be a relative path pattern, not ''");
	BAD(PIPE "  { op = \"background\"; file = \"..\"; }\n);\n",
	    "runja.cfg:4: 'file' in op 'background' has an empty, '.' or '..' component in '..'");
	BAD(HEAD "products = {\n  timestack = { row = 1; column = 2; };\n};\n",
	    "runja.cfg:4: 'products.timestack' needs exactly one of 'row' and 'column'");
	BAD(HEAD "products = {\n  timestack = { };\n};\n",
	    "runja.cfg:4: 'products.timestack' needs exactly one of 'row' and 'column'");
	/* what runja-process would refuse, stopping every run: refused here, with its line */
	BAD(HEAD "products = { mean = false; std = false; };\n",
	    "runja.cfg:3: 'products' turns every product off (mean, std, min, max, stats, timestack, front): a run would have nothing to write");
	BAD(HEAD "products = { };\n",
	    "runja.cfg:3: 'products' turns every product off (mean, std, min, max, stats, timestack, front): a run would have nothing to write");
	BAD(HEAD "products = {\n  mean = true;\n  front = { level = 1e400; };\n};\n",
	    "runja.cfg:5: 'products.front.level' must be a finite number");
}

TEST(subfolderfile)
{
	/*
	 * background.file is a file in the run folder (SPEC section 4), no subfolder allowed;
	 * the message should not claim that one subfolder is allowed
	 */
	BAD(PIPE "  { op = \"background\"; file = \"sub/bg.png\"; }\n);\n",
	    "runja.cfg:4: 'file' in op 'background' must be a file name in the run folder, not 'sub/bg.png'");
}

TEST(syntax)
{
	/* libconfig's own text, after "NAME:LINE: " */
	BAD("version = 1;\nruns = {\n  match = \"run_*\";\n}\noutput = { dir = ; };\n", "runja.cfg:5: syntax error");
	BAD(HEAD "version = 1;\n", "runja.cfg:3: duplicate setting name");
	BAD(HEAD "output = { dir = 1 2; };\n", "runja.cfg:3: syntax error");
}

TEST(override)
{
	struct conf c;

	EXPECTINT(confparse(&c, "pipeline = ( { op = \"blur\"; sigma = 1.5; } );\nproducts = { max = true; };\n",
	                    "run_003/run.cfg", true, err, sizeof(err)), 0);
	EXPECT(c.haspipeline);
	EXPECT(c.hasproducts);
	EXPECTINT(c.nops, 1);
	if (c.nops == 1) {
		EXPECTSTR(optext(&c.ops[0]), "blur:sigma=1.5");
	}
	EXPECT(c.prods.max);
	EXPECT(!c.prods.mean && !c.prods.std);
	delconf(&c);

	EXPECTINT(confparse(&c, "products = { min = true; };\n", "run_003/run.cfg", true, err, sizeof(err)), 0);
	EXPECT(!c.haspipeline);
	EXPECT(c.hasproducts);
	EXPECTINT(c.nops, 0);
	delconf(&c);

	EXPECTINT(confparse(&c, "pipeline = ( { op = \"invert\"; } );\n", "run_003/run.cfg", true, err, sizeof(err)), 0);
	EXPECT(c.haspipeline);
	EXPECT(!c.hasproducts);
	EXPECTINT(c.nops, 1);
	delconf(&c);

	EXPECTINT(confparse(&c, "# nothing\n", "run_003/run.cfg", true, err, sizeof(err)), 0);
	EXPECT(!c.haspipeline);
	EXPECT(!c.hasproducts);
	delconf(&c);

	BADOVER("# a run.cfg\nversion = 1;\n", "run_003/run.cfg:2: unknown key 'version'");
	BADOVER("runs = { match = \"x\"; };\n", "run_003/run.cfg:1: unknown key 'runs'");
	BADOVER("pipeline = ();\noutput = { dir = \"x\"; };\n", "run_003/run.cfg:2: unknown key 'output'");
	BADOVER("pipelin = ();\n", "run_003/run.cfg:1: unknown key 'pipelin' (did you mean 'pipeline'?)");
	BADOVER("pipeline = (\n  { op = \"blur\"; sigma = 0; }\n);\n",
	        "run_003/run.cfg:2: 'sigma' in op 'blur' must be a number > 0 and < 10000");
	BADOVER("products = { mean = 1; };\n", "run_003/run.cfg:1: 'products.mean' must be true or false");
	BADOVER("products = 1;\n", "run_003/run.cfg:1: 'products' must be a group { ... }");
	BADOVER("pipeline = (\n", "run_003/run.cfg:2: syntax error");
}

TEST(acquisition)
{
	struct conf c;

	EXPECTINT(confparse(&c, "version = 1;\nruns = { match = \"run_*\"; ready = \"DONE\"; settle = 120; };\n"
	                        "jobs = { pool = \"auto\"; memory = \"1.5G\"; };\n", "runja.cfg", false, err, sizeof(err)), 0);
	EXPECTSTR(c.ready, "DONE");
	EXPECTINT(c.settle, 120);
	EXPECT(c.poolauto);
	EXPECTINT(c.pool, 0);
	EXPECTINT(c.memory, 1610612736);
	delconf(&c);
	EXPECTINT(confparse(&c, HEAD "jobs = { memory = \"512M\"; };\n", "runja.cfg", false, err, sizeof(err)), 0);
	EXPECTINT(c.memory, 536870912);
	EXPECT(!c.poolauto);
	EXPECT(c.ready == NULL);
	EXPECTINT(c.settle, 0);
	delconf(&c);
	BAD("version = 1;\nruns = { match = \"run_*\";\n  ready = \"a/DONE\"; };\n",
	    "runja.cfg:3: 'runs.ready' must be a file name, not 'a/DONE'");
	BAD("version = 1;\nruns = { match = \"run_*\";\n  settle = -5; };\n",
	    "runja.cfg:3: 'runs.settle' must be an integer of seconds >= 0");
	BAD(HEAD "jobs = { pool = \"many\"; };\n", "runja.cfg:3: 'jobs.pool' must be an integer >= 0 or \"auto\"");
	BAD(HEAD "jobs = { memory = \"8 GB\"; };\n",
	    "runja.cfg:3: 'jobs.memory' must be a size such as \"8G\" or \"512M\" (at least 1M)");
	BAD(HEAD "jobs = { memory = 8; };\n",
	    "runja.cfg:3: 'jobs.memory' must be a size such as \"8G\" or \"512M\" (at least 1M)");
	BAD(HEAD "jobs = { memry = \"8G\"; };\n", "runja.cfg:3: unknown key 'memry' in 'jobs' (did you mean 'memory'?)");
}

TEST(slurm)
{
	struct conf c;

	EXPECTINT(confparse(&c, HEAD "jobs = { launcher = \"slurm\"; slurm = { partition = \"short,long\"; account = \"lab7\";\n"
	                        "  time = \"1h30m\"; memory = \"4G\"; cpus = 2; mail = \"ana@lab.org\"; extra = [\"--qos=low\", \"--gres=gpu:1\"];\n"
	                        "  max_tasks = 64; job_time = \"12h\"; array = true; }; };\n", "runja.cfg", false, err, sizeof(err)), 0);
	EXPECTSTR(c.launcher, "slurm");
	EXPECTSTR(c.slurm.run.partition, "short,long");
	EXPECTSTR(c.slurm.run.account, "lab7");
	EXPECTINT(c.slurm.run.time, 5400);
	EXPECTINT(c.slurm.run.memory, 4294967296LL);
	EXPECTINT(c.slurm.run.cpus, 2);
	EXPECTSTR(c.slurm.mail, "ana@lab.org");
	EXPECTINT(c.slurm.run.nextra, 2);
	EXPECTSTR(c.slurm.run.extra[1], "--gres=gpu:1");
	EXPECTINT(c.slurm.maxtasks, 64);
	EXPECTINT(c.slurm.jobtime, 43200);
	EXPECT(c.slurm.array);
	EXPECTINT(c.slurm.line, 3);
	delconf(&c);
	/* nothing said: nothing asked, 256 tasks at most */
	EXPECTINT(confparse(&c, HEAD, "runja.cfg", false, err, sizeof(err)), 0);
	EXPECTSTR(c.slurm.run.partition, "");
	EXPECTSTR(c.slurm.mail, "");
	EXPECTINT(c.slurm.run.time + c.slurm.run.memory + c.slurm.run.cpus + c.slurm.jobtime + (long long)c.slurm.run.nextra, 0);
	EXPECTINT(c.slurm.maxtasks, 256);
	EXPECT(!c.slurm.array);
	delconf(&c);
	BAD(HEAD "jobs = { slurm = 1; };\n", "runja.cfg:3: 'jobs.slurm' must be a group { ... }");
	BAD(HEAD "jobs = { slurm = { partiton = \"a\"; }; };\n",
	    "runja.cfg:3: unknown key 'partiton' in 'jobs.slurm' (did you mean 'partition'?)");
	BAD(HEAD "jobs = { slurm = { partition = \"a b\"; }; };\n",
	    "runja.cfg:3: 'jobs.slurm.partition' must be a partition name (or names joined by commas)");
	BAD(HEAD "jobs = { slurm = { partition = \"\"; }; };\n",
	    "runja.cfg:3: 'jobs.slurm.partition' must be a partition name (or names joined by commas)");
	BAD(HEAD "jobs = { slurm = { account = \"a,b\"; }; };\n", "runja.cfg:3: 'jobs.slurm.account' must be an account name, one word");
	BAD(HEAD "jobs = { slurm = { account = 7; }; };\n", "runja.cfg:3: 'jobs.slurm.account' must be a string");
	BAD(HEAD "jobs = { slurm = { time = \"30s\"; }; };\n",
	    "runja.cfg:3: 'jobs.slurm.time' must be a duration such as \"15m\", \"90s\", \"2h\" or \"1h30m\" (or whole seconds)");
	BAD(HEAD "jobs = { slurm = { job_time = \"1d\"; }; };\n",
	    "runja.cfg:3: 'jobs.slurm.job_time' must be a duration such as \"15m\", \"90s\", \"2h\" or \"1h30m\" (or whole seconds)");
	BAD(HEAD "jobs = { slurm = { memory = \"4GB\"; }; };\n",
	    "runja.cfg:3: 'jobs.slurm.memory' must be a size such as \"8G\" or \"512M\" (at least 1M)");
	BAD(HEAD "jobs = { slurm = { cpus = 0; }; };\n", "runja.cfg:3: 'jobs.slurm.cpus' must be an integer from 1 to 4096");
	BAD(HEAD "jobs = { slurm = { max_tasks = 0; }; };\n",
	    "runja.cfg:3: 'jobs.slurm.max_tasks' must be an integer from 1 to 1000000");
	BAD(HEAD "jobs = { slurm = { mail = \"ana\"; }; };\n", "runja.cfg:3: 'jobs.slurm.mail' must be an e-mail address, not 'ana'");
	BAD(HEAD "jobs = { slurm = { extra = [\"-p x\"]; }; };\n",
	    "runja.cfg:3: each of 'jobs.slurm.extra' must be one option such as \"--qos=low\", not '-p x'");
	BAD(HEAD "jobs = { slurm = { extra = (\"--qos=low\", 5); }; };\n",
	    "runja.cfg:3: 'jobs.slurm.extra' must be a string or a list of strings");
	BAD(HEAD "jobs = { slurm = { array = \"yes\"; }; };\n", "runja.cfg:3: 'jobs.slurm.array' must be true or false");
}

int
main(void)
{
	RUN(full);
	RUN(defaults);
	RUN(unknownkeys);
	RUN(types);
	RUN(ranges);
	RUN(missing);
	RUN(values);
	RUN(subfolderfile);
	RUN(syntax);
	RUN(override);
	RUN(acquisition);
	RUN(slurm);
	return TESTEXIT();
}
