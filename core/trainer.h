/* trainer.h — one experiment: dataset, split, normalisation, network, optimizer and the
 * epoch/batch loop as a resumable state machine. Step one batch, run one epoch, reset, change
 * the learning rate; after each epoch it evaluates train/val/test loss and accuracy and the test
 * confusion matrix. The UI's worker thread drives it; headless runs drive it directly.
 * One thread at a time owns an nn_trainer. */
#ifndef NN_TRAINER_H
#define NN_TRAINER_H

#include "data.h"
#include "error.h"
#include "metrics.h"
#include "network.h"
#include "optimizer.h"
#include "pool.h"
#include "preset.h"
#include "rng.h"

#include <stdbool.h>

typedef struct {
    int epoch;                          /* 1-based */
    double train_loss, val_loss, test_loss;   /* mean loss (original units for regression); NAN if split empty */
    double train_acc, val_acc, test_acc;      /* classification accuracy; regression: R² */
    double penalty;                     /* regularisation term at the end of the epoch (apart from the loss) */
    double lr;                          /* learning rate used in this epoch */
    double seconds;                     /* training work of the epoch: batches, forward, backward, update */
    double eval_seconds;                /* the evaluation passes after it */
    double grad_norm;                   /* L2 norm of the last batch's gradient */
} nn_epoch_stats;

typedef enum {
    NN_TRAINER_READY,      /* no batch done yet */
    NN_TRAINER_TRAINING,   /* between batches or epochs */
    NN_TRAINER_DONE,       /* all epochs, or early stopping */
    NN_TRAINER_DIVERGED    /* NaN or Inf: stopped; params are the last finite epoch's */
} nn_trainer_state;

/* The most epochs a run keeps (its history): a run that goes on forever, or on after DONE, stops
 * there. The same as the largest training.epochs. */
#define NN_TRAINER_EPOCHS_MAX 1000000

typedef struct {
    nn_preset preset;        /* the resolved configuration (copy) */
    nn_dataset data;         /* x normalised in place */
    nn_split split;
    nn_norm norm;
    bool shared_data;        /* data, split and norm borrowed from another trainer: read only, not freed */
    nn_network net;
    nn_optimizer opt;
    nn_pool *pool;           /* NULL = single thread; owned, unless pool_borrowed */
    bool pool_borrowed;      /* pool belongs to the caller of nn_trainer_init_borrowed: not destroyed */
    nn_loss loss;
    int outputs;             /* network output width */
    int batch_size;
    uint64_t seed;           /* seed of the current run (weights, shuffles, dropout) */
    nn_rng rng;              /* shuffles and dropout */
    nn_trainer_state state;
    int epoch;               /* completed epochs */
    int batch;               /* next batch of the current epoch, 0..n_batches */
    int n_batches;           /* batches of the current epoch: ceil(n_train / batch_size), the last partial
                                batch kept (after a live change of batch_size within an epoch: the batches
                                done plus those of the new size left) */
    int pos;                 /* training rows done in the current epoch: where the next batch starts */
    int last_start, last_rows;  /* the last batch trained: its place in order and its rows */
    int leg_start;           /* the epoch this leg of the run began at: 0, or where nn_trainer_continue
                                went on; the run ends at leg_start + training.epochs (0: never) */
    uint32_t *order;         /* (n_train) this epoch's order of training rows */
    float *xb, *yb;          /* (batch_size, n_features), (batch_size, outputs) */
    float *eval_out;         /* (eval rows, outputs) scratch for evaluation */
    float *init_params;      /* initial weights of this seed, for reset */
    float *good_params;      /* weights at the end of the last finite epoch */
    float *best_params;      /* early stopping: weights with the best val loss */
    double best_val;
    int best_epoch, since_best;
    bool stopped_early;
    double base_lr;          /* learning rate before the schedule; changed by nn_trainer_set_lr */
    double lr;               /* current (scheduled) learning rate */
    double epoch_seconds;    /* training time of the current epoch so far */
    double last_grad_norm;
    long samples_seen;       /* training samples processed since init/reset */
    nn_epoch_stats *history; /* (history_cap) one entry per completed epoch; grows with the run */
    int history_cap;
    nn_epoch_stats final_stats; /* evaluation of the final weights (the best ones with early stopping) */
    int history_len;
    int *confusion;          /* (k, k) test confusion matrix of the last evaluation */
    int32_t *test_pred;      /* (n_test) classification: the predicted class of each test row (last evaluation) */
    uint32_t *cell_rows;     /* (n_test) the test rows by confusion cell: cell c = actual * k + predicted holds
                                cell_rows[cell_start[c] .. cell_start[c + 1]), in test-split order */
    int *cell_start;         /* (k * k + 1) */
    int *cell_fill;          /* (k * k) scratch for building cell_rows */
    nn_class_metrics metrics;/* test metrics of the last evaluation (classification) */
    nn_reg_metrics reg;      /* test metrics of the last evaluation (regression) */
    char fault[NN_ERRMSG];   /* DIVERGED: "epoch 3, batch 12: loss is NaN ..." */
} nn_trainer;

