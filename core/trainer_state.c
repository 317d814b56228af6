/* trainer_state.c — a run's state out of a trainer and back into a new one (trainer_state.h). It
 * reads and writes the trainer's fields directly: the state machine itself (trainer.c) does not
 * change. */
#include "trainer_state.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void nn_trainer_state_get(const nn_trainer *t, nn_train_state *s)
{
    memset(s, 0, sizeof *s);
    s->present = true;
    s->epoch = t->epoch;
    s->batch = t->batch;
    s->seed = t->seed;
    s->rng = t->rng;
    s->samples_seen = t->samples_seen;
    s->lr = t->lr;
    s->grad_norm = t->last_grad_norm;
    s->best_val = t->best_val;
    s->best_epoch = t->best_epoch;
    s->since_best = t->since_best;
    s->stopped_early = t->stopped_early;
    s->opt_kind = t->opt.p.kind;
    s->opt_t = t->opt.t;
    s->opt_acc = t->opt.acc;
    s->n_params = t->net.n_params;
    s->opt_s[0] = t->opt.s1;
    s->opt_s[1] = t->opt.s2;
    s->opt_s[2] = t->opt.s3;
    size_t bytes = t->net.n_params * sizeof(float);
    /* at an epoch boundary good_params are the last epoch's weights; they differ from the network's
     * when early stopping has put back the best ones */
    if (t->batch == 0 && t->epoch > 0 && memcmp(t->good_params, t->net.params, bytes) != 0)
        s->last_weights = t->good_params;
    if (t->preset.training.patience > 0 && t->best_epoch > 0 && t->best_epoch != t->epoch &&
        memcmp(t->best_params, t->net.params, bytes) != 0)
        s->best_weights = t->best_params;
    /* each epoch shuffles the previous epoch's order in place: the order is part of the state */
    if (t->batch > 0 || t->epoch > 0) {
        s->n_order = t->split.n_train;
        s->order = t->order;
    }
    s->history_len = t->history_len;
    s->history = t->history;
    if (!realpath(t->preset.base_dir, s->data_dir))
        snprintf(s->data_dir, sizeof s->data_dir, "%s", t->preset.base_dir);
}

