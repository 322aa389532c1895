#ifndef RUNJA_CONFREPORT_H
#define RUNJA_CONFREPORT_H

#include <jansson.h>
#include <libconfig.h>

struct confctx;

/*
 * command.report, the group g: what the report shows of a command's results, checked
 * key by key, into *out (a JSON object, owned by the caller, set even on failure):
 *   images   ["GLOB", ...]                    the files to show, relative to the command's output folder
 *   plot     {file, x (optional), y}          one plot per run from a CSV it writes
 *   values   [{name, file, key}, {name, file, column, row}, ...]  numbers from a JSON or CSV file;
 *            row: "last", "first", "min", "max", "mean" or a row number
 *   overview NAME                             the value plotted across runs
 * OUT/.runja/report.json holds it for runja-report (report/show.h). 0, or -1 with the message in x.
 */
int confreport(struct confctx *x, const config_setting_t *g, json_t **out);

#endif
