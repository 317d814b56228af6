/* test_trainer.c — the trainer end to end on iris and synthetic data: accuracy, determinism,
 * resumability, reset, early stopping, divergence and thread-count independence. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "race.h"
#include "trainer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static nn_preset *load(const char *name)
{
    nn_preset *p = malloc(sizeof *p);
    nn_error err;
    assert_non_null(p);
    if (nn_preset_load(p, name, NULL, &err) != NN_OK)
        fail_msg("load %s: %s", name, err.msg);
    return p;
}

static void set(nn_preset *p, const char *key, const char *value)
{
    nn_error err;
    if (nn_preset_set(p, key, value, &err) != NN_OK)
        fail_msg("set %s=%s: %s", key, value, err.msg);
}

static nn_trainer *start(const nn_preset *p, int threads)
{
    nn_trainer *t = calloc(1, sizeof *t);
    nn_error err;
    assert_non_null(t);
    if (nn_trainer_init(t, p, threads, &err) != NN_OK)
        fail_msg("trainer init: %s", err.msg);
    return t;
}

static void run(nn_trainer *t)
{
    nn_error err;
    while (!nn_trainer_finished(t))
        if (nn_trainer_step(t, &err) != NN_OK)
            fail_msg("step: %s", err.msg);
}

static void stop(nn_trainer *t)
{
    nn_trainer_free(t);
    free(t);
}

static void test_iris_seed_configuration_reaches_80_percent(void **state)
{
    (void)state;
    nn_preset *p = load("iris");
    nn_trainer *t = start(p, 1);
    assert_int_equal(t->split.n_train, 105);
    assert_int_equal(t->split.n_val, 15);
    assert_int_equal(t->split.n_test, 30);
    assert_int_equal(t->n_batches, 7); /* ceil(105/16): the last partial batch of 9 is kept */
    assert_int_equal(t->net.n_layers, 2);
    assert_int_equal(t->net.layers[0].out, 40);
    assert_int_equal(t->net.layers[1].out, 3);
    assert_int_equal(t->net.layers[1].act, NN_ACT_SOFTMAX);
    assert_int_equal(t->loss, NN_LOSS_CE);
    run(t);
    assert_int_equal(t->epoch, 20);
    assert_int_equal(t->history_len, 20);
    assert_int_equal(t->samples_seen, 20 * 105);
    const nn_epoch_stats *f = &t->final_stats;
    printf("iris seed: test accuracy %.4f, test loss %.4f, train loss %.4f\n", f->test_acc, f->test_loss,
           f->train_loss);
    assert_true(f->test_acc >= 0.80);
    assert_true(t->history[19].train_loss < t->history[0].train_loss);
    /* the confusion matrix covers the test split and agrees with the accuracy */
    long total = 0, diag = 0;
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            total += t->confusion[i * 3 + j];
            diag += i == j ? t->confusion[i * 3 + j] : 0;
        }
    assert_int_equal(total, 30);
    assert_true(fabs((double)diag / 30.0 - f->test_acc) < 1e-12);
    stop(t);
    free(p);
}

static void test_same_seed_gives_identical_weights_and_another_seed_differs(void **state)
{
    (void)state;
    nn_preset *p = load("iris");
    nn_trainer *a = start(p, 1), *b = start(p, 1);
    run(a);
    run(b);
    assert_memory_equal(a->net.params, b->net.params, a->net.n_params * sizeof(float));
    assert_true(a->final_stats.test_loss == b->final_stats.test_loss);
    set(p, "seed", "99");
    nn_trainer *c = start(p, 1);
    run(c);
    assert_true(memcmp(a->net.params, c->net.params, a->net.n_params * sizeof(float)) != 0);
    stop(a);
    stop(b);
    stop(c);
    free(p);
}

static void test_results_do_not_depend_on_the_thread_count(void **state)
{
    (void)state;
    nn_preset *p = load("iris");
    set(p, "model.layers.0.units", "300");
    set(p, "training.batch_size", "64");
    set(p, "training.epochs", "3");
    nn_trainer *a = start(p, 1), *b = start(p, 2);
    run(a);
    run(b);
    assert_memory_equal(a->net.params, b->net.params, a->net.n_params * sizeof(float));
    stop(a);
    stop(b);
    free(p);
}

/* Without clipping the gradient norm comes from the optimizer's own pass (the same blocks, added
 * in the same order): the same norm, the same weights as the separate norm pass that a clip_norm
 * too large to clip takes, on 1 and 2 threads (40,003 parameters: three parts of the step). */
static void test_norm_from_the_step_equals_the_separate_norm_pass(void **state)
{
    (void)state;
    nn_preset *p = load("iris");
    set(p, "model.layers.0.units", "5000");
    set(p, "training.epochs", "2");
    set(p, "training.optimizer", "{\"name\":\"adam\",\"learning_rate\":0.001}");
    nn_preset *q = malloc(sizeof *q);
    assert_non_null(q);
    memcpy(q, p, sizeof *q);
    set(q, "training.clip_norm", "1e30");
    for (int threads = 1; threads <= 2; threads++) {
        nn_trainer *a = start(p, threads), *b = start(q, threads);
        assert_true(a->net.n_params > 2 * 16384);
        nn_error err;
        for (int i = 0; i < 5; i++) {
            assert_int_equal(nn_trainer_step(a, &err), NN_OK);
            assert_int_equal(nn_trainer_step(b, &err), NN_OK);
            assert_true(a->last_grad_norm > 0.0);
            assert_memory_equal(&a->last_grad_norm, &b->last_grad_norm, sizeof(double));
        }
        run(a);
        run(b);
        assert_memory_equal(a->net.params, b->net.params, a->net.n_params * sizeof(float));
        assert_memory_equal(&a->last_grad_norm, &b->last_grad_norm, sizeof(double));
        stop(a);
        stop(b);
    }
    free(p);
    free(q);
}

