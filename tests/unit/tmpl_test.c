/* tests of common/tmpl.c: {{name}} substitution and its two errors */
#include <stdio.h>
#include <string.h>

#include "common/util.h"
#include "common/tmpl.h"
#include "tests/test.h"

static const struct tvar vars[] = {
	{"id", "run_1"},
	{"dir", "data/run$ 1"},
	{"empty", ""},
	{"braces", "{{id}}"},
};

static char err[256];

/* expand text with vars into *out (freed by the caller); returns tmplexpand's result */
static int
expand(struct buf *out, const char *text)
{
	strcpy(err, "");
	bufinit(out);
	return tmplexpand(out, text, "templates/ninja/run.ninja", vars, sizeof(vars) / sizeof(vars[0]), err,
	                  sizeof(err));
}

/* text must expand to want */
#define GOOD(text, want) do { struct buf tb_; \
	EXPECTINT(expand(&tb_, text), 0); EXPECTSTR(tb_.s, want); EXPECTSTR(err, ""); buffree(&tb_); } while (0)
/* text must fail with msg */
#define BAD(text, msg) do { struct buf tb_; \
	EXPECTINT(expand(&tb_, text), -1); EXPECTSTR(err, msg); buffree(&tb_); } while (0)

TEST(plain)
{
	GOOD("", "");
	GOOD("rule run\n  command = x\n", "rule run\n  command = x\n");
	/* single braces and a lone "}}" are text */
	GOOD("a { b } c }} d {", "a { b } c }} d {");
}

TEST(substitute)
{
	GOOD("{{id}}", "run_1");
	GOOD("build {{id}}: run {{dir}}\n", "build run_1: run data/run$ 1\n");
	GOOD("{{id}}{{id}}-{{empty}}-", "run_1run_1--");
	GOOD("line 1\n{{dir}}\nline 3 {{id}}\n", "line 1\ndata/run$ 1\nline 3 run_1\n");
	/* a value holding "{{" is copied, not expanded again */
	GOOD("x {{braces}} y", "x {{id}} y");
	/* "{{{id}}" : the first "{{" opens, the name is "{id" */
	BAD("{{{id}}", "templates/ninja/run.ninja:1: unknown variable '{id'");
}

TEST(errors)
{
	BAD("{{foo}}", "templates/ninja/run.ninja:1: unknown variable 'foo'");
	BAD("a\nb {{id}}\n\nc {{foo}} {{id}}\n", "templates/ninja/run.ninja:4: unknown variable 'foo'");
	BAD("a\n{{}}\n", "templates/ninja/run.ninja:2: unknown variable ''");
	/* names are exact: no trimming, case matters */
	BAD("{{ id }}", "templates/ninja/run.ninja:1: unknown variable ' id '");
	BAD("{{ID}}", "templates/ninja/run.ninja:1: unknown variable 'ID'");
	BAD("a\nb\nc {{id", "templates/ninja/run.ninja:3: '{{' without '}}'");
	/* a "}}" on a later line does not close it */
	BAD("one\n{{id\n}}\n", "templates/ninja/run.ninja:2: '{{' without '}}'");
	BAD("{{id}} {{dir}} {{", "templates/ninja/run.ninja:1: '{{' without '}}'");
}

int
main(void)
{
	RUN(plain);
	RUN(substitute);
	RUN(errors);
	return TESTEXIT();
}
