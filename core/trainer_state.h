/* trainer_state.h — what continuing a run needs, apart from the weights (docs/design.md, "Model
 * file" > "state"): the epoch and the batch within it, the run stream (shuffles and dropout), the
 * optimizer's step count and buffers, the learning rate of the current epoch, early stopping's
 * bookkeeping and the history. A model file carries it (core/model_io.c); nn_trainer_state_set puts
 * it back into a freshly initialised trainer, so that the run goes on with the same numbers as if it
 * had never stopped. */
#ifndef NN_TRAINER_STATE_H
#define NN_TRAINER_STATE_H

#include "trainer.h"

typedef struct {
    bool present;            /* false: a model file without it (an older file) */
    bool owned;              /* the buffers are malloc'd (parsed) rather than borrowed from a trainer */
    int epoch;               /* completed epochs */
    int batch;               /* next batch of the current epoch (0 at an epoch boundary) */
    uint64_t seed;           /* the seed of the initial weights */
    nn_rng rng;              /* the run stream: shuffles and dropout */
    long samples_seen;
    double lr;               /* the current epoch's (scheduled) learning rate */
    double grad_norm;        /* of the last batch */
    double best_val;         /* early stopping: INFINITY before the first val loss */
    int best_epoch, since_best;
    bool stopped_early;
    nn_opt_kind opt_kind;
    long opt_t;              /* optimizer steps taken */
    double opt_acc;          /* the rule's running scalar (nadam) */
    size_t n_params;
    float *opt_s[3];         /* (n_params) each, NULL where the optimizer keeps none */
    float *last_weights;     /* (n_params) the last epoch's weights when the model's weights are the best
                                ones (early stopping restored them); else NULL */
    float *best_weights;     /* (n_params) early stopping's best weights when they are not the model's; else NULL */
    int n_order;             /* once started: the current order of the training rows (each epoch shuffles
                                the previous one); 0 at epoch 0, batch 0 */
    uint32_t *order;
    int history_len;         /* == epoch */
    nn_epoch_stats *history;
    char data_dir[NN_PATH_MAX]; /* where the preset's relative data paths resolve ("" if unknown) */
} nn_train_state;

/* Fills s with t's state; the buffers are t's (s->owned false): valid while t is unchanged. */
void nn_trainer_state_get(const nn_trainer *t, nn_train_state *s);
/* Continues the run of s in t, which nn_trainer_init has just built from the same preset (its
 * epochs may be more): net holds the trained weights (a loaded model's network). Checks every size
 * against t (an edited file) and changes nothing when something does not fit. s->present false (a
 * model without state): only the weights are taken; the optimizer starts fresh at epoch 0. */
nn_status nn_trainer_state_set(nn_trainer *t, const nn_train_state *s, const nn_network *net, const char *file,
                               nn_error *err);
/* Frees an owned state's buffers; a borrowed one is only cleared. */
void nn_train_state_free(nn_train_state *s);

#endif
