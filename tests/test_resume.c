/* test_resume.c — a saved model carries the run's state (core/trainer_state.c, core/model_io.c):
 * training N epochs in one go and training part of them, saving, loading and going on give the
 * same bits, for every optimizer, at an epoch boundary and mid-epoch, with dropout and with early
 * stopping. An old model without state resumes with a fresh optimizer; an edited state is refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "model_io.h"
#include "trainer.h"
#include "trainer_state.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[64];

static int setup(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/nnterm-resume-%ld.json", (long)getpid());
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(path);
    return 0;
}

static void load_preset(nn_preset *p, const char *name)
{
    nn_error err;
    if (nn_preset_load(p, name, NULL, &err) != NN_OK)
        fail_msg("load %s: %s", name, err.msg);
}

static void set(nn_preset *p, const char *key, const char *value)
{
    nn_error err;
    if (nn_preset_set(p, key, value, &err) != NN_OK)
        fail_msg("set %s=%s: %s", key, value, err.msg);
}

static void set_int(nn_preset *p, const char *key, int v)
{
    char s[32];
    snprintf(s, sizeof s, "%d", v);
    set(p, key, s);
}

static nn_trainer *start(const nn_preset *p)
{
    nn_trainer *t = calloc(1, sizeof *t);
    nn_error err;
    assert_non_null(t);
    if (nn_trainer_init(t, p, 1, &err) != NN_OK)
        fail_msg("trainer init: %s", err.msg);
    return t;
}

static void stop(nn_trainer *t)
{
    nn_trainer_free(t);
    free(t);
}

/* Steps until finished, or until `steps` steps when steps >= 0. */
static void train(nn_trainer *t, long steps)
{
    nn_error err;
    for (long i = 0; !nn_trainer_finished(t) && (steps < 0 || i < steps); i++)
        if (nn_trainer_step(t, &err) != NN_OK)
            fail_msg("step: %s", err.msg);
}

/* The same numbers: weights, optimizer, history (timing aside) and final figures. */
static void assert_same_run(const nn_trainer *a, const nn_trainer *b, const char *what)
{
    assert_int_equal(a->net.n_params, b->net.n_params);
    if (memcmp(a->net.params, b->net.params, a->net.n_params * sizeof(float)) != 0)
        fail_msg("%s: the weights differ", what);
    assert_int_equal(a->opt.t, b->opt.t);
    float *sa[3] = {a->opt.s1, a->opt.s2, a->opt.s3}, *sb[3] = {b->opt.s1, b->opt.s2, b->opt.s3};
    for (int i = 0; i < 3; i++)
        if (sa[i] && memcmp(sa[i], sb[i], a->net.n_params * sizeof(float)) != 0)
            fail_msg("%s: optimizer buffer s%d differs", what, i + 1);
    assert_int_equal(a->state, b->state);
    assert_int_equal(a->epoch, b->epoch);
    assert_int_equal(a->history_len, b->history_len);
    for (int i = 0; i < a->history_len; i++) {
        nn_epoch_stats x = a->history[i], y = b->history[i];
        x.seconds = y.seconds = x.eval_seconds = y.eval_seconds = 0;
        if (memcmp(&x, &y, sizeof x) != 0)
            fail_msg("%s: epoch %d's figures differ (train loss %.9g vs %.9g)", what, i + 1, x.train_loss,
                     y.train_loss);
    }
    nn_epoch_stats fa = a->final_stats, fb = b->final_stats;
    fa.seconds = fb.seconds = fa.eval_seconds = fb.eval_seconds = 0;
    assert_memory_equal(&fa, &fb, sizeof fa);
}

/* Trains p for `first` steps (or its whole run with first < 0 and p's epochs first_epochs), saves,
 * loads the model, resumes it with `total` epochs in all and runs to the end. */
