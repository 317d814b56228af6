/* test_model_io.c — the model file: exact float round trips, predictions equal to the network's
 * own forward pass, and a clear error for each kind of bad file. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "model_io.h"

#include <cJSON.h>

#include <dirent.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "nn_tmp.h"

/* A small trained-looking model: dataset, normalisation, network with seeded weights, preset. */
typedef struct {
    nn_preset preset;
    nn_dataset data;
    nn_norm norm;
    nn_network net;
} fixture;

static void fixture_init(fixture *f, nn_task task, int rows, int max_batch)
{
    memset(f, 0, sizeof *f);
    nn_error e;
    nn_rng rng;
    nn_rng_seed(&rng, 77);
    bool cls = task == NN_TASK_CLASSIFICATION;
    int nf = cls ? 4 : 2, outs = cls ? 3 : 1;
    assert_int_equal(nn_dataset_alloc(&f->data, task, rows, nf, outs, &e), NN_OK);
    for (int i = 0; i < rows * nf; i++)
        f->data.x[i] = (float)(5.0 + 3.0 * nn_rng_normal(&rng));
    for (int j = 0; j < nf; j++) {
        char name[32];
        snprintf(name, sizeof name, "feature \"%d\"", j);
        assert_int_equal(nn_dataset_set_feature_name(&f->data, j, name, &e), NN_OK);
    }
    if (cls) {
        for (int i = 0; i < rows; i++)
            f->data.label[i] = i % 3;
        assert_int_equal(nn_dataset_set_class_name(&f->data, 0, "setosa", &e), NN_OK);
        assert_int_equal(nn_dataset_set_class_name(&f->data, 1, "versicolor", &e), NN_OK);
        assert_int_equal(nn_dataset_set_class_name(&f->data, 2, "virginica", &e), NN_OK);
    } else {
        for (int i = 0; i < rows; i++)
            f->data.y[i] = (float)(100.0 + 20.0 * nn_rng_normal(&rng));
    }
    uint32_t *idx = malloc((size_t)rows * sizeof *idx);
    assert_non_null(idx);
    for (int i = 0; i < rows; i++)
        idx[i] = (uint32_t)i;
    assert_int_equal(nn_norm_fit(&f->norm, NN_NORM_ZSCORE, &f->data, idx, rows, &e), NN_OK);
    free(idx);
    nn_layer_spec specs[3] = {
        {7, NN_ACT_TANH, 0.0f, NN_INIT_AUTO, NN_DIST_NORMAL},
        {5, NN_ACT_LEAKY_RELU, 0.05f, NN_INIT_AUTO, NN_DIST_UNIFORM},
        {outs, cls ? NN_ACT_SOFTMAX : NN_ACT_LINEAR, 0.0f, NN_INIT_AUTO, NN_DIST_NORMAL},
    };
    assert_int_equal(nn_network_init(&f->net, nf, specs, 3, max_batch, &e), NN_OK);
    nn_network_init_weights(&f->net, &rng);
    for (size_t i = 0; i < f->net.n_params; i++)   /* biases too, and awkward values */
        f->net.params[i] += (float)(0.01 * nn_rng_normal(&rng));
    nn_diags d = {0};
    assert_int_equal(nn_preset_load(&f->preset, cls ? "iris" : "sine", &d, &e), NN_OK);
}

static void fixture_free(fixture *f)
{
    nn_dataset_free(&f->data);
    nn_norm_free(&f->norm);
    nn_network_free(&f->net);
}

static bool same_bits(const float *a, const float *b, size_t n)
{
    return n == 0 || memcmp(a, b, n * sizeof *a) == 0;
}

static void parse_ok(nn_model *m, const char *text)
{
    nn_error e = {0};
    if (nn_model_parse(m, text, strlen(text), "m.json", &e) != NN_OK)
        fail_msg("%s", e.msg);
}

// --- round trips ----------------------------------------------------------------------------------

