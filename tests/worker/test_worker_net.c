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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "worker_clock.h"

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
static bool paused_measured(const ui_snapshot *s) { return s->state == UI_RUN_PAUSED && s->net.act_rows > 0; }

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
    assert_true(s->net.valid);
    assert_int_equal(s->net.act_rows, 0);

    static nn_trainer t;
    memset(&t, 0, sizeof t);
    assert_int_equal(nn_trainer_init(&t, &p, 1, &err), NN_OK);
    const nn_network *net = &t.net;
    assert_int_equal(s->net.rows[0], 2);
    assert_int_equal(s->net.cols[0], 64);
    assert_int_equal(s->net.rows[1], 64);
    assert_int_equal(s->net.cols[1], 8);
    assert_int_equal(s->net.rows[2], 8);
    assert_int_equal(s->net.cols[2], 2);
    for (int l = 0; l < 3; l++) {
        const nn_layer *L = &net->layers[l];
        const float *W = net->params + L->w_off;
        int nr = s->net.rows[l], nc = s->net.cols[l];
        float wmax = 0;
        for (int i = 0; i < L->in * L->out; i++)
            wmax = fabsf(W[i]) > wmax ? fabsf(W[i]) : wmax;
        assert_true(wmax > 0);
        assert_true(s->net.wmax[l] == wmax);
        for (int r = 0; r < nr; r++)
            for (int c = 0; c < nc; c++) {
                /* the block's weight of largest magnitude */
                float best = 0;
                for (int i = 0; i < L->in; i++)
                    for (int j = 0; j < L->out; j++)
                        if ((long)i * nr / L->in == r && (long)j * nc / L->out == c && fabsf(W[i * L->out + j]) > fabsf(best))
                            best = W[i * L->out + j];
                if (s->net.w[l][r * nc + c] != best)
                    fail_msg("layer %d cell (%d,%d): %g, want %g", l, r, c, (double)s->net.w[l][r * nc + c], (double)best);
            }
    }
    /* the output layer is not pooled: exact */
    const nn_layer *L2 = &net->layers[2];
    for (int i = 0; i < 16; i++)
        assert_true(s->net.w[2][i] == net->params[L2->w_off + (size_t)i]);
    nn_trainer_free(&t);

    /* one batch: weights move, activation statistics appear */
    float before = s->net.w[2][0];
    assert_true(ui_worker_step_batch(w));
    wait_until(w, s, &seq, paused_measured, "a measured batch");
    assert_true(s->net.act_rows > 0);
    assert_true(s->net.w[2][0] != before);
    bool any_active = false;
    for (int c = 0; c < s->net.cols[0]; c++) {
        assert_true(s->net.active[0][c] >= 0 && s->net.active[0][c] <= 1);
        any_active |= s->net.active[0][c] > 0;
        assert_true(s->net.astd[0][c] >= 0);
    }
    assert_true(any_active);
    /* tanh layer: saturated shares are shares */
    for (int c = 0; c < s->net.cols[1]; c++)
        assert_true(s->net.sat[1][c] >= 0 && s->net.sat[1][c] <= 1);

    /* reset: weights back to the start, statistics cleared */
    assert_true(ui_worker_reset(w));
    wait_until(w, s, &seq, ready, "READY after reset");
    assert_int_equal(s->net.act_rows, 0);
    assert_true(s->net.w[2][0] == before);
    ui_worker_destroy(w);
    free(s);
}

static bool race_ready(const ui_snapshot *s) { return s->race.on && s->state == UI_RUN_READY; }

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
    assert_true(s->net.valid);
    assert_true(ui_worker_race(w, &p, "sgd,adam"));
    wait_until(w, s, &seq, race_ready, "the race READY");
    assert_false(s->net.valid);
    ui_worker_destroy(w);
    free(s);
}

static bool has_view(const ui_snapshot *s) { return s->boundary.kind == UI_VIEW_BOUNDARY && s->boundary.epoch >= 0; }
static uint64_t notice_at;
static bool noticed(const ui_snapshot *s) { return s->notice_seq > notice_at; }

