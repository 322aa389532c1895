/*
 * bench/decode: the baseline of SPEC section 7 — libpng alone decoding frames, row by
 * row into one row buffer, nothing else. Prints the CPU seconds per frame.
 * usage: decode FILE...
 */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

static double
cputime(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	       ru.ru_stime.tv_usec / 1e6;
}

static int
decode(const char *path)
{
	png_structp png;
	png_infop info;
	png_bytep row = NULL;
	FILE *f = fopen(path, "rb");
	png_uint_32 y, h;
	int pass, npass;

	if (!f)
		return -1;
	png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = png_create_info_struct(png);
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_read_struct(&png, &info, NULL);
		free(row);
		fclose(f);
		return -1;
	}
	png_init_io(png, f);
	png_read_info(png, info);
	npass = png_set_interlace_handling(png);
	png_read_update_info(png, info);
	h = png_get_image_height(png, info);
	row = malloc(png_get_rowbytes(png, info));
	for (pass = 0; pass < npass; pass++)
		for (y = 0; y < h; y++)
			png_read_row(png, row, NULL);
	png_read_end(png, NULL);
	png_destroy_read_struct(&png, &info, NULL);
	free(row);
	fclose(f);
	return 0;
}

int
main(int argc, char **argv)
{
	double t0 = cputime();
	int i;

	for (i = 1; i < argc; i++)
		if (decode(argv[i]) < 0) {
			fprintf(stderr, "decode: %s: cannot decode\n", argv[i]);
			return 1;
		}
	printf("%.6f\n", (cputime() - t0) / (argc > 1 ? argc - 1 : 1));
	return 0;
}
