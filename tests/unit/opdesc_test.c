/*
 * tests of the op declarations (common/opdesc.c, process/ops/NAME.c): for every op and
 * every key, runja.cfg's checker (gen/conf.c) and the --op parser (specparseop) take the
 * same values, give the same canonical text, and refuse the others with the same words.
 * The ops and their keys come from the table, so a new op is tested here as it is.
 */
#include <ctype.h>
#include <dirent.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/opdesc.h"
#include "common/util.h"
#include "gen/conf.h"
#include "tests/test.h"

/* one value of a key as runja.cfg writes it and as --op does */
struct val {
	char cfg[64];   /* "2", "\"median\"" */
	char text[64];  /* "2", "median" */
};

/* the values of an op's keys; a NULL key is left out */
struct vals {
	const struct val *v[OPMAXKEYS];  /* by key index */
	bool unknown;                    /* add a key no op has */
};

/* the prefix of runja.cfg messages about the op: line 4 */
#define HEAD "version = 1;\nruns = { match = \"run_*\"; };\npipeline = (\n"
#define WHERE "runja.cfg:4: "

/* set v to the integer x in both forms (a 64-bit one ends in L in runja.cfg) */
static void
setint(struct val *v, long long x)
{
	snprintf(v->text, sizeof(v->text), "%lld", x);
	snprintf(v->cfg, sizeof(v->cfg), "%lld%s", x, x < -2147483647 - 1 || x > 2147483647 ? "L" : "");
}

/* set v to the number x in both forms */
static void
setnum(struct val *v, double x)
{
	fmtdouble(v->text, sizeof(v->text), x);
	snprintf(v->cfg, sizeof(v->cfg), "%s", v->text);
}

/* set v to a string (quoted in runja.cfg) */
static void
setstr(struct val *v, const char *s)
{
	snprintf(v->cfg, sizeof(v->cfg), "\"%s\"", s);
	snprintf(v->text, sizeof(v->text), "%s", s);
}

/* values of k both checkers take into v (room for 4); returns how many */
static size_t
goodvals(const struct opkey *k, struct val *v)
{
	size_t n = 0, i;

	switch (k->type) {
	case OPKINT:
		setint(&v[n++], (long long)k->min);
		setint(&v[n++], (long long)k->max);
		break;
	case OPKNUM:
		/* just inside each bound there is, and far inside (the middle of a range bounded on both sides) */
		setnum(&v[n++], k->min > -INFINITY ? k->min + 0.5 : k->max < INFINITY ? k->max - 0.5 : -2.5);
		if (k->min > -INFINITY && k->max < INFINITY)
			setnum(&v[n++], k->max - 0.5);
		setnum(&v[n++], k->min > -INFINITY && k->max < INFINITY ? (k->min + k->max) / 2
		                : k->min > -INFINITY ? k->min + 1e6 : k->max < INFINITY ? k->max - 1e6 : 3);
		break;
	case OPKENUM:
		for (i = 0; k->names[i] && n < 4; i++)
			setstr(&v[n++], k->names[i]);
		break;
	case OPKFILE:
		setstr(&v[n++], "bg.png");
		setstr(&v[n++], "bg with, comma.png");
		break;
	}
	return n;
}

/* values of k both checkers refuse into v (room for 8); returns how many */
static size_t
badvals(const struct opkey *k, struct val *v)
{
	size_t n = 0;

	switch (k->type) {
	case OPKINT:
		setint(&v[n++], (long long)k->min - 1);
		setint(&v[n++], (long long)k->max + 1);
		setint(&v[n++], 1LL << 40);
		setnum(&v[n++], k->min + 0.5);
		setstr(&v[n], "1");
		strcpy(v[n++].text, "one");
		break;
	case OPKNUM:
		if (k->min > -INFINITY)
			setnum(&v[n++], k->min);
		if (k->max < INFINITY)
			setnum(&v[n++], k->max);
		setstr(&v[n], "1");
		strcpy(v[n++].text, "x1");
		strcpy(v[n].cfg, "true");
		strcpy(v[n++].text, "true");
		break;
	case OPKENUM:
		setstr(&v[n++], "nonesuch");
		setstr(&v[n++], "");
		strcpy(v[n].cfg, "1");
		strcpy(v[n++].text, "1");
		break;
	case OPKFILE:
		setstr(&v[n++], "");
		setstr(&v[n++], "/bg.png");
		setstr(&v[n++], "..");
		setstr(&v[n++], "sub/bg.png");
		setstr(&v[n++], "a//bg.png");
		break;
	}
	return n;
}

