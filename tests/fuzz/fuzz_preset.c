/* fuzz_preset.c — nn_preset_parse (syntax, every field's validation, cross-field checks) and,
 * for inputs starting with "SET\n", nn_preset_set with KEY=VALUE lines (the --set path) on the
 * default iris preset.
 * Promises checked: nn_json_check accepts exactly what cJSON parses; a refusal has a code and a message; an accepted preset validates, serialises,
 * parses back, and serialises the same way again (the writer's output is a fixed point); every
 * documented key set to the value nn_preset_get returns leaves the preset as it was. */
#include "fuzz.h"

#include "preset.h"
#include "text.h"

#include <cJSON.h>

static nn_preset p, q, r;  /* ~20 KB each: static, not on the stack */

/* Every documented key (docs/preset-keys.md), layers 0 and 1 for the per-layer ones. */
static const char *const keys[] = {
    "name", "description", "seed", "dataset.source", "dataset.path", "dataset.label",
    "dataset.task", "dataset.images", "dataset.labels", "dataset.test_images",
    "dataset.test_labels", "dataset.samples", "dataset.noise", "dataset.normalize",
    "dataset.split.train", "dataset.split.val", "dataset.split.test", "dataset.shuffle",
    "model.layers", "model.layers.0", "model.layers.0.units", "model.layers.0.activation",
    "model.layers.0.alpha", "model.layers.0.init", "model.layers.0.distribution",
    "model.layers.1.units", "model.layers.1.activation", "training.epochs", "training.batch_size",
    "training.loss", "training.optimizer.name", "training.optimizer.learning_rate",
    "training.optimizer.momentum", "training.optimizer.dampening", "training.optimizer.nesterov",
    "training.optimizer.weight_decay", "training.optimizer.alpha", "training.optimizer.epsilon",
    "training.optimizer.beta1", "training.optimizer.beta2", "training.optimizer.amsgrad",
    "training.optimizer.centered", "training.optimizer.rho", "training.optimizer.lr_decay",
    "training.optimizer.initial_accumulator_value", "training.schedule.name",
    "training.schedule.step_size", "training.schedule.gamma", "training.schedule.t_max",
    "training.schedule.eta_min", "training.regularization.method", "training.regularization.lambda",
    "training.regularization.r", "training.regularization.dropout",
    "training.early_stopping.patience", "training.clip_norm", "lesson.title", "lesson.text",
    "lesson.locked",
};

static nn_diags diags;

static void check_error(nn_status st, const nn_error *err, const char *what)
{
    FUZZ_CHECK(err->code == st, "%s: err.code %d != status %d", what, (int)err->code, (int)st);
    FUZZ_CHECK(fuzz_terminated(err->msg, sizeof err->msg), "%s: message not terminated", what);
    FUZZ_CHECK(err->msg[0] != '\0', "%s: status %d without a message", what, (int)st);
}

/* For every key that has a value: setting the key to the value nn_preset_get gives must succeed
 * and change nothing (compared as written JSON): --set and the UI's editor rely on it. */
static void check_get_set(const nn_preset *a)
{
    char *before = nn_preset_to_json(a);
    FUZZ_CHECK(before != NULL, "nn_preset_to_json returned NULL");
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        static char val[16384];
        nn_error err;
        if (!a->lesson.present && strncmp(keys[i], "lesson.", 7) == 0)
            continue;   /* setting a lesson key creates the lesson: a change, by design */
        if (nn_preset_get(a, keys[i], val, sizeof val, &err) != NN_OK)
            continue;   /* e.g. an optimizer parameter the optimizer does not take, a missing layer */
        FUZZ_CHECK(fuzz_terminated(val, sizeof val), "get %s: not terminated", keys[i]);
        memcpy(&r, a, sizeof r);
        nn_status st = nn_preset_set(&r, keys[i], val, &err);
        FUZZ_CHECK(st == NN_OK, "set %s to its own value %s fails: %s", keys[i], val, err.msg);
        char *after = nn_preset_to_json(&r);
        FUZZ_CHECK(after != NULL, "nn_preset_to_json returned NULL");
        FUZZ_CHECK(strcmp(before, after) == 0, "set %s to its own value %s changes the preset:\n%s\n---\n%s",
                   keys[i], val, before, after);
        free(after);
    }
    free(before);
}