/* Loads the dataset (paths relative to p->base_dir), splits, normalises, builds the network and
 * optimizer, draws the initial weights from p->seed. threads: 0 = one per core, 1 = no pool. */
nn_status nn_trainer_init(nn_trainer *t, const nn_preset *p, int threads, nn_error *err);
/* As nn_trainer_init, but when p's dataset section, base_dir and seed are donor's, t borrows donor's
 * loaded, split and normalised data instead of loading its own copy (a race: one dataset for eight
 * optimizers). The data is only read after init, so trainers sharing it may run on different
 * threads. donor must outlive t: free t first. Otherwise (donor NULL or another dataset, split or
 * seed) this is nn_trainer_init. The result is the same numbers either way. */
nn_status nn_trainer_init_shared(nn_trainer *t, const nn_preset *p, const nn_trainer *donor, int threads,
                                 nn_error *err);
/* As nn_trainer_init_shared, but t starts no threads: it trains on pool (NULL: one thread), which it
 * borrows. The caller destroys the pool after freeing t. Several trainers may borrow one pool when
 * only one of them runs at a time (a race: the runner owns the pool, its trainers borrow it). */
nn_status nn_trainer_init_borrowed(nn_trainer *t, const nn_preset *p, const nn_trainer *donor, nn_pool *pool,
                                   nn_error *err);
void nn_trainer_free(nn_trainer *t);   /* zeroed or half-built is fine; idempotent */

/* One mini-batch. At the end of the last batch of an epoch, also evaluates, records history,
 * applies the schedule and early stopping. Returns NN_EDIVERGED (state DIVERGED, t->fault set,
 * params restored to the last finite epoch) on a NaN/Inf; NN_ENOMEM (nothing done) when the history
 * of a long run cannot grow; NN_OK otherwise (also when DONE). The run is DONE after its last epoch
 * (leg_start + training.epochs), by early stopping, or at NN_TRAINER_EPOCHS_MAX epochs; with
 * training.epochs 0 ("forever") it has no last epoch. */
nn_status nn_trainer_step(nn_trainer *t, nn_error *err);
/* True if the last nn_trainer_step finished an epoch. */
bool nn_trainer_epoch_ended(const nn_trainer *t);
/* Runs the rest of the current epoch (all of it if at a boundary). */
nn_status nn_trainer_epoch(nn_trainer *t, nn_error *err);
bool nn_trainer_finished(const nn_trainer *t);  /* DONE or DIVERGED */

/* A DONE run goes on from its current weights (the best ones after early stopping) for another
 * training.epochs epochs (forever with 0): the history, the epoch count and the schedule go on as
 * torch's would (step and exponential keep decaying; cosine follows its formula past T_max, back
 * up), the optimizer keeps its state, early stopping starts counting again. NN_EINVAL (nothing
 * changes) when the run is not DONE or holds NN_TRAINER_EPOCHS_MAX epochs. */