static void test_reset_replays_the_same_run_and_reseed_changes_it(void **state)
{
    (void)state;
    nn_preset *p = load("iris");
    set(p, "training.epochs", "5");
    nn_trainer *t = start(p, 1);
    float *init = malloc(t->net.n_params * sizeof(float));
    float *after = malloc(t->net.n_params * sizeof(float));
    memcpy(init, t->net.params, t->net.n_params * sizeof(float));
    run(t);
    memcpy(after, t->net.params, t->net.n_params * sizeof(float));
    nn_trainer_reset(t, false, 0);
    assert_int_equal(t->epoch, 0);
    assert_int_equal(t->state, NN_TRAINER_READY);
    assert_memory_equal(t->net.params, init, t->net.n_params * sizeof(float));
    run(t);
    assert_memory_equal(t->net.params, after, t->net.n_params * sizeof(float));
    nn_trainer_reset(t, true, 777);
    assert_true(memcmp(t->net.params, init, t->net.n_params * sizeof(float)) != 0);
    free(init);
    free(after);
    stop(t);
    free(p);
}

static void test_stepping_batches_and_running_epochs_agree(void **state)
{
    (void)state;
    nn_preset *p = load("iris");
    set(p, "training.epochs", "4");
    nn_trainer *a = start(p, 1), *b = start(p, 1);
    nn_error err;
    /* a: epoch by epoch; b: batch by batch, with an epoch boundary check */
    while (!nn_trainer_finished(a))
        assert_int_equal(nn_trainer_epoch(a, &err), NN_OK);
    int ended = 0;
    while (!nn_trainer_finished(b)) {
        assert_int_equal(nn_trainer_step(b, &err), NN_OK);
        ended += nn_trainer_epoch_ended(b);
    }
    assert_int_equal(ended, 4);
    assert_memory_equal(a->net.params, b->net.params, a->net.n_params * sizeof(float));
    stop(a);
    stop(b);
    free(p);
}

static void test_every_optimizer_reaches_90_percent_on_iris(void **state)
{
    (void)state;
    /* name, learning rate that suits iris's 105 training rows */
    static const struct {
        const char *entry;
        int epochs;
    } cases[] = {
        {"sgd:0.05", 200},      {"momentum:0.01", 200}, {"nesterov:0.01", 200}, {"rmsprop:0.001", 200},
        {"adam:0.003", 200},    {"adamw:0.003", 200},   {"adagrad:0.05", 200},  {"adadelta:1.0", 200},
    };
    nn_preset *base = load("iris");
    nn_preset *p = malloc(sizeof *p);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        *p = *base;
        nn_error err;
        assert_int_equal(nn_race_apply(p, cases[i].entry, &err), NN_OK);
        char ep[16];
        snprintf(ep, sizeof ep, "%d", cases[i].epochs);
        set(p, "training.epochs", ep);
        nn_trainer *t = start(p, 1);
        run(t);
        printf("%-14s test accuracy %.4f after %d epochs\n", cases[i].entry, t->final_stats.test_acc, t->epoch);
        if (!(t->final_stats.test_acc >= 0.90))
            fail_msg("%s: test accuracy %.4f < 0.90", cases[i].entry, t->final_stats.test_acc);
        stop(t);
    }
    free(p);
    free(base);
}

static void test_early_stopping_restores_the_best_weights(void **state)
{
    (void)state;
    nn_preset *p = load("iris");
    set(p, "training.epochs", "400");
    set(p, "training.optimizer", "{\"name\":\"adam\",\"learning_rate\":0.05}");
    set(p, "training.early_stopping.patience", "5");
    nn_trainer *t = start(p, 1);
    run(t);
    assert_true(t->stopped_early);
    assert_true(t->epoch < 400);
    assert_int_equal(t->since_best, 5);
    assert_int_equal(t->epoch, t->best_epoch + 5);
    /* the final evaluation is of the best epoch's weights: its val loss is the best one */
    assert_true(fabs(t->final_stats.val_loss - t->best_val) < 1e-9);
    assert_true(fabs(t->history[t->best_epoch - 1].val_loss - t->best_val) < 1e-12);
    stop(t);
    free(p);
}

static void test_a_huge_learning_rate_diverges_and_keeps_finite_weights(void **state)
{
    (void)state;
    nn_preset *p = load("iris");
    set(p, "training.optimizer.learning_rate", "1e30");
    set(p, "training.epochs", "50");
    nn_trainer *t = start(p, 1);
    nn_error err;
    nn_status st = NN_OK;
    while (!nn_trainer_finished(t) && st == NN_OK)
        st = nn_trainer_step(t, &err);
    assert_int_equal(st, NN_EDIVERGED);
    assert_int_equal(t->state, NN_TRAINER_DIVERGED);
    assert_non_null(strstr(t->fault, "epoch"));
    assert_non_null(strstr(t->fault, "batch"));
    assert_non_null(strstr(err.msg, "learning rate"));
    for (size_t i = 0; i < t->net.n_params; i++)
        assert_true(isfinite(t->net.params[i]));
    /* a diverged trainer stays diverged */
    assert_int_equal(nn_trainer_step(t, &err), NN_EDIVERGED);
    stop(t);
    free(p);
}

static void test_schedule_sets_each_epochs_learning_rate(void **state)
{
    (void)state;
    nn_preset *p = load("iris");
    set(p, "training.epochs", "6");
    set(p, "training.schedule", "{\"name\":\"step\",\"step_size\":2,\"gamma\":0.5}");
    nn_trainer *t = start(p, 1);
    run(t);
    const double want[6] = {0.03, 0.03, 0.015, 0.015, 0.0075, 0.0075};
    for (int e = 0; e < 6; e++)
        assert_true(fabs(t->history[e].lr - want[e]) < 1e-12);
    nn_trainer_set_lr(t, 0.2);
    assert_true(fabs(t->base_lr - 0.2) < 1e-15);
    stop(t);
    free(p);
}