static void test_a_saved_model_reads_back_with_every_weight_bit_identical(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f, NN_TASK_CLASSIFICATION, 40, 64);
    /* floats that a %.17g double printer or a 6-digit printer would get wrong or lose */
    f.net.params[0] = 0.1f;
    f.net.params[1] = FLT_MIN / 7.0f;   /* subnormal */
    f.net.params[2] = -0.0f;
    f.net.params[3] = FLT_MAX;
    f.net.params[4] = 1.0f + FLT_EPSILON;
    f.net.params[5] = -3.4028232e38f;
    f.norm.shift[0] = 16777217.0f;
    char *text = nn_model_to_json(&f.preset, &f.net, &f.norm, &f.data);
    assert_non_null(text);
    nn_model m;
    parse_ok(&m, text);
    assert_int_equal(m.net.n_params, f.net.n_params);
    assert_true(same_bits(m.net.params, f.net.params, f.net.n_params));
    assert_true(signbit(m.net.params[2]));
    assert_int_equal(m.net.n_layers, 3);
    for (int l = 0; l < 3; l++) {
        assert_int_equal(m.net.layers[l].in, f.net.layers[l].in);
        assert_int_equal(m.net.layers[l].out, f.net.layers[l].out);
        assert_int_equal(m.net.layers[l].act, f.net.layers[l].act);
        assert_true(m.net.layers[l].alpha == f.net.layers[l].alpha);
    }
    assert_int_equal(m.norm.kind, NN_NORM_ZSCORE);
    assert_true(same_bits(m.norm.shift, f.norm.shift, 4));
    assert_true(same_bits(m.norm.scale, f.norm.scale, 4));
    assert_int_equal(m.task, NN_TASK_CLASSIFICATION);
    assert_int_equal(m.n_features, 4);
    assert_string_equal(m.feature_names[2], "feature \"2\"");
    assert_int_equal(m.n_classes, 3);
    assert_string_equal(m.class_names[1], "versicolor");
    assert_string_equal(m.preset.name, f.preset.name);
    assert_int_equal(m.preset.training.epochs, f.preset.training.epochs);
    assert_string_equal(m.preset.file, "m.json");
    nn_model_free(&m);
    nn_model_free(&m);   /* idempotent */
    free(text);
    fixture_free(&f);
}

static void test_every_float_survives_the_9_digit_text_exactly(void **state)
{
    (void)state;
    /* a sweep of bit patterns through the same printing and parsing the model file uses */
    nn_rng rng;
    nn_rng_seed(&rng, 5);
    fixture f;
    fixture_init(&f, NN_TASK_CLASSIFICATION, 10, 16);
    for (size_t i = 0; i < f.net.n_params; i++) {
        uint32_t bits = (uint32_t)nn_rng_u64(&rng);
        float v;
        memcpy(&v, &bits, sizeof v);
        f.net.params[i] = isfinite(v) ? v : 1.0f;
    }
    char *text = nn_model_to_json(&f.preset, &f.net, &f.norm, &f.data);
    assert_non_null(text);
    nn_model m;
    parse_ok(&m, text);
    for (size_t i = 0; i < f.net.n_params; i++)
        if (memcmp(&m.net.params[i], &f.net.params[i], sizeof(float)) != 0)
            fail_msg("param %zu: %.9g read back as %.9g", i, (double)f.net.params[i], (double)m.net.params[i]);
    nn_model_free(&m);
    free(text);
    fixture_free(&f);
}

static void test_predictions_of_the_loaded_model_equal_the_networks_forward_pass_exactly(void **state)
{
    (void)state;
    const int rows = 600;   /* more than one prediction chunk */
    fixture f;
    fixture_init(&f, NN_TASK_CLASSIFICATION, rows, rows);
    char *text = nn_model_to_json(&f.preset, &f.net, &f.norm, &f.data);
    nn_model m;
    parse_ok(&m, text);
    float *xn = malloc((size_t)rows * 4 * sizeof *xn);
    float *got = malloc((size_t)rows * 3 * sizeof *got);
    assert_non_null(xn);
    assert_non_null(got);
    memcpy(xn, f.data.x, (size_t)rows * 4 * sizeof *xn);
    nn_norm_apply(&f.norm, xn, rows);
    const float *want = nn_network_forward(&f.net, NULL, xn, rows, 0.0f, NULL);
    nn_error e;
    assert_int_equal(nn_model_predict(&m, f.data.x, rows, got, &e), NN_OK);
    assert_true(same_bits(got, want, (size_t)rows * 3));
    /* probabilities */
    for (int i = 0; i < rows; i++) {
        float s = got[i * 3] + got[i * 3 + 1] + got[i * 3 + 2];
        float one = 1.0f;
        assert_float_equal(s, one, 1e-5f);
    }
    /* the raw input is not modified */
    assert_true(f.data.x[0] != xn[0]);
    free(xn);
    free(got);
    nn_model_free(&m);
    free(text);
    fixture_free(&f);
}

