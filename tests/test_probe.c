/* test_probe.c — the views' predictions over the data: which view a dataset gets, the range and
 * points in original units, and grid, curve and fit cells that equal the network's own predictions
 * at the same inputs, computed here independently. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "probe.h"
#include "input_features.h"

#include "activation.h"
#include "network.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GW 12
#define GH 8
#define CURVE 16
#define FIT 50

static nn_trainer *trainer(const char *name, const char *key, const char *value)
{
    nn_preset p;
    nn_error err;
    if (nn_preset_load(&p, name, NULL, &err) != NN_OK)
        fail_msg("%s: %s", name, err.msg);
    if (key && nn_preset_set(&p, key, value, &err) != NN_OK)
        fail_msg("%s=%s: %s", key, value, err.msg);
    nn_trainer *t = calloc(1, sizeof *t);
    assert_non_null(t);
    if (nn_trainer_init(t, &p, 1, &err) != NN_OK)
        fail_msg("trainer: %s", err.msg);
    for (int e = 0; e < 2; e++)   /* some training, so the predictions are not the initial ones */
        if (nn_trainer_epoch(t, &err) != NN_OK)
            fail_msg("epoch: %s", err.msg);
    return t;
}

static void drop(nn_trainer *t)
{
    nn_trainer_free(t);
    free(t);
}

/* Feature j of dataset row i in original units. */
static float raw(const nn_trainer *t, int i, int j)
{
    const nn_dataset *d = nn_trainer_data(t);
    const nn_norm *nm = nn_trainer_norm(t);
    float v = d->x[(size_t)i * (size_t)d->n_features + (size_t)j];
    return nm->scale ? v * nm->scale[j] + nm->shift[j] : v;
}

/* The network's outputs for one row given in original units. */
static void predict_raw(nn_trainer *t, const float *x, float *out)
{
    int nf = nn_trainer_data(t)->n_features;
    float *in = malloc((size_t)nf * sizeof *in);
    assert_non_null(in);
    memcpy(in, x, (size_t)nf * sizeof *in);
    nn_norm_apply(nn_trainer_norm(t), in, 1);
    nn_trainer_predict(t, in, 1, out);
    free(in);
}

static void test_two_features_get_a_boundary_over_the_data_range(void **state)
{
    (void)state;
    nn_trainer *t = trainer("xor", NULL, NULL);
    nn_probe p;
    nn_error err;
    nn_probe_init(&p, GW, GH, CURVE, FIT, 64);
    assert_int_equal(nn_probe_setup(&p, t, false, 0, 0, &err), NN_OK);
    assert_int_equal(p.kind, NN_PROBE_BOUNDARY);
    assert_int_equal(p.fx, 0);
    assert_int_equal(p.fy, 1);
    assert_int_equal(p.fit_n, 0);
    const nn_dataset *d = nn_trainer_data(t);
    float lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < d->n; i++) {
        lo = fminf(lo, raw(t, i, 0));
        hi = fmaxf(hi, raw(t, i, 0));
    }
    assert_float_equal(p.x_min, lo - 0.05f * (hi - lo), 1e-5);
    assert_float_equal(p.x_max, hi + 0.05f * (hi - lo), 1e-5);

    /* every cell: the class and probability the network gives at the cell's centre */
    uint8_t cls[GW * GH];
    float conf[GW * GH], vmin = 0, vmax = 0;
    nn_probe_grid(&p, t, cls, conf, &vmin, &vmax);
    int seen[2] = {0, 0};
    for (int r = 0; r < GH; r++)
        for (int c = 0; c < GW; c++) {
            float x[2] = {p.x_min + ((float)c + 0.5f) * (p.x_max - p.x_min) / GW,
                          p.y_max - ((float)r + 0.5f) * (p.y_max - p.y_min) / GH};
            float out[2];
            predict_raw(t, x, out);
            int k = out[1] > out[0] ? 1 : 0;
            assert_int_equal(cls[r * GW + c], k);
            assert_float_equal(conf[r * GW + c], out[k], 1e-6);
            seen[k]++;
        }
    assert_true(seen[0] > 0 && seen[1] > 0);

    /* an even sample of the training rows, then the test rows, in original units */
    nn_probe_point pts[40];
    const nn_split *sp = nn_trainer_split(t);
    assert_int_equal(nn_probe_points(&p, t, pts, 40), 40);
    int n_test = 0;
    for (int i = 0; i < 40; i++) {
        n_test += pts[i].is_test;
        if (i > 0)
            assert_true(pts[i].is_test >= pts[i - 1].is_test);
    }
    assert_int_equal(n_test, 40 - (int)ceil(40.0 * sp->n_train / (sp->n_train + sp->n_test)));
    assert_float_equal(pts[0].x, raw(t, (int)sp->train[0], 0), 1e-5);
    assert_float_equal(pts[0].y, raw(t, (int)sp->train[0], 1), 1e-5);
    assert_int_equal(pts[0].cls, d->label[sp->train[0]]);
    nn_probe_free(&p);
    drop(t);
}