/* t_max 0 is the run's epochs, however they are set: torch's CosineAnnealingLR(T_max=epochs) (values
 * from torch 1.13). It was 1, and the rate alternated between 0.03 and 0. */
static void test_cosine_with_t_max_0_spans_the_runs_epochs(void **state)
{
    (void)state;
    nn_preset *p = load("iris");
    set(p, "training.schedule.name", "cosine");
    set(p, "training.epochs", "6");
    nn_trainer *t = start(p, 1);
    run(t);
    const double torch6[6] = {0.03, 0.027990381056766583, 0.022500000000000003, 0.015000000000000001,
                               0.007500000000000004, 0.0020096189432334197};
    for (int e = 0; e < 6; e++)
        assert_true(fabs(t->history[e].lr - torch6[e]) < 1e-15);
    stop(t);
    set(p, "training.epochs", "4");   /* another run length: another period */
    t = start(p, 1);
    run(t);
    const double torch4[4] = {0.03, 0.02560660171779821, 0.014999999999999998, 0.004393398282201788};
    for (int e = 0; e < 4; e++)
        assert_true(fabs(t->history[e].lr - torch4[e]) < 1e-15);
    stop(t);
    free(p);
}

static void test_regression_reports_r2_in_original_units(void **state)
{
    (void)state;
    nn_preset *p = load("iris");
    set(p, "training.loss", "null"); /* back to auto: mse for regression */
    set(p, "dataset", "{\"source\":\"sine\",\"samples\":400,\"noise\":0.05}");
    set(p, "model.layers", "[{\"units\":32,\"activation\":\"tanh\"},{\"units\":32,\"activation\":\"tanh\"},{}]");
    set(p, "training.optimizer", "{\"name\":\"adam\",\"learning_rate\":0.01}");
    set(p, "training.epochs", "150");
    set(p, "training.batch_size", "32");
    nn_trainer *t = start(p, 1);
    assert_int_equal(t->data.task, NN_TASK_REGRESSION);
    assert_int_equal(t->loss, NN_LOSS_MSE);
    assert_int_equal(t->net.layers[2].act, NN_ACT_LINEAR);
    run(t);
    printf("sine: test R2 %.4f, test MSE %.5f\n", t->reg.r2, t->reg.mse);
    assert_true(t->reg.r2 > 0.95);
    /* the loss is MSE in data units: it equals the metrics' MSE on the test split */
    assert_true(fabs(t->final_stats.test_loss - t->reg.mse) < 1e-6);
    /* noise 0.05 bounds how low the MSE can go */
    assert_true(t->reg.mse > 0.0005);
    stop(t);
    free(p);
}

/* A split larger than one evaluation chunk (512 rows): the reported RMSE is the root of the whole
 * split's MSE (it was the mean of the chunks' RMSEs), and every other loss the split's mean. */
static void test_losses_cover_the_whole_split_whatever_the_chunking(void **state)
{
    (void)state;
    nn_preset *p = load("iris");
    set(p, "training.loss", "rmse");
    set(p, "dataset", "{\"source\":\"sine\",\"samples\":2000,\"noise\":0.3}");
    set(p, "model.layers", "[{\"units\":8,\"activation\":\"tanh\"},{}]");
    set(p, "training.epochs", "1");
    const char *losses[3] = {"rmse", "mse", "mae"};
    for (int l = 0; l < 3; l++) {
        set(p, "training.loss", losses[l]);
        nn_trainer *t = start(p, 1);
        run(t);
        int n = t->split.n_train;
        assert_true(n > 2 * 512);
        float *x = malloc((size_t)n * sizeof *x), *yhat = malloc((size_t)n * sizeof *yhat);
        assert_non_null(x);
        assert_non_null(yhat);
        for (int i = 0; i < n; i++)
            x[i] = t->data.x[t->split.train[i]];   /* one feature, normalised in place */
        nn_trainer_predict(t, x, n, yhat);
        double sum_sq = 0.0, sum_abs = 0.0;
        for (int i = 0; i < n; i++) {
            double d = (double)yhat[i] - (double)t->data.y[t->split.train[i]];
            sum_sq += d * d;
            sum_abs += fabs(d);
        }
        double want = l == 0 ? sqrt(sum_sq / n) : l == 1 ? sum_sq / n : sum_abs / n;
        double got = t->history[0].train_loss;
        if (fabs(got - want) > 1e-9 * want)
            fail_msg("%s over %d rows: reported %.9g, the split's is %.9g", losses[l], n, got, want);
        free(x);
        free(yhat);
        stop(t);
    }
    free(p);
}

/* The test loss of t's current weights computed here from the output layer's z in double: softmax +
 * crossentropy as logsumexp(z) - z_label, sigmoid + bce as softplus(z) - y z. Sets *worst to the
 * largest per-row loss. */
static double test_loss_from_logits(nn_trainer *t, double *worst)
{
    int n = t->split.n_test, nf = t->data.n_features, no = t->outputs;
    float *x = malloc((size_t)n * (size_t)nf * sizeof *x);
    assert_non_null(x);
    for (int i = 0; i < n; i++)
        memcpy(x + (size_t)i * nf, t->data.x + (size_t)t->split.test[i] * nf, (size_t)nf * sizeof *x);
    nn_network_forward(&t->net, NULL, x, n, 0.0f, NULL);
    const float *z = t->net.layers[t->net.n_layers - 1].z;
    double sum = 0.0;
    *worst = 0.0;
    for (int i = 0; i < n; i++) {
        const float *zr = z + (size_t)i * no;
        int label = t->data.label[t->split.test[i]];
        double l;
        if (no == 1) {
            double v = (double)zr[0], yv = label == 1;
            l = (v > 0 ? v : 0) - yv * v + log1p(exp(-fabs(v)));
        } else {
            double m = (double)zr[0], e = 0.0;
            for (int j = 1; j < no; j++)
                m = (double)zr[j] > m ? (double)zr[j] : m;
            for (int j = 0; j < no; j++)
                e += exp((double)zr[j] - m);
            l = m + log(e) - (double)zr[label];
        }
        sum += l;
        *worst = l > *worst ? l : *worst;
    }
    free(x);
    return sum / n;
}

