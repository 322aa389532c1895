#ifndef RUNJA_NATSORT_H
#define RUNJA_NATSORT_H

#include <stddef.h>

/* compare strings in natural order: runs of digits compare by value ("img_2" < "img_10") */
int natcmp(const char *a, const char *b);
/* sort an array of strings in natural order (pointers are moved, strings untouched) */
void natsort(char **v, size_t n);

#endif
