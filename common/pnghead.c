#include <png.h>
#include <stdio.h>

#include "pnghead.h"

int
pnghead(const char *path, struct pnghead *h)
{
	png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	FILE *volatile f = fopen(path, "rb");

	if (!f || !info || setjmp(png_jmpbuf(png))) {
		png_destroy_read_struct(&png, &info, NULL);
		if (f)
			fclose(f);
		return -1;
	}
	png_init_io(png, f);
	png_read_info(png, info);
	h->width = png_get_image_width(png, info);
	h->height = png_get_image_height(png, info);
	h->depth = png_get_bit_depth(png, info);
	h->channels = png_get_channels(png, info);
	h->colortype = png_get_color_type(png, info);
	h->interlaced = png_get_interlace_type(png, info) == PNG_INTERLACE_ADAM7;
	png_destroy_read_struct(&png, &info, NULL);
	fclose(f);
	return 0;
}

unsigned long
pngoutrows(unsigned long rowbytes, unsigned long h)
{
	unsigned long k = rowbytes < PNGOUTBYTES ? PNGOUTBYTES / rowbytes : 1;

	return k < h ? k : h;
}

double
pngdecodemem(const struct pnghead *h)
{
	double row = (double)h->width * h->channels * ((h->depth + 7) / 8), file = (row + 1) * h->height;

	if (h->interlaced)
		return file + row * h->height;
	/* a batch of rows, with their filter bytes, and the row above it */
	return file + (pngoutrows((unsigned long)row + 1, h->height) + 1.0) * (row + 1) + PNGZBYTES;
}

void
pngheaddesc(const struct pnghead *h, char *out, unsigned long n)
{
	static const char *const kinds[] = {
		[PNG_COLOR_TYPE_GRAY] = "gray", [PNG_COLOR_TYPE_RGB] = "RGB", [PNG_COLOR_TYPE_PALETTE] = "palette",
		[PNG_COLOR_TYPE_GRAY_ALPHA] = "gray+alpha", [PNG_COLOR_TYPE_RGB_ALPHA] = "RGBA", [7] = "?",
	};

	snprintf(out, n, "%ux%u %d-bit %s%s", h->width, h->height, h->depth, kinds[h->colortype & 7],
	         h->interlaced ? ", interlaced" : "");
}