/* Confidently wrong rows: the reported cross-entropy (softmax) and binary cross-entropy (one sigmoid
 * unit) are the losses of the logits, as torch's F.cross_entropy and binary_cross_entropy_with_logits
 * give them; the clamp at 1e-7 capped each row at 16.1 and reported less. */
static void test_reported_crossentropy_is_not_clamped(void **state)
{
    (void)state;
    nn_preset *p = load("iris");
    for (int binary = 0; binary < 2; binary++) {
        if (binary) {
            set(p, "dataset", "{\"source\":\"moons\"}");
            set(p, "model.layers.1", "{\"units\":1,\"activation\":\"sigmoid\"}");
            set(p, "training.loss", "binarycrossentropy");
        }
        nn_trainer *t = start(p, 1);
        nn_layer *top = &t->net.layers[t->net.n_layers - 1];
        for (size_t i = 0; i < (size_t)top->in * (size_t)top->out; i++)
            t->net.params[top->w_off + i] *= 60.0f;   /* logits in the tens */
        nn_epoch_stats s;
        nn_error err;
        assert_int_equal(nn_trainer_evaluate(t, &s, &err), NN_OK);
        double worst, want = test_loss_from_logits(t, &worst);
        if (worst < 20.0)
            fail_msg("the test needs a row past the old clamp (-log 1e-7 = 16.1); the worst costs %g", worst);
        if (fabs(s.test_loss - want) > 1e-7 * want)   /* the float softmax's rounding */
            fail_msg("%s: reported test loss %.9g, the logits give %.9g", binary ? "bce" : "crossentropy",
                     s.test_loss, want);
        stop(t);
    }
    free(p);
}

static void test_dropout_and_regularisation_train_and_report_a_penalty(void **state)
{
    (void)state;
    nn_preset *p = load("iris");
    set(p, "training.regularization", "{\"method\":\"elasticnet\",\"lambda\":0.001,\"r\":0.5,\"dropout\":0.2}");
    set(p, "training.epochs", "60");
    nn_trainer *t = start(p, 1);
    run(t);
    assert_true(t->final_stats.penalty > 0.0);
    assert_true(t->final_stats.test_acc >= 0.8);
    stop(t);
    free(p);
}

/* Live changes: the live keys change the run from the next batch on (the learning rate through
 * nn_trainer_set_lr, which the preset then shows); any other key, a locked key and a bad value are
 * errors that name the key and change nothing. */
static void test_set_param_changes_only_live_unlocked_keys(void **state)
{
    (void)state;
    nn_preset *p = load("iris");
    nn_trainer *t = start(p, 1);
    nn_error err;
    assert_int_equal(nn_trainer_set_param(t, "training.regularization.method", "\"l2\"", &err), NN_OK);
    assert_int_equal(nn_trainer_set_param(t, "training.regularization.lambda", "0.01", &err), NN_OK);
    assert_int_equal(t->preset.training.reg, NN_REG_L2);
    assert_true(fabs(t->preset.training.lambda - 0.01) < 1e-12);
    assert_int_equal(nn_trainer_set_param(t, "training.optimizer.learning_rate", "0.2", &err), NN_OK);
    assert_true(t->base_lr == 0.2 && t->preset.training.optimizer.lr == 0.2);
    nn_trainer_set_lr(t, 0.05);   /* the preset follows, so a saved model shows the live value */
    assert_true(t->preset.training.optimizer.lr == 0.05);

    assert_int_equal(nn_trainer_set_param(t, "model.layers.0.units", "7", &err), NN_EINVAL);
    assert_string_equal(err.msg, "model.layers.0.units cannot change during a run: it changes the network, the data "
                                 "or the seed (edit it, and the run starts over)");
    assert_int_equal(t->preset.layers[0].units, p->layers[0].units);
    assert_int_equal(nn_trainer_set_param(t, "seed", "7", &err), NN_EINVAL);
    assert_int_equal(nn_trainer_set_param(t, "dataset.split.train", "0.5", &err), NN_EINVAL);
    assert_int_equal(nn_trainer_set_param(t, "training.regularization.dropout", "2", &err), NN_EINVAL);
    assert_non_null(strstr(err.msg, "dropout"));
    assert_true(t->preset.training.dropout == 0.0);
    stop(t);

    nn_preset *q = load("lesson-learning-rate");
    t = start(q, 1);
    assert_int_equal(nn_trainer_set_param(t, "training.regularization.lambda", "0.1", &err), NN_EINVAL);
    assert_string_equal(err.msg, "training.regularization.lambda is locked by this lesson");
    assert_int_equal(nn_trainer_set_param(t, "training.optimizer.learning_rate", "0.5", &err), NN_OK);
    stop(t);
    free(q);
    free(p);
}

/* A trainer on a borrowed pool trains to the same numbers as one with its own pool and as one
 * without, and leaves the pool alone when freed (its owner destroys it after). */