static void test_a_regression_model_predicts_in_original_units(void **state)
{
    (void)state;
    const int rows = 50;
    fixture f;
    fixture_init(&f, NN_TASK_REGRESSION, rows, rows);
    char dir[64];
    assert_non_null(nn_tmp_dir(dir, sizeof dir, "nn_test_model_"));
    char path[256];
    snprintf(path, sizeof path, "%s/sine-model.json", dir);
    nn_error e;
    assert_int_equal(nn_model_save(path, &f.preset, &f.net, &f.norm, &f.data, &e), NN_OK);
    nn_model m;
    if (nn_model_load(&m, path, &e) != NN_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(m.task, NN_TASK_REGRESSION);
    assert_int_equal(m.n_classes, 0);
    assert_int_equal(m.norm.n_targets, 1);
    assert_true(same_bits(m.norm.y_shift, f.norm.y_shift, 1));
    assert_true(same_bits(m.norm.y_scale, f.norm.y_scale, 1));
    float xn[2 * 50], want[50], got[50];
    memcpy(xn, f.data.x, sizeof xn);
    nn_norm_apply(&f.norm, xn, rows);
    memcpy(want, nn_network_forward(&f.net, NULL, xn, rows, 0.0f, NULL), sizeof want);
    nn_norm_unscale_targets(&f.norm, want, rows);
    assert_int_equal(nn_model_predict(&m, f.data.x, rows, got, &e), NN_OK);
    assert_true(same_bits(got, want, (size_t)rows));
    /* original units: around the targets' mean of about 100, not around 0 */
    double mean = 0.0;
    for (int i = 0; i < rows; i++)
        mean += (double)got[i] / rows;
    assert_true(mean > 50.0 && mean < 150.0);
    nn_model_free(&m);
    unlink(path);
    assert_int_equal(rmdir(dir), 0);   /* no temporary file left */
    fixture_free(&f);
}

// --- bad files --------------------------------------------------------------------------------------

/* Edits the good model's JSON tree and returns the error message of parsing the result. */
typedef void (*mutator)(cJSON *root);

static void set_format(cJSON *r) { cJSON_ReplaceItemInObject(r, "format", cJSON_CreateString("nnterm-preset")); }
static void newer_version(cJSON *r) { cJSON_ReplaceItemInObject(r, "version", cJSON_CreateNumber(2)); }
static void no_version(cJSON *r) { cJSON_DeleteItemFromObject(r, "version"); }
static cJSON *layer(cJSON *r, int i) { return cJSON_GetArrayItem(cJSON_GetObjectItem(r, "layers"), i); }
static void short_weights(cJSON *r) { cJSON_DeleteItemFromArray(cJSON_GetObjectItem(layer(r, 1), "weights"), 0); }
static void long_biases(cJSON *r) { cJSON_AddItemToArray(cJSON_GetObjectItem(layer(r, 2), "biases"), cJSON_CreateNumber(1)); }
static void broken_chain(cJSON *r) { cJSON_ReplaceItemInObject(layer(r, 1), "inputs", cJSON_CreateNumber(8)); }
static void extra_feature(cJSON *r) { cJSON_AddItemToArray(cJSON_GetObjectItem(r, "features"), cJSON_CreateString("x9")); }
static void short_scale(cJSON *r)
{
    cJSON_DeleteItemFromArray(cJSON_GetObjectItem(cJSON_GetObjectItem(r, "normalization"), "scale"), 3);
}
static void inf_weight(cJSON *r)
{
    cJSON_ReplaceItemInArray(cJSON_GetObjectItem(layer(r, 1), "weights"), 3, cJSON_CreateRaw("1e999"));
}
static void float_overflow(cJSON *r)
{
    cJSON_ReplaceItemInArray(cJSON_GetObjectItem(layer(r, 0), "biases"), 2, cJSON_CreateNumber(1e39));
}
static void string_weight(cJSON *r)
{
    cJSON_ReplaceItemInArray(cJSON_GetObjectItem(layer(r, 0), "weights"), 0, cJSON_CreateString("0.5"));
}
static void unknown_activation(cJSON *r) { cJSON_ReplaceItemInObject(layer(r, 0), "activation", cJSON_CreateString("rleu")); }
static void two_classes(cJSON *r) { cJSON_DeleteItemFromArray(cJSON_GetObjectItem(r, "classes"), 0); }
static void bad_preset(cJSON *r)
{
    cJSON_ReplaceItemInObject(cJSON_GetObjectItem(cJSON_GetObjectItem(r, "preset"), "training"), "epochs",
                              cJSON_CreateNumber(0));
}
static void no_layers(cJSON *r) { cJSON_ReplaceItemInObject(r, "layers", cJSON_CreateArray()); }

static void test_each_kind_of_bad_model_file_gives_an_error_naming_the_file_and_field(void **state)
{
    (void)state;
    static const struct {
        const char *what;
        mutator edit;
        const char *fragment;
    } cases[] = {
        {"wrong format", set_format, "m.json: format: \"nnterm-preset\" is not an nnterm model (expected \"nnterm-model\")"},
        {"newer version", newer_version, "m.json: version: 2 is newer than this nnterm reads (1)"},
        {"no version", no_version, "m.json: version: missing"},
        {"short weights", short_weights, "m.json: layers.1.weights: 34 numbers, expected 35"},
        {"long biases", long_biases, "m.json: layers.2.biases: 4 numbers, expected 3 (one per unit)"},
        {"broken chain", broken_chain, "m.json: layers.1.inputs: 8, expected 7 (the previous layer's units)"},
        {"features vs normalisation", extra_feature, "m.json: layers.0.inputs: 4, expected 5 (the number of features)"},
        {"short scale", short_scale, "m.json: normalization.scale: 3 numbers, expected 4"},
        {"infinite weight", inf_weight, "m.json: layers.1.weights.3: not finite"},
        {"float overflow", float_overflow, "m.json: layers.0.biases.2: not finite as a float"},
        {"string weight", string_weight, "m.json: layers.0.weights.0: not a number"},
        {"unknown activation", unknown_activation, "m.json: layers.0.activation: missing or not an activation name"},
        {"classes vs outputs", two_classes, "m.json: classes: 2 names for 3 outputs"},
        {"invalid preset", bad_preset, "m.json: preset: training.epochs: 0 is out of range (1..1000000, or \"forever\")"},
        {"no layers", no_layers, "m.json: layers: 0 layers, expected 1..16"},
    };
    fixture f;
    fixture_init(&f, NN_TASK_CLASSIFICATION, 20, 32);
    char *good = nn_model_to_json(&f.preset, &f.net, &f.norm, &f.data);
    assert_non_null(good);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cJSON *root = cJSON_Parse(good);
        assert_non_null(root);
        cases[i].edit(root);
        char *text = cJSON_PrintUnformatted(root);
        cJSON_Delete(root);
        nn_model m;
        nn_error e = {0};
        nn_status st = nn_model_parse(&m, text, strlen(text), "m.json", &e);
        free(text);
        if (st == NN_OK)
            fail_msg("%s: accepted", cases[i].what);
        if (!strstr(e.msg, cases[i].fragment))
            fail_msg("%s: \"%s\" lacks \"%s\"", cases[i].what, e.msg, cases[i].fragment);
        assert_null(m.net.params);   /* freed on error */
    }
    /* truncated: the first half of the file */
    nn_model m;
    nn_error e = {0};
    assert_int_equal(nn_model_parse(&m, good, strlen(good) / 2, "m.json", &e), NN_EFORMAT);
    assert_non_null(strstr(e.msg, "m.json:"));
    assert_non_null(strstr(e.msg, "JSON syntax error: the file ends early"));
    /* a preset is not a model */
    const char *preset = "{\"dataset\": {\"source\": \"iris\"}}";
    assert_int_equal(nn_model_parse(&m, preset, strlen(preset), "iris.json", &e), NN_EFORMAT);
    assert_non_null(strstr(e.msg, "iris.json: format: missing is not an nnterm model"));
    /* a missing file */
    assert_int_not_equal(nn_model_load(&m, "/nonexistent/model.json", &e), NN_OK);
    assert_non_null(strstr(e.msg, "/nonexistent/model.json"));
    free(good);
    fixture_free(&f);
}

