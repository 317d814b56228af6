/* race.h — an optimizer race: the same preset (same initial weights, same shuffles) trained once
 * per optimizer entry. An entry is a race name of an optimizer row (nn_opt_info.race: "sgd",
 * "momentum", "nesterov", "rmsprop", "adam", ...), optionally with ":LR" to set the learning rate
 * ("adam:0.01"). Pure functions over presets; any thread. */
#ifndef NN_RACE_H
#define NN_RACE_H

#include "preset.h"

#define NN_RACE_MAX 16

/* The default race: every race entry of the optimizer rows (nn_opt_info.race) that is not optional,
 * in table order: the seed project's eight (sgd, momentum, nesterov, rmsprop, adam, adamw, adagrad,
 * adadelta). */
int nn_race_default_count(void);
const char *nn_race_default_name(int i);   /* NULL if i is out of range */

/* Sets p's optimizer (torch defaults for the kind, then the entry's learning rate and settings, then
 * ":LR" if given) from one entry. Keeps every other key. Errors name the entry. */
nn_status nn_race_apply(nn_preset *p, const char *entry, nn_error *err);

/* Splits a comma-separated list into at most NN_RACE_MAX entries (validated with nn_race_apply on
 * a scratch copy). names receives pointers into buf, which is modified. Returns the count or -1. */
int nn_race_parse_list(char *buf, const char **names, const nn_preset *p, nn_error *err);

#endif