static void test_a_borrowed_pool_gives_the_same_numbers_and_is_not_destroyed(void **state)
{
    (void)state;
    nn_preset *p = load("xor");
    set(p, "training.epochs", "4");
    nn_error err;
    nn_pool *pool = nn_pool_create(2, &err);
    assert_non_null(pool);
    nn_trainer *a = start(p, 1), *b = start(p, 2), *c = calloc(1, sizeof *c);
    assert_non_null(c);
    assert_int_equal(nn_trainer_init_borrowed(c, p, a, pool, &err), NN_OK);
    assert_true(c->pool == pool && c->pool_borrowed && c->shared_data);
    nn_trainer_progress pr;
    nn_trainer_progress_get(c, &pr);
    assert_int_equal(pr.threads, 2);
    run(a);
    run(b);
    run(c);
    for (int e = 0; e < 4; e++) {
        assert_true(a->history[e].train_loss == b->history[e].train_loss);
        assert_true(a->history[e].train_loss == c->history[e].train_loss);
        assert_true(a->history[e].test_acc == c->history[e].test_acc);
    }
    stop(c);
    nn_trainer *d = calloc(1, sizeof *d);   /* the pool still works after its borrower is gone */
    assert_non_null(d);
    assert_int_equal(nn_trainer_init_borrowed(d, p, NULL, pool, &err), NN_OK);
    run(d);
    assert_true(d->history[3].train_loss == a->history[3].train_loss);
    stop(d);
    stop(b);
    stop(a);
    nn_pool_destroy(pool);
    free(p);
}

/* What a front end reads goes through the accessors, and they tell what the fields hold. */
static void test_accessors_report_the_run(void **state)
{
    (void)state;
    nn_preset *p = load("iris");
    set(p, "training.epochs", "2");
    set(p, "training.early_stopping.patience", "0");
    nn_trainer *t = start(p, 1);
    nn_trainer_progress pr;
    nn_trainer_progress_get(t, &pr);
    assert_int_equal(pr.state, NN_TRAINER_READY);
    assert_int_equal(pr.epochs, 2);
    assert_int_equal(pr.n_batches, t->n_batches);
    assert_int_equal(pr.batch_size, 16);
    assert_int_equal(pr.threads, 1);
    assert_int_equal(pr.outputs, 3);
    assert_int_equal(pr.optimizer, NN_OPT_SGD);
    assert_int_equal(pr.loss, NN_LOSS_CE);
    assert_null(nn_trainer_final(t));
    assert_string_equal(nn_trainer_fault(t), "");
    assert_int_equal(nn_trainer_sample_row(t, 0), (int)t->split.train[0]);
    assert_int_equal(nn_trainer_sample_row(t, t->split.n_train), -1);
    assert_int_equal(nn_trainer_sample_row(t, -1), -1);
    run(t);
    nn_trainer_progress_get(t, &pr);
    assert_int_equal(pr.state, NN_TRAINER_DONE);
    assert_int_equal(pr.epoch, 2);
    assert_int_equal(pr.history_len, 2);
    assert_int_equal(pr.samples_seen, 2L * t->split.n_train);
    int len = 0;
    assert_ptr_equal(nn_trainer_history(t, &len), t->history);
    assert_int_equal(len, 2);
    assert_ptr_equal(nn_trainer_final(t), &t->final_stats);
    int k = 0;
    const int *cm = nn_trainer_confusion(t, &k);
    assert_int_equal(k, 3);
    int sum = 0;
    for (int i = 0; i < k * k; i++)
        sum += cm[i];
    assert_int_equal(sum, t->split.n_test);
    assert_true(nn_trainer_metrics(t)->accuracy > 0.5);
    /* the last batch passed forward again: its rows in the workspace */
    int rows = nn_trainer_forward_batch(t, t->n_batches - 1);
    assert_int_equal(rows, t->split.n_train - (t->n_batches - 1) * t->batch_size);
    assert_int_equal(t->net.last_rows, rows);
    assert_int_equal(nn_trainer_forward_batch(t, t->n_batches), 0);
    assert_int_equal(nn_trainer_forward_batch(t, -1), 0);
    stop(t);
    free(p);
}

// --- training that goes on, and live changes ---------------------------------------------------------------

/* Steps until the trainer has completed `epoch` epochs and then `batch` more batches. */
static void run_to(nn_trainer *t, int epoch, int batch)
{
    nn_error err;
    while (!nn_trainer_finished(t) && (t->epoch < epoch || (t->epoch == epoch && t->batch < batch)))
        if (nn_trainer_step(t, &err) != NN_OK)
            fail_msg("step: %s", err.msg);
}

static void set_live(nn_trainer *t, const char *key, const char *value)
{
    nn_error err;
    if (nn_trainer_set_param(t, key, value, &err) != NN_OK)
        fail_msg("live %s=%s: %s", key, value, err.msg);
}

static void assert_same_params(const nn_trainer *a, const nn_trainer *b)
{
    assert_int_equal(a->net.n_params, b->net.n_params);
    assert_memory_equal(a->net.params, b->net.params, a->net.n_params * sizeof(float));
}

/* After DONE, nn_trainer_continue trains another `epochs` epochs from the current weights, and the
 * schedule goes on as torch's scheduler does when stepped past its end: cosine with t_max 0 keeps
 * T_max = the epochs it was made with and climbs back up (torch 1.13's CosineAnnealingLR(T_max=6)
 * stepped 12 times), exactly as a 12-epoch run with t_max 6 does: the same weights, bit for bit.
 * The history grows past what init allocated (6). Step and exponential keep decaying. */
