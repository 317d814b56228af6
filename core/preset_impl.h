/* preset_impl.h — what the preset_*.c files share and nothing else includes: the problem reporter,
 * JSON helpers and printer (preset_json.c), the tree writer (preset_write.c) and key checks
 * (preset_keys.c). The public API is preset.h and preset_schema.h. */
#ifndef NN_PRESET_IMPL_H
#define NN_PRESET_IMPL_H

#include "preset_schema.h"

#include <cJSON.h>

#include <stdbool.h>
#include <stddef.h>

#define PATH_LEN 160     /* a JSON path such as "training.optimizer.initial_accumulator_value" */
#define LIST_LEN 320     /* a comma-separated list of allowed names */

/* Problems found while reading or checking a preset: each one line "FILE: JSON.PATH: what", into
 * diags; the first also into err. */
typedef struct {
    const char *file;
    nn_diags *diags;
    nn_error *err;
    int problems;
    /* Paths parse already reported: validate checks the struct again (the UI edits it directly),
     * and a value that failed in parse was not stored, so validate would see the default there and
     * add a bogus second problem ("units": 1e+20 gave "0 (auto) is only allowed on the last layer"). */
    bool validating;
    int n_seen;
    char seen[NN_MAX_DIAGS][PATH_LEN];
} preset_ctx;

void preset_report(preset_ctx *c, nn_status code, const char *path, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
void preset_type_error(preset_ctx *c, const char *path, const cJSON *it, const char *expected);
void preset_range_error(preset_ctx *c, const char *path, double v, const nn_range *r);

/* out = path.key (or key at the top), at most PATH_LEN bytes. */
void preset_join(char *out, const char *path, const char *key);
/* "a string", "a number", ... */
const char *preset_type_name(const cJSON *it);
/* A JSON value for a message: "\"relu\"", 0.1 (the shortest form that reads back), true. */
void preset_describe(char *buf, size_t n, const cJSON *it);
/* The closest of keys[0..n) to s (edit distance under 3), or NULL. */
const char *preset_suggest(const char *const *keys, int n, const char *s);
/* Names of a NAME row, "a, b, c" (and ", auto" when with_auto). */
void preset_name_list(char *buf, size_t n, const nn_preset_key *k, bool with_auto);
/* The index of s among k's names, or -1. */
int preset_find_name(const nn_preset_key *k, const char *s);

/* The preset as a cJSON tree in the table's order: auto values and empty optional strings left out,
 * or (full) every key with auto values as "auto" (what nn_preset_get reads). NULL when out of memory. */
cJSON *preset_build_tree(const nn_preset *p, bool full);
/* JSON text of a tree: pretty (2-space indentation, short flat containers on one line) or compact.
 * Malloc'd; NULL when out of memory. */
char *preset_tree_text(const cJSON *root, bool pretty);

/* A dotted key that names a level or a value of the table ("training", "model.layers.0",
 * "model.layers.*.activation"). */
bool preset_valid_key(const char *key);

/* Where a row's value is in p (a layer's key: in layer i). */
void *preset_field(nn_preset *p, const nn_preset_key *k, int layer);
const void *preset_cfield(const nn_preset *p, const nn_preset_key *k, int layer);
/* A number, boolean or NAME row's value as a double; put stores one. */
double preset_get_value(const nn_preset *p, const nn_preset_key *k, int layer);
void preset_put_value(nn_preset *p, const nn_preset_key *k, int layer, double v);

/* The rows directly under level (NULL: the top), in table order: *n of them into out. */
int preset_children(const nn_preset_key *level, const nn_preset_key **out, int max);
/* The last part of a row's path ("learning_rate"). */
const char *preset_last(const nn_preset_key *k);

#endif
