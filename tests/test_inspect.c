/* test_inspect.c — a trainer looked at between batches: the health of a step (the update it made,
 * and after an epoch's end the activations of the epoch's last batch, not of the evaluation), and
 * the step-through of one training sample against the trace and the explanation computed directly. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "inspect.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static nn_trainer *trainer(const char *name, const char *key, const char *value, const char *key2,
                           const char *value2)
{
    nn_preset p;
    nn_error err;
    if (nn_preset_load(&p, name, NULL, &err) != NN_OK)
        fail_msg("%s: %s", name, err.msg);
    if (key && nn_preset_set(&p, key, value, &err) != NN_OK)
        fail_msg("%s=%s: %s", key, value, err.msg);
    if (key2 && nn_preset_set(&p, key2, value2, &err) != NN_OK)
        fail_msg("%s=%s: %s", key2, value2, err.msg);
    nn_trainer *t = calloc(1, sizeof *t);
    assert_non_null(t);
    if (nn_trainer_init(t, &p, 1, &err) != NN_OK)
        fail_msg("trainer: %s", err.msg);
    return t;
}

static void drop(nn_trainer *t)
{
    nn_trainer_free(t);
    free(t);
}

static void step(nn_trainer *t)
{
    nn_error err;
    if (nn_trainer_step(t, &err) != NN_OK)
        fail_msg("step: %s", err.msg);
}

static void assert_same_health(const nn_health *a, const nn_health *b)
{
    assert_int_equal(a->n_layers, b->n_layers);
    assert_int_equal(a->rows, b->rows);
    for (int l = 0; l < a->n_layers; l++) {
        const nn_health_layer *x = &a->layer[l], *y = &b->layer[l];
        assert_true(x->grad_norm == y->grad_norm && x->weight_norm == y->weight_norm);
        assert_true(x->update_ratio == y->update_ratio || (isnan(x->update_ratio) && isnan(y->update_ratio)));
        assert_true(x->act_mean == y->act_mean && x->act_std == y->act_std);
    }
}

/* Mid-epoch: the statistics of the network right after the step, the update against the parameters
 * kept before it. */
static void test_a_step_is_measured_with_its_update(void **state)
{
    (void)state;
    nn_trainer *t = trainer("iris", NULL, NULL, NULL, NULL);
    nn_step_meter m;
    nn_error err;
    assert_int_equal(nn_step_meter_init(&m, t, &err), NN_OK);
    float *prev = malloc(t->net.n_params * sizeof *prev);
    assert_non_null(prev);
    memcpy(prev, t->net.params, t->net.n_params * sizeof *prev);
    nn_step_meter_before(&m, t);
    step(t);
    nn_health h, want;
    nn_step_meter_after(&m, t, false, &h);
    nn_health_compute(&want, &t->net, prev);
    assert_same_health(&h, &want);
    assert_int_equal(h.rows, t->batch_size);
    assert_true(h.layer[0].update_ratio > 0.0 && isfinite(h.layer[0].update_ratio));
    free(prev);
    nn_step_meter_free(&m);
    nn_step_meter_free(&m);   /* idempotent */
    drop(t);
}

/* At an epoch's end the evaluation has overwritten the workspace: the activations come from the
 * epoch's last batch passed forward again (its rows, in that epoch's order). */
static void test_an_epoch_end_measures_the_epochs_last_batch(void **state)
{
    (void)state;
    nn_trainer *t = trainer("iris", NULL, NULL, NULL, NULL);
    nn_step_meter m;
    nn_error err;
    assert_int_equal(nn_step_meter_init(&m, t, &err), NN_OK);
    while (t->batch < t->n_batches - 1)
        step(t);
    nn_step_meter_before(&m, t);
    step(t);
    assert_true(nn_trainer_epoch_ended(t));
    int start = (t->n_batches - 1) * t->batch_size, rows = t->split.n_train - start;
    assert_int_not_equal(t->net.last_rows, rows);   /* the evaluation's last chunk is there now */
    nn_health h;
    nn_step_meter_after(&m, t, true, &h);
    assert_int_equal(h.rows, rows);
    /* the same rows gathered and passed forward here */
    float *x = malloc((size_t)rows * 4 * sizeof *x), *y = malloc((size_t)rows * 3 * sizeof *y);
    assert_non_null(x);
    assert_non_null(y);
    nn_gather(x, y, 3, &t->data, &t->norm, t->order + start, rows);
    nn_network_forward(&t->net, NULL, x, rows, 0.0f, NULL);
    nn_health want;
    nn_health_compute(&want, &t->net, m.prev);
    assert_same_health(&h, &want);
    free(x);
    free(y);
    nn_step_meter_free(&m);
    drop(t);
}