static void test_a_done_run_goes_on_and_the_schedule_follows_torch_past_its_end(void **state)
{
    (void)state;
    nn_preset *p = load("iris");
    set(p, "training.schedule.name", "cosine");
    set(p, "training.epochs", "6");
    nn_trainer *t = start(p, 1);
    nn_error err;
    assert_int_equal(nn_trainer_continue(t, &err), NN_EINVAL);   /* not finished yet */
    run(t);
    assert_int_equal(t->epoch, 6);
    assert_int_equal(t->history_cap, 6);
    assert_int_equal(nn_trainer_continue(t, &err), NN_OK);
    nn_trainer_progress pr;
    nn_trainer_progress_get(t, &pr);
    assert_int_equal(pr.epochs, 12);
    assert_int_equal(pr.leg_start, 6);
    run(t);
    assert_int_equal(t->epoch, 12);
    assert_int_equal(t->history_len, 12);
    const double torch12[12] = {0.03, 0.027990381056766583, 0.022500000000000003, 0.015000000000000001,
                                0.007500000000000004, 0.0020096189432334197, 0.0, 0.0020096189432334192, 0.0075,
                                0.01500000000000001, 0.02250000000000002, 0.0279903810567666};
    for (int e = 0; e < 12; e++)
        if (!(fabs(t->history[e].lr - torch12[e]) < 1e-15))
            fail_msg("epoch %d: lr %.17g, torch %.17g", e + 1, t->history[e].lr, torch12[e]);
    nn_preset *q = load("iris");
    set(q, "training.schedule", "{\"name\":\"cosine\",\"t_max\":6}");
    set(q, "training.epochs", "12");
    nn_trainer *u = start(q, 2);
    run(u);
    assert_same_params(t, u);
    for (int e = 0; e < 12; e++)
        assert_true(t->history[e].train_loss == u->history[e].train_loss);
    stop(u);
    stop(t);

    set(p, "training.schedule", "{\"name\":\"exponential\",\"gamma\":0.5}");
    set(p, "training.epochs", "3");
    t = start(p, 1);
    run(t);
    assert_int_equal(nn_trainer_continue(t, &err), NN_OK);
    run(t);
    assert_int_equal(t->epoch, 6);
    assert_true(fabs(t->history[5].lr - 0.03 * pow(0.5, 5)) < 1e-15);
    stop(t);
    free(q);
    free(p);
}

/* "forever" (training.epochs 0) trains until the caller stops: never DONE, the history grows past its
 * first allocation; early stopping still ends it. */
static void test_forever_trains_until_stopped_and_early_stopping_still_ends_it(void **state)
{
    (void)state;
    nn_preset *p = load("xor");
    set(p, "training.epochs", "forever");
    set(p, "training.batch_size", "400");
    nn_trainer *t = start(p, 1);
    nn_trainer_progress pr;
    nn_trainer_progress_get(t, &pr);
    assert_int_equal(pr.epochs, 0);
    run_to(t, 150, 0);
    assert_int_equal(t->epoch, 150);
    assert_false(nn_trainer_finished(t));
    assert_int_equal(t->history_len, 150);
    assert_true(t->history_cap >= 150);
    assert_int_equal(t->history[149].epoch, 150);
    stop(t);
    set(p, "training.early_stopping.patience", "2");
    set(p, "training.optimizer.learning_rate", "5");   /* jumps about: the val loss stops improving */
    t = start(p, 1);
    run(t);
    assert_true(t->stopped_early);
    stop(t);
    free(p);
}

/* epochs is live: a DONE run that ended at its epochs goes on to a later end, and a run at an epoch
 * boundary past a lowered end is DONE at once. patience from 0 starts watching from there. */
static void test_epochs_and_patience_change_the_end_of_a_run(void **state)
{
    (void)state;
    nn_preset *p = load("iris");
    set(p, "training.epochs", "5");
    nn_trainer *t = start(p, 1);
    run(t);
    assert_int_equal(t->state, NN_TRAINER_DONE);
    set_live(t, "training.epochs", "8");
    assert_int_equal(t->state, NN_TRAINER_TRAINING);
    run(t);
    assert_int_equal(t->epoch, 8);
    set_live(t, "training.epochs", "forever");
    assert_int_equal(t->state, NN_TRAINER_TRAINING);
    run_to(t, 10, 0);
    set_live(t, "training.epochs", "9");   /* at a boundary, past it: DONE now */
    assert_int_equal(t->state, NN_TRAINER_DONE);
    assert_int_equal(t->epoch, 10);
    assert_non_null(nn_trainer_final(t));
    set_live(t, "training.early_stopping.patience", "1");
    assert_int_equal(t->best_epoch, 0);
    stop(t);
    free(p);
}

/* A live change applies from the next batch and is reproducible: two runs that make the same changes
 * at the same batches, with 1 and 2 threads, end with the same weights bit for bit. The changes cover
 * every kind: a parameter, the optimizer, the schedule, the batch size within an epoch, the loss,
 * regularisation, dropout, clipping. */
static void test_live_changes_at_the_same_batches_give_the_same_weights(void **state)
{
    (void)state;
    static const struct {
        int epoch, batch;
        const char *key, *value;
    } changes[] = {
        {1, 2, "training.optimizer.momentum", "0.9"},
        {2, 0, "training.batch_size", "10"},
        {2, 3, "training.batch_size", "24"},
        {3, 1, "training.schedule", "{\"name\":\"step\",\"step_size\":1,\"gamma\":0.9}"},
        {3, 2, "training.regularization.method", "l2"},
        {3, 2, "training.regularization.lambda", "0.001"},
        {4, 1, "training.optimizer.name", "adam"},
        {4, 3, "training.optimizer.beta1", "0.8"},
        {5, 0, "training.regularization.dropout", "0.2"},
        {5, 1, "training.clip_norm", "0.5"},
        {6, 2, "training.loss", "mse"},
        {7, 0, "training.optimizer.name", "rmsprop"},
        {7, 1, "training.optimizer.centered", "true"},
    };
    nn_preset *p = load("iris");
    set(p, "training.epochs", "9");
    nn_trainer *a = start(p, 1), *b = start(p, 2);
    for (size_t i = 0; i < sizeof changes / sizeof changes[0]; i++) {
        run_to(a, changes[i].epoch, changes[i].batch);
        run_to(b, changes[i].epoch, changes[i].batch);
        assert_int_equal(a->epoch, changes[i].epoch);
        assert_int_equal(a->batch, changes[i].batch);
        set_live(a, changes[i].key, changes[i].value);
        set_live(b, changes[i].key, changes[i].value);
    }
    run(a);
    run(b);
    assert_int_equal(a->epoch, 9);
    assert_same_params(a, b);
    for (int e = 0; e < 9; e++)
        assert_true(a->history[e].train_loss == b->history[e].train_loss);
    assert_int_equal(a->opt.p.kind, NN_OPT_RMSPROP);
    assert_true(a->opt.p.centered);
    assert_int_equal(a->loss, NN_LOSS_MSE);
    stop(b);
    stop(a);
    free(p);
}