static void test_two_chosen_features_of_iris_get_a_boundary(void **state)
{
    (void)state;
    static nn_preset p;
    nn_error err;
    assert_int_equal(nn_preset_load(&p, "iris", NULL, &err), NN_OK);
    ui_snapshot *s = calloc(1, sizeof *s);
    assert_non_null(s);
    uint64_t seq = 0;
    ui_worker *w = ui_worker_create(&p, 1, -1, &err);
    assert_non_null(w);
    wait_until(w, s, &seq, ready, "READY");
    assert_int_equal(s->boundary.kind, UI_VIEW_NONE);      /* 4 features: no picture until asked */

    /* two features that do not exist, the same twice: refused */
    notice_at = s->notice_seq;
    assert_true(ui_worker_view_features(w, 1, 1));
    wait_until(w, s, &seq, noticed, "a notice");
    assert_true(s->notice_error);
    assert_non_null(strstr(s->notice, "two different features of 0..3"));
    assert_int_equal(s->boundary.kind, UI_VIEW_NONE);

    assert_true(ui_worker_view_features(w, 2, 3));
    wait_until(w, s, &seq, has_view, "the boundary");
    assert_int_equal(s->boundary.fx, 2);
    assert_int_equal(s->boundary.fy, 3);
    assert_string_equal(s->boundary.names[0], "petal_length");
    assert_string_equal(s->boundary.names[1], "petal_width");
    /* petal length runs 1.0..6.9 cm, petal width 0.1..2.5: the ranges are those +-5% */
    const ui_snap_boundary *bd = &s->boundary;
    assert_true(bd->x_min < 1.0f && bd->x_min > 0.6f && bd->x_max > 6.9f && bd->x_max < 7.3f);
    assert_true(bd->y_min < 0.1f && bd->y_min > -0.1f && bd->y_max > 2.5f && bd->y_max < 2.7f);
    assert_int_equal(s->boundary.grid_w, UI_GRID_W);
    assert_true(s->boundary.n_points > 100);
    for (int i = 0; i < s->boundary.n_points; i++) {
        assert_true(s->boundary.points[i].x >= 1.0f - 1e-4f && s->boundary.points[i].x <= 6.9f + 1e-4f);
        assert_true(s->boundary.points[i].cls >= 0 && s->boundary.points[i].cls < 3);
    }
    /* training moves it: after 20 epochs iris is learned, and the petal plane shows all three classes */
    assert_true(ui_worker_start(w));
    double end = now_s() + 60;
    for (;;) {
        ui_worker_snapshot(w, s, &seq);
        if (s->state == UI_RUN_DONE && s->boundary.epoch == s->epoch)
            break;
        assert_true(now_s() < end);
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    int seen[3] = {0, 0, 0};
    for (int i = 0; i < s->boundary.grid_w * s->boundary.grid_h; i++)
        if (s->boundary.grid_class[i] < 3)
            seen[s->boundary.grid_class[i]]++;
    assert_true(seen[0] > 0 && seen[1] > 0 && seen[2] > 0);
    /* the choice survives a reset */
    assert_true(ui_worker_reset(w));
    wait_until(w, s, &seq, ready, "READY after reset");
    assert_int_equal(s->boundary.kind, UI_VIEW_BOUNDARY);
    assert_int_equal(s->boundary.fx, 2);
    ui_worker_destroy(w);

    /* 2-feature data has its view already: asking for another is refused */
    assert_int_equal(nn_preset_load(&p, "xor", NULL, &err), NN_OK);
    seq = 0;
    w = ui_worker_create(&p, 1, -1, &err);
    wait_until(w, s, &seq, ready, "READY");
    assert_int_equal(s->boundary.kind, UI_VIEW_BOUNDARY);
    assert_int_equal(s->boundary.fx, 0);
    assert_int_equal(s->boundary.fy, 1);
    notice_at = s->notice_seq;
    assert_true(ui_worker_view_features(w, 1, 0));
    wait_until(w, s, &seq, noticed, "a notice");
    assert_true(s->notice_error);
    assert_non_null(strstr(s->notice, "this dataset has 2 features"));
    ui_worker_destroy(w);
    free(s);
}

static bool units_valid(const ui_snapshot *s) { return s->units.valid; }
static bool units_off(const ui_snapshot *s) { return !s->units.valid; }
static bool done_units(const ui_snapshot *s) { return s->state == UI_RUN_DONE && s->units.valid && s->units.epoch == s->epoch; }

/* The Neurons view's maps: only while asked for; every unit of a small network in layer order,
 * recomputed as it trains; a network with more units than UI_UNIT_MAX gets the page asked for. */
static void test_unit_maps_while_asked_for(void **state)
{
    (void)state;
    static nn_preset p;
    nn_error err;
    assert_int_equal(nn_preset_load(&p, "xor", NULL, &err), NN_OK);
    assert_int_equal(nn_preset_set(&p, "training.epochs", "5", &err), NN_OK);
    ui_snapshot *s = calloc(1, sizeof *s);
    assert_non_null(s);
    uint64_t seq = 0;
    ui_worker *w = ui_worker_create(&p, 1, -1, &err);
    assert_non_null(w);
    wait_until(w, s, &seq, ready, "READY");
    assert_false(s->units.valid);                     /* not asked for: not computed */
    assert_true(ui_worker_units(w, true, 0, 0));
    wait_until(w, s, &seq, units_valid, "the unit maps");
    int total = 0;
    for (int l = 0; l < s->info.n_layers; l++)
        total += s->info.layers[l].out;
    assert_true(total + 2 <= UI_UNIT_MAX);
    assert_int_equal(s->units.n, 2 + total);          /* 2-D data: the two inputs first */
    assert_int_equal(s->units.n_in, 2);
    assert_int_equal(s->units.layer, -1);
    assert_string_equal(s->info.input_names[0], "x1");
    assert_string_equal(s->info.input_names[1], "x2");
    for (int j = 0; j < 2; j++) {
        assert_int_equal(s->units.ulayer[j], -1);
        assert_int_equal(s->units.uindex[j], j);
        assert_true(s->units.lo[j] < 0 && s->units.hi[j] > 0);   /* a normalised feature over the plane */
    }
    int i = 2;
    for (int l = 0; l < s->info.n_layers; l++)
        for (int u = 0; u < s->info.layers[l].out; u++, i++) {
            assert_int_equal(s->units.ulayer[i], l);
            assert_int_equal(s->units.uindex[i], u);
            assert_true(s->units.lo[i] <= s->units.hi[i]);
        }
    float before = s->units.map[2][0], in_before = s->units.map[0][0];
    assert_true(ui_worker_start(w));
    wait_until(w, s, &seq, done_units, "the maps of the last epoch");
    assert_true(s->units.map[2][0] != before);       /* training moved the first unit's map */
    assert_true(s->units.map[0][0] == in_before);    /* and not the inputs' */
    assert_true(ui_worker_units(w, false, 0, 0));
    wait_until(w, s, &seq, units_off, "the maps off");
    ui_worker_destroy(w);

    /* 2-100-8-2: more units than fit, so a page of the layer asked for */
    assert_int_equal(nn_preset_load(&p, "moons", NULL, &err), NN_OK);
    assert_int_equal(nn_preset_set(&p, "model.layers", "[{\"units\":100,\"activation\":\"relu\"},"
                                                          "{\"units\":8,\"activation\":\"tanh\"},"
                                                          "{\"activation\":\"softmax\"}]", &err), NN_OK);
    seq = 0;
    w = ui_worker_create(&p, 1, -1, &err);
    assert_non_null(w);
    wait_until(w, s, &seq, ready, "READY");
    assert_true(ui_worker_units(w, true, 0, 64));
    wait_until(w, s, &seq, units_valid, "the page");
    assert_int_equal(s->units.layer, 0);
    assert_int_equal(s->units.first, 64);
    assert_int_equal(s->units.n, 36);
    assert_int_equal(s->units.uindex[0], 64);
    assert_int_equal(s->units.uindex[35], 99);
    assert_int_equal(s->units.n_in, 0);               /* a page: no inputs */
    ui_worker_destroy(w);
    free(s);
}

static bool samples_ready(const ui_snapshot *s) { return s->state == UI_RUN_READY && s->samples.valid; }
static int want_unit;
static bool picture_of(const ui_snapshot *s) { return s->picture.valid && s->picture.unit == want_unit; }
static bool picture_off(const ui_snapshot *s) { return !s->picture.valid; }
static uint64_t notice_seq_at;
static bool any_publish(const ui_snapshot *s) { return s->seq > notice_seq_at; }

/* Image data: the Samples view's pictures and predictions after load; the Network view's picture of
 * a first-layer unit once asked for (and gone when asked for none). Other data: neither. */
static void test_samples_and_the_weight_picture(void **state)
{
    (void)state;
    static nn_preset p;
    nn_error err;
    ui_snapshot *s = calloc(1, sizeof *s);
    assert_non_null(s);
    uint64_t seq = 0;
    assert_int_equal(nn_preset_load(&p, "xor", NULL, &err), NN_OK);
    ui_worker *w = ui_worker_create(&p, 1, -1, &err);
    assert_non_null(w);
    wait_until(w, s, &seq, ready, "READY");
    assert_false(s->samples.valid);
    notice_seq_at = s->seq;
    assert_true(ui_worker_picture(w, 0));
    wait_until(w, s, &seq, any_publish, "a publish after the picture request");
    assert_false(s->picture.valid);   /* 2 float features are no picture */
    ui_worker_destroy(w);

    FILE *f = fopen("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz", "rb");
    if (!f) {
        free(s);
        skip();   /* dataset-fashion-mnist is not installed */
        return;
    }
    fclose(f);
    assert_int_equal(nn_preset_load(&p, "fashion-mnist", NULL, &err), NN_OK);
    seq = 0;
    w = ui_worker_create(&p, 1, -1, &err);
    assert_non_null(w);
    wait_until(w, s, &seq, samples_ready, "the samples of fashion-mnist");
    assert_int_equal(s->samples.n, UI_SAMPLE_MAX);
    assert_int_equal(s->samples.side, 28);
    int lit = 0;
    for (int i = 0; i < s->samples.n; i++) {
        assert_true(s->samples.label[i] >= 0 && s->samples.label[i] < 10);
        assert_true(s->samples.pred[i] >= 0 && s->samples.pred[i] < 10);
        for (int k = 0; k < 784; k++)
            lit += s->samples.pix[i][k] > 0;
    }
    assert_true(lit > 48 * 100);   /* clothes, not blank pictures */
    assert_false(s->picture.valid);   /* not asked for */
    want_unit = 7;
    assert_true(ui_worker_picture(w, 7));
    wait_until(w, s, &seq, picture_of, "the picture of unit 7");
    assert_int_equal(s->picture.side, 28);
    assert_true(s->picture.wmax > 0);
    assert_true(ui_worker_picture(w, -1));
    wait_until(w, s, &seq, picture_off, "no picture");
    ui_worker_destroy(w);
    free(s);
}

/* A weight set by hand (ui_worker_set_weight) while PAUSED: the net section holds it, the status part
 * the evaluation after it (has_edit, cleared when the next epoch ends), an event marks it, a notice
 * gives the losses before and after; a bad index is an error notice and changes nothing. */
static bool paused_epoch(const ui_snapshot *s) { return s->state == UI_RUN_PAUSED && s->epoch >= 1; }
static bool edited(const ui_snapshot *s) { return s->has_edit && s->net.w[0][1 * s->net.cols[0] + 3] == 4.0f; }
static bool edit_gone(const ui_snapshot *s) { return s->state == UI_RUN_PAUSED && s->epoch == 2 && !s->has_edit; }

static void test_a_weight_set_by_hand(void **state)
{
    (void)state;
    static nn_preset p;
    nn_error err;
    assert_int_equal(nn_preset_load(&p, "xor", NULL, &err), NN_OK);
    ui_snapshot *s = calloc(1, sizeof *s);
    assert_non_null(s);
    uint64_t seq = 0;
    ui_worker *w = ui_worker_create(&p, 1, -1, &err);
    assert_non_null(w);
    wait_until(w, s, &seq, ready, "READY");
    assert_true(ui_worker_step_epoch(w));
    wait_until(w, s, &seq, paused_epoch, "PAUSED after an epoch");
    assert_false(s->has_edit);
    double loss = s->last.train_loss;
    int events = s->events.n;
    float b0 = s->net.b[0][3];
    assert_false(ui_worker_set_weight(w, 0, 1, 3, NAN));   /* refused before the ring */
    assert_true(ui_worker_set_weight(w, 0, 1, 3, 4.0));
    wait_until(w, s, &seq, edited, "the edited weight");
    assert_int_equal(s->edit.epoch, 1);
    assert_true(s->last.train_loss == s->edit.train_loss);
    assert_true(s->edit.train_loss != loss);
    assert_true(s->net.b[0][3] == b0);
    assert_int_equal(s->events.n, events + 1);
    assert_non_null(strstr(s->events.list[s->events.n - 1].what, "W1[1][3] "));
    assert_non_null(strstr(s->events.list[s->events.n - 1].what, " -> 4"));
    assert_false(s->notice_error);
    assert_non_null(strstr(s->notice, "train loss"));
    /* a bad index: an error notice naming it, nothing changes */
    notice_at = s->notice_seq;
    assert_true(ui_worker_set_weight(w, 0, 7, 3, 1.0));
    wait_until(w, s, &seq, noticed, "the refusal");
    assert_true(s->notice_error);
    assert_non_null(strstr(s->notice, "W1[7][3]: layer 1 has inputs 0 to 1"));
    assert_int_equal(s->events.n, events + 1);
    /* the next epoch's evaluation supersedes the edit's */
    assert_true(ui_worker_step_epoch(w));
    wait_until(w, s, &seq, edit_gone, "the second epoch");
    ui_worker_destroy(w);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_net_weights_match_a_trainer_built_from_the_same_preset),
        cmocka_unit_test(test_no_net_in_race_mode),
        cmocka_unit_test(test_two_chosen_features_of_iris_get_a_boundary),
        cmocka_unit_test(test_unit_maps_while_asked_for),
        cmocka_unit_test(test_samples_and_the_weight_picture),
        cmocka_unit_test(test_a_weight_set_by_hand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