/* When early stopping puts the best weights back, the parameters are not the step's update. */
static void test_restored_best_weights_have_no_update_ratio(void **state)
{
    (void)state;
    nn_trainer *t = trainer("iris", "training.optimizer", "{\"name\":\"adam\",\"learning_rate\":0.05}",
                            "training.early_stopping.patience", "5");
    nn_step_meter m;
    nn_error err;
    assert_int_equal(nn_step_meter_init(&m, t, &err), NN_OK);
    nn_health h;
    for (;;) {
        nn_step_meter_before(&m, t);
        step(t);
        if (nn_trainer_finished(t))
            break;
    }
    assert_true(t->stopped_early && t->best_epoch != t->epoch);
    nn_step_meter_after(&m, t, true, &h);
    for (int l = 0; l < h.n_layers; l++)
        assert_true(isnan(h.layer[l].update_ratio));
    assert_true(h.layer[0].grad_norm > 0.0);
    nn_step_meter_free(&m);
    drop(t);
}

/* The step-through of a training row: the trace's gradient plus the penalty term, explained with the
 * trainer's learning rate; the batch gradient once a batch has run. */
static void test_a_sample_step_matches_the_trace_and_the_explanation(void **state)
{
    (void)state;
    nn_trainer *t = trainer("iris", "training.regularization", "{\"method\":\"l2\",\"lambda\":0.01}", NULL, NULL);
    nn_health_trace tr, mine;
    nn_error err;
    assert_int_equal(nn_health_trace_init(&tr, &t->net, &err), NN_OK);
    assert_int_equal(nn_health_trace_init(&mine, &t->net, &err), NN_OK);
    nn_sample_step s;
    assert_int_equal(nn_inspect_sample(&tr, t, 7, 0, 1, 2, &s, &err), NN_OK);
    assert_true(isnan(s.batch_grad));   /* no batch yet */
    step(t);
    assert_int_equal(nn_inspect_sample(&tr, t, 7, 0, 1, 2, &s, &err), NN_OK);
    int row = (int)t->split.train[7];
    assert_int_equal(s.row, row);
    assert_int_equal(s.label, t->data.label[row]);
    assert_int_equal(nn_health_trace_sample(&mine, t, row, &err), NN_OK);
    double g = nn_health_trace_grad(&mine, 0, 1, 2);
    assert_true(s.grad == g && fabs(g) > 0.0);
    const nn_layer *L = &t->net.layers[0];
    double w = (double)t->net.params[L->w_off + 1 * (size_t)L->out + 2];
    assert_true(fabs(s.penalty_grad - 0.01 * w) < 1e-12 && s.penalty_grad != 0.0);
    nn_health_step want;
    assert_int_equal(nn_health_explain_step(&want, &t->net, &t->opt, t->lr, 0, 1, 2, g + s.penalty_grad, &err),
                     NN_OK);
    assert_true(s.step.w_new == want.w_new && s.step.index == want.index);
    assert_string_equal(s.step.lines[0], want.lines[0]);
    assert_true(s.batch_grad == (double)t->net.grads[want.index]);
    /* a bias has no penalty term */
    assert_int_equal(nn_inspect_sample(&tr, t, 7, 1, NN_HEALTH_BIAS, 0, &s, &err), NN_OK);
    assert_true(s.penalty_grad == 0.0);

    assert_int_equal(nn_inspect_sample(&tr, t, t->split.n_train, 0, 0, 0, &s, &err), NN_EINVAL);
    char msg[96];
    snprintf(msg, sizeof msg, "training row %d is out of range (0..%d)", t->split.n_train, t->split.n_train - 1);
    assert_string_equal(err.msg, msg);
    assert_int_equal(nn_inspect_sample(&tr, t, 0, 5, 0, 0, &s, &err), NN_EINVAL);
    nn_health_trace_free(&mine);
    nn_health_trace_free(&tr);
    drop(t);
}