static void test_a_network_with_a_non_finite_weight_is_not_saved(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f, NN_TASK_CLASSIFICATION, 10, 16);
    f.net.params[7] = NAN;
    nn_error e;
    assert_int_equal(nn_model_save("/tmp/never-written-model.json", &f.preset, &f.net, &f.norm, &f.data, &e),
                     NN_EDIVERGED);
    assert_non_null(strstr(e.msg, "non-finite weight"));
    assert_int_not_equal(access("/tmp/never-written-model.json", F_OK), 0);
    assert_null(nn_model_to_json(&f.preset, &f.net, &f.norm, &f.data));
    fixture_free(&f);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static bool file_is(const char *path, const char *text)
{
    char buf[512] = "";
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strcmp(buf, text) == 0;
}

/* `train self.json --save self.json` and `--save data.csv` (issue 11): a model save is refused over
 * the preset it was trained from and over its data files, however the path is spelled (another
 * spelling, a symbolic or a hard link); a preset save (the trainer's `w`) over its data too. */
static void test_a_model_is_not_saved_over_its_preset_or_its_data(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f, NN_TASK_CLASSIFICATION, 12, 12);
    char dir[64];
    assert_non_null(nn_tmp_dir(dir, sizeof dir, "nn_test_model_"));
    char self[256], data[256], hard[256], soft[256], spelled[256], good[256], im[256], lb[256], idx[256];
    snprintf(self, sizeof self, "%s/self.json", dir);
    snprintf(data, sizeof data, "%s/data.csv", dir);
    snprintf(hard, sizeof hard, "%s/hard.csv", dir);
    snprintf(soft, sizeof soft, "%s/soft.json", dir);
    snprintf(spelled, sizeof spelled, "%s/../%s/data.csv", dir, strrchr(dir, '/') + 1);
    snprintf(good, sizeof good, "%s/model.json", dir);
    const char *preset_text = "{\"dataset\": {\"source\": \"csv\", \"path\": \"data.csv\"}}\n";
    write_text(self, preset_text);
    write_text(data, "a,b,label\n1,2,x\n");
    assert_int_equal(link(data, hard), 0);
    assert_int_equal(symlink("self.json", soft), 0);
    nn_error e;
    nn_diags d = {0};
    assert_int_equal(nn_preset_load(&f.preset, self, &d, &e), NN_OK);

    assert_int_equal(nn_model_save(self, &f.preset, &f.net, &f.norm, &f.data, &e), NN_EIO);
    assert_non_null(strstr(e.msg, "the preset being trained"));
    assert_int_equal(nn_model_save(soft, &f.preset, &f.net, &f.norm, &f.data, &e), NN_EIO);
    const char *over_data[] = {data, hard, spelled};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(nn_model_save(over_data[i], &f.preset, &f.net, &f.norm, &f.data, &e), NN_EIO);
        assert_non_null(strstr(e.msg, over_data[i]));
        assert_non_null(strstr(e.msg, "dataset.path"));
        assert_int_equal(nn_model_check_save(over_data[i], &f.preset, &e), NN_EIO);
        assert_int_equal(nn_preset_save(&f.preset, over_data[i], &e), NN_EIO);
    }
    assert_true(file_is(self, preset_text));
    assert_true(file_is(data, "a,b,label\n1,2,x\n"));
    assert_int_equal(nn_model_save(good, &f.preset, &f.net, &f.norm, &f.data, &e), NN_OK);
    assert_int_equal(nn_preset_save(&f.preset, self, &e), NN_OK);   /* an edited preset kept in place */

    /* the idx files, the test pair included */
    snprintf(im, sizeof im, "%s/images.idx", dir);
    snprintf(lb, sizeof lb, "%s/t10k-labels.idx", dir);
    snprintf(idx, sizeof idx, "%s/idx.json", dir);
    write_text(im, "i");
    write_text(lb, "l");
    write_text(idx, "{\"dataset\": {\"source\": \"idx\", \"images\": \"images.idx\", \"labels\": \"images.idx\", "
               "\"test_images\": \"images.idx\", \"test_labels\": \"t10k-labels.idx\"}}\n");
    assert_int_equal(nn_preset_load(&f.preset, idx, &d, &e), NN_OK);
    assert_int_equal(nn_model_save(im, &f.preset, &f.net, &f.norm, &f.data, &e), NN_EIO);
    assert_non_null(strstr(e.msg, "dataset.images"));
    assert_int_equal(nn_model_save(lb, &f.preset, &f.net, &f.norm, &f.data, &e), NN_EIO);
    assert_non_null(strstr(e.msg, "dataset.test_labels"));
    assert_true(file_is(im, "i") && file_is(lb, "l"));

    const char *all[] = {self, data, hard, soft, good, im, lb, idx};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        assert_int_equal(unlink(all[i]), 0);
    assert_int_equal(rmdir(dir), 0);   /* nothing else was written */
    fixture_free(&f);
}


