/* fuzz_model.c — the model loader nn_model_parse (format, version, the embedded preset, the
 * normalisation statistics, names, every layer's shape, weights and biases), then a prediction
 * with the loaded model so inconsistent shapes that parse accepted show up under ASan.
 * Promises checked: a refusal has a code and a message naming the file; an accepted model has a
 * network whose input is n_features wide, at least 2 classes that match its output (the predicted
 * class always names one of them), predictions that are
 * probabilities in [0, 1] when the last layer is softmax or sigmoid (NaN allowed: weights may be huge);
 * it writes (nn_model_to_json), reads back, writes the same text and predicts the same numbers. */
#include "fuzz.h"

#include "metrics.h"
#include "model_io.h"

#include <math.h>

#define FILE_NAME "fuzz/model.json"

static nn_model m, m2;   /* hold an nn_preset (~20 KB): static */

/* The written form of a loaded model (nn_model_to_json with a dataset view of its names). */
static char *write_model(const nn_model *a)
{
    nn_dataset d;
    memset(&d, 0, sizeof d);
    d.task = a->task;
    d.n_features = a->n_features;
    d.feature_names = a->feature_names;
    d.n_classes = a->n_classes;
    d.class_names = a->class_names;
    return nn_model_to_json(&a->preset, &a->net, &a->norm, &d);
}

/* Accepted models write, read back, write the same text, and predict the same numbers. */
static void check_roundtrip(const float *x, int rows, const float *y, int outs)
{
    char *j1 = write_model(&m);
    FUZZ_CHECK(j1 != NULL, "nn_model_to_json returned NULL for a loaded model");
    nn_error err;
    memset(&m2, 0, sizeof m2);
    nn_status st = nn_model_parse(&m2, j1, strlen(j1), "roundtrip.json", &err);
    FUZZ_CHECK(st == NN_OK, "a written model does not load: %s", err.msg);
    char *j2 = write_model(&m2);
    FUZZ_CHECK(j2 != NULL && strcmp(j1, j2) == 0, "model writer is not stable");
    if (y) {
        float *y2 = calloc((size_t)rows * (size_t)outs, sizeof *y2);
        if (y2 && nn_model_predict(&m2, x, rows, y2, &err) == NN_OK) {
            for (int i = 0; i < rows * outs; i++)
                FUZZ_CHECK(memcmp(&y[i], &y2[i], sizeof y[i]) == 0 || (y[i] != y[i] && y2[i] != y2[i]),
                           "prediction %d differs after a round trip: %.9g vs %.9g", i, (double)y[i],
                           (double)y2[i]);
        }
        free(y2);
    }
    nn_model_free(&m2);
    free(j1);
    free(j2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = fuzz_dup(data, size);
    if (!buf)
        return 0;
    memset(&m, 0, sizeof m);
    nn_error err;
    nn_status st = nn_model_parse(&m, buf, size, FILE_NAME, &err);
    if (st != NN_OK) {
        FUZZ_CHECK(err.code == st, "err.code %d != status %d", (int)err.code, (int)st);
        FUZZ_CHECK(fuzz_terminated(err.msg, sizeof err.msg), "message not terminated");
        FUZZ_CHECK(strstr(err.msg, FILE_NAME) != NULL, "message does not name the file: %s", err.msg);
        nn_model_free(&m);
        free(buf);
        return 0;
    }
    FUZZ_CHECK(m.n_features >= 1, "n_features %d", m.n_features);
    FUZZ_CHECK(m.net.n_layers >= 1 && m.net.n_layers <= NN_MAX_LAYERS, "n_layers %d", m.net.n_layers);
    FUZZ_CHECK(m.net.n_inputs == m.n_features, "network input %d, features %d", m.net.n_inputs, m.n_features);
    int outs = nn_network_outputs(&m.net);
    FUZZ_CHECK(outs >= 1, "outputs %d", outs);
    if (m.task == NN_TASK_CLASSIFICATION) {
        FUZZ_CHECK(m.n_classes >= 2 && m.n_classes <= NN_MAX_CLASSES, "n_classes %d", m.n_classes);
        FUZZ_CHECK(m.class_names != NULL, "no class names");
        FUZZ_CHECK(outs == m.n_classes || (outs == 1 && m.n_classes == 2), "outputs %d for %d classes", outs,
                   m.n_classes);
    }
    /* Small enough to predict on: three rows (zeros, ones, a ramp). Huge accepted models are
     * the loader's business (it checks sizes); skip them here to keep runs fast. */
    if ((size_t)m.n_features * 3u <= 1u << 20 && (size_t)outs * 3u <= 1u << 20) {
        int rows = 3;
        float *x = calloc((size_t)rows * (size_t)m.n_features, sizeof *x);
        float *y = calloc((size_t)rows * (size_t)outs, sizeof *y);
        if (x && y) {
            for (int j = 0; j < m.n_features; j++) {
                x[m.n_features + j] = 1.0f;
                x[2 * m.n_features + j] = (float)j / (float)m.n_features - 0.5f;
            }
            st = nn_model_predict(&m, x, rows, y, &err);
            check_roundtrip(x, rows, st == NN_OK ? y : NULL, outs);
            nn_act last = m.net.layers[m.net.n_layers - 1].act;
            if (st == NN_OK && m.task == NN_TASK_CLASSIFICATION &&
                (last == NN_ACT_SOFTMAX || last == NN_ACT_SIGMOID)) {
                for (int i = 0; i < rows * outs; i++)
                    FUZZ_CHECK(!(y[i] < 0.0f) && !(y[i] > 1.0f), "probability %g", (double)y[i]);
            }
            if (st == NN_OK && m.task == NN_TASK_CLASSIFICATION) {   /* predict prints class_names[c] */
                for (int r = 0; r < rows; r++) {
                    int c = nn_predict_class(y + (size_t)r * (size_t)outs, outs);
                    FUZZ_CHECK(c >= 0 && c < m.n_classes, "row %d: class %d of %d", r, c, m.n_classes);
                }
            } else if (st != NN_OK) {
                FUZZ_CHECK(err.msg[0] != '\0', "predict failed without a message");
            }
        }
        free(x);
        free(y);
    }
    nn_model_free(&m);
    nn_model_free(&m);   /* idempotent */
    free(buf);
    return 0;
}