/* An accepted preset must be valid, and written text must read back to the same text. */
static void check_roundtrip(const nn_preset *a, unsigned hash)
{
    nn_error err;
    nn_status st = nn_preset_validate(a, &diags, &err);
    FUZZ_CHECK(st == NN_OK, "accepted preset fails validate: %s", err.msg);
    if (hash % 64 == 0)   /* costly (a set and a write per key): one accepted input in 64 */
        check_get_set(a);
    char *j1 = nn_preset_to_json(a);
    FUZZ_CHECK(j1 != NULL, "nn_preset_to_json returned NULL");
    st = nn_preset_parse(&q, j1, strlen(j1), "roundtrip.json", &diags, &err);
    FUZZ_CHECK(st == NN_OK, "written preset does not parse back: %s\n%s", err.msg, j1);
    char *j2 = nn_preset_to_json(&q);
    FUZZ_CHECK(j2 != NULL, "nn_preset_to_json returned NULL");
    st = nn_preset_parse(&q, j2, strlen(j2), "roundtrip.json", &diags, &err);
    FUZZ_CHECK(st == NN_OK, "second round trip does not parse: %s", err.msg);
    char *j3 = nn_preset_to_json(&q);
    FUZZ_CHECK(j3 != NULL, "nn_preset_to_json returned NULL");
    FUZZ_CHECK(strcmp(j2, j3) == 0, "writer is not stable:\n%s\n---\n%s", j2, j3);
    free(j1);
    free(j2);
    free(j3);
}

static void fuzz_sets(const char *buf, size_t len, unsigned hash)
{
    nn_error err;
    nn_status st = nn_preset_load(&p, "iris", NULL, &err);
    FUZZ_CHECK(st == NN_OK, "builtin iris does not load: %s", err.msg);
    size_t i = 4;   /* after "SET\n" */
    while (i < len) {
        size_t e = i;
        while (e < len && buf[e] != '\n')
            e++;
        static char line[8192];   /* longer than any preset string (lesson.text: 4096) */
        size_t n = e - i < sizeof line - 1 ? e - i : sizeof line - 1;
        memcpy(line, buf + i, n);
        line[n] = '\0';
        i = e + 1;
        char *eq = strchr(line, '=');
        if (!eq)
            continue;
        *eq = '\0';
        memcpy(&q, &p, sizeof p);
        st = nn_preset_set(&p, line, eq + 1, &err);
        if (st != NN_OK) {
            check_error(st, &err, "nn_preset_set");
            FUZZ_CHECK(memcmp(&p, &q, sizeof p) == 0, "refused nn_preset_set changed the preset (%s)", line);
        } else {
            char out[8192];
            st = nn_preset_get(&p, line, out, sizeof out, &err);
            FUZZ_CHECK(st == NN_OK || err.msg[0], "nn_preset_get failed without a message");
            if (st == NN_OK)
                FUZZ_CHECK(fuzz_terminated(out, sizeof out), "nn_preset_get output not terminated");
        }
    }
    check_roundtrip(&p, hash);   /* the costly get/set sweep for one input in 64, as for JSON inputs */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = fuzz_dup(data, size);
    if (!buf)
        return 0;
    unsigned h = 2166136261u;   /* FNV-1a of the input: which inputs get the costly check */
    for (size_t i = 0; i < size; i++)
        h = (h ^ (unsigned char)buf[i]) * 16777619u;
    if (size >= 4 && memcmp(buf, "SET\n", 4) == 0) {
        fuzz_sets(buf, size, h);
        free(buf);
        return 0;
    }
    /* nn_json_check follows cJSON's grammar: where cJSON fails and the check accepts, a parse failure
     * would be reported as "out of memory" */
    cJSON *tree = cJSON_ParseWithLength(buf, size);
    nn_json_verdict verdict = nn_json_check(buf, size, NULL);
    FUZZ_CHECK((tree != NULL) == (verdict == NN_JSON_OK), "cJSON %s, nn_json_check %s", tree ? "parses" : "fails",
               verdict == NN_JSON_OK ? "accepts" : "refuses");
    cJSON_Delete(tree);
    nn_error err;
    nn_diags_clear(&diags);
    nn_status st = nn_preset_parse(&p, buf, size, "fuzz/preset.json", &diags, &err);
    FUZZ_CHECK(diags.count >= 0 && diags.count <= NN_MAX_DIAGS, "diags.count %d", diags.count);
    for (int i = 0; i < diags.count; i++)
        FUZZ_CHECK(fuzz_terminated(diags.msg[i], NN_ERRMSG), "diag %d not terminated", i);
    if (st != NN_OK) {
        check_error(st, &err, "nn_preset_parse");
        FUZZ_CHECK(diags.count + diags.dropped >= 1, "refused preset with no diagnostic: %s", err.msg);
    } else {
        FUZZ_CHECK(p.n_layers >= 1 && p.n_layers <= NN_MAX_LAYERS, "n_layers %d", p.n_layers);
        check_roundtrip(&p, h);
    }
    free(buf);
    return 0;
}