// --- hostile model files (issue 11)

static void test_hostile_model_files_are_refused_before_predict_can_misbehave(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f, NN_TASK_CLASSIFICATION, 20, 32);
    char *good = nn_model_to_json(&f.preset, &f.net, &f.norm, &f.data);
    assert_non_null(good);
    static const char *const edits[][2] = {
        /* one class and one sigmoid output: predict read class_names[1] of a one-entry table */
        {"one class", "m.json: classes: 1 name, expected at least 2 for classification"},
        /* a stored scale of 1e-45: every input becomes infinite, every output NaN */
        {"tiny scale", "m.json: normalization.scale.0: 1.40129846e-45, expected a positive scale of at least"},
        {"negative scale", "m.json: normalization.scale.1: -2, expected a positive scale"},
        /* a few bytes claiming 2^24 units: refused before anything is allocated for them */
        {"huge layer", "m.json: layers.0.weights: 28 numbers, expected 67108864 (4 inputs x 16777216 units)"},
    };
    for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
        cJSON *root = cJSON_Parse(good);
        assert_non_null(root);
        cJSON *norm = cJSON_GetObjectItem(root, "normalization");
        if (i == 0) {
            cJSON *classes = cJSON_CreateArray();
            cJSON_AddItemToArray(classes, cJSON_CreateString("a"));
            cJSON_ReplaceItemInObject(root, "classes", classes);
            cJSON *last = layer(root, 2);
            cJSON_ReplaceItemInObject(last, "units", cJSON_CreateNumber(1));
            cJSON_ReplaceItemInObject(last, "activation", cJSON_CreateString("sigmoid"));
            float w[5] = {1, 2, 3, 4, 5}, b[1] = {0};
            cJSON_ReplaceItemInObject(last, "weights", cJSON_CreateFloatArray(w, 5));
            cJSON_ReplaceItemInObject(last, "biases", cJSON_CreateFloatArray(b, 1));
        } else if (i == 1) {
            cJSON_ReplaceItemInArray(cJSON_GetObjectItem(norm, "scale"), 0, cJSON_CreateRaw("1e-45"));
        } else if (i == 2) {
            cJSON_ReplaceItemInArray(cJSON_GetObjectItem(norm, "scale"), 1, cJSON_CreateNumber(-2));
        } else {
            cJSON_ReplaceItemInObject(layer(root, 0), "units", cJSON_CreateNumber(1 << 24));
        }
        char *text = cJSON_PrintUnformatted(root);
        cJSON_Delete(root);
        nn_model m;
        nn_error e = {0};
        nn_status st = nn_model_parse(&m, text, strlen(text), "m.json", &e);
        free(text);
        if (st == NN_OK)
            fail_msg("%s: accepted", edits[i][0]);
        if (!strstr(e.msg, edits[i][1]))
            fail_msg("%s: \"%s\" lacks \"%s\"", edits[i][0], e.msg, edits[i][1]);
    }
    free(good);
    fixture_free(&f);
}