/* The Step view's real step beside the one-sample what-if: after a measured step the parameter's
 * value before and after it, and for plain SGD after = before - lr * the batch's mean gradient,
 * which is not the one-sample step's; an unmeasured step, or a reset, has no before. */
static void test_the_last_real_step_is_the_batch_update(void **state)
{
    (void)state;
    nn_trainer *t = trainer("iris", "training.optimizer", "{\"name\":\"sgd\",\"learning_rate\":0.1}", NULL, NULL);
    nn_health_trace tr;
    nn_step_meter m;
    nn_error err;
    assert_int_equal(nn_health_trace_init(&tr, &t->net, &err), NN_OK);
    assert_int_equal(nn_step_meter_init(&m, t, &err), NN_OK);
    nn_sample_step s;
    /* before any step: nothing kept */
    assert_int_equal(nn_inspect_sample(&tr, t, 3, 0, 1, 2, &s, &err), NN_OK);
    nn_inspect_last_step(&m, t, &s);
    assert_false(s.last_kept);
    assert_true(isnan(s.last_w_before) && isnan(s.last_w_after));
    /* the one-sample what-if, then the real step */
    double what_if = s.step.w_new;
    size_t at = s.step.index;
    float before = t->net.params[at];
    nn_health h;
    nn_step_meter_before(&m, t);
    step(t);
    nn_step_meter_after(&m, t, false, &h);
    assert_int_equal(nn_inspect_sample(&tr, t, 3, 0, 1, 2, &s, &err), NN_OK);
    nn_inspect_last_step(&m, t, &s);
    assert_true(s.last_kept);
    assert_true(s.last_w_before == (double)before);
    assert_true(s.last_w_after == (double)t->net.params[at]);
    assert_true(s.last_lr == 0.1);
    assert_true(fabs(s.last_w_after - (s.last_w_before - 0.1 * s.batch_grad)) < 1e-6);
    assert_true(fabs(s.last_w_after - what_if) > 1e-6);   /* the batch is not the one sample */
    /* a step that was not measured: the kept parameters are not the ones before it */
    step(t);
    assert_int_equal(nn_inspect_sample(&tr, t, 3, 0, 1, 2, &s, &err), NN_OK);
    nn_inspect_last_step(&m, t, &s);
    assert_false(s.last_kept);
    /* measured, then a reset: the optimizer starts again, nothing kept */
    nn_step_meter_before(&m, t);
    step(t);
    nn_step_meter_after(&m, t, false, &h);
    assert_int_equal(nn_inspect_sample(&tr, t, 3, 0, 1, 2, &s, &err), NN_OK);
    nn_inspect_last_step(&m, t, &s);
    assert_true(s.last_kept);
    nn_trainer_reset(t, false, 0);
    assert_int_equal(nn_inspect_sample(&tr, t, 3, 0, 1, 2, &s, &err), NN_OK);
    nn_inspect_last_step(&m, t, &s);
    assert_false(s.last_kept);
    nn_step_meter_free(&m);
    nn_health_trace_free(&tr);
    drop(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_step_is_measured_with_its_update),
        cmocka_unit_test(test_an_epoch_end_measures_the_epochs_last_batch),
        cmocka_unit_test(test_restored_best_weights_have_no_update_ratio),
        cmocka_unit_test(test_a_sample_step_matches_the_trace_and_the_explanation),
        cmocka_unit_test(test_the_last_real_step_is_the_batch_update),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
