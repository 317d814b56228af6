/* preset_schema.h — the one table of preset keys. Each row is a dotted key of the preset: its type,
 * where it lives in nn_preset, its range or allowed names, its default, whether it may change
 * during a run, its lock group, its label in the trainer's panels and one line of documentation.
 * Everything about a key iterates this table: parsing and validation, the defaults, the writer,
 * --set and get, lesson locks, the live-change rules, the Dataset and Hyperparameters panels, and
 * the documentation (`nnterm keys --markdown`, docs/preset-keys.md, the README's key table).
 * Adding a key is one row (preset_schema.c) and its field in nn_preset. Read-only; any thread. */
#ifndef NN_PRESET_SCHEMA_H
#define NN_PRESET_SCHEMA_H

#include "preset.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    NN_KEY_OBJECT,    /* a level: "dataset", "training.optimizer" (its keys are the rows below it) */
    NN_KEY_LAYERS,    /* model.layers: an array of layer objects, whose keys are "model.layers.*.KEY" */
    NN_KEY_STRING,    /* char[size]; with names: one of them (dataset.source) */
    NN_KEY_COLUMN,    /* dataset.label: a column name, or a 0-based index kept as its digits */
    NN_KEY_INT,       /* int */
    NN_KEY_SEED,      /* uint64_t, an integer up to 2^53 */
    NN_KEY_NUMBER,    /* double */
    NN_KEY_FLOAT,     /* float (a layer's alpha) */
    NN_KEY_BOOL,      /* bool */
    NN_KEY_NAME,      /* an int (an enum) written as one of names */
    NN_KEY_STRINGS,   /* an array of strings: char[max][size] and an int count at count_off */
} nn_key_type;

enum {
    NN_KEY_AUTO = 1 << 0,        /* "auto" allowed: stored as auto_value, left out of a written preset */
    NN_KEY_LIVE = 1 << 1,        /* may change during a run, without a reset (nn_trainer_set_param) */
    NN_KEY_LINES = 1 << 2,       /* text that may hold newlines and tabs */
    NN_KEY_OMIT_EMPTY = 1 << 3,  /* a string left out of a written preset when "" */
    NN_KEY_OMIT_DEFAULT = 1 << 4,/* left out of a written preset when it has its default */
    NN_KEY_REQUIRED = 1 << 5,    /* no default: a preset must give it */
    NN_KEY_KIND = 1 << 6,        /* the name that says what its object's other keys are (an optimizer, a
                                    schedule): choosing another resets them to its defaults */
    NN_KEY_PATH = 1 << 7,        /* a file, relative to the preset's folder */
    NN_KEY_EDITS_GROUP = 1 << 8, /* an edit of it changes every key of its lock group, so a lock on any of
                                    them locks it too */
    NN_KEY_INDENT = 1 << 9,      /* the panels show it indented under the row above (a parameter of it) */
    NN_KEY_OWN_DEFAULT = 1 << 10,/* a key of a kind's object whose preset default is its own (the seed's
                                    learning rate), not the kind's */
    NN_KEY_ABOUT = 1 << 11,      /* describes the experiment (its name, its description) and changes no
                                    number: edited at any time, with no reset and no marker on the chart */
};

/* Which panel of the trainer lists the key. */
typedef enum { NN_PANEL_NONE, NN_PANEL_DATASET, NN_PANEL_HPARAMS } nn_panel;

typedef struct {
    double lo, hi;
    bool lo_open, hi_open;
    bool integer;
} nn_range;