static void test_names_are_whole_and_escaped_in_the_model_file(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f, NN_TASK_CLASSIFICATION, 20, 32);
    char longname[201];
    memset(longname, 'n', 200);
    longname[200] = '\0';
    nn_error e;
    assert_int_equal(nn_dataset_set_class_name(&f.data, 0, "\x1b]0;pwned\x07", &e), NN_OK);
    assert_int_equal(nn_dataset_set_class_name(&f.data, 1, "CSI \xc2\x9b" "2J caf\xc3\xa9", &e), NN_OK);
    assert_int_equal(nn_dataset_set_class_name(&f.data, 2, longname, &e), NN_OK);
    assert_int_equal(nn_dataset_set_feature_name(&f.data, 3, longname, &e), NN_OK);
    char *text = nn_model_to_json(&f.preset, &f.net, &f.norm, &f.data);
    assert_non_null(text);
    assert_non_null(strstr(text, "\"\\u001b]0;pwned\\u0007\""));
    assert_non_null(strstr(text, "\"CSI \\u009b2J caf\xc3\xa9\""));
    for (const char *p = text; *p; p++)   /* no raw control character but the layout's newlines */
        assert_true((unsigned char)*p >= 0x20 || *p == '\n');
    nn_model m;
    parse_ok(&m, text);
    assert_string_equal(m.class_names[0], "\x1b]0;pwned\x07");
    assert_string_equal(m.class_names[1], "CSI \xc2\x9b" "2J caf\xc3\xa9");
    assert_string_equal(m.class_names[2], longname);
    assert_string_equal(m.feature_names[3], longname);
    nn_model_free(&m);
    free(text);
    fixture_free(&f);
}

