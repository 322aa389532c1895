/*
 * Every op's declaration (common/opdesc.h). Each is written in process/ops/NAME.c,
 * beside the op's pixels, and compiled here with OPDECL defined, which leaves the
 * pixels out: runja-gen gets every op's keys and memory model without the pixel code,
 * runja-process gets the same ones. A new op: its file, its kind in common/spec.h
 * (with the fields of its keys in struct opspec), a line in each list below, and its
 * apply function in process/pipeline.c's list.
 */
#include "opdesc.h"

#define OPDECL
#include "process/ops/background.c"
#include "process/ops/blur.c"
#include "process/ops/crop.c"
#include "process/ops/downsample.c"
#include "process/ops/invert.c"
#include "process/ops/median.c"
#include "process/ops/scale.c"
#include "process/ops/threshold.c"

const struct opdesc *const opdescs[] = {
	[OPCROP] = &cropdesc,
	[OPDOWNSAMPLE] = &downsampledesc,
	[OPINVERT] = &invertdesc,
	[OPSCALE] = &scaledesc,
	[OPBACKGROUND] = &backgrounddesc,
	[OPBLUR] = &blurdesc,
	[OPMEDIAN] = &mediandesc,
	[OPTHRESHOLD] = &thresholddesc,
};
const size_t nopdescs = sizeof(opdescs) / sizeof(opdescs[0]);