/* The optimizer switch starts the new optimizer's state at zero (step 0): a run that switches sgd ->
 * adam at epoch 3 equals an adam run given the first run's weights at epoch 3 and a fresh optimizer
 * (its shuffles are the same: the optimizer draws no random numbers). The same for a larger batch
 * size than the evaluation chunk (the buffers grow) and for sgd momentum brought in mid-run (its
 * buffer takes the first gradient, as torch's does). */
static void test_a_switched_optimizer_starts_fresh_and_a_new_batch_size_matches_a_run_with_it(void **state)
{
    (void)state;
    static const struct {
        const char *key, *value, *other_key, *other_value;
    } cases[] = {
        {"training.optimizer.name", "adam", "training.optimizer", "{\"name\":\"adam\"}"},
        {"training.batch_size", "600", "training.batch_size", "600"},
        {"training.optimizer.momentum", "0.9", "training.optimizer.momentum", "0.9"},   /* dampening 0.5 */
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        nn_preset *p = load("xor");   /* (sgd with dampening: a momentum buffer that starts at zero would
                                         take (1 - dampening) g, torch's starts as g) */
        set(p, "dataset.samples", "1000");   /* 700 training rows: batch 600 is over the 512-row chunk */
        set(p, "training.epochs", "6");
        set(p, "training.optimizer", "{\"name\":\"sgd\",\"learning_rate\":0.05,\"dampening\":0.5}");
        nn_preset *q = load("xor");
        *q = *p;
        set(q, cases[c].other_key, cases[c].other_value);
        nn_trainer *a = start(p, 1), *b = start(q, 1);
        run_to(a, 3, 0);
        run_to(b, 3, 0);
        set_live(a, cases[c].key, cases[c].value);
        if (c == 0) {
            assert_int_equal(a->opt.p.kind, NN_OPT_ADAM);
            assert_int_equal(a->opt.t, 0);
            for (size_t i = 0; i < a->opt.n; i++)
                assert_true(a->opt.s1[i] == 0.0f && a->opt.s2[i] == 0.0f);
            assert_true(a->base_lr == 0.001);
        }
        memcpy(b->net.params, a->net.params, a->net.n_params * sizeof(float));
        nn_optimizer_reset(&b->opt);
        if (c == 2)   /* a's step count goes on; the buffer is the only state */
            assert_true(a->opt.s1 != NULL && a->opt.s1_from == a->opt.t);
        run(a);
        run(b);
        assert_same_params(a, b);
        assert_true(a->history[5].train_loss == b->history[5].train_loss);
        stop(b);
        stop(a);
        free(q);
        free(p);
    }
}

/* A batch size changed within an epoch: the batches done keep their size, the rest of the epoch
 * takes the new one, and the next epoch is all new ones. */
static void test_a_batch_size_changed_within_an_epoch_takes_the_rest_of_it(void **state)
{
    (void)state;
    nn_preset *p = load("iris");   /* 105 training rows, batch 16: 7 batches */
    nn_trainer *t = start(p, 1);
    run_to(t, 0, 2);
    set_live(t, "training.batch_size", "32");
    assert_int_equal(t->n_batches, 2 + 3);   /* 73 rows left: 32, 32, 9 */
    nn_trainer_progress pr;
    nn_trainer_progress_get(t, &pr);
    assert_int_equal(pr.batch_size, 32);
    nn_error err;
    for (int i = 0; i < 3; i++)
        assert_int_equal(nn_trainer_step(t, &err), NN_OK);
    assert_int_equal(t->epoch, 1);
    assert_int_equal(t->last_rows, 9);
    assert_int_equal(t->n_batches, 4);
    assert_int_equal(t->samples_seen, 105);
    stop(t);
    free(p);
}

/* A weight or a bias set by hand: exactly that parameter changes, the optimizer's state does not, bad
 * indices and values change nothing; the same edit at the same batch of the same seed gives the same
 * run, bit for bit, and a run without it differs. */