static void test_model_files_that_are_not_json_say_why_and_where(void **state)
{
    (void)state;
    nn_model m;
    nn_error e;
    /* 5000 levels of nesting: the limit, not "a syntax error" */
    size_t n = 5000;
    char *deep = malloc(2 * n + 1);
    memset(deep, '[', n);
    memset(deep + n, ']', n);
    deep[2 * n] = '\0';
    assert_int_equal(nn_model_parse(&m, deep, 2 * n, "deep.json", &e), NN_EFORMAT);
    assert_non_null(strstr(e.msg, "deep.json:1:1001: arrays and objects nested more than 1000 levels deep"));
    free(deep);
    /* not UTF-8 */
    const char *latin1 = "{\"format\": \"nnterm-model\", \"classes\": [\"caf\xe9\"]}";
    assert_int_equal(nn_model_parse(&m, latin1, strlen(latin1), "l.json", &e), NN_EFORMAT);
    assert_non_null(strstr(e.msg, "l.json:1:44: byte 0xE9 is not UTF-8"));
}

/* The position of an error in a line longer than 2^31 characters (an int overflowed: "big29.json:1:
 * -1254096896"). The text: "[" then 2^31 + 16 zero bytes (whitespace to cJSON) of an anonymous
 * mapping, which costs no memory to read. */
static void test_an_error_past_two_to_the_31_characters_has_the_right_column(void **state)
{
    (void)state;
    size_t len = ((size_t)1 << 31) + 17;
    char *big = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (big == MAP_FAILED)
        skip();
    big[0] = '[';
    nn_model m;
    nn_error e;
    assert_int_equal(nn_model_parse(&m, big, len, "big29.json", &e), NN_EFORMAT);
    assert_non_null(strstr(e.msg, "big29.json:1:2147483666: JSON syntax error: the file ends early"));
    munmap(big, len);
}