static void test_more_features_need_chosen_axes_and_hold_the_rest_at_the_mean(void **state)
{
    (void)state;
    nn_trainer *t = trainer("iris", NULL, NULL);
    nn_probe p;
    nn_error err;
    nn_probe_init(&p, GW, GH, CURVE, FIT, 64);
    assert_int_equal(nn_probe_setup(&p, t, false, 2, 3, &err), NN_OK);
    assert_int_equal(p.kind, NN_PROBE_NONE);
    assert_int_equal(nn_probe_points(&p, t, NULL, 10), 0);
    nn_probe q;   /* fewer features allowed than iris has: no picture either */
    nn_probe_init(&q, GW, GH, CURVE, FIT, 3);
    assert_int_equal(nn_probe_setup(&q, t, true, 2, 3, &err), NN_OK);
    assert_int_equal(q.kind, NN_PROBE_NONE);
    nn_probe_free(&q);

    assert_int_equal(nn_probe_setup(&p, t, true, 2, 3, &err), NN_OK);
    assert_int_equal(p.kind, NN_PROBE_BOUNDARY);
    assert_int_equal(p.fx, 2);
    assert_int_equal(p.fy, 3);
    const nn_dataset *d = nn_trainer_data(t);
    for (int j = 0; j < 4; j++) {
        double sum = 0;
        for (int i = 0; i < d->n; i++)
            sum += (double)raw(t, i, j);
        assert_float_equal(p.mean[j], (float)(sum / d->n), 1e-4);
    }
    uint8_t cls[GW * GH];
    float conf[GW * GH], vmin = 0, vmax = 0;
    nn_probe_grid(&p, t, cls, conf, &vmin, &vmax);
    float x[4] = {p.mean[0], p.mean[1], p.x_min + 0.5f * (p.x_max - p.x_min) / GW,
                  p.y_max - 0.5f * (p.y_max - p.y_min) / GH};
    float out[3];
    predict_raw(t, x, out);
    int k = out[0] >= out[1] && out[0] >= out[2] ? 0 : out[1] >= out[2] ? 1 : 2;
    assert_int_equal(cls[0], k);
    assert_float_equal(conf[0], out[k], 1e-6);

    /* axes that are not two different features: 0 and 1 */
    assert_int_equal(nn_probe_setup(&p, t, true, 3, 3, &err), NN_OK);
    assert_int_equal(p.fx, 0);
    assert_int_equal(p.fy, 1);
    nn_probe_free(&p);
    drop(t);
}

static void test_one_feature_regression_gets_a_curve_and_a_fit(void **state)
{
    (void)state;
    nn_trainer *t = trainer("sine", NULL, NULL);
    nn_probe p;
    nn_error err;
    nn_probe_init(&p, GW, GH, CURVE, FIT, 64);
    assert_int_equal(nn_probe_setup(&p, t, false, 0, 1, &err), NN_OK);
    assert_int_equal(p.kind, NN_PROBE_CURVE);
    assert_int_equal(p.fy, -1);
    float x[CURVE], y[CURVE];
    nn_probe_curve(&p, t, x, y);
    assert_float_equal(x[0], p.x_min, 1e-6);
    assert_float_equal(x[CURVE - 1], p.x_max, 1e-5);
    for (int i = 0; i < CURVE; i += 5) {
        float out;
        predict_raw(t, &x[i], &out);
        assert_float_equal(y[i], out, 1e-6);
    }
    /* predicted versus actual: an even sample of the test rows, first target */
    const nn_split *sp = nn_trainer_split(t);
    int want = sp->n_test < FIT ? sp->n_test : FIT;
    assert_int_equal(p.fit_n, want);
    float actual[FIT], pred[FIT];
    assert_int_equal(nn_probe_fit(&p, t, actual, pred), want);
    const nn_dataset *d = nn_trainer_data(t);
    uint32_t row = sp->test[(long)3 * sp->n_test / want];
    assert_float_equal(actual[3], d->y[row], 1e-6);
    float xr = raw(t, (int)row, 0), out;
    predict_raw(t, &xr, &out);
    assert_float_equal(pred[3], out, 1e-5);
    nn_probe_free(&p);
    drop(t);
}

