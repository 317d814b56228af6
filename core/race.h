/* race.h — an optimizer race: the same preset (same initial weights, same shuffles) trained once
 * per optimizer entry. An entry is a race name of an optimizer row (nn_opt_info.race: "sgd",
 * "momentum", "nesterov", "rmsprop", "adam", ...), optionally with ":LR" to set the learning rate
 * ("adam:0.01"). The entry functions are pure functions over presets (any thread); the runner
 * (nn_race) trains the entries, for `nnterm race` and the UI's race alike, on the thread that owns
 * it. */
#ifndef NN_RACE_H
#define NN_RACE_H

#include "pool.h"
#include "preset.h"
#include "trainer.h"

#include <stdbool.h>

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

/* The best of n race entries: the lowest final validation loss (the caller passes the train loss when
 * there is no validation split), a tie (equal to 6 significant digits) going to the higher test
 * accuracy, then to the earlier entry. An entry whose loss is not finite (diverged, not started yet)
 * is not ranked. Returns its index, or -1 when none is ranked. */
int nn_race_best(const double *loss, const double *acc, int n);

// --- the runner -----------------------------------------------------------------------------------

/* Who trains when. */
typedef enum {
    NN_RACE_IN_TURN,         /* each entry to its end, one after the other (nnterm race) */
    NN_RACE_ROUND_ROBIN      /* one epoch each in turn, round after round (the UI's race) */
} nn_race_schedule;

typedef struct {
    const char *name;        /* the entry as given ("adam", "sgd:0.1"): into the race's list or the table */
    nn_trainer t;            /* the entry's trainer, once built; entry 0 owns the data the others borrow */
    bool built;
    bool released;           /* finished, and its trainer freed (nn_race_release) */
    bool failed;             /* a step failed (not a divergence): out of the race */
    char message[NN_ERRMSG]; /* failed or diverged: why; else "" */
} nn_racer;

typedef struct {
    nn_preset base;          /* the race's preset */
    nn_preset scratch;       /* an entry's preset while it is built */
    nn_race_schedule schedule;
    int threads;             /* the pool's: 0 = one per core, 1 = no pool */
    nn_pool *pool;           /* shared by every trainer of the race (they borrow it); NULL = one thread */
    char *list;              /* (owned) the parsed copy of the list the names point into; NULL for the table */
    int n;                   /* entries, 1..NN_RACE_MAX */
    nn_racer *racer;         /* (n) */
    int cur;                 /* the entry whose turn it is */
} nn_race;

/* What one nn_race_step did. */
typedef struct {
    int entry;               /* the entry that trained one batch; -1 if none did (the race was over) */
    nn_status status;        /* that batch's nn_trainer_step: NN_OK, NN_EDIVERGED or an error */
    bool epoch_ended;        /* the batch completed an epoch: stats holds it */
    nn_epoch_stats stats;
    bool entry_done;         /* the entry is finished now (DONE, DIVERGED or failed) */
    bool turn_over;          /* the turn passed to another entry (or the race is over) */
    bool round_over;         /* ROUND_ROBIN: ... and that begins a new round */
    bool finished;           /* every entry is finished */
} nn_race_turn;

/* Parses list (NULL: the default race, nn_race_default_name; else as nn_race_parse_list, so "" is an
 * error) against p. No trainer is built yet, no thread started. Errors name the bad entry. */
nn_status nn_race_init(nn_race *r, const nn_preset *p, const char *list, int threads, nn_race_schedule schedule,
                       nn_error *err);
/* Builds entry i's trainer from p with nn_race_apply of its name: entry 0 first (it loads the data,
 * and the first build starts the pool); the others borrow entry 0's data and everyone borrows the
 * pool. Same numbers as a trainer built alone with that optimizer. */
nn_status nn_race_build(nn_race *r, int i, nn_error *err);
/* One batch of the entry whose turn it is (IN_TURN builds it first when needed; a build error is
 * returned, with turn->entry set and nothing trained). The turn passes after an epoch
 * (ROUND_ROBIN) or when the entry is finished (IN_TURN), and skips finished entries. A failed step
 * or a divergence is not an error of the race: it is in turn->status and the entry's message, and
 * the entry is out. */
nn_status nn_race_step(nn_race *r, nn_race_turn *turn, nn_error *err);
/* Back to epoch 0 for every entry that is built (new_seed: weights, shuffles and dropout from seed);
 * failures and messages are cleared and the turn goes to entry 0. */
void nn_race_reset(nn_race *r, bool new_seed, uint64_t seed);
bool nn_race_entry_finished(const nn_race *r, int i);   /* DONE, DIVERGED or failed */
bool nn_race_finished(const nn_race *r);                /* every entry */
/* Frees entry i's trainer (IN_TURN: once it is finished and read, so one later entry at a time is
 * alive); it counts as finished from then on. Entry 0 is kept (the others borrow its data) until
 * nn_race_free. */
void nn_race_release(nn_race *r, int i);
void nn_race_free(nn_race *r);   /* zeroed or half-built is fine; idempotent */

#endif