nn_status nn_trainer_state_set(nn_trainer *t, const nn_train_state *s, const nn_network *net, const char *file,
                               nn_error *err)
{
    size_t np = t->net.n_params;
    if (net->n_layers != t->net.n_layers || net->n_params != np)
        return nn_error_set(err, NN_EFORMAT, "%s: layers: %d layers, %zu parameters, but the preset's network has %d, "
                            "%zu", file, net->n_layers, net->n_params, t->net.n_layers, np);
    for (int l = 0; l < net->n_layers; l++)
        if (net->layers[l].in != t->net.layers[l].in || net->layers[l].out != t->net.layers[l].out ||
            net->layers[l].act != t->net.layers[l].act)
            return nn_error_set(err, NN_EFORMAT, "%s: layers.%d: not the layer the preset builds", file, l);
    const float *weights = net->params;
    size_t bytes = np * sizeof(float);
    if (!s->present) {
        memcpy(t->net.params, weights, bytes);
        memcpy(t->good_params, weights, bytes);
        memcpy(t->best_params, weights, bytes);
        return NN_OK;
    }
    if (s->n_params != np)
        return nn_error_set(err, NN_EFORMAT, "%s: state: %zu parameters, but the preset's network has %zu", file,
                            s->n_params, np);
    if (s->opt_kind != t->opt.p.kind)
        return nn_error_set(err, NN_EFORMAT, "%s: state.optimizer.name: %s, but the preset trains with %s", file,
                            nn_opt_name(s->opt_kind), nn_opt_name(t->opt.p.kind));
    float *own[3] = {t->opt.s1, t->opt.s2, t->opt.s3};
    for (int i = 0; i < 3; i++)
        if ((own[i] != NULL) != (s->opt_s[i] != NULL))
            return nn_error_set(err, NN_EFORMAT, "%s: state.optimizer.s%d: %s, but %s with these settings %s", file,
                                i + 1, s->opt_s[i] ? "present" : "missing", nn_opt_name(t->opt.p.kind),
                                own[i] ? "keeps it" : "keeps none");
    if (s->epoch < 0 || s->epoch >= t->preset.training.epochs)
        return nn_error_set(err, NN_EINVAL, "%s: state.epoch: %d epochs done of %d (training.epochs): nothing left "
                            "to train", file, s->epoch, t->preset.training.epochs);
    if (s->batch < 0 || s->batch >= t->n_batches)
        return nn_error_set(err, NN_EFORMAT, "%s: state.batch: %d, expected 0..%d (batches in an epoch)", file,
                            s->batch, t->n_batches - 1);
    if (s->history_len != s->epoch)
        return nn_error_set(err, NN_EFORMAT, "%s: state.history: %d epochs, expected %d (state.epoch)", file,
                            s->history_len, s->epoch);
    if (s->best_epoch < 0 || s->best_epoch > s->epoch || s->since_best < 0 || s->since_best > s->epoch)
        return nn_error_set(err, NN_EFORMAT, "%s: state.best_epoch or since_best: out of 0..%d", file, s->epoch);
    bool started = s->batch > 0 || s->epoch > 0;
    if (started && s->n_order != t->split.n_train)
        return nn_error_set(err, NN_EFORMAT, "%s: state.order: %d rows, expected %d (the training split)", file,
                            s->n_order, t->split.n_train);
    if (started) {
        /* the order must be the training split's rows, each once */
        int n = t->data.n;
        unsigned char *seen = calloc((size_t)(n > 0 ? n : 1), 1);
        if (!seen)
            return nn_error_set(err, NN_ENOMEM, "%s: out of memory", file);
        for (int i = 0; i < t->split.n_train; i++)
            seen[t->split.train[i]] = 1;
        int bad = -1;
        for (int i = 0; i < s->n_order && bad < 0; i++) {
            uint32_t r = s->order[i];
            if (r >= (uint32_t)n || seen[r] != 1)
                bad = i;
            else
                seen[r] = 2;
        }
        free(seen);
        if (bad >= 0)
            return nn_error_set(err, NN_EFORMAT, "%s: state.order.%d: not a training row, or repeated", file, bad);
    }
    if (s->history_len > 0 && !s->history)
        return nn_error_set(err, NN_EFORMAT, "%s: state.history: missing", file);

    const float *current = s->last_weights ? s->last_weights : weights;
    memcpy(t->net.params, current, bytes);
    /* the weights a divergence falls back to: mid-epoch the last finished epoch's are not kept, the
     * current ones stand in */
    memcpy(t->good_params, current, bytes);
    memcpy(t->best_params, s->best_weights ? s->best_weights : weights, bytes);
    t->seed = s->seed;
    t->rng = s->rng;
    t->opt.t = s->opt_t;
    t->opt.acc = s->opt_acc;
    for (int i = 0; i < 3; i++)
        if (own[i])
            memcpy(own[i], s->opt_s[i], bytes);
    t->epoch = s->epoch;
    t->batch = s->batch;
    /* a headless run keeps one batch size, so the rows done in this epoch are batch * batch_size */
    long pos = (long)s->batch * t->batch_size;
    t->pos = pos < t->split.n_train ? (int)pos : t->split.n_train;
    t->last_rows = s->batch > 0 ? (t->pos < t->batch_size ? t->pos : t->batch_size) : 0;
    t->last_start = t->pos - t->last_rows;
    t->samples_seen = s->samples_seen;
    t->last_grad_norm = s->grad_norm;
    t->best_val = s->best_val;
    t->best_epoch = s->best_epoch;
    t->since_best = s->since_best;
    t->stopped_early = false;   /* more epochs were asked for; the rule applies from the next one */
    if (started)
        memcpy(t->order, s->order, (size_t)s->n_order * sizeof *t->order);
    if (s->history_len > t->history_cap) {
        nn_epoch_stats *h = realloc(t->history, (size_t)s->history_len * sizeof *h);
        if (!h)
            return nn_error_set(err, NN_ENOMEM, "%s: out of memory for the history", file);
        t->history = h;
        t->history_cap = s->history_len;
    }
    t->history_len = s->history_len;
    if (s->history_len > 0)
        memcpy(t->history, s->history, (size_t)s->history_len * sizeof *t->history);
    /* mid-epoch the lr is the one the epoch started with; at a boundary the next epoch computes it */
    t->lr = s->batch > 0 ? s->lr
                         : nn_schedule_lr(&t->preset.training.schedule, t->base_lr, t->epoch, t->preset.training.epochs);
    t->state = t->epoch == 0 && t->batch == 0 ? NN_TRAINER_READY : NN_TRAINER_TRAINING;
    return NN_OK;
}

void nn_train_state_free(nn_train_state *s)
{
    if (s->owned) {
        for (int i = 0; i < 3; i++)
            free(s->opt_s[i]);
        free(s->last_weights);
        free(s->best_weights);
        free(s->order);
        free(s->history);
    }
    memset(s, 0, sizeof *s);
}
