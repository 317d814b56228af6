/* test_features.c — issue 14 on the engine side: Playground's input features (dataset.features)
 * computed from the raw x1, x2 before normalisation, the Boundary's grid over x1, x2, a saved model
 * that predicts from x1, x2; new data as a live edit (dataset.seed, noise, samples, split) that keeps
 * the weights; the test rows behind each confusion cell; the pair of features the Boundary opens on. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "input_features.h"
#include "metrics.h"
#include "model_io.h"
#include "probe.h"
#include "trainer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static nn_trainer *trainer(const char *name, const char *key, const char *value, int epochs)
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
    for (int e = 0; e < epochs; e++)
        if (nn_trainer_epoch(t, &err) != NN_OK)
            fail_msg("epoch: %s", err.msg);
    return t;
}

static void drop(nn_trainer *t)
{
    nn_trainer_free(t);
    free(t);
}

/* Feature j of row i in original units. */
static float original(const nn_trainer *t, int i, int j)
{
    const nn_dataset *d = nn_trainer_data(t);
    const nn_norm *nm = nn_trainer_norm(t);
    float v = nn_dataset_value(d, i, j);
    return nm->scale ? v * nm->scale[j] + nm->shift[j] : v;
}

static void test_the_table_names_and_values(void **state)
{
    (void)state;
    assert_int_equal(nn_feature_find("x1*x2"), NN_FEAT_X1_X2);
    assert_int_equal(nn_feature_find("sin(x2)"), NN_FEAT_SIN_X2);
    assert_int_equal(nn_feature_find("x3"), -1);
    assert_null(nn_feature_name(NN_FEAT_COUNT));
    int f[] = {NN_FEAT_X1, NN_FEAT_X2, NN_FEAT_X1_SQ, NN_FEAT_X2_SQ, NN_FEAT_X1_X2, NN_FEAT_SIN_X1, NN_FEAT_SIN_X2};
    float out[7];
    nn_features_row(f, 7, 0.5f, -2.0f, out);
    const float want[7] = {0.5f, -2.0f, 0.25f, 4.0f, -1.0f, (float)sin(0.5), (float)sin(-2.0)};
    for (int j = 0; j < 7; j++)
        assert_float_equal(out[j], want[j], 0.0f);
    assert_true(nn_features_identity(f, 2));
    assert_false(nn_features_identity(f + 1, 2));
}

/* Every column is its feature of the raw x1, x2 (kept beside), computed before normalisation. */
static void test_features_are_computed_from_the_raw_coordinates(void **state)
{
    (void)state;
    nn_trainer *t = trainer("spiral", "dataset.features", "[\"x1\",\"x1^2\",\"sin(x2)\",\"x1*x2\"]", 0);
    const nn_dataset *d = nn_trainer_data(t);
    assert_int_equal(d->n_features, 4);
    assert_int_equal(d->n_raw, 2);
    assert_string_equal(d->raw_names[0], "x1");
    assert_string_equal(d->feature_names[1], "x1^2");
    const int want[4] = {NN_FEAT_X1, NN_FEAT_X1_SQ, NN_FEAT_SIN_X2, NN_FEAT_X1_X2};
    for (int i = 0; i < d->n; i += 7)
        for (int j = 0; j < 4; j++) {
            float v = nn_feature_eval(want[j], d->raw[2 * i], d->raw[2 * i + 1]);
            assert_float_equal(original(t, i, j), v, 1e-5f * (1.0f + fabsf(v)));
        }
    /* the raw coordinates are the points drawn without features (same seed: same data) */
    nn_trainer *plain = trainer("spiral", NULL, NULL, 0);
    for (int i = 0; i < d->n; i += 11) {
        assert_float_equal(d->raw[2 * i], original(plain, i, 0), 1e-5f);
        assert_float_equal(d->raw[2 * i + 1], original(plain, i, 1), 1e-5f);
    }
    drop(plain);
    drop(t);
}

/* The Boundary stays in x1, x2: each grid cell is the network's prediction at the features of the
 * cell centre's x1, x2. */
