#include "common/util.h"
#include "emit.h"

int
emitmake(struct buf *out, const struct emit *e, char *err, size_t n)
{
	(void)out, (void)e;
	return seterr(err, n, "--backend make is not built yet");
}

int
makestamps(const struct emit *e, char *err, size_t n)
{
	(void)e;
	return seterr(err, n, "--backend make is not built yet");
}