nn_status nn_trainer_continue(nn_trainer *t, nn_error *err);

/* Back to epoch 0. new_seed false: the same initial weights (and shuffles) as before;
 * true: weights, shuffles and dropout drawn from seed. */
void nn_trainer_reset(nn_trainer *t, bool new_seed, uint64_t seed);
/* Changes the base learning rate from the next batch on (lr > 0 and finite, else nothing), and
 * records it in the trainer's preset, so a saved model shows the live value. */
void nn_trainer_set_lr(nn_trainer *t, double lr);

/* Changes one preset key of the running experiment from the next batch on, without a reset: a live
 * key of the preset schema (nn_preset_key_live: every key of training), not locked by the preset's
 * lesson, set as by nn_preset_set. What each does:
 *  - the learning rate (as nn_trainer_set_lr), every optimizer parameter (nn_optimizer_set_params: the
 *    state goes on), the schedule (the rate of the current epoch is recomputed), regularisation,
 *    dropout, clip_norm: from the next batch;
 *  - training.optimizer.name: a new optimizer with that one's defaults (as nn_preset_set gives them,
 *    the learning rate included) and its state fresh (step 0, zero moments);
 *  - batch_size: the next batch has the new size, within the epoch too (the buffers grow here when
 *    it is larger than any before: the only allocation, with a new optimizer's);
 *  - loss: from the next batch (auto resolved as at init; a cross-entropy needs classification);
 *  - patience: early stopping counts from the next epoch end (from 0 on, it starts watching);
 *  - epochs: the run ends at leg_start + epochs; a DONE run that ended at its epochs goes back to
 *    TRAINING when that is later, a run at an epoch boundary at or past it is DONE at once.
 *  - dataset.samples, noise, seed and split: the data is loaded, split and normalised anew, the
 *    network, its weights and the optimizer's state kept (refused when the new data would change the
 *    network's inputs or outputs); the epoch in progress starts over on the new training rows, and
 *    the test metrics are evaluated on the new data.
 * Anything else (the network, the seed) is an error naming the key, and changes nothing; so does a
 * value the validator refuses, and an allocation that fails. */
nn_status nn_trainer_set_param(nn_trainer *t, const char *key, const char *value, nn_error *err);

/* Evaluates the current weights on the three splits and fills s (epoch = t->epoch), the confusion
 * matrix and the metrics. Used after each epoch and after reset. */
nn_status nn_trainer_evaluate(nn_trainer *t, nn_epoch_stats *s, nn_error *err);

/* Forward pass of raw (already normalised) rows in chunks; out (rows, outputs), original units
 * for regression. */
void nn_trainer_predict(nn_trainer *t, const float *x, int rows, float *out);

const nn_epoch_stats *nn_trainer_last(const nn_trainer *t);   /* NULL before the first epoch */

// --- accessors: what a front end reads (read only; the thread that owns the trainer) ----------

/* Where a run stands. */
typedef struct {
    nn_trainer_state state;
    int epoch;               /* completed epochs */
    int epochs;              /* the epoch the run ends at: leg_start + training.epochs; 0 = forever */
    int leg_start;           /* where the current leg began (nn_trainer_continue); 0 for the first */
    int batch, n_batches;    /* next batch of the current epoch, 0..n_batches */
    int batch_size;
    uint64_t seed;           /* seed of the current weights */
    double lr, base_lr;      /* current (scheduled) learning rate, and before the schedule */
    long samples_seen;       /* since init or reset */
    int threads;             /* threads training (the pool's size; 1 without a pool) */
    bool stopped_early;
    int best_epoch;          /* early stopping: the epoch whose weights are kept; 0 without it */
    int history_len;
    nn_opt_kind optimizer;
    nn_loss loss;
    int outputs;             /* network output width */
} nn_trainer_progress;