static nn_trainer *save_and_resume(const nn_preset *p, int first_epochs, long first_steps, int total)
{
    nn_preset *q = malloc(sizeof *q);
    assert_non_null(q);
    *q = *p;
    set_int(q, "training.epochs", first_epochs);
    nn_trainer *t = start(q);
    train(t, first_steps);
    nn_error err;
    if (nn_trainer_save_model(t, path, &err) != NN_OK)
        fail_msg("save: %s", err.msg);
    stop(t);
    nn_model m;
    if (nn_model_load(&m, path, &err) != NN_OK)
        fail_msg("load: %s", err.msg);
    assert_true(m.state.present);
    *q = m.preset;
    snprintf(q->base_dir, sizeof q->base_dir, "%s", m.state.data_dir);
    set_int(q, "training.epochs", total);
    t = start(q);
    if (nn_trainer_state_set(t, &m.state, &m.net, path, &err) != NN_OK)
        fail_msg("state_set: %s", err.msg);
    nn_model_free(&m);
    free(q);
    train(t, -1);
    return t;
}

static void test_every_optimizer_resumes_exactly(void **state)
{
    (void)state;
    nn_preset *p = malloc(sizeof *p);
    assert_non_null(p);
    for (int k = 0; k < NN_OPT_COUNT; k++) {
        load_preset(p, "iris");
        set(p, "training.optimizer.name", nn_opt_name((nn_opt_kind)k));
        set(p, "training.regularization.dropout", "0.1");   /* the run stream draws masks too */
        set_int(p, "training.epochs", 8);
        nn_trainer *one = start(p);
        train(one, -1);
        nn_trainer *two = save_and_resume(p, 4, -1, 8);
        assert_same_run(one, two, nn_opt_name((nn_opt_kind)k));
        stop(two);
        /* mid-epoch: 2 epochs and 3 batches, then the rest */
        two = save_and_resume(p, 8, 2L * one->n_batches + 3, 8);
        assert_same_run(one, two, nn_opt_name((nn_opt_kind)k));
        stop(two);
        stop(one);
    }
    free(p);
}

/* Early stopping put back the best weights at the end of the first part; going on must start from
 * the last epoch's weights, with the best ones still kept. */
static void test_resume_after_best_weights_restored(void **state)
{
    (void)state;
    nn_preset *p = malloc(sizeof *p);
    assert_non_null(p);
    load_preset(p, "wine");
    set(p, "training.early_stopping.patience", "50");
    set(p, "training.optimizer.learning_rate", "0.3");   /* the val loss goes up and down */
    set_int(p, "training.epochs", 30);
    nn_trainer *one = start(p);
    train(one, -1);
    int boundary = -1;
    /* a boundary where the best epoch is not the last one */
    for (int e = 2; e < 30 && boundary < 0; e++) {
        nn_preset *q = malloc(sizeof *q);
        *q = *p;
        set_int(q, "training.epochs", e);
        nn_trainer *t = start(q);
        train(t, -1);
        if (t->best_epoch != e)
            boundary = e;
        stop(t);
        free(q);
    }
    assert_true(boundary > 0);
    nn_trainer *two = save_and_resume(p, boundary, -1, 30);
    assert_same_run(one, two, "early stopping");
    stop(two);
    stop(one);
    free(p);
}

static void test_model_without_state_starts_fresh(void **state)
{
    (void)state;
    nn_preset *p = malloc(sizeof *p);
    assert_non_null(p);
    load_preset(p, "iris");
    set(p, "training.optimizer.name", "adam");
    set_int(p, "training.epochs", 3);
    nn_trainer *t = start(p);
    train(t, -1);
    nn_error err;
    /* the file an older nnterm wrote: no "state" */
    assert_int_equal(nn_model_save(path, &t->preset, &t->net, &t->norm, &t->data, &err), NN_OK);
    nn_model m;
    assert_int_equal(nn_model_load(&m, path, &err), NN_OK);
    assert_false(m.state.present);
    float in[4] = {5.1f, 3.5f, 1.4f, 0.2f}, out[3];
    assert_int_equal(nn_model_predict(&m, in, 1, out, &err), NN_OK);   /* still predicts */
    nn_trainer *u = start(p);
    assert_int_equal(nn_trainer_state_set(u, &m.state, &m.net, path, &err), NN_OK);
    assert_memory_equal(u->net.params, t->net.params, t->net.n_params * sizeof(float));
    assert_int_equal(u->epoch, 0);
    assert_int_equal(u->opt.t, 0);
    nn_model_free(&m);
    stop(u);
    stop(t);
    free(p);
}

