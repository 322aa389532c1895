#ifndef RUNJA_CONFVAL_H
#define RUNJA_CONFVAL_H

#include <stdbool.h>
#include <stddef.h>

#include <libconfig.h>

/*
 * One setting of a config read as a value of the kind a key takes, with the message
 * for a mistake: "NAME:LINE: 'output.npy' must be true or false". Each getter takes
 * the group g and the key, returns 0 when the key is absent (*out unchanged) or valid,
 * and -1 with the message in x->err otherwise. path names the key in messages.
 */

/* what every check needs: the file name for messages and where the message goes */
struct confctx {
	const char *name;  /* the config file, as messages name it */
	char *err;         /* where the message goes */
	size_t n;          /* its size */
};

/* "NAME:LINE: " and fmt (with the strings a and b) into x->err, at the line of s (1 when NULL); returns -1 */
int confbad(struct confctx *x, const config_setting_t *s, const char *fmt, const char *a, const char *b);
/* the name of names (NULL-terminated) closest to name, or NULL; with prefix, one that starts the other is close */
const char *confclosest(const char *name, const char *const *names, bool prefix);
/* every member of group s must be one of keys (NULL-terminated); where names the group in the message */
int confkeys(struct confctx *x, const config_setting_t *s, const char *const *keys, const char *where);
/* the member key of group g (which may be NULL), or NULL */
config_setting_t *confmember(const config_setting_t *g, const char *key);
/* a group root.key into *g (NULL when absent) */
int confgroup(struct confctx *x, const config_setting_t *root, const char *key, config_setting_t **g);
/* a string, copied into *out (the old one freed) */
int confstring(struct confctx *x, const config_setting_t *g, const char *key, const char *path, char **out);
/* true or false */
int confbool(struct confctx *x, const config_setting_t *g, const char *key, const char *path, bool *out);
/* an integer in [lo, hi]; what says the range in the message (">= 0") */
int confint(struct confctx *x, const config_setting_t *g, const char *key, const char *path, long long lo,
            long long hi, const char *what, long long *out);
/* confint into an int */
int confint32(struct confctx *x, const config_setting_t *g, const char *key, const char *path, long long lo,
              long long hi, const char *what, int *out);
/* a number (integer or float); positive demands > 0 */
int confnum(struct confctx *x, const config_setting_t *g, const char *key, const char *path, bool positive,
            double *out);
/* one of names (NULL-terminated, listed as list in the message); its index into *out */
int confenum(struct confctx *x, const config_setting_t *g, const char *key, const char *path,
             const char *const *names, const char *list, int *out);
/* a size such as "8G" or "512M" (at least 1M), in bytes */
int confsize(struct confctx *x, const config_setting_t *g, const char *key, const char *path, long long *out);
/* a duration: whole seconds, or a string of NUMBER UNIT pairs (h, m, s) such as "15m", "1h30m" */
int confduration(struct confctx *x, const config_setting_t *g, const char *key, const char *path, long long min,
                 long long *out);
/* v (of setting s) is a relative path pattern of at most maxparts components, none empty, "." or ".." */
int confglob(struct confctx *x, const config_setting_t *s, const char *path, const char *v, int maxparts);

/* a check of one string of a list: 0, or -1 with the message */
typedef int confcheckfn(struct confctx *x, const config_setting_t *s, const char *path, const char *v);
/* the string, or the strings of the list, at s into *v (n of them, owned by the caller), each passed by check */
int confstrings(struct confctx *x, const config_setting_t *s, const char *path, confcheckfn *check, char ***v,
                size_t *nv);

#endif
