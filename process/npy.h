#ifndef RUNJA_NPY_H
#define RUNJA_NPY_H

#include <stddef.h>

/* write rows x cols floats as a little-endian float32 C-order NPY 1.0 file; 0 or -1 with err */
int npywrite(const char *path, const float *px, int rows, int cols, char *err, size_t n);

#endif