static void test_the_boundary_grid_is_over_x1_x2(void **state)
{
    (void)state;
    nn_trainer *t = trainer("xor", "dataset.features", "[\"x1*x2\",\"sin(x1)\",\"x2^2\"]", 2);
    nn_probe p;
    nn_probe_init(&p, 10, 6, 0, 0, 8);
    nn_error err;
    assert_int_equal(nn_probe_setup(&p, t, false, 1, 2, &err), NN_OK);
    assert_int_equal(p.kind, NN_PROBE_BOUNDARY);
    assert_int_equal(p.fx, 0);
    assert_int_equal(p.fy, 1);
    const nn_dataset *d = nn_trainer_data(t);
    float lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < d->n; i++) {
        lo = fminf(lo, d->raw[2 * i]);
        hi = fmaxf(hi, d->raw[2 * i]);
    }
    assert_true(p.x_min <= lo && p.x_max >= hi && p.x_max - p.x_min < 2.0f * (hi - lo));
    uint8_t cls[60];
    float conf[60];
    nn_probe_grid(&p, t, cls, conf, NULL, NULL);
    const nn_norm *nm = nn_trainer_norm(t);
    float dx = (p.x_max - p.x_min) / 10.0f, dy = (p.y_max - p.y_min) / 6.0f;
    for (int r = 0; r < 6; r++)
        for (int c = 0; c < 10; c++) {
            float in[3], out[2];
            nn_features_row(d->feature_of, 3, p.x_min + ((float)c + 0.5f) * dx, p.y_max - ((float)r + 0.5f) * dy, in);
            for (int j = 0; j < 3; j++)
                in[j] = (in[j] - nm->shift[j]) / nm->scale[j];
            nn_trainer_predict(t, in, 1, out);
            assert_int_equal(cls[r * 10 + c], out[1] > out[0] ? 1 : 0);
        }
    nn_probe_free(&p);
    drop(t);
}

/* A saved model reads x1, x2 and computes the features itself: its predictions from the raw test
 * rows equal the trainer's from the expanded, normalised rows. */
static void test_a_saved_model_predicts_from_x1_x2(void **state)
{
    (void)state;
    nn_trainer *t = trainer("circles", "dataset.features", "[\"x1^2\",\"x2^2\",\"sin(x1)\"]", 3);
    const nn_dataset *d = nn_trainer_data(t);
    char *json = nn_model_to_json(nn_trainer_preset(t), nn_trainer_network(t), nn_trainer_norm(t), d);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"raw_features\": [\"x1\", \"x2\"]"));
    nn_model m;
    nn_error err;
    if (nn_model_parse(&m, json, strlen(json), "m.json", &err) != NN_OK)
        fail_msg("%s", err.msg);
    int n_in = 0;
    char *const *in = nn_model_inputs(&m, &n_in);
    assert_int_equal(n_in, 2);
    assert_string_equal(in[1], "x2");
    const nn_split *s = nn_trainer_split(t);
    for (int k = 0; k < s->n_test; k++) {
        int i = (int)s->test[k];
        float out[2], want[2];
        assert_int_equal(nn_model_predict(&m, d->raw + 2 * i, 1, out, &err), NN_OK);
        nn_trainer_predict(t, d->x + (size_t)i * 3, 1, want);
        assert_float_equal(out[0], want[0], 1e-6f);
        assert_float_equal(out[1], want[1], 1e-6f);
    }
    /* without raw_features the file no longer says how to compute its inputs */
    char *cut = strstr(json, "\"raw_features\"");
    memcpy(cut, "\"raw_featureZ\"", 14);
    nn_model m2;
    assert_int_equal(nn_model_parse(&m2, json, strlen(json), "m.json", &err), NN_EFORMAT);
    assert_string_equal(err.msg, "m.json: raw_features: missing: the preset's dataset.features are computed from two "
                                 "raw features, whose names predict reads");
    nn_model_free(&m);
    free(json);
    drop(t);
}

/* A new data seed is new points and a new split, as a fresh trainer with that seed draws them; the
 * network keeps its weights; and the same seed again gives the data back. */
static void test_a_new_data_seed_is_new_data_with_the_same_weights(void **state)
{
    (void)state;
    nn_trainer *t = trainer("moons", NULL, NULL, 2);
    size_t np = nn_trainer_network(t)->n_params;
    float *w = malloc(np * sizeof *w);
    assert_non_null(w);
    memcpy(w, nn_trainer_network(t)->params, np * sizeof *w);
    float x0 = original(t, 0, 0);
    nn_error err;
    assert_int_equal(nn_trainer_set_param(t, "dataset.seed", "77", &err), NN_OK);
    assert_float_equal(nn_trainer_preset(t)->dataset.seed, 77.0, 0.0);
    assert_memory_equal(nn_trainer_network(t)->params, w, np * sizeof *w);
    nn_trainer *fresh = trainer("moons", "dataset.seed", "77", 0);
    assert_int_equal(nn_trainer_split(t)->n_train, nn_trainer_split(fresh)->n_train);
    assert_memory_equal(nn_trainer_split(t)->train, nn_trainer_split(fresh)->train,
                        (size_t)nn_trainer_split(t)->n_train * sizeof(uint32_t));
    for (int i = 0; i < nn_trainer_data(t)->n; i += 13)
        assert_float_equal(original(t, i, 1), original(fresh, i, 1), 0.0f);
    assert_true(original(t, 0, 0) != x0);
    /* training goes on from the same weights on the new rows */
    assert_int_equal(nn_trainer_epoch(t, &err), NN_OK);
    /* the preset's own seed again: the first data back */
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)nn_trainer_preset(t)->seed);
    assert_int_equal(nn_trainer_set_param(t, "dataset.seed", seed, &err), NN_OK);
    assert_float_equal(original(t, 0, 0), x0, 0.0f);
    drop(fresh);
    free(w);
    drop(t);
}

