/* The worker's Network-view fields: after load the snapshot holds each layer's weights (exactly
 * when the layer fits in 64 x 64, pooled by largest magnitude otherwise) and biases, the same as a
 * trainer built from the same preset; activation statistics appear after the first measured batch
 * and follow the weights as they train. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "worker.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef bool (*pred_fn)(const ui_snapshot *s);

static void wait_until(ui_worker *w, ui_snapshot *s, uint64_t *seq, pred_fn pred, const char *what)
{
    double end = now_s() + 60.0;
    for (;;) {
        ui_worker_snapshot(w, s, seq);
        if (pred(s))
            return;
        if (now_s() > end)
            fail_msg("waited 60 s for %s (state %s)", what, ui_run_state_word(s->state));
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
}

static bool ready(const ui_snapshot *s) { return s->state == UI_RUN_READY; }
static bool paused_measured(const ui_snapshot *s) { return s->state == UI_RUN_PAUSED && s->net_act_rows > 0; }

static void test_net_weights_match_a_trainer_built_from_the_same_preset(void **state)
{
    (void)state;
    static nn_preset p;
    nn_error err;
    assert_int_equal(nn_preset_load(&p, "moons", NULL, &err), NN_OK);
    /* layer 1: 2 -> 100 (pooled columns), layer 2: 100 -> 8 (pooled rows) */
    assert_int_equal(nn_preset_set(&p, "model.layers", "[{\"units\":100,\"activation\":\"relu\"},"
                                                          "{\"units\":8,\"activation\":\"tanh\"},"
                                                          "{\"activation\":\"softmax\"}]", &err), NN_OK);
    ui_snapshot *s = calloc(1, sizeof *s);
    assert_non_null(s);
    uint64_t seq = 0;
    ui_worker *w = ui_worker_create(&p, 1, -1, &err);
    assert_non_null(w);
    wait_until(w, s, &seq, ready, "READY");
    assert_true(s->has_net);
    assert_int_equal(s->net_act_rows, 0);

    static nn_trainer t;
    memset(&t, 0, sizeof t);
    assert_int_equal(nn_trainer_init(&t, &p, 1, &err), NN_OK);
    const nn_network *net = &t.net;
    assert_int_equal(s->net_rows[0], 2);
    assert_int_equal(s->net_cols[0], 64);
    assert_int_equal(s->net_rows[1], 64);
    assert_int_equal(s->net_cols[1], 8);
    assert_int_equal(s->net_rows[2], 8);
    assert_int_equal(s->net_cols[2], 2);
    for (int l = 0; l < 3; l++) {
        const nn_layer *L = &net->layers[l];
        const float *W = net->params + L->w_off;
        int nr = s->net_rows[l], nc = s->net_cols[l];
        float wmax = 0;
        for (int i = 0; i < L->in * L->out; i++)
            wmax = fabsf(W[i]) > wmax ? fabsf(W[i]) : wmax;
        assert_true(wmax > 0);
        assert_true(s->net_wmax[l] == wmax);
        for (int r = 0; r < nr; r++)
            for (int c = 0; c < nc; c++) {
                /* the block's weight of largest magnitude */
                float best = 0;
                for (int i = 0; i < L->in; i++)
                    for (int j = 0; j < L->out; j++)
                        if ((long)i * nr / L->in == r && (long)j * nc / L->out == c && fabsf(W[i * L->out + j]) > fabsf(best))
                            best = W[i * L->out + j];
                if (s->net_w[l][r * nc + c] != best)
                    fail_msg("layer %d cell (%d,%d): %g, want %g", l, r, c, (double)s->net_w[l][r * nc + c], (double)best);
            }
    }
    /* the output layer is not pooled: exact */
    const nn_layer *L2 = &net->layers[2];
    for (int i = 0; i < 16; i++)
        assert_true(s->net_w[2][i] == net->params[L2->w_off + (size_t)i]);
    nn_trainer_free(&t);

    /* one batch: weights move, activation statistics appear */
    float before = s->net_w[2][0];
    assert_true(ui_worker_step_batch(w));
    wait_until(w, s, &seq, paused_measured, "a measured batch");
    assert_true(s->net_act_rows > 0);
    assert_true(s->net_w[2][0] != before);
    bool any_active = false;
    for (int c = 0; c < s->net_cols[0]; c++) {
        assert_true(s->net_active[0][c] >= 0 && s->net_active[0][c] <= 1);
        any_active |= s->net_active[0][c] > 0;
        assert_true(s->net_astd[0][c] >= 0);
    }
    assert_true(any_active);
    /* tanh layer: saturated shares are shares */
    for (int c = 0; c < s->net_cols[1]; c++)
        assert_true(s->net_sat[1][c] >= 0 && s->net_sat[1][c] <= 1);

    /* reset: weights back to the start, statistics cleared */
    assert_true(ui_worker_reset(w));
    wait_until(w, s, &seq, ready, "READY after reset");
    assert_int_equal(s->net_act_rows, 0);
    assert_true(s->net_w[2][0] == before);
    ui_worker_destroy(w);
    free(s);
}

static bool race_ready(const ui_snapshot *s) { return s->race && s->state == UI_RUN_READY; }

static void test_no_net_in_race_mode(void **state)
{
    (void)state;
    static nn_preset p;
    nn_error err;
    assert_int_equal(nn_preset_load(&p, "xor", NULL, &err), NN_OK);
    ui_snapshot *s = calloc(1, sizeof *s);
    uint64_t seq = 0;
    ui_worker *w = ui_worker_create(&p, 1, -1, &err);
    assert_non_null(w);
    wait_until(w, s, &seq, ready, "READY");
    assert_true(s->has_net);
    assert_true(ui_worker_race(w, &p, "sgd,adam"));
    wait_until(w, s, &seq, race_ready, "the race READY");
    assert_false(s->has_net);
    ui_worker_destroy(w);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_net_weights_match_a_trainer_built_from_the_same_preset),
        cmocka_unit_test(test_no_net_in_race_mode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