static void test_two_feature_regression_gets_a_surface_scaled_to_its_range(void **state)
{
    (void)state;
    nn_trainer *t = trainer("sine", "dataset.source", "plane");
    nn_probe p;
    nn_error err;
    nn_probe_init(&p, GW, GH, CURVE, FIT, 64);
    assert_int_equal(nn_probe_setup(&p, t, false, 0, 1, &err), NN_OK);
    assert_int_equal(p.kind, NN_PROBE_SURFACE);
    assert_true(p.fit_n > 0);
    uint8_t cls[GW * GH];
    float conf[GW * GH], vmin = 0, vmax = 0;
    nn_probe_grid(&p, t, cls, conf, &vmin, &vmax);
    assert_true(vmax > vmin);
    float lo = 2, hi = -1;
    for (int i = 0; i < GW * GH; i++) {
        assert_int_equal(cls[i], 0);
        lo = fminf(lo, conf[i]);
        hi = fmaxf(hi, conf[i]);
    }
    assert_float_equal(lo, 0.0f, 1e-6);
    assert_float_equal(hi, 1.0f, 1e-6);
    float x[2] = {p.x_min + 0.5f * (p.x_max - p.x_min) / GW, p.y_max - 0.5f * (p.y_max - p.y_min) / GH}, out;
    predict_raw(t, x, &out);
    assert_float_equal(conf[0], (out - vmin) / (vmax - vmin), 1e-5);
    nn_probe_free(&p);
    drop(t);
}

/* The input row of grid cell (r, c) in original units: the axes at the cell centre, the others at
 * p->mean; for Playground features, the features of the cell's raw x1, x2. */
static void cell_input(const nn_probe *p, const nn_dataset *d, int gw, int gh, int r, int c, float *x)
{
    int nf = d->n_features;
    if (d->n_raw == 2) {
        nn_features_row(d->feature_of, nf, p->x_min + ((float)c + 0.5f) * (p->x_max - p->x_min) / (float)gw,
                        p->y_max - ((float)r + 0.5f) * (p->y_max - p->y_min) / (float)gh, x);
        return;
    }
    for (int j = 0; j < nf; j++)
        x[j] = nf > 2 ? p->mean[j] : 0.0f;
    x[p->fx] = p->x_min + ((float)c + 0.5f) * (p->x_max - p->x_min) / (float)gw;
    x[p->fy] = p->y_max - ((float)r + 0.5f) * (p->y_max - p->y_min) / (float)gh;
}

/* Every output unit's map equals the network's own prediction at the cell (the others at the mean
 * for wider data), and a first-layer unit's map is its activation computed here from W and b. */
static void check_units(const char *preset, const char *features, bool chosen, int fx, int fy)
{
    nn_trainer *t = trainer(preset, features ? "dataset.features" : NULL, features);
    nn_probe p;
    nn_error err;
    nn_probe_init(&p, GW, GH, CURVE, FIT, 64);
    assert_int_equal(nn_probe_setup(&p, t, chosen, fx, fy, &err), NN_OK);
    assert_int_equal(p.kind, NN_PROBE_BOUNDARY);
    const nn_network *net = nn_trainer_network(t);
    int nf = nn_trainer_data(t)->n_features, nl = net->n_layers, outs = nn_network_outputs(net);
    int layer[16], unit[16], n = 0;
    for (int k = 0; k < outs && n < 8; k++, n++) {
        layer[n] = nl - 1;
        unit[n] = k;
    }
    int h0 = n;
    layer[n] = 0;
    unit[n++] = net->layers[0].out - 1;
    layer[n] = 0;
    unit[n++] = 0;
    int in0 = n;   /* the inputs (layer -1): the first and the last feature */
    layer[n] = -1;
    unit[n++] = 0;
    layer[n] = -1;
    unit[n++] = nf - 1;
    float *maps = malloc((size_t)n * GW * GH * sizeof *maps);
    assert_non_null(maps);
    assert_int_equal(nn_probe_units(&p, t, GW, GH, layer, unit, n, maps, &err), NN_OK);
    float x[64], xn[64], out[16];
    for (int r = 0; r < GH; r++)
        for (int c = 0; c < GW; c++) {
            cell_input(&p, nn_trainer_data(t), GW, GH, r, c, x);
            predict_raw(t, x, out);
            for (int k = 0; k < h0; k++)
                assert_float_equal(maps[(size_t)k * GW * GH + r * GW + c], out[unit[k]], 1e-5);
            memcpy(xn, x, (size_t)nf * sizeof *xn);
            nn_norm_apply(nn_trainer_norm(t), xn, 1);
            const nn_layer *L = &net->layers[0];
            for (int k = in0; k < n; k++)   /* an input's map: the feature as the network sees it */
                assert_float_equal(maps[(size_t)k * GW * GH + r * GW + c], xn[unit[k]], 1e-5);
            for (int k = h0; k < in0; k++) {
                double z = (double)net->params[L->b_off + (size_t)unit[k]];
                for (int i = 0; i < nf; i++)
                    z += (double)xn[i] * (double)net->params[L->w_off + (size_t)i * L->out + (size_t)unit[k]];
                float zf = (float)z, a;
                nn_act_forward(L->act, L->alpha, &a, &zf, 1, 1);
                assert_float_equal(maps[(size_t)k * GW * GH + r * GW + c], a, 1e-5);
            }
        }
    /* a unit outside the network is refused, naming it */
    int bad_l = nl - 1, bad_u = outs;
    assert_int_equal(nn_probe_units(&p, t, GW, GH, &bad_l, &bad_u, 1, maps, &err), NN_EINVAL);
    assert_non_null(strstr(err.msg, "is not in the network"));
    free(maps);
    nn_probe_free(&p);
    drop(t);
}