void nn_trainer_progress_get(const nn_trainer *t, nn_trainer_progress *out);
const nn_preset *nn_trainer_preset(const nn_trainer *t);     /* with live changes */
const nn_dataset *nn_trainer_data(const nn_trainer *t);      /* x normalised */
const nn_split *nn_trainer_split(const nn_trainer *t);
const nn_norm *nn_trainer_norm(const nn_trainer *t);
const nn_network *nn_trainer_network(const nn_trainer *t);
const nn_optimizer *nn_trainer_optimizer(const nn_trainer *t);
/* The history (one entry per completed epoch, entry i is epoch i + 1); *len receives its length. */
const nn_epoch_stats *nn_trainer_history(const nn_trainer *t, int *len);
/* DONE: the evaluation of the final weights (the best ones with early stopping); else NULL. */
const nn_epoch_stats *nn_trainer_final(const nn_trainer *t);
const char *nn_trainer_fault(const nn_trainer *t);           /* DIVERGED: why; else "" */
/* Test confusion matrix of the last evaluation, (k, k) with [actual * k + predicted]; *k receives the
 * number of classes (0 for regression). */
const int *nn_trainer_confusion(const nn_trainer *t, int *k);
/* The test rows behind confusion cell (actual, predicted) of the last evaluation: dataset rows in the
 * order of the test split; *n receives how many (the cell's count). NULL and 0 for regression, out of
 * range, or before the first evaluation. */
const uint32_t *nn_trainer_cell_rows(const nn_trainer *t, int actual, int predicted, int *n);
const nn_class_metrics *nn_trainer_metrics(const nn_trainer *t);   /* test, classification */
const nn_reg_metrics *nn_trainer_reg_metrics(const nn_trainer *t); /* test, regression */
/* The dataset row of the k-th training row (0..n_train-1), or -1 out of range. */
int nn_trainer_sample_row(const nn_trainer *t, int k);
/* Passes the last batch trained forward again (its rows in its epoch's order, as long as no new
 * epoch has begun), with the current weights and no dropout, so the network's z/a workspace holds
 * that batch. Returns its rows, 0 before the first batch. */
int nn_trainer_forward_last_batch(nn_trainer *t);
/* Passes batch b (0..n_batches-1) of the current epoch's order forward again, with the current
 * weights and no dropout, so the network's z/a workspace holds that batch (after an epoch ends, the
 * order is still that epoch's until the next step). Returns its rows, 0 if b is out of range. */
int nn_trainer_forward_batch(nn_trainer *t, int b);
/* Replaces the weights with params (n floats, the network's layout: every W and b), which become the
 * ones reset returns to (a saved model's, nn_model_apply). Epoch 0, as after reset. NN_EINVAL (nothing
 * changed) when n is not the network's parameter count or a value is not finite. */
nn_status nn_trainer_set_weights(nn_trainer *t, const float *params, size_t n, nn_error *err);
/* i for the bias b[j] in nn_trainer_set_weight (the same value as trace.h's NN_HEALTH_BIAS). */
#define NN_TRAINER_BIAS (-1)
/* Sets one parameter of the current weights by hand, without a reset: W[i][j] of layer (0-based),
 * the weight from input i (0..in-1) into unit j (0..out-1), or the bias b[j] with i = NN_TRAINER_BIAS.
 * value must be finite and within a float's range. *old (may be NULL) receives the value before.
 * The optimizer's state (its moments and step count), the epoch, the batch and the history are
 * unchanged: the next batch trains on from the edited weights, as if they had come out of the last
 * step. A DONE run's final evaluation is redone (it describes the weights the run holds); the
 * initial weights that reset returns to are not changed. NN_EINVAL (nothing changes) for an index out
 * of range or a value that is not a finite float, with a one-line message naming it. */
nn_status nn_trainer_set_weight(nn_trainer *t, int layer, int i, int j, double value, double *old, nn_error *err);
/* nn_model_save of the trainer's preset (with live changes), network, normalisation and names, with
 * the run's state (trainer_state.h), so that `nnterm train --resume` can continue it. */
nn_status nn_trainer_save_model(const nn_trainer *t, const char *path, nn_error *err);

#endif
