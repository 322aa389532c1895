/* tests of gen/emit.c: escaping of paths and shell words for build.ninja */
#include <stdio.h>
#include <string.h>

#include "common/util.h"
#include "gen/emit.h"
#include "tests/test.h"

/* ninjapath(in) must give want */
#define PATH(in, want) do { struct buf eb_; bufinit(&eb_); ninjapath(&eb_, in); \
	EXPECTSTR(eb_.s, want); buffree(&eb_); } while (0)
/* ninjashell(in) must give want */
#define SHELL(in, want) do { struct buf eb_; bufinit(&eb_); ninjashell(&eb_, in); \
	EXPECTSTR(eb_.s, want); buffree(&eb_); } while (0)

TEST(path)
{
	PATH("", "");
	PATH("run_1/img_2.png", "run_1/img_2.png");
	PATH("a b", "a$ b");
	PATH("a:b", "a$:b");
	PATH("a$b", "a$$b");
	PATH("$$", "$$$$");
	PATH("dir/\xc3\xbc", "dir/\xc3\xbc");
	PATH("2026-03/run #1", "2026-03/run$ #1");
	PATH(" a: $b ", "$ a$:$ $$b$ ");
	PATH("it's", "it's");
	PATH("C:/x y/$z", "C$:/x$ y/$$z");
}

/* ninjavar(in) must give want */
#define VAR(in, want) do { struct buf eb_; bufinit(&eb_); ninjavar(&eb_, in); \
	EXPECTSTR(eb_.s, want); buffree(&eb_); } while (0)

TEST(var)
{
	/* a variable's value: only '$' is special, spaces and colons stay */
	VAR("", "");
	VAR("run 1: a", "run 1: a");
	VAR("$x$", "$$x$$");
	VAR("it's #1 \xc3\xbc", "it's #1 \xc3\xbc");
}

TEST(shell)
{
	/* safe words stay unquoted */
	SHELL("run_1", "run_1");
	SHELL("out/2026-03/run_017/.runja.d", "out/2026-03/run_017/.runja.d");
	SHELL("crop:x=0,y=200,width=1024,height=300", "crop:x=0,y=200,width=1024,height=300");
	SHELL("scale:gain=1.5,offset=-0.25", "scale:gain=1.5,offset=-0.25");
	SHELL("a+b@c%d", "a+b@c%d");
	SHELL("/usr/local/bin/runja-process", "/usr/local/bin/runja-process");
	/* everything else is single-quoted */
	SHELL("", "''");
	SHELL("a b", "'a b'");
	SHELL("background:file=bg with, comma.png", "'background:file=bg with, comma.png'");
	SHELL("it's", "'it'\\''s'");
	SHELL("'", "''\\'''");
	SHELL("a$b", "'a$$b'");
	SHELL("$HOME", "'$$HOME'");
	SHELL("*.png", "'*.png'");
	SHELL("cam1/*.png", "'cam1/*.png'");
	SHELL("a;b", "'a;b'");
	SHELL("a\"b", "'a\"b'");
	SHELL("a\\b", "'a\\b'");
	SHELL("`x`", "'`x`'");
	SHELL("~", "'~'");
	SHELL("#x", "'#x'");
	SHELL("run_\xc3\xbc", "'run_\xc3\xbc'");
	SHELL("it's $5 a: b", "'it'\\''s $$5 a: b'");
}

int
main(void)
{
	RUN(path);
	RUN(var);
	RUN(shell);
	return TESTEXIT();
}
