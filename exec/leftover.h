#ifndef RUNJA_LEFTOVER_H
#define RUNJA_LEFTOVER_H

struct execopts;

/*
 * The work folder W = STATE/work/ID of an attempt that did not end as attempts end
 * (removing it): its build was killed outright (SIGKILL of ninja and its steps, a lost
 * login node). Before an attempt at o's run, its lock held and no attempt of it running
 * (common/runstep.h): when W is there, record that attempt in the ledger as cut short,
 * say so, and remove W. Problems are warned about.
 */
void leftovercheck(const struct execopts *o);

#endif