static void test_a_weight_set_by_hand_changes_that_parameter_only(void **state)
{
    (void)state;
    nn_preset *p = load("xor");
    set(p, "training.epochs", "6");
    nn_trainer *a = start(p, 1), *b = start(p, 2), *c = start(p, 1);
    nn_error err;
    for (int k = 0; k < 2 * a->n_batches + 3; k++) {   /* into the third epoch */
        assert_int_equal(nn_trainer_step(a, &err), NN_OK);
        assert_int_equal(nn_trainer_step(b, &err), NN_OK);
        assert_int_equal(nn_trainer_step(c, &err), NN_OK);
    }
    size_t n = a->net.n_params;
    float *before = malloc(n * sizeof *before), *s1 = malloc(n * sizeof *s1), *s2 = malloc(n * sizeof *s2);
    assert_non_null(before);
    assert_non_null(s1);
    assert_non_null(s2);
    memcpy(before, a->net.params, n * sizeof *before);
    assert_non_null(a->opt.s1);
    assert_non_null(a->opt.s2);
    memcpy(s1, a->opt.s1, n * sizeof *s1);
    memcpy(s2, a->opt.s2, n * sizeof *s2);
    long steps = a->opt.t;
    int epoch = a->epoch, batch = a->batch, hist = a->history_len;

    /* W[1][5] of layer 1 (2 inputs, 8 units) */
    const nn_layer *L0 = &a->net.layers[0];
    size_t wi = L0->w_off + 1 * (size_t)L0->out + 5, bi = a->net.layers[1].b_off + 1;
    double old = 0;
    assert_int_equal(nn_trainer_set_weight(a, 0, 1, 5, 2.5, &old, &err), NN_OK);
    assert_true(old == (double)before[wi]);
    assert_true(a->net.params[wi] == 2.5f);
    assert_int_equal(nn_trainer_set_weight(a, 1, NN_TRAINER_BIAS, 1, -0.75, &old, &err), NN_OK);
    assert_true(old == (double)before[bi]);
    assert_true(a->net.params[bi] == -0.75f);
    for (size_t k = 0; k < n; k++)
        if (k != wi && k != bi)
            assert_true(a->net.params[k] == before[k]);
    assert_memory_equal(a->opt.s1, s1, n * sizeof *s1);
    assert_memory_equal(a->opt.s2, s2, n * sizeof *s2);
    assert_int_equal(a->opt.t, steps);
    assert_int_equal(a->epoch, epoch);
    assert_int_equal(a->batch, batch);
    assert_int_equal(a->history_len, hist);

    /* refused, with nothing changed */
    memcpy(before, a->net.params, n * sizeof *before);
    struct { int l, i, j; double v; const char *says; } bad[] = {
        {-1, 0, 0, 1, "layers 1 to 2"}, {2, 0, 0, 1, "layers 1 to 2"}, {0, 2, 0, 1, "inputs 0 to 1"},
        {0, -2, 0, 1, "inputs 0 to 1"}, {0, 0, 8, 1, "units 0 to 7"}, {1, 0, -1, 1, "units 0 to 1"},
        {0, 0, 0, NAN, "finite"}, {0, 0, 0, INFINITY, "finite"}, {0, NN_TRAINER_BIAS, 0, -INFINITY, "finite"},
        {0, 0, 0, 1e39, "finite"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        nn_error_clear(&err);
        assert_int_equal(nn_trainer_set_weight(a, bad[k].l, bad[k].i, bad[k].j, bad[k].v, NULL, &err), NN_EINVAL);
        if (!strstr(err.msg, bad[k].says))
            fail_msg("case %zu: \"%s\" does not say \"%s\"", k, err.msg, bad[k].says);
        assert_null(strchr(err.msg, '\n'));
    }
    assert_memory_equal(a->net.params, before, n * sizeof *before);

    /* the same edits at the same batch with another thread count: the same run; without them another */
    assert_int_equal(nn_trainer_set_weight(b, 0, 1, 5, 2.5, NULL, &err), NN_OK);
    assert_int_equal(nn_trainer_set_weight(b, 1, NN_TRAINER_BIAS, 1, -0.75, NULL, &err), NN_OK);
    run(a);
    run(b);
    run(c);
    assert_memory_equal(a->net.params, b->net.params, n * sizeof *before);
    assert_int_equal(a->history_len, b->history_len);
    for (int e = 0; e < a->history_len; e++)
        assert_true(a->history[e].train_loss == b->history[e].train_loss);
    assert_true(memcmp(a->net.params, c->net.params, n * sizeof *before) != 0);

    /* after DONE: the final evaluation describes the edited weights */
    assert_int_equal(a->state, NN_TRAINER_DONE);
    double was = a->final_stats.train_loss;
    assert_int_equal(nn_trainer_set_weight(a, 0, 0, 0, 40.0, NULL, &err), NN_OK);
    nn_epoch_stats now;
    assert_int_equal(nn_trainer_evaluate(a, &now, &err), NN_OK);
    assert_true(a->final_stats.train_loss == now.train_loss);
    assert_true(a->final_stats.train_loss != was);
    assert_int_equal(a->state, NN_TRAINER_DONE);
    free(before);
    free(s1);
    free(s2);
    stop(a);
    stop(b);
    stop(c);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_iris_seed_configuration_reaches_80_percent),
        cmocka_unit_test(test_same_seed_gives_identical_weights_and_another_seed_differs),
        cmocka_unit_test(test_results_do_not_depend_on_the_thread_count),
        cmocka_unit_test(test_norm_from_the_step_equals_the_separate_norm_pass),
        cmocka_unit_test(test_reset_replays_the_same_run_and_reseed_changes_it),
        cmocka_unit_test(test_stepping_batches_and_running_epochs_agree),
        cmocka_unit_test(test_every_optimizer_reaches_90_percent_on_iris),
        cmocka_unit_test(test_early_stopping_restores_the_best_weights),
        cmocka_unit_test(test_a_huge_learning_rate_diverges_and_keeps_finite_weights),
        cmocka_unit_test(test_schedule_sets_each_epochs_learning_rate),
        cmocka_unit_test(test_cosine_with_t_max_0_spans_the_runs_epochs),
        cmocka_unit_test(test_regression_reports_r2_in_original_units),
        cmocka_unit_test(test_losses_cover_the_whole_split_whatever_the_chunking),
        cmocka_unit_test(test_reported_crossentropy_is_not_clamped),
        cmocka_unit_test(test_dropout_and_regularisation_train_and_report_a_penalty),
        cmocka_unit_test(test_set_param_changes_only_live_unlocked_keys),
        cmocka_unit_test(test_a_borrowed_pool_gives_the_same_numbers_and_is_not_destroyed),
        cmocka_unit_test(test_accessors_report_the_run),
        cmocka_unit_test(test_a_done_run_goes_on_and_the_schedule_follows_torch_past_its_end),
        cmocka_unit_test(test_forever_trains_until_stopped_and_early_stopping_still_ends_it),
        cmocka_unit_test(test_epochs_and_patience_change_the_end_of_a_run),
        cmocka_unit_test(test_live_changes_at_the_same_batches_give_the_same_weights),
        cmocka_unit_test(test_a_switched_optimizer_starts_fresh_and_a_new_batch_size_matches_a_run_with_it),
        cmocka_unit_test(test_a_batch_size_changed_within_an_epoch_takes_the_rest_of_it),
        cmocka_unit_test(test_a_weight_set_by_hand_changes_that_parameter_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
