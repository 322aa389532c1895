#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fs.h"
#include "common/util.h"
#include "report.h"

/* append s as one CSV field, quoted when it holds a comma, quote or line break */
static void
csvfield(struct buf *b, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		bufputs(b, s);
		return;
	}
	bufputc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			bufputc(b, '"');
		bufputc(b, *s);
	}
	bufputc(b, '"');
}

/* append one summary.csv row from a run's summary.json */
static int
addrow(struct buf *b, const char *path, char *err, size_t n)
{
	json_error_t je;
	json_t *j = json_load_file(path, 0, &je), *v;

	if (!j)
		return seterr(err, n, "%s:%d: %s", path, je.line, je.text);
	if (!json_is_string(json_object_get(j, "run")) || !json_is_integer(json_object_get(j, "frames")) ||
	    !json_is_array(json_object_get(j, "skipped"))) {
		json_decref(j);
		return seterr(err, n, "%s: not a runja summary", path);
	}
	csvfield(b, json_string_value(json_object_get(j, "run")));
	bufprintf(b, ",%lld,%zu,%lld,%lld,%.9g,%.9g,",
	          (long long)json_integer_value(json_object_get(j, "frames")),
	          json_array_size(json_object_get(j, "skipped")),
	          (long long)json_integer_value(json_object_get(j, "width")),
	          (long long)json_integer_value(json_object_get(j, "height")),
	          json_number_value(json_object_get(j, "mean")), json_number_value(json_object_get(j, "std")));
	if (json_is_number(v = json_object_get(j, "front_speed")))
		bufprintf(b, "%.9g", json_number_value(v));
	bufputc(b, '\n');
	json_decref(j);
	return 0;
}

int
writereport(const char *outdir, char *err, size_t n)
{
	struct buf list, csv;
	char *line, *next, *path = xasprintf("%s/.runja/runs", outdir);
	int ret = -1;

	if (readfile(path, &list, err, n) < 0) {
		free(path);
		return -1;
	}
	free(path);
	bufinit(&csv);
	bufputs(&csv, "run,frames,skipped,width,height,mean,std,front_speed\n");
	for (line = list.s; *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		if (!*line)
			continue;
		path = xasprintf("%s/%s/summary.json", outdir, line);
		ret = addrow(&csv, path, err, n);
		free(path);
		if (ret < 0)
			goto out;
	}
	path = xasprintf("%s/summary.csv", outdir);
	ret = writeatomic(path, csv.s, csv.len, err, n);
	free(path);
out:
	buffree(&csv);
	buffree(&list);
	return ret;
}