static void test_unit_maps_are_the_units_activations_over_the_plane(void **state)
{
    (void)state;
    check_units("xor", NULL, false, 0, 1);
    check_units("spiral", NULL, false, 0, 1);
    check_units("iris", NULL, true, 2, 3);   /* petal features on the axes, the sepal ones at their mean */
    /* Playground features: every map over the features of the cell's x1, x2 (they were left at 0) */
    check_units("spiral", "[\"x1\",\"x2\",\"sin(x1)\",\"sin(x2)\"]", false, 0, 1);
    check_units("xor", "[\"x1*x2\"]", false, 0, 1);   /* one feature: the cell's row was 2 wide */
}

static void test_unit_maps_need_a_plane(void **state)
{
    (void)state;
    nn_trainer *t = trainer("iris", NULL, NULL);
    nn_probe p;
    nn_error err;
    nn_probe_init(&p, GW, GH, CURVE, FIT, 64);
    assert_int_equal(nn_probe_setup(&p, t, false, 0, 1, &err), NN_OK);
    assert_int_equal(p.kind, NN_PROBE_NONE);
    int l = 0, u = 0;
    float m[GW * GH];
    assert_int_equal(nn_probe_units(&p, t, GW, GH, &l, &u, 1, m, &err), NN_EINVAL);
    nn_probe_free(&p);
    drop(t);
}

/* Image data has a side (28 for Fashion-MNIST's 784 byte pixels), other data none; the rows of the
 * samples are spread over the test split and their predictions are the network's argmax. */
static void check_predict_rows(nn_trainer *t, int max)
{
    uint32_t rows[64];
    int pred[64];
    const nn_split *sp = nn_trainer_split(t);
    int n = sp->n_test > 0 ? sp->n_test : sp->n_train, k = nn_probe_predict_rows(t, max, rows, pred);
    assert_int_equal(k, n < max ? n : max);
    const nn_dataset *d = nn_trainer_data(t);
    int nf = d->n_features, outs = nn_network_outputs(nn_trainer_network(t));
    float *x = malloc((size_t)nf * sizeof *x), out[16];
    assert_non_null(x);
    for (int i = 0; i < k; i++) {
        assert_int_equal(rows[i], (sp->n_test > 0 ? sp->test : sp->train)[(long)i * n / k]);
        nn_dataset_row(d, (int)rows[i], x);
        nn_trainer_predict(t, x, 1, out);
        int best = 0;
        for (int c = 1; c < outs; c++)
            if (out[c] > out[best])
                best = c;
        assert_int_equal(pred[i], best);
    }
    free(x);
}

static void test_samples_of_pictures(void **state)
{
    (void)state;
    nn_trainer *t = trainer("iris", NULL, NULL);
    assert_int_equal(nn_probe_image_side(t), 0);
    check_predict_rows(t, 20);
    check_predict_rows(t, 64);
    drop(t);
    FILE *f = fopen("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz", "rb");
    if (!f) {
        skip();   /* dataset-fashion-mnist is not installed */
        return;
    }
    fclose(f);
    nn_preset p;
    nn_error err;
    assert_int_equal(nn_preset_load(&p, "fashion-mnist", NULL, &err), NN_OK);
    t = calloc(1, sizeof *t);
    assert_non_null(t);
    if (nn_trainer_init(t, &p, 1, &err) != NN_OK)
        fail_msg("trainer: %s", err.msg);
    assert_int_equal(nn_probe_image_side(t), 28);
    check_predict_rows(t, 48);
    drop(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_features_get_a_boundary_over_the_data_range),
        cmocka_unit_test(test_more_features_need_chosen_axes_and_hold_the_rest_at_the_mean),
        cmocka_unit_test(test_one_feature_regression_gets_a_curve_and_a_fit),
        cmocka_unit_test(test_two_feature_regression_gets_a_surface_scaled_to_its_range),
        cmocka_unit_test(test_unit_maps_are_the_units_activations_over_the_plane),
        cmocka_unit_test(test_unit_maps_need_a_plane),
        cmocka_unit_test(test_samples_of_pictures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