/* the op of d with the values vs as runja.cfg's text (cfg) and as --op text (text) */
static void
render(const struct opdesc *d, const struct vals *vs, struct buf *cfg, struct buf *text)
{
	size_t i;
	int sep = ':';

	bufprintf(cfg, HEAD "  { op = \"%s\";", d->name);
	bufputs(text, d->name);
	for (i = 0; i < d->nkeys; i++) {
		if (!vs->v[i])
			continue;
		bufprintf(cfg, " %s = %s;", d->keys[i].name, vs->v[i]->cfg);
		bufprintf(text, "%c%s=%s", sep, d->keys[i].name, vs->v[i]->text);
		sep = ',';
	}
	if (vs->unknown) {
		bufputs(cfg, " zzzz = 1;");
		bufprintf(text, "%czzzz=1", sep);
	}
	bufputs(cfg, " }\n);\n");
}

/*
 * Parse the op of d with the values vs both ways: both must take it with the same
 * canonical text (accept), or both refuse it with the same message. Returns 0, or
 * -1 after printing both texts and what each said.
 */
static int
same(const struct opdesc *d, const struct vals *vs, bool accept)
{
	struct buf cfg, text, a, b;
	struct conf c;
	struct opspec op;
	char cerr[512] = "", serr[512] = "";
	int rc, rs, ok;

	bufinit(&cfg);
	bufinit(&text);
	bufinit(&a);
	bufinit(&b);
	render(d, vs, &cfg, &text);
	rc = confparse(&c, cfg.s, "runja.cfg", false, cerr, sizeof(cerr));
	rs = specparseop(text.s, &op, serr, sizeof(serr));
	if (rc == 0 && c.nops == 1)
		specfmtop(&a, &c.ops[0]);
	if (rs == 0)
		specfmtop(&b, &op);
	if (accept)
		ok = rc == 0 && rs == 0 && strcmp(a.s, b.s) == 0;
	else
		ok = rc < 0 && rs < 0 && strncmp(cerr, WHERE, strlen(WHERE)) == 0 && strcmp(cerr + strlen(WHERE), serr) == 0;
	if (!ok)
		printf("  %s: runja.cfg %s (%s) and --op %s (%s) should %s alike\n", d->name, cfg.s, rc ? cerr : a.s, text.s,
		       rs ? serr : b.s, accept ? "take it" : "refuse it");
	delconf(&c);
	if (rs == 0)
		specfreeop(&op);
	buffree(&cfg);
	buffree(&text);
	buffree(&a);
	buffree(&b);
	return ok ? 0 : -1;
}

/* vs = a valid op of d: its required keys (but the OPALONE one) at a value they take, held in good */
static void
validop(const struct opdesc *d, struct vals *vs, struct val good[][4])
{
	size_t i;

	memset(vs, 0, sizeof(*vs));
	for (i = 0; i < d->nkeys; i++) {
		goodvals(&d->keys[i], good[i]);
		if ((d->keys[i].flags & OPREQUIRED) && !(d->keys[i].flags & OPALONE))
			vs->v[i] = &good[i][0];
	}
}

/* vs with key i of d set to v: alone when i is the OPALONE key */
static struct vals
with(const struct opdesc *d, const struct vals *vs, size_t i, const struct val *v)
{
	struct vals w = *vs;

	if (d->keys[i].flags & OPALONE)
		memset(&w, 0, sizeof(w));
	w.v[i] = v;
	return w;
}

TEST(declarations)
{
	size_t i, j, k;

	EXPECT(nopdescs > 0);
	for (i = 0; i < nopdescs; i++) {
		const struct opdesc *d = opdescs[i];

		EXPECT(d != NULL);
		if (!d)
			continue;
		EXPECT(*d->name && *d->help && d->nkeys <= OPMAXKEYS);
		EXPECTINT(opbyname(d->name), (long long)i);
		EXPECTSTR(opname((enum opkind)i), d->name);
		for (j = 0; j < d->nkeys; j++) {
			const struct opkey *kk = &d->keys[j];

			/* every position up to nkeys declared (a gap is a key without a name) */
			EXPECT(kk->name != NULL);
			if (!kk->name)
				continue;
			EXPECT(*kk->name && *kk->help && kk->min <= kk->max);
			EXPECT(opkey(d, kk->name) == kk);
			EXPECT(!(kk->flags & OPALONE) || kk->type == OPKFILE);
			/* a file name runs to the end of the --op text */
			EXPECT(kk->type != OPKFILE || j == d->nkeys - 1);
			if (kk->type == OPKINT)
				EXPECT(kk->min >= -OPINTMAX && kk->max <= OPINTMAX);
			if (!(kk->flags & OPREQUIRED) && (kk->type == OPKINT))
				EXPECT(kk->def >= kk->min && kk->def <= kk->max);
			if (!(kk->flags & OPREQUIRED) && (kk->type == OPKNUM))
				EXPECT(kk->def > kk->min && kk->def < kk->max);
			for (k = 0; kk->type == OPKENUM && kk->names[k]; k++)
				;
			EXPECT(kk->type != OPKENUM || (k > 0 && kk->def >= 0 && kk->def < k));
		}
	}
}

