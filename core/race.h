/* race.h — an optimizer race: the same preset (same initial weights, same shuffles) trained once
 * per optimizer entry. An entry is a name from nn_race_table ("sgd", "momentum", "nesterov",
 * "rmsprop", "adam", "adamw", "adagrad", "adadelta"), optionally with ":LR" to set the learning
 * rate ("adam:0.01"). Pure functions over presets; any thread. */
#ifndef NN_RACE_H
#define NN_RACE_H

#include "preset.h"

typedef struct {
    const char *name;        /* race entry name */
    nn_opt_kind kind;
    double lr;               /* its usual learning rate */
    double momentum;         /* sgd variants */
    bool nesterov;
} nn_race_entry;

#define NN_RACE_MAX 16
extern const nn_race_entry nn_race_table[];
extern const int nn_race_count;   /* the default race: every row of the table, in order */

/* Sets p's optimizer (torch defaults for the kind, then the entry's lr/momentum/nesterov, then
 * ":LR" if given) from one entry. Keeps every other key. Errors name the entry. */
nn_status nn_race_apply(nn_preset *p, const char *entry, nn_error *err);

/* Splits a comma-separated list into at most NN_RACE_MAX entries (validated with nn_race_apply on
 * a scratch copy). names receives pointers into buf, which is modified. Returns the count or -1. */
int nn_race_parse_list(char *buf, const char **names, const nn_preset *p, nn_error *err);

#endif