/* More noise is new points; a new split re-splits; a change that would change the network's inputs
 * (samples is fine, features are not live) is refused and changes nothing. */
static void test_noise_and_split_are_live_data_edits(void **state)
{
    (void)state;
    nn_trainer *t = trainer("circles", NULL, NULL, 1);
    nn_error err;
    float x0 = original(t, 5, 0);
    assert_int_equal(nn_trainer_set_param(t, "dataset.noise", "0.3", &err), NN_OK);
    assert_true(original(t, 5, 0) != x0);
    assert_float_equal(nn_trainer_preset(t)->dataset.noise, 0.3, 0.0);
    int n = nn_trainer_data(t)->n;
    assert_int_equal(nn_trainer_set_param(t, "dataset.split", "{\"train\":0.5,\"val\":0.1,\"test\":0.4}", &err),
                     NN_OK);
    assert_int_equal(nn_trainer_split(t)->n_train, n / 2);
    assert_int_equal(nn_trainer_split(t)->n_test, n - n / 2 - n / 10);
    assert_int_equal(nn_trainer_set_param(t, "dataset.samples", "100", &err), NN_OK);
    assert_int_equal(nn_trainer_data(t)->n, 100);
    assert_int_equal(nn_trainer_epoch(t, &err), NN_OK);
    assert_int_equal(nn_trainer_set_param(t, "dataset.features", "[\"x1^2\"]", &err), NN_EINVAL);
    assert_int_equal(nn_trainer_data(t)->n_features, 2);
    drop(t);
}

/* The rows behind each confusion cell: as many as the cell counts, each a test row whose label is
 * the cell's row and whose prediction is the cell's column. */
static void test_the_rows_behind_each_confusion_cell(void **state)
{
    (void)state;
    nn_trainer *t = trainer("spiral", NULL, NULL, 2);
    int k = 0;
    const int *cm = nn_trainer_confusion(t, &k);
    assert_int_equal(k, 3);
    const nn_dataset *d = nn_trainer_data(t);
    const nn_split *s = nn_trainer_split(t);
    int total = 0, wrong = 0;
    for (int a = 0; a < k; a++)
        for (int p = 0; p < k; p++) {
            int n = -1;
            const uint32_t *rows = nn_trainer_cell_rows(t, a, p, &n);
            assert_int_equal(n, cm[a * k + p]);
            total += n;
            wrong += a != p ? n : 0;
            for (int i = 0; i < n; i++) {
                assert_int_equal(d->label[rows[i]], a);
                float out[3];
                nn_trainer_predict(t, d->x + (size_t)rows[i] * 2, 1, out);
                assert_int_equal(nn_predict_class(out, 3), p);
                bool in_test = false;
                for (int j = 0; j < s->n_test && !in_test; j++)
                    in_test = s->test[j] == rows[i];
                assert_true(in_test);
            }
        }
    assert_int_equal(total, s->n_test);
    assert_true(wrong > 0);   /* after 2 epochs spiral has mistakes to list */
    int n = 5;
    assert_null(nn_trainer_cell_rows(t, 3, 0, &n));
    assert_int_equal(n, 0);
    drop(t);
}

/* Iris opens on the petal features (Fisher's ratio on the training split); 2-D data on x1, x2. */
static void test_the_best_pair_of_iris_is_the_petals(void **state)
{
    (void)state;
    nn_trainer *t = trainer("iris", NULL, NULL, 0);
    int fx = -1, fy = -1;
    assert_true(nn_probe_best_pair(t, &fx, &fy));
    assert_true((fx == 2 && fy == 3) || (fx == 3 && fy == 2));
    drop(t);
    t = trainer("moons", NULL, NULL, 0);
    assert_false(nn_probe_best_pair(t, &fx, &fy));
    assert_int_equal(fx, 0);
    assert_int_equal(fy, 1);
    drop(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_table_names_and_values),
        cmocka_unit_test(test_features_are_computed_from_the_raw_coordinates),
        cmocka_unit_test(test_the_boundary_grid_is_over_x1_x2),
        cmocka_unit_test(test_a_saved_model_predicts_from_x1_x2),
        cmocka_unit_test(test_a_new_data_seed_is_new_data_with_the_same_weights),
        cmocka_unit_test(test_noise_and_split_are_live_data_edits),
        cmocka_unit_test(test_the_rows_behind_each_confusion_cell),
        cmocka_unit_test(test_the_best_pair_of_iris_is_the_petals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