/* A state that does not fit the preset is refused, naming the field, and changes nothing. */
static void test_edited_state_is_refused(void **state)
{
    (void)state;
    nn_preset *p = malloc(sizeof *p);
    assert_non_null(p);
    load_preset(p, "iris");
    set(p, "training.optimizer.name", "adam");
    set_int(p, "training.epochs", 2);
    nn_trainer *t = start(p);
    train(t, -1);
    nn_error err;
    assert_int_equal(nn_trainer_save_model(t, path, &err), NN_OK);
    nn_model m;
    assert_int_equal(nn_model_load(&m, path, &err), NN_OK);
    set_int(p, "training.epochs", 4);
    nn_trainer *u = start(p);
    float before = u->net.params[0];

    m.state.order[1] = m.state.order[0];   /* a row twice */
    assert_int_equal(nn_trainer_state_set(u, &m.state, &m.net, path, &err), NN_EFORMAT);
    assert_non_null(strstr(err.msg, "state.order.1"));
    m.state.order[1] = m.state.order[2] == m.state.order[0] ? 0 : t->order[1];

    m.state.opt_kind = NN_OPT_SGD;
    assert_int_equal(nn_trainer_state_set(u, &m.state, &m.net, path, &err), NN_EFORMAT);
    assert_non_null(strstr(err.msg, "state.optimizer.name"));
    m.state.opt_kind = NN_OPT_ADAM;

    m.state.history_len = 1;
    assert_int_equal(nn_trainer_state_set(u, &m.state, &m.net, path, &err), NN_EFORMAT);
    assert_non_null(strstr(err.msg, "state.history"));
    m.state.history_len = 2;
    assert_true(u->net.params[0] == before);
    assert_int_equal(u->epoch, 0);

    assert_int_equal(nn_trainer_state_set(u, &m.state, &m.net, path, &err), NN_OK);
    assert_int_equal(u->epoch, 2);
    nn_model_free(&m);
    stop(u);
    stop(t);
    free(p);
}

/* What the file says is checked when it is read: a broken state is a one-line error naming it. */
static void test_broken_state_in_file(void **state)
{
    (void)state;
    nn_preset *p = malloc(sizeof *p);
    assert_non_null(p);
    load_preset(p, "iris");
    set_int(p, "training.epochs", 2);
    nn_trainer *t = start(p);
    train(t, -1);
    nn_train_state s;
    nn_trainer_state_get(t, &s);
    char *good = nn_model_to_json_state(&t->preset, &t->net, &t->norm, &t->data, &s);
    assert_non_null(good);
    static const struct {
        const char *from, *to, *field;
    } edits[] = {
        {"\"rng\": [\"", "\"rng\": [\"x", "state.rng.0"},
        {"\"epoch\": 2,", "\"epoch\": -2,", "state.epoch"},
        {"\"t\": ", "\"t\": -", "state.optimizer.t"},
        {"\"history\": [", "\"history\": [[9, 1],", "state.history"},
        {"\"name\": \"sgd\", \"t\"", "\"name\": \"nope\", \"t\"", "state.optimizer.name"},
    };
    for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
        const char *at = strstr(good, edits[i].from);
        if (!at)
            fail_msg("'%s' not in the model text", edits[i].from);
        size_t n = strlen(good) + strlen(edits[i].to) + 1, pre = (size_t)(at - good);
        char *bad = malloc(n);
        assert_non_null(bad);
        snprintf(bad, n, "%.*s%s%s", (int)pre, good, edits[i].to, at + strlen(edits[i].from));
        nn_model m;
        nn_error err;
        assert_int_equal(nn_model_parse(&m, bad, strlen(bad), "m.json", &err), NN_EFORMAT);
        if (!strstr(err.msg, edits[i].field))
            fail_msg("edit %zu: '%s' does not name %s", i, err.msg, edits[i].field);
        free(bad);
    }
    nn_model m;
    nn_error err;
    assert_int_equal(nn_model_parse(&m, good, strlen(good), "m.json", &err), NN_OK);
    assert_true(m.state.present);
    assert_int_equal(m.state.epoch, 2);
    assert_memory_equal(&m.state.rng.s, &t->rng.s, sizeof t->rng.s);
    nn_model_free(&m);
    free(good);
    stop(t);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_optimizer_resumes_exactly),
        cmocka_unit_test(test_resume_after_best_weights_restored),
        cmocka_unit_test(test_model_without_state_starts_fresh),
        cmocka_unit_test(test_edited_state_is_refused),
        cmocka_unit_test(test_broken_state_in_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