static void test_a_saved_model_gives_a_trainer_its_weights_and_reset_returns_to_them(void **state)
{
    (void)state;
    char dir[64];
    assert_non_null(nn_tmp_dir(dir, sizeof dir, "nn_test_model_"));
    char path[256];
    snprintf(path, sizeof path, "%s/m.json", dir);
    nn_preset p;
    nn_error e;
    nn_diags d = {0};
    assert_int_equal(nn_preset_load(&p, "iris", &d, &e), NN_OK);
    nn_trainer *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(nn_trainer_init(a, &p, 1, &e), NN_OK);
    for (int i = 0; i < 5; i++)
        assert_int_equal(nn_trainer_epoch(a, &e), NN_OK);
    assert_int_equal(nn_trainer_save_model(a, path, &e), NN_OK);
    nn_epoch_stats sa, sb;
    assert_int_equal(nn_trainer_evaluate(a, &sa, &e), NN_OK);

    nn_model m;
    assert_int_equal(nn_model_load(&m, path, &e), NN_OK);
    assert_int_equal(nn_trainer_init(b, &m.preset, 1, &e), NN_OK);
    assert_int_equal(nn_model_apply(&m, path, b, &e), NN_OK);
    const nn_network *na = nn_trainer_network(a), *nb = nn_trainer_network(b);
    assert_memory_equal(na->params, nb->params, na->n_params * sizeof(float));
    assert_int_equal(nn_trainer_evaluate(b, &sb, &e), NN_OK);
    assert_true(sa.test_loss == sb.test_loss && sa.test_acc == sb.test_acc && sa.train_loss == sb.train_loss);
    /* training on moves them; reset comes back to the model's, not the seed's */
    assert_int_equal(nn_trainer_epoch(b, &e), NN_OK);
    assert_memory_not_equal(na->params, nb->params, na->n_params * sizeof(float));
    nn_trainer_reset(b, false, 0);
    assert_memory_equal(na->params, nb->params, na->n_params * sizeof(float));
    nn_trainer_free(b);

    /* another network: refused, the trainer keeps its own weights */
    nn_preset q = m.preset;
    assert_int_equal(nn_preset_set(&q, "model.layers.0.units", "32", &e), NN_OK);
    assert_int_equal(nn_trainer_init(b, &q, 1, &e), NN_OK);
    float first = nn_trainer_network(b)->params[0];
    assert_int_equal(nn_model_apply(&m, path, b, &e), NN_EINVAL);
    assert_non_null(strstr(e.msg, "m.json: the model's network 4-40-3 does not match the preset's 4-32-3"));
    assert_true(nn_trainer_network(b)->params[0] == first);
    nn_trainer_free(b);
    /* other data (another split: another seed): the normalisation differs, refused */
    q = m.preset;
    assert_int_equal(nn_preset_set(&q, "seed", "7", &e), NN_OK);
    assert_int_equal(nn_trainer_init(b, &q, 1, &e), NN_OK);
    assert_int_equal(nn_model_apply(&m, path, b, &e), NN_EINVAL);
    assert_non_null(strstr(e.msg, "the data changed since the model was saved"));
    nn_trainer_free(b);
    /* non-finite weights are refused by the trainer */
    assert_int_equal(nn_trainer_init(b, &m.preset, 1, &e), NN_OK);
    m.net.params[3] = (float)NAN;
    assert_int_equal(nn_model_apply(&m, path, b, &e), NN_EINVAL);
    assert_non_null(strstr(e.msg, "weight 3 is not finite"));
    assert_int_equal(nn_trainer_set_weights(b, m.net.params, 5, &e), NN_EINVAL);

    nn_model_free(&m);
    nn_trainer_free(a);
    nn_trainer_free(b);
    free(a);
    free(b);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_saved_model_gives_a_trainer_its_weights_and_reset_returns_to_them),
        cmocka_unit_test(test_a_saved_model_reads_back_with_every_weight_bit_identical),
        cmocka_unit_test(test_every_float_survives_the_9_digit_text_exactly),
        cmocka_unit_test(test_predictions_of_the_loaded_model_equal_the_networks_forward_pass_exactly),
        cmocka_unit_test(test_a_regression_model_predicts_in_original_units),
        cmocka_unit_test(test_each_kind_of_bad_model_file_gives_an_error_naming_the_file_and_field),
        cmocka_unit_test(test_a_network_with_a_non_finite_weight_is_not_saved),
        cmocka_unit_test(test_a_model_is_not_saved_over_its_preset_or_its_data),

        cmocka_unit_test(test_hostile_model_files_are_refused_before_predict_can_misbehave),
        cmocka_unit_test(test_names_are_whole_and_escaped_in_the_model_file),
        cmocka_unit_test(test_model_files_that_are_not_json_say_why_and_where),
        cmocka_unit_test(test_an_error_past_two_to_the_31_characters_has_the_right_column),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