typedef struct nn_preset_key nn_preset_key;
struct nn_preset_key {
    const char *path;        /* "training.optimizer.learning_rate"; a layer's key "model.layers.*.units" */
    nn_key_type type;
    size_t off;              /* into nn_preset; a layer's key: into nn_preset_layer */
    size_t size;             /* STRING, COLUMN: capacity; STRINGS: each string's; LAYERS: a layer's */
    size_t count_off;        /* STRINGS, LAYERS: the int count in nn_preset */
    int max;                 /* STRINGS, LAYERS: at most this many */
    nn_range range;          /* INT, SEED, NUMBER, FLOAT; STRINGS: the count */
    const char *(*names)(int i);   /* NAME, and a STRING chosen from a list: the i-th, NULL past the end */
    const char *noun;        /* NAME: "an activation", for "99 is not an activation" (NULL: "one of ...") */
    const char *expect;      /* what a wrong type should have been, when not the type's own words */
    const char *expect_item; /* STRINGS: what each element should be */
    unsigned flags;          /* NN_KEY_* */
    double auto_value;       /* AUTO: what "auto" is stored as (NN_AUTO, 0, NAN) */
    const char *word;        /* INT: a word that stands for word_value, a value outside the range, and is
                                written as the word ("forever" for training.epochs 0, "max" for ui.pace 0) */
    double word_value;
    double dflt;             /* the default of a number, boolean or NAME (its index) */
    const char *lock_group;  /* EDITS_GROUP: the dotted prefix its edit changes */
    nn_panel panel;
    int order;               /* its place in the panel: lower first, equal ones in table order (the
                                Hyperparameters panel keeps the loss and optimizer on top) */
    const char *label;       /* in the panel: "learning rate" */
    const char *abbrev;      /* in messages and events ("lr"); NULL: the last part of the path */
    const char *doc;         /* what it means, one line (the meaning column of the documentation) */
    const char *allowed_doc; /* the allowed column; NULL: made from the type, range and names */
    const char *default_doc; /* the default column; NULL: the default as nn_preset_get writes it */
    /* OBJECT: the object is given in a preset, kind from its KIND key (-1: none): reset it (a new
     * optimizer's defaults, a given split starting from zeros, a lesson being present) */
    void (*start)(nn_preset *p, int kind);
    /* OBJECT with a KIND key: does the current kind take child (a row below it)? */
    bool (*takes)(const nn_preset *p, const nn_preset_key *child);
    bool (*present)(const nn_preset *p);   /* OBJECT: written at all (NULL: always) */
    const char *kind_before, *kind_after;  /* "the ", " schedule": how the kind is named in messages */
};

extern const nn_preset_key nn_preset_keys[];
extern const int nn_preset_key_count;

/* The row of a dotted key ("training.optimizer.learning_rate", "model.layers.2.units"; a layer index
 * may also be written "*"), or NULL. Levels have rows too ("training.optimizer"). */
const nn_preset_key *nn_preset_key_find(const char *key);
/* True if key may change during a run (its row is NN_KEY_LIVE; a level: every key under it is): the
 * trainer's live changes. */
bool nn_preset_key_live(const char *key);
/* The short name of a key for messages and events: abbrev, or the last part of its path ("lambda"). */
const char *nn_preset_key_abbrev(const nn_preset_key *k);
/* True if p uses the key now: a parameter the current optimizer or schedule takes, a dataset key
 * the current source takes (dataset.path with csv); every other key always. The panels list only
 * these. */
bool nn_preset_key_used(const nn_preset *p, const nn_preset_key *k);
/* The row k sits under (its level), or NULL for a top-level key. */
const nn_preset_key *nn_preset_key_parent(const nn_preset_key *k);
/* "(1..1000000)", "[0, 1)", "(must be > 0)": the range as error messages write it. */
void nn_range_text(char *buf, size_t n, const nn_range *r);
bool nn_range_ok(const nn_range *r, double v);

/* The documentation of every key (and the choices: activations, losses, optimizers, schedules,
 * sources), generated from the tables: markdown (docs/preset-keys.md, whose rows the README repeats)
 * or plain text (`nnterm keys`). Malloc'd; the caller frees; NULL when out of memory. */
char *nn_preset_keys_doc(bool markdown);

#endif