TEST(everykey)
{
	struct val good[OPMAXKEYS][4], bad[8];
	struct vals vs, w;
	size_t i, j, k, n;

	for (i = 0; i < nopdescs; i++) {
		const struct opdesc *d = opdescs[i];

		validop(d, &vs, good);
		EXPECTINT(same(d, &vs, true), 0);
		/* a key no op has */
		w = vs;
		w.unknown = true;
		EXPECTINT(same(d, &w, false), 0);
		for (j = 0; j < d->nkeys; j++) {
			const struct opkey *kk = &d->keys[j];

			/* its range: the values inside taken, those outside refused */
			for (k = 0, n = goodvals(kk, good[j]); k < n; k++) {
				w = with(d, &vs, j, &good[j][k]);
				EXPECTINT(same(d, &w, true), 0);
			}
			for (k = 0, n = badvals(kk, bad); k < n; k++) {
				w = with(d, &vs, j, &bad[k]);
				EXPECTINT(same(d, &w, false), 0);
			}
			/* left out: missing when required, its default otherwise */
			w = vs;
			w.v[j] = NULL;
			EXPECTINT(same(d, &w, !(kk->flags & OPREQUIRED) || (kk->flags & OPALONE)), 0);
			/* an OPALONE key with another */
			for (k = 0; (kk->flags & OPALONE) && k < d->nkeys; k++) {
				if (k == j)
					continue;
				w = with(d, &vs, j, &good[j][0]);
				w.v[k] = &good[k][0];
				EXPECTINT(same(d, &w, false), 0);
			}
		}
	}
}

TEST(messages)
{
	/* a few of the words the loop above compares, written out */
	struct opspec op;
	char e[256];

	EXPECTINT(specparseop("median:radius=1001", &op, e, sizeof(e)), -1);
	EXPECTSTR(e, "'radius' in op 'median' must be an integer from 1 to 1000");
	EXPECTINT(specparseop("crop:x=0,y=0,width=0,height=1", &op, e, sizeof(e)), -1);
	EXPECTSTR(e, "'width' in op 'crop' must be an integer >= 1");
	EXPECTINT(specparseop("crop:x=0,y=0,width=1073741825,height=1", &op, e, sizeof(e)), -1);
	EXPECTSTR(e, "'width' in op 'crop' must be an integer from 1 to 1073741824");
	EXPECTINT(specparseop("blur:sigma=0", &op, e, sizeof(e)), -1);
	EXPECTSTR(e, "'sigma' in op 'blur' must be a number > 0 and < 10000");
	EXPECTINT(specparseop("background:frames=3,method=mode", &op, e, sizeof(e)), -1);
	EXPECTSTR(e, "'method' in op 'background' must be one of mean, median");
	EXPECTINT(specparseop("background:frames=3,file=bg.png", &op, e, sizeof(e)), -1);
	EXPECTSTR(e, "op 'background' takes either 'file' or 'frames' and 'method', not both");
}

TEST(wiring)
{
	/*
	 * every file of process/ops/ is an op with a declaration (what make's lists,
	 * common/oplist.h and common/opfiles.h, give), and every declaration is a file there;
	 * run from the top of the tree, as make check does
	 */
	DIR *dir = opendir("process/ops");
	struct dirent *e;
	size_t i, nfiles = 0, len;
	char name[256];
	int k;

	EXPECT(dir != NULL);
	while (dir && (e = readdir(dir))) {
		len = strlen(e->d_name);
		if (len < 3 || strcmp(e->d_name + len - 2, ".c") != 0)
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(len - 2), e->d_name);
		nfiles++;
		k = opbyname(name);
		if (k < 0)
			printf("  process/ops/%s is no op runja knows: make's op lists miss it\n", e->d_name);
		EXPECT(k >= 0);
	}
	if (dir)
		closedir(dir);
	EXPECTINT(nfiles, nopdescs);
	EXPECTINT(NOPKINDS, nopdescs);
	for (i = 0; i < nopdescs; i++) {
		const struct opdesc *d = opdescs[i];

		/* a C name, and one whose version a results token (specresults) tells apart: no digit */
		for (k = 0; d->name[k]; k++)
			EXPECT(islower((unsigned char)d->name[k]));
		EXPECT(d->version >= 1);
	}
}

int
main(void)
{
	RUN(declarations);
	RUN(wiring);
	RUN(everykey);
	RUN(messages);
	return TESTEXIT();
}
