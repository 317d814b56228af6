/* test_preset.c — preset parsing, validation messages, defaults, round trips, --set/get, locks,
 * built-ins and atomic saving. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "preset.h"
#include "preset_schema.h"
#include "trainer.h"

#include <dirent.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "nn_tmp.h"

// --- helpers ---------------------------------------------------------------------------------------

static nn_status parse_text(nn_preset *p, const char *json, nn_diags *d, nn_error *e)
{
    nn_diags_clear(d);
    nn_error_clear(e);
    return nn_preset_parse(p, json, strlen(json), "bad.json", d, e);
}

static bool same_double(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

/* Field-by-field equality; the first difference goes to why. */
static bool preset_equal(const nn_preset *a, const nn_preset *b, char *why, size_t n)
{
#define STR(f) if (strcmp(a->f, b->f) != 0) { snprintf(why, n, #f ": \"%.200s\" vs \"%.200s\"", a->f, b->f); return false; }
#define NUM(f) if (!same_double((double)a->f, (double)b->f)) { snprintf(why, n, #f ": %.17g vs %.17g", (double)a->f, (double)b->f); return false; }
    STR(name) STR(description) NUM(seed)
    STR(dataset.source) STR(dataset.path) STR(dataset.label) NUM(dataset.task)
    STR(dataset.images) STR(dataset.labels) STR(dataset.test_images) STR(dataset.test_labels)
    NUM(dataset.samples) NUM(dataset.noise) NUM(dataset.normalize)
    NUM(dataset.split_train) NUM(dataset.split_val) NUM(dataset.split_test) NUM(dataset.shuffle)
    NUM(n_layers)
    for (int i = 0; i < a->n_layers; i++) {
        NUM(layers[i].units) NUM(layers[i].act) NUM(layers[i].alpha) NUM(layers[i].init) NUM(layers[i].dist)
    }
    NUM(training.epochs) NUM(training.batch_size) NUM(training.loss)
    NUM(training.optimizer.kind) NUM(training.optimizer.lr) NUM(training.optimizer.momentum)
    NUM(training.optimizer.dampening) NUM(training.optimizer.nesterov) NUM(training.optimizer.weight_decay)
    NUM(training.optimizer.alpha) NUM(training.optimizer.eps) NUM(training.optimizer.beta1)
    NUM(training.optimizer.beta2) NUM(training.optimizer.amsgrad) NUM(training.optimizer.centered)
    NUM(training.optimizer.rho) NUM(training.optimizer.lr_decay) NUM(training.optimizer.initial_accumulator_value)
    NUM(training.schedule.kind) NUM(training.schedule.step_size) NUM(training.schedule.gamma)
    NUM(training.schedule.t_max) NUM(training.schedule.eta_min)
    NUM(training.reg) NUM(training.lambda) NUM(training.r) NUM(training.dropout)
    NUM(training.patience) NUM(training.clip_norm)
    NUM(lesson.present) STR(lesson.title) STR(lesson.text) NUM(lesson.n_locked)
    for (int i = 0; i < a->lesson.n_locked; i++) {
        STR(lesson.locked[i])
    }
    STR(file) STR(base_dir)
#undef STR
#undef NUM
    return true;
}

static void assert_preset_equal(const nn_preset *a, const nn_preset *b)
{
    char why[600] = "";
    if (!preset_equal(a, b, why, sizeof why))
        fail_msg("presets differ: %s", why);
}

static void load_builtin(nn_preset *p, const char *name)
{
    nn_diags d = {0};
    nn_error e = {0};
    nn_status st = nn_preset_load(p, name, &d, &e);
    if (st != NN_OK)
        fail_msg("%s: %s", name, e.msg);
}

static const char *source_root(void)
{
    const char *r = getenv("NN_SOURCE_ROOT");
    return r ? r : ".";
}

// --- bad presets: one per kind of error -------------------------------------------------------------

typedef struct {
    const char *what;       /* for failure messages */
    const char *json;
    const char *prefix;     /* err.msg starts with this: "bad.json: training.epochs: " */
    const char *fragment;   /* and contains this */
} bad_case;

#define SRC "\"dataset\": {\"source\": \"iris\"}"

static const bad_case bad_cases[] = {
    /* unknown keys, one per level */
    {"unknown root key", "{" SRC ", \"epochs\": 5}", "bad.json: epochs: ",
     "unknown key (allowed here: name, description, seed, dataset, model, training, ui, lesson)"},
    {"unknown dataset key", "{\"dataset\": {\"source\": \"iris\", \"nois\": 0.1}}", "bad.json: dataset.nois: ",
     "did you mean \"noise\"?"},
    {"unknown split key", "{\"dataset\": {\"source\": \"iris\", \"split\": {\"training\": 1}}}",
     "bad.json: dataset.split.training: ", "allowed here: train, val, test"},
    {"unknown model key", "{" SRC ", \"model\": {\"layer\": []}}", "bad.json: model.layer: ", "allowed here: layers"},
    {"unknown layer key", "{" SRC ", \"model\": {\"layers\": [{\"unit\": 4}, {}]}}", "bad.json: model.layers.0.unit: ",
     "did you mean \"units\"?"},
    {"unknown training key", "{" SRC ", \"training\": {\"epoch\": 3}}", "bad.json: training.epoch: ",
     "did you mean \"epochs\"?"},
    {"unknown optimizer key", "{" SRC ", \"training\": {\"optimizer\": {\"lr\": 0.1}}}", "bad.json: training.optimizer.lr: ",
     "unknown key"},
    {"unknown schedule key", "{" SRC ", \"training\": {\"schedule\": {\"steps\": 3}}}", "bad.json: training.schedule.steps: ",
     "unknown key"},
    {"unknown regularization key", "{" SRC ", \"training\": {\"regularization\": {\"l2\": 3}}}",
     "bad.json: training.regularization.l2: ", "allowed here: method, lambda, r, dropout"},
    {"unknown early_stopping key", "{" SRC ", \"training\": {\"early_stopping\": {\"epochs\": 3}}}",
     "bad.json: training.early_stopping.epochs: ", "allowed here: patience"},
    {"unknown lesson key", "{" SRC ", \"lesson\": {\"body\": \"x\"}}", "bad.json: lesson.body: ",
     "allowed here: title, text, locked"},
    {"duplicate key", "{" SRC ", \"seed\": 1, \"seed\": 2}", "bad.json: seed: ", "duplicate key"},
    /* wrong types */
    {"string for an integer", "{" SRC ", \"training\": {\"epochs\": \"20\"}}", "bad.json: training.epochs: ",
     "\"20\" is a string, expected an integer or \"forever\""},
    {"a word for a number that takes another", "{" SRC ", \"training\": {\"epochs\": \"max\"}}",
     "bad.json: training.epochs: ", "\"max\" is a string, expected an integer or \"forever\""},
    {"ui.pace: a word of another key", "{" SRC ", \"ui\": {\"pace\": \"forever\"}}", "bad.json: ui.pace: ",
     "\"forever\" is a string, expected an integer, \"max\" or \"auto\""},
    {"fraction for an integer", "{" SRC ", \"training\": {\"batch_size\": 2.5}}", "bad.json: training.batch_size: ",
     "2.5 is not an integer"},
    {"string for a boolean", "{\"dataset\": {\"source\": \"iris\", \"shuffle\": \"yes\"}}", "bad.json: dataset.shuffle: ",
     "expected true or false"},
    {"object for a string", "{" SRC ", \"name\": {}}", "bad.json: name: ", "an object, expected a string"},
    {"layers not an array", "{" SRC ", \"model\": {\"layers\": {\"units\": 3}}}", "bad.json: model.layers: ",
     "expected an array"},
    {"dataset not an object", "{\"dataset\": \"iris\"}", "bad.json: dataset: ", "expected an object"},
    {"top level not an object", "[1, 2]", "bad.json: ", "expected a JSON object"},
    {"seed not an integer", "{" SRC ", \"seed\": 1.5}", "bad.json: seed: ", "not an integer"},
    /* out of range, one per range class */
    {"epochs 0", "{" SRC ", \"training\": {\"epochs\": 0}}", "bad.json: training.epochs: ",
     "0 is out of range (1..1000000, or \"forever\")"},
    {"pace 0", "{" SRC ", \"ui\": {\"pace\": 0}}", "bad.json: ui.pace: ",
     "0 is out of range (1..200, \"max\" or \"auto\")"},
    {"a view that is not one", "{" SRC ", \"ui\": {\"view\": \"weights\"}}", "bad.json: ui.view: ",
     "\"weights\""},
    {"forever and a cosine over the run's epochs",
     "{" SRC ", \"training\": {\"epochs\": \"forever\", \"schedule\": {\"name\": \"cosine\"}}}",
     "bad.json: training.schedule.t_max: ", "0 anneals over the run's epochs, and training.epochs is \"forever\""},
    {"batch_size 0", "{" SRC ", \"training\": {\"batch_size\": 0}}", "bad.json: training.batch_size: ",
     "0 is out of range (1..1000000)"},
    {"units too many", "{" SRC ", \"model\": {\"layers\": [{\"units\": 70000}, {}]}}", "bad.json: model.layers.0.units: ",
     "70000 is out of range (0..65536)"},
    {"hidden units 0", "{" SRC ", \"model\": {\"layers\": [{\"units\": 0}, {}]}}", "bad.json: model.layers.0.units: ",
     "only allowed on the last layer"},
    {"learning rate 0", "{" SRC ", \"training\": {\"optimizer\": {\"learning_rate\": 0}}}",
     "bad.json: training.optimizer.learning_rate: ", "0 is out of range (must be > 0)"},
    {"learning rate huge", "{" SRC ", \"training\": {\"optimizer\": {\"learning_rate\": 1e999}}}",
     "bad.json: training.optimizer.learning_rate: ", "inf is out of range (must be > 0)"},
    {"momentum 1", "{" SRC ", \"training\": {\"optimizer\": {\"momentum\": 1}}}", "bad.json: training.optimizer.momentum: ",
     "1 is out of range [0, 1)"},
    {"dampening 1.5", "{" SRC ", \"training\": {\"optimizer\": {\"dampening\": 1.5}}}",
     "bad.json: training.optimizer.dampening: ", "1.5 is out of range [0, 1]"},
    {"beta1 1", "{" SRC ", \"training\": {\"optimizer\": {\"name\": \"adam\", \"beta1\": 1}}}",
     "bad.json: training.optimizer.beta1: ", "1 is out of range [0, 1)"},
    {"beta2 negative", "{" SRC ", \"training\": {\"optimizer\": {\"name\": \"adamw\", \"beta2\": -0.1}}}",
     "bad.json: training.optimizer.beta2: ", "-0.1 is out of range [0, 1)"},
    {"epsilon 0", "{" SRC ", \"training\": {\"optimizer\": {\"name\": \"adam\", \"epsilon\": 0}}}",
     "bad.json: training.optimizer.epsilon: ", "0 is out of range (must be > 0)"},
    {"rho 2", "{" SRC ", \"training\": {\"optimizer\": {\"name\": \"adadelta\", \"rho\": 2}}}",
     "bad.json: training.optimizer.rho: ", "2 is out of range [0, 1]"},
    {"rmsprop alpha 1", "{" SRC ", \"training\": {\"optimizer\": {\"name\": \"rmsprop\", \"alpha\": 1}}}",
     "bad.json: training.optimizer.alpha: ", "1 is out of range [0, 1)"},
    {"weight decay negative", "{" SRC ", \"training\": {\"optimizer\": {\"weight_decay\": -1}}}",
     "bad.json: training.optimizer.weight_decay: ", "-1 is out of range (must be >= 0)"},
    {"dropout 1", "{" SRC ", \"training\": {\"regularization\": {\"dropout\": 1}}}",
     "bad.json: training.regularization.dropout: ", "1 is out of range [0, 1)"},
    {"lambda negative", "{" SRC ", \"training\": {\"regularization\": {\"lambda\": -0.5}}}",
     "bad.json: training.regularization.lambda: ", "-0.5 is out of range (must be >= 0)"},
    {"r 1.5", "{" SRC ", \"training\": {\"regularization\": {\"r\": 1.5}}}", "bad.json: training.regularization.r: ",
     "1.5 is out of range [0, 1]"},
    {"samples 0", "{\"dataset\": {\"source\": \"xor\", \"samples\": 0}}", "bad.json: dataset.samples: ",
     "0 is out of range (1..10000000)"},
    {"noise negative", "{\"dataset\": {\"source\": \"xor\", \"noise\": -0.1}}", "bad.json: dataset.noise: ",
     "-0.1 is out of range [0, 1000]"},
    {"patience negative", "{" SRC ", \"training\": {\"early_stopping\": {\"patience\": -1}}}",
     "bad.json: training.early_stopping.patience: ", "-1 is out of range (0..1000000)"},
    {"gamma 0", "{" SRC ", \"training\": {\"schedule\": {\"name\": \"exponential\", \"gamma\": 0}}}",
     "bad.json: training.schedule.gamma: ", "0 is out of range (must be > 0)"},
    {"step_size 0", "{" SRC ", \"training\": {\"schedule\": {\"name\": \"step\", \"step_size\": 0}}}",
     "bad.json: training.schedule.step_size: ", "0 is out of range (1..1000000)"},
    {"t_max negative", "{" SRC ", \"training\": {\"schedule\": {\"name\": \"cosine\", \"t_max\": -1}}}",
     "bad.json: training.schedule.t_max: ", "-1 is out of range (0..1000000)"},
    {"eta_min negative", "{" SRC ", \"training\": {\"schedule\": {\"name\": \"cosine\", \"eta_min\": -1}}}",
     "bad.json: training.schedule.eta_min: ", "-1 is out of range (must be >= 0)"},
    {"clip_norm negative", "{" SRC ", \"training\": {\"clip_norm\": -2}}", "bad.json: training.clip_norm: ",
     "-2 is out of range (must be >= 0)"},
    {"seed negative", "{" SRC ", \"seed\": -1}", "bad.json: seed: ", "-1 is out of range (0..9007199254740992)"},
    {"seed above 2^53", "{" SRC ", \"seed\": 18014398509481984}", "bad.json: seed: ", "is out of range (0..9007199254740992)"},
    {"split fraction above 1", "{\"dataset\": {\"source\": \"iris\", \"split\": {\"train\": 1.5}}}",
     "bad.json: dataset.split.train: ", "1.5 is out of range [0, 1]"},
    /* unknown names */
    {"unknown activation", "{" SRC ", \"model\": {\"layers\": [{\"units\": 4, \"activation\": \"rleu\"}, {}]}}",
     "bad.json: model.layers.0.activation: ", "\"rleu\" is not one of sigmoid, tanh, relu, leaky_relu, linear, softmax"},
    {"unknown loss", "{" SRC ", \"training\": {\"loss\": \"hinge\"}}", "bad.json: training.loss: ",
     "\"hinge\" is not one of mae, mse, rmse, binarycrossentropy, crossentropy, auto"},
    {"unknown optimizer", "{" SRC ", \"training\": {\"optimizer\": {\"name\": \"adamm\"}}}",
     "bad.json: training.optimizer.name: ", "\"adamm\" is not one of sgd, rmsprop, adam, adamw, adagrad, adadelta"},
    {"unknown schedule", "{" SRC ", \"training\": {\"schedule\": {\"name\": \"linear\"}}}",
     "bad.json: training.schedule.name: ", "\"linear\" is not one of constant, step, exponential, cosine"},
    {"unknown init", "{" SRC ", \"model\": {\"layers\": [{\"units\": 4, \"init\": \"glorot\"}, {}]}}",
     "bad.json: model.layers.0.init: ", "\"glorot\" is not one of auto, he, xavier"},
    {"unknown distribution", "{" SRC ", \"model\": {\"layers\": [{\"units\": 4, \"distribution\": \"gauss\"}, {}]}}",
     "bad.json: model.layers.0.distribution: ", "\"gauss\" is not one of normal, uniform"},
    {"unknown normalize", "{\"dataset\": {\"source\": \"iris\", \"normalize\": \"l2\"}}", "bad.json: dataset.normalize: ",
     "\"l2\" is not one of zscore, minmax, none"},
    {"unknown source", "{\"dataset\": {\"source\": \"mnist\"}}", "bad.json: dataset.source: ",
     "\"mnist\" is not one of iris, xor, circles, spiral, gaussians, moons, sine"},
    {"unknown method", "{" SRC ", \"training\": {\"regularization\": {\"method\": \"l3\"}}}",
     "bad.json: training.regularization.method: ", "\"l3\" is not one of none, l1, l2, elasticnet"},
    {"unknown task", "{\"dataset\": {\"source\": \"iris\", \"task\": \"ranking\"}}", "bad.json: dataset.task: ",
     "\"ranking\" is not one of classification, regression, auto"},
    /* cross-field rules */
    {"split not summing to 1", "{\"dataset\": {\"source\": \"iris\", \"split\": {\"train\": 0.7, \"val\": 0.2, \"test\": 0.2}}}",
     "bad.json: dataset.split: ", "= 1.1, expected the fractions to sum to 1"},
    {"no training split", "{\"dataset\": {\"source\": \"iris\", \"split\": {\"val\": 0.5, \"test\": 0.5}}}",
     "bad.json: dataset.split.train: ", "must be > 0"},
    {"missing source", "{\"dataset\": {\"normalize\": \"none\"}}", "bad.json: dataset.source: ",
     "missing (required: one of iris,"},
    {"missing dataset", "{\"seed\": 3}", "bad.json: dataset.source: ", "missing"},
    {"csv without path", "{\"dataset\": {\"source\": \"csv\"}}", "bad.json: dataset.path: ", "needs the path of a CSV file"},
    {"idx without images", "{\"dataset\": {\"source\": \"idx\", \"labels\": \"l.gz\"}}", "bad.json: dataset.images: ",
     "needs an images file"},
    {"idx test images without labels", "{\"dataset\": {\"source\": \"idx\", \"images\": \"i\", \"labels\": \"l\", "
     "\"test_images\": \"t\"}}", "bad.json: dataset.test_labels: ", "go together"},
    {"no layers", "{" SRC ", \"model\": {\"layers\": []}}", "bad.json: model.layers: ", "at least one layer"},
    {"too many layers", "{" SRC ", \"model\": {\"layers\": [{\"units\":1},{\"units\":1},{\"units\":1},{\"units\":1},"
     "{\"units\":1},{\"units\":1},{\"units\":1},{\"units\":1},{\"units\":1},{\"units\":1},{\"units\":1},{\"units\":1},"
     "{\"units\":1},{\"units\":1},{\"units\":1},{\"units\":1},{}]}}", "bad.json: model.layers: ", "too many (at most 16)"},
    {"crossentropy on regression", "{\"dataset\": {\"source\": \"sine\"}, \"training\": {\"loss\": \"crossentropy\"}}",
     "bad.json: training.loss: ", "needs a classification task, but the sine dataset is regression"},
    {"bce on a regression task", "{\"dataset\": {\"source\": \"csv\", \"path\": \"x.csv\", \"task\": \"regression\"}, "
     "\"training\": {\"loss\": \"binarycrossentropy\"}}", "bad.json: training.loss: ", "needs a classification task"},
    {"parameter of another optimizer", "{" SRC ", \"training\": {\"optimizer\": {\"name\": \"sgd\", \"beta1\": 0.9}}}",
     "bad.json: training.optimizer.beta1: ", "sgd takes no beta1 (its parameters: learning_rate, momentum, dampening, "
     "nesterov, weight_decay)"},
    {"parameter of another schedule", "{" SRC ", \"training\": {\"schedule\": {\"name\": \"cosine\", \"gamma\": 0.5}}}",
     "bad.json: training.schedule.gamma: ", "the cosine schedule takes no gamma"},
    {"nesterov without momentum", "{" SRC ", \"training\": {\"optimizer\": {\"nesterov\": true}}}",
     "bad.json: training.optimizer.nesterov: ", "needs momentum > 0 and dampening 0"},
    {"locked key invalid", "{" SRC ", \"lesson\": {\"locked\": [\"training.optimiser.name\"]}}",
     "bad.json: lesson.locked.0: ", "\"training.optimiser.name\" is not a preset key"},
    {"locked not strings", "{" SRC ", \"lesson\": {\"locked\": [3]}}", "bad.json: lesson.locked.0: ", "3 is a number"},
    {"string too long", "{" SRC ", \"lesson\": {\"title\": \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}}", "bad.json: lesson.title: ",
     "too long (at most 127)"},
    /* files */
    {"syntax error", "{\n  \"dataset\": {\"source\": \"iris\"}\n  \"seed\": 3\n}\n", "bad.json:3:3: JSON syntax error",
     "near \"\"seed\": 3\""},
    {"unclosed object", "{\n  \"dataset\": {\"source\": \"iris\"}\n", "bad.json:", "JSON syntax error: the file ends early"},
    {"trailing comma", "{\"seed\": 3,}", "bad.json:1:12: JSON syntax error", "trailing commas"},
    {"text after the object", "{" SRC "} x", "bad.json:1:33: JSON syntax error", "after the end of the object"},
    {"empty file", "", "bad.json: empty file", "a preset is a JSON object"},
    {"blank file", "  \n\t\n", "bad.json: empty file", ""},
};

static void test_each_kind_of_bad_preset_gives_a_message_naming_the_file_and_path(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const bad_case *c = &bad_cases[i];
        nn_preset p;
        nn_diags d;
        nn_error e;
        nn_status st = parse_text(&p, c->json, &d, &e);
        if (st == NN_OK)
            fail_msg("%s: accepted", c->what);
        if (strncmp(e.msg, c->prefix, strlen(c->prefix)) != 0)
            fail_msg("%s: message does not start with \"%s\":\n  %s", c->what, c->prefix, e.msg);
        if (!strstr(e.msg, c->fragment))
            fail_msg("%s: message lacks \"%s\":\n  %s", c->what, c->fragment, e.msg);
        if (d.count < 1 || strcmp(d.msg[0], e.msg) != 0)
            fail_msg("%s: the first diagnostic is not the error: %s", c->what, d.count ? d.msg[0] : "(none)");
        assert_int_equal(e.code, st);
    }
}

static void test_check_reports_every_problem_not_only_the_first(void **state)
{
    (void)state;
    const char *json = "{\"dataset\": {\"source\": \"iris\"},\n"
                       " \"model\": {\"layers\": [{\"units\": 4, \"activation\": \"foo\"}, {}]},\n"
                       " \"training\": {\"epochs\": 0, \"batch_size\": \"x\"}}";
    nn_preset p;
    nn_diags d;
    nn_error e;
    assert_int_not_equal(parse_text(&p, json, &d, &e), NN_OK);
    assert_int_equal(d.count, 3);
    assert_non_null(strstr(d.msg[0], "model.layers.0.activation: \"foo\""));
    assert_non_null(strstr(d.msg[1], "training.epochs: 0 is out of range"));
    assert_non_null(strstr(d.msg[2], "training.batch_size: \"x\" is a string"));
}

static void test_a_byte_order_mark_is_accepted(void **state)
{
    (void)state;
    nn_preset p;
    nn_diags d;
    nn_error e;
    assert_int_equal(parse_text(&p, "\xEF\xBB\xBF{\"dataset\": {\"source\": \"xor\"}}", &d, &e), NN_OK);
    assert_string_equal(p.dataset.source, "xor");
}

static void test_a_missing_file_gives_the_file_error_and_an_unknown_name_lists_the_builtins(void **state)
{
    (void)state;
    nn_preset p;
    nn_diags d = {0};
    nn_error e = {0};
    assert_int_not_equal(nn_preset_load(&p, "/nonexistent/dir/none.json", &d, &e), NN_OK);
    assert_non_null(strstr(e.msg, "/nonexistent/dir/none.json"));
    assert_int_equal(d.count, 1);
    nn_diags_clear(&d);
    assert_int_equal(nn_preset_load(&p, "no-such-preset", &d, &e), NN_EINVAL);
    assert_non_null(strstr(e.msg, "no-such-preset: no such file, and not a built-in preset (built-in: iris, circles"));
    assert_int_equal(d.count, 1);
}

static void test_validate_checks_a_struct_edited_directly(void **state)
{
    (void)state;
    nn_preset p;
    load_builtin(&p, "iris");
    nn_diags d = {0};
    nn_error e = {0};
    assert_int_equal(nn_preset_validate(&p, &d, &e), NN_OK);
    assert_int_equal(d.count, 0);
    p.training.epochs = -1;
    p.layers[0].act = 99;
    p.training.optimizer.momentum = 1.5;
    p.dataset.split_val = 0.5;
    p.lesson.n_locked = 1;
    strcpy(p.lesson.locked[0], "model.layers.x.units");
    assert_int_equal(nn_preset_validate(&p, &d, &e), NN_EINVAL);
    assert_int_equal(d.count, 5);
    assert_string_equal(d.msg[0], "builtin:iris.json: dataset.split: train 0.7 + val 0.5 + test 0.2 = 1.4, expected "
                                  "the fractions to sum to 1");
    assert_string_equal(d.msg[1], "builtin:iris.json: model.layers.0.activation: 99 is not an activation");
    assert_string_equal(d.msg[2], "builtin:iris.json: training.epochs: -1 is out of range (1..1000000, or \"forever\")");
    assert_string_equal(d.msg[3], "builtin:iris.json: training.optimizer.momentum: 1.5 is out of range [0, 1)");
    assert_non_null(strstr(d.msg[4], "lesson.locked.0: \"model.layers.x.units\" is not a preset key"));
    assert_string_equal(e.msg, d.msg[0]);
}

// --- defaults ---------------------------------------------------------------------------------------

static void test_the_smallest_preset_gets_exactly_the_documented_defaults(void **state)
{
    (void)state;
    nn_preset p, want;
    nn_diags d;
    nn_error e;
    assert_int_equal(parse_text(&p, "{\"dataset\": {\"source\": \"iris\"}}", &d, &e), NN_OK);
    nn_preset_defaults(&want);
    strcpy(want.dataset.source, "iris");
    strcpy(want.file, "bad.json");
    assert_preset_equal(&p, &want);
    /* the seed configuration, spelled out in the header */
    assert_int_equal(p.seed, 1234);
    assert_int_equal(p.training.epochs, 20);
    assert_int_equal(p.training.batch_size, 16);
    assert_int_equal(p.training.optimizer.kind, NN_OPT_SGD);
    assert_true(p.training.optimizer.lr == 0.03);
    assert_int_equal(p.n_layers, 2);
    assert_int_equal(p.layers[0].units, 40);
    assert_int_equal(p.layers[0].act, NN_ACT_RELU);
    assert_int_equal(p.layers[1].units, 0);
    assert_int_equal(p.layers[1].act, NN_AUTO);
    assert_true(p.dataset.split_train == 0.7 && p.dataset.split_val == 0.1 && p.dataset.split_test == 0.2);
    assert_true(p.training.r == 0.5);
}

static void test_an_optimizer_object_takes_that_optimizers_torch_defaults(void **state)
{
    (void)state;
    nn_preset p;
    nn_diags d;
    nn_error e;
    assert_int_equal(parse_text(&p, "{" SRC ", \"training\": {\"optimizer\": {\"name\": \"adamw\", \"beta2\": 0.99}}}",
                                &d, &e), NN_OK);
    nn_opt_params want;
    nn_opt_defaults(&want, NN_OPT_ADAMW);
    assert_true(p.training.optimizer.lr == want.lr);
    assert_true(p.training.optimizer.weight_decay == want.weight_decay);
    assert_true(p.training.optimizer.beta1 == want.beta1);
    assert_true(p.training.optimizer.beta2 == 0.99);
    /* an optimizer object without a name is sgd with torch's learning rate, not the seed's 0.03 */
    assert_int_equal(parse_text(&p, "{" SRC ", \"training\": {\"optimizer\": {\"momentum\": 0.9}}}", &d, &e), NN_OK);
    nn_opt_defaults(&want, NN_OPT_SGD);
    assert_int_equal(p.training.optimizer.kind, NN_OPT_SGD);
    assert_true(p.training.optimizer.lr == want.lr);
    assert_true(p.training.optimizer.momentum == 0.9);
    /* exponential's gamma differs from step's */
    assert_int_equal(parse_text(&p, "{" SRC ", \"training\": {\"schedule\": {\"name\": \"exponential\"}}}", &d, &e),
                     NN_OK);
    assert_true(p.training.schedule.gamma == 0.95);
}

/* Reads docs/preset-keys.md: each row's first `code` default must be what nn_preset_get says. */
static void test_the_defaults_in_docs_preset_keys_are_the_real_defaults(void **state)
{
    (void)state;
    char path[1024];
    snprintf(path, sizeof path, "%s/docs/preset-keys.md", source_root());
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("cannot open %s", path);
    nn_preset base;
    nn_preset_defaults(&base);
    strcpy(base.dataset.source, "iris");
    char line[4096];
    int checked = 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "| `", 3) != 0)
            continue;
        char key[128], def[256];
        const char *k = line + 3, *ke = strchr(k, '`');
        assert_non_null(ke);
        snprintf(key, sizeof key, "%.*s", (int)(ke - k), k);
        /* column 3 */
        const char *col = line;
        for (int bars = 0; bars < 2 && col; bars++)
            col = strchr(col + 1, '|');
        assert_non_null(col);
        const char *end = strchr(col + 1, '|');
        const char *tick = strchr(col, '`');
        if (!tick || tick > end)
            continue;   /* "required", or a description */
        const char *tick2 = strchr(tick + 1, '`');
        snprintf(def, sizeof def, "%.*s", (int)(tick2 - tick - 1), tick + 1);
        /* model.layers.N -> the last layer of the default model */
        char *n = strstr(key, ".N.");
        if (n)
            n[1] = '1';
        /* the first optimizer / schedule in table order that takes the key */
        char got[512];
        nn_error e;
        nn_status st = nn_preset_get(&base, key, got, sizeof got, &e);
        for (int i = 0; st != NN_OK && i < NN_OPT_COUNT; i++) {
            nn_preset q = base;
            assert_int_equal(nn_preset_set(&q, "training.optimizer.name", nn_opt_table[i].name, &e), NN_OK);
            st = nn_preset_get(&q, key, got, sizeof got, &e);
        }
        for (int i = 0; st != NN_OK && i < NN_SCHED_COUNT; i++) {
            nn_preset q = base;
            assert_int_equal(nn_preset_set(&q, "training.schedule.name", nn_sched_table[i].name, &e), NN_OK);
            st = nn_preset_get(&q, key, got, sizeof got, &e);
        }
        if (st != NN_OK)
            fail_msg("docs key %s: %s", key, e.msg);
        if (strcmp(got, def) != 0)
            fail_msg("docs say %s defaults to %s, the code says %s", key, def, got);
        checked++;
    }
    fclose(f);
    assert_true(checked >= 45);
}

/* docs/preset-keys.md is what `nnterm keys --markdown` generates from the tables, byte for byte. */
static void test_docs_preset_keys_is_the_generated_text(void **state)
{
    (void)state;
    char path[1024];
    snprintf(path, sizeof path, "%s/docs/preset-keys.md", source_root());
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    static char file[1 << 17];
    size_t n = fread(file, 1, sizeof file - 1, f);
    fclose(f);
    file[n] = '\0';
    char *gen = nn_preset_keys_doc(true);
    assert_non_null(gen);
    if (strcmp(gen, file) != 0) {
        size_t i = 0;
        while (gen[i] && gen[i] == file[i])
            i++;
        size_t from = i > 60 ? i - 60 : 0;
        fail_msg("docs/preset-keys.md differs from `nnterm keys --markdown` at byte %zu:\n  file: %.120s\n"
                 "  code: %.120s\n(regenerate it: build/src/nnterm keys --markdown > docs/preset-keys.md)",
                 i, file + from, gen + from);
    }
    free(gen);
    char *text = nn_preset_keys_doc(false);
    assert_non_null(text);
    assert_non_null(strstr(text, "training.optimizer.learning_rate"));
    assert_null(strchr(text, '`'));
    free(text);
}

// --- round trips and built-ins ---------------------------------------------------------------------

static void test_every_shipped_preset_round_trips_through_to_json_field_by_field(void **state)
{
    (void)state;
    assert_true(nn_preset_builtin_count() >= 10);
    for (int i = 0; i < nn_preset_builtin_count(); i++) {
        const char *name = nn_preset_builtin_name(i);
        nn_preset p, q;
        load_builtin(&p, name);
        char *text = nn_preset_to_json(&p);
        assert_non_null(text);
        nn_diags d = {0};
        nn_error e = {0};
        if (nn_preset_parse(&q, text, strlen(text), p.file, &d, &e) != NN_OK)
            fail_msg("%s: to_json output does not parse: %s\n%s", name, e.msg, text);
        char why[600] = "";
        if (!preset_equal(&p, &q, why, sizeof why))
            fail_msg("%s: round trip differs in %s", name, why);
        char *again = nn_preset_to_json(&q);
        assert_string_equal(text, again);
        free(text);
        free(again);
    }
}

static void test_round_trip_keeps_auto_values_unusual_numbers_and_lessons(void **state)
{
    (void)state;
    const char *json =
        "{\"name\": \"odd \\\"quoted\\\" \\\\ name\", \"description\": \"two\\nlines\", \"seed\": 9007199254740992,"
        " \"dataset\": {\"source\": \"csv\", \"path\": \"d/x.csv\", \"label\": 3, \"task\": \"regression\","
        "  \"samples\": 17, \"noise\": 0.30000000000000004, \"normalize\": \"minmax\","
        "  \"split\": {\"train\": 0.6, \"val\": 0.3, \"test\": 0.1}, \"shuffle\": false},"
        " \"model\": {\"layers\": [{\"units\": 7, \"activation\": \"leaky_relu\", \"alpha\": 0.1, \"init\": \"xavier\","
        "  \"distribution\": \"uniform\"}, {\"units\": \"auto\", \"activation\": \"auto\", \"alpha\": \"auto\"}]},"
        " \"training\": {\"epochs\": 3, \"batch_size\": 5, \"loss\": \"mae\","
        "  \"optimizer\": {\"name\": \"adagrad\", \"learning_rate\": 1e-7, \"lr_decay\": 0.001,"
        "   \"initial_accumulator_value\": 0.1},"
        "  \"schedule\": {\"name\": \"cosine\", \"t_max\": 7, \"eta_min\": 1e-5},"
        "  \"regularization\": {\"method\": \"elasticnet\", \"lambda\": 0.001, \"r\": 0.25, \"dropout\": 0.5},"
        "  \"early_stopping\": {\"patience\": 4}, \"clip_norm\": 2.5},"
        " \"lesson\": {\"title\": \"T\", \"text\": \"caf\\u00e9\", \"locked\": [\"model.layers.*.units\", \"seed\"]}}";
    nn_preset p, q;
    nn_diags d;
    nn_error e;
    if (parse_text(&p, json, &d, &e) != NN_OK)
        fail_msg("%s", e.msg);
    assert_string_equal(p.dataset.label, "3");
    assert_true(p.layers[0].alpha == 0.1f);
    assert_true(isnan(p.layers[1].alpha));
    char *text = nn_preset_to_json(&p);
    assert_non_null(text);
    if (parse_text(&q, text, &d, &e) != NN_OK)
        fail_msg("%s\n%s", e.msg, text);
    assert_preset_equal(&p, &q);
    free(text);
    /* 2-space indentation and the documented key order */
    text = nn_preset_to_json(&p);
    assert_true(strncmp(text, "{\n  \"name\": ", 12) == 0);
    const char *order[] = {"\"name\"", "\"description\"", "\"seed\"", "\"dataset\"", "\"source\"", "\"path\"",
                           "\"label\"", "\"task\"", "\"samples\"", "\"noise\"", "\"normalize\"", "\"split\"",
                           "\"shuffle\"", "\"model\"", "\"layers\"", "\"training\"", "\"epochs\"", "\"batch_size\"",
                           "\"loss\"", "\"optimizer\"", "\"schedule\"", "\"regularization\"", "\"early_stopping\"",
                           "\"clip_norm\"", "\"lesson\"", "\"locked\""};
    const char *at = text;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        const char *next = strstr(at, order[i]);
        if (!next)
            fail_msg("%s missing or out of order in\n%s", order[i], text);
        at = next;
    }
    free(text);
}

static void test_the_builtin_list_is_every_embedded_json_iris_first_then_alphabetical(void **state)
{
    (void)state;
    int n = nn_preset_builtin_count();
    assert_string_equal(nn_preset_builtin_name(0), "iris");
    for (int i = 2; i < n; i++)
        assert_true(strcmp(nn_preset_builtin_name(i - 1), nn_preset_builtin_name(i)) < 0);
    assert_null(nn_preset_builtin_name(n));
    int json = 0;
    for (size_t i = 0; i < nn_builtin_file_count; i++) {
        const char *f = nn_builtin_files[i].name;
        size_t len = strlen(f);
        if (len < 5 || strcmp(f + len - 5, ".json") != 0)
            continue;
        json++;
        bool found = false;
        for (int k = 0; k < n; k++)
            found |= strlen(nn_preset_builtin_name(k)) == len - 5 && strncmp(nn_preset_builtin_name(k), f, len - 5) == 0;
        if (!found)
            fail_msg("embedded %s is not listed by nn_preset_builtin_name", f);
    }
    assert_int_equal(json, n);
}

static void test_every_file_in_the_presets_folder_is_embedded(void **state)
{
    (void)state;
    char path[1024];
    snprintf(path, sizeof path, "%s/presets", source_root());
    DIR *dir = opendir(path);
    assert_non_null(dir);
    struct dirent *de;
    int files = 0;
    while ((de = readdir(dir))) {
        if (de->d_name[0] == '.' || strcmp(de->d_name, "meson.build") == 0)
            continue;
        files++;
        bool found = false;
        for (size_t i = 0; i < nn_builtin_file_count; i++)
            found |= strcmp(nn_builtin_files[i].name, de->d_name) == 0;
        if (!found)
            fail_msg("presets/%s is not listed in presets/meson.build", de->d_name);
    }
    closedir(dir);
    assert_int_equal((size_t)files, nn_builtin_file_count);
}

static void test_a_builtin_resolves_paths_against_the_embedded_files(void **state)
{
    (void)state;
    nn_preset p;
    load_builtin(&p, "wine");
    assert_string_equal(p.file, "builtin:wine.json");
    assert_string_equal(p.base_dir, "builtin:");
    char joined[NN_PATH_MAX];
    assert_int_equal(nn_path_join(joined, sizeof joined, p.base_dir, p.dataset.path), 0);
    assert_string_equal(joined, "builtin:wine.csv");
    char *buf = NULL;
    size_t len = 0;
    nn_error e;
    assert_int_equal(nn_file_read(joined, &buf, &len, &e), NN_OK);
    assert_true(strncmp(buf, "alcohol,", 8) == 0);
    free(buf);
}

// --- set, get, locks ---------------------------------------------------------------------------------

static void set_ok(nn_preset *p, const char *key, const char *value)
{
    nn_error e = {0};
    if (nn_preset_set(p, key, value, &e) != NN_OK)
        fail_msg("set %s=%s: %s", key, value, e.msg);
}

/* A number key with a word for a value outside its range: training.epochs "forever" (0) and ui.pace
 * "max" (0, next to "auto"). The word is set, read back and written as the word; numbers stay numbers. */
static void test_words_forever_and_max_set_read_back_and_round_trip(void **state)
{
    (void)state;
    nn_preset p;
    load_builtin(&p, "xor");
    char got[64];
    nn_error e;
    set_ok(&p, "training.epochs", "forever");
    assert_int_equal(p.training.epochs, 0);
    assert_int_equal(nn_preset_get(&p, "training.epochs", got, sizeof got, &e), NN_OK);
    assert_string_equal(got, "\"forever\"");
    assert_int_equal(p.ui.pace, NN_AUTO);
    char *json = nn_preset_to_json(&p);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"epochs\": \"forever\""));
    assert_null(strstr(json, "\"ui\""));   /* auto: left out, and with it the object */
    free(json);
    set_ok(&p, "ui.pace", "max");
    assert_int_equal(p.ui.pace, 0);
    json = nn_preset_to_json(&p);
    assert_non_null(strstr(json, "\"pace\": \"max\""));
    nn_preset q;
    nn_diags d = {0};
    assert_int_equal(nn_preset_parse(&q, json, strlen(json), "rt.json", &d, &e), NN_OK);
    free(json);
    assert_int_equal(q.training.epochs, 0);
    assert_int_equal(q.ui.pace, 0);
    set_ok(&q, "ui.pace", "20");
    set_ok(&q, "training.epochs", "7");
    assert_int_equal(nn_preset_get(&q, "ui.pace", got, sizeof got, &e), NN_OK);
    assert_string_equal(got, "20");
    assert_int_equal(q.training.epochs, 7);
    set_ok(&q, "ui.pace", "auto");
    assert_int_equal(q.ui.pace, NN_AUTO);
    /* ui.view: a name, written and read back; auto leaves it out */
    set_ok(&q, "ui.view", "\"neurons\"");
    assert_int_equal(q.ui.view, 2);
    json = nn_preset_to_json(&q);
    assert_non_null(strstr(json, "\"view\": \"neurons\""));
    nn_preset r;
    assert_int_equal(nn_preset_parse(&r, json, strlen(json), "rt.json", &d, &e), NN_OK);
    free(json);
    assert_int_equal(r.ui.view, 2);
    set_ok(&q, "ui.view", "\"auto\"");
    assert_int_equal(q.ui.view, NN_AUTO);
    assert_int_not_equal(nn_preset_set(&q, "training.epochs", "0", &e), NN_OK);   /* 0 is written "forever" */
    assert_non_null(strstr(e.msg, "0 is out of range (1..1000000, or \"forever\")"));
    assert_int_equal(q.training.epochs, 7);
}

static void test_set_changes_numbers_strings_and_booleans(void **state)
{
    (void)state;
    nn_preset p;
    load_builtin(&p, "iris");
    set_ok(&p, "training.epochs", "50");
    assert_int_equal(p.training.epochs, 50);
    set_ok(&p, "training.optimizer.learning_rate", "0.125");
    assert_true(p.training.optimizer.lr == 0.125);
    set_ok(&p, "dataset.shuffle", "false");
    assert_false(p.dataset.shuffle);
    set_ok(&p, "name", "My run");   /* not JSON: a string */
    assert_string_equal(p.name, "My run");
    set_ok(&p, "description", "\"true\"");
    assert_string_equal(p.description, "true");
    set_ok(&p, "model.layers.0.activation", "tanh");
    assert_int_equal(p.layers[0].act, NN_ACT_TANH);
    set_ok(&p, "dataset.split", "{\"train\": 0.8, \"test\": 0.2}");
    assert_true(p.dataset.split_train == 0.8 && p.dataset.split_val == 0.0);
    set_ok(&p, "lesson.title", "Try it");
    assert_true(p.lesson.present);
    set_ok(&p, "training.epochs", "null");   /* back to the default */
    assert_int_equal(p.training.epochs, 20);
    assert_string_equal(p.file, "builtin:iris.json");
    assert_string_equal(p.base_dir, "builtin:");
}

static void test_set_optimizer_name_switches_to_that_optimizers_defaults(void **state)
{
    (void)state;
    nn_preset p;
    load_builtin(&p, "iris");
    set_ok(&p, "training.optimizer.momentum", "0.9");
    set_ok(&p, "training.optimizer.name", "adam");
    nn_opt_params want;
    nn_opt_defaults(&want, NN_OPT_ADAM);
    assert_int_equal(p.training.optimizer.kind, NN_OPT_ADAM);
    assert_true(p.training.optimizer.lr == want.lr);
    assert_true(p.training.optimizer.beta1 == want.beta1);
    set_ok(&p, "training.optimizer.learning_rate", "0.01");
    set_ok(&p, "training.optimizer.name", "adam");   /* same name: keeps the parameters */
    assert_true(p.training.optimizer.lr == 0.01);
    nn_error e;
    assert_int_not_equal(nn_preset_set(&p, "training.optimizer.momentum", "0.9", &e), NN_OK);
    assert_non_null(strstr(e.msg, "adam takes no momentum"));
}

static void test_set_appends_and_removes_layers(void **state)
{
    (void)state;
    nn_preset p;
    load_builtin(&p, "iris");
    nn_error e;
    /* appending after an auto-sized output layer would leave a hidden layer without units */
    assert_int_not_equal(nn_preset_set(&p, "model.layers.2", "{\"activation\": \"softmax\"}", &e), NN_OK);
    assert_non_null(strstr(e.msg, "model.layers.1.units: 0 (auto) is only allowed on the last layer"));
    assert_int_equal(p.n_layers, 2);
    set_ok(&p, "model.layers.1.units", "16");
    set_ok(&p, "model.layers.2", "{\"activation\": \"softmax\"}");
    assert_int_equal(p.n_layers, 3);
    assert_int_equal(p.layers[1].units, 16);
    assert_int_equal(p.layers[2].act, NN_ACT_SOFTMAX);
    set_ok(&p, "model.layers.2.units", "3");
    set_ok(&p, "model.layers.3.units", "auto");   /* a new layer from one key */
    assert_int_equal(p.n_layers, 4);
    set_ok(&p, "model.layers.0", "null");
    assert_int_equal(p.n_layers, 3);
    assert_int_equal(p.layers[0].units, 16);
    assert_int_not_equal(nn_preset_set(&p, "model.layers.7", "{}", &e), NN_OK);
    assert_non_null(strstr(e.msg, "model.layers.7: no such element (indices 0..2; 3 appends)"));
}

static void test_an_invalid_set_names_the_key_and_leaves_the_preset_unchanged(void **state)
{
    (void)state;
    nn_preset p, before;
    load_builtin(&p, "xor");
    before = p;
    static const struct {
        const char *key, *value, *fragment;
    } cases[] = {
        {"training.batch_size", "0", "builtin:xor.json: training.batch_size: 0 is out of range (1..1000000)"},
        {"training.foo", "1", "training.foo: unknown key"},
        {"model.layers.0.activation", "rleu", "model.layers.0.activation: \"rleu\" is not one of"},
        {"training.epochs.x", "1", "training.epochs: is a number, so it has no key \"x\""},
        {"model.layers.x", "{}", "model.layers.x: no such element"},
        {"", "1", "is not a key"},
        {"training..epochs", "1", "is not a key"},
        {"dataset.split.train", "0.9", "dataset.split: train 0.9 + val 0.1 + test 0.2"},
        {"dataset.source", "null", "dataset.source: missing"},
        {"lesson.locked", "[\"nope\"]", "lesson.locked.0: \"nope\" is not a preset key"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nn_error e = {0};
        if (nn_preset_set(&p, cases[i].key, cases[i].value, &e) == NN_OK)
            fail_msg("set %s=%s was accepted", cases[i].key, cases[i].value);
        if (!strstr(e.msg, cases[i].fragment))
            fail_msg("set %s=%s: \"%s\" lacks \"%s\"", cases[i].key, cases[i].value, e.msg, cases[i].fragment);
        assert_preset_equal(&p, &before);
    }
}

static void test_get_returns_json_text_and_auto_for_auto_values(void **state)
{
    (void)state;
    nn_preset p;
    load_builtin(&p, "iris");
    char out[256];
    nn_error e;
    assert_int_equal(nn_preset_get(&p, "training.optimizer.learning_rate", out, sizeof out, &e), NN_OK);
    assert_string_equal(out, "0.03");
    assert_int_equal(nn_preset_get(&p, "model.layers.0.activation", out, sizeof out, &e), NN_OK);
    assert_string_equal(out, "\"relu\"");
    assert_int_equal(nn_preset_get(&p, "model.layers.1.units", out, sizeof out, &e), NN_OK);
    assert_string_equal(out, "\"auto\"");
    assert_int_equal(nn_preset_get(&p, "dataset.split", out, sizeof out, &e), NN_OK);
    assert_string_equal(out, "{\"train\": 0.7, \"val\": 0.1, \"test\": 0.2}");
    assert_int_not_equal(nn_preset_get(&p, "training.optimizer.beta1", out, sizeof out, &e), NN_OK);
    assert_non_null(strstr(e.msg, "not used by this preset"));
    assert_int_not_equal(nn_preset_get(&p, "training.foo", out, sizeof out, &e), NN_OK);
    assert_int_not_equal(nn_preset_get(&p, "description", out, 8, &e), NN_OK);
}

static void test_locked_keys_lock_themselves_and_everything_under_them(void **state)
{
    (void)state;
    nn_preset p;
    load_builtin(&p, "xor");   /* locks dataset and training.loss */
    assert_true(nn_preset_is_locked(&p, "dataset"));
    assert_true(nn_preset_is_locked(&p, "dataset.samples"));
    assert_true(nn_preset_is_locked(&p, "dataset.split.train"));
    assert_true(nn_preset_is_locked(&p, "training.loss"));
    assert_false(nn_preset_is_locked(&p, "training"));
    assert_false(nn_preset_is_locked(&p, "training.epochs"));
    assert_false(nn_preset_is_locked(&p, "training.lossy"));
    assert_false(nn_preset_is_locked(&p, "datasets"));
    set_ok(&p, "lesson.locked", "[\"model.layers.*.activation\"]");
    assert_true(nn_preset_is_locked(&p, "model.layers.0.activation"));
    assert_true(nn_preset_is_locked(&p, "model.layers.12.activation"));
    assert_false(nn_preset_is_locked(&p, "model.layers.0.units"));
    assert_false(nn_preset_is_locked(&p, "dataset.samples"));
}

/* An edit of the optimizer's name resets every parameter, so a lesson that locks a parameter locks
 * the name too (the table's lock group); the split is edited as one, so a locked fraction locks it. */
static void test_a_lock_on_a_key_of_a_group_locks_the_edit_that_resets_the_group(void **state)
{
    (void)state;
    nn_preset p;
    load_builtin(&p, "iris");
    assert_false(nn_preset_is_locked(&p, "training.optimizer.name"));
    set_ok(&p, "lesson.locked", "[\"training.optimizer.learning_rate\", \"dataset.split.val\"]");
    assert_true(nn_preset_is_locked(&p, "training.optimizer.learning_rate"));
    assert_true(nn_preset_is_locked(&p, "training.optimizer.name"));
    assert_false(nn_preset_is_locked(&p, "training.optimizer.momentum"));
    assert_true(nn_preset_is_locked(&p, "dataset.split"));
    assert_false(nn_preset_is_locked(&p, "dataset.split.train"));
    assert_false(nn_preset_is_locked(&p, "training.schedule.name"));
    set_ok(&p, "lesson.locked", "[\"training.optimizer.name\"]");
    assert_false(nn_preset_is_locked(&p, "training.optimizer.learning_rate"));
}

/* The live keys are the table's: every key of training (what the run does with the network: the
 * optimizer and each of its parameters, the schedule, the batch size, the loss, regularisation,
 * clipping, early stopping and the epochs) and nothing that changes the network or the data. Every
 * key of the table reads back through get (with an optimizer or schedule that takes it), parses from
 * what get wrote, and has a label if a panel lists it. */
static void test_every_key_of_the_table_reads_back_and_the_live_ones_are_marked(void **state)
{
    (void)state;
    static const char *const live[] = {"training.optimizer.learning_rate", "training.regularization.method",
                                       "training.regularization.lambda", "training.regularization.r",
                                       "training.regularization.dropout", "training.epochs", "training.batch_size",
                                       "training.optimizer.name", "training.optimizer.momentum",
                                       "training.schedule.name", "training.schedule.t_max",
                                       "training.early_stopping.patience", "training.clip_norm", "training.loss",
                                       "dataset.samples", "dataset.noise", "dataset.seed", "dataset.split",
                                       "name", "description"};
    static const char *const not_live[] = {"seed", "dataset.split.train", "dataset.normalize", "dataset.source",
                                           "model.layers.0.units", "model.layers.1.init", "ui.pace",
                                           "model", "dataset.split.train", "ui", "training.nope"};
    for (int i = 0; i < nn_preset_key_count; i++) {
        const nn_preset_key *k = &nn_preset_keys[i];
        /* live: every leaf of training, the data's samples, noise, seed and the split as a whole, and
         * the name and description (NN_KEY_ABOUT: they change no number) */
        bool data = strcmp(k->path, "dataset.samples") == 0 || strcmp(k->path, "dataset.noise") == 0 ||
                    strcmp(k->path, "dataset.seed") == 0 || strcmp(k->path, "dataset.split") == 0 ||
                    strcmp(k->path, "name") == 0 || strcmp(k->path, "description") == 0;
        bool training_leaf = (strncmp(k->path, "training.", 9) == 0 && k->type != NN_KEY_OBJECT) || data;
        if (((k->flags & NN_KEY_LIVE) != 0) != training_leaf)
            fail_msg("%s: live is %d", k->path, (k->flags & NN_KEY_LIVE) != 0);
        /* a level is live when every key under it is: the whole of training, or its objects */
        bool training = strcmp(k->path, "training") == 0 || strncmp(k->path, "training.", 9) == 0 || data;
        if (nn_preset_key_live(k->path) != training)
            fail_msg("%s: nn_preset_key_live is %d", k->path, nn_preset_key_live(k->path));
    }
    int n_about = 0;
    for (int i = 0; i < nn_preset_key_count; i++)
        n_about += (nn_preset_keys[i].flags & NN_KEY_ABOUT) != 0;
    assert_int_equal(n_about, 2);   /* the name and the description: live, and they change no number */
    assert_true(nn_preset_key_find("name")->flags & NN_KEY_ABOUT);
    assert_true(nn_preset_key_find("description")->flags & NN_KEY_ABOUT);
    for (size_t i = 0; i < sizeof live / sizeof live[0]; i++)
        assert_true(nn_preset_key_live(live[i]));
    for (size_t i = 0; i < sizeof not_live / sizeof not_live[0]; i++)
        assert_false(nn_preset_key_live(not_live[i]));
    assert_string_equal(nn_preset_key_abbrev(nn_preset_key_find("training.optimizer.learning_rate")), "lr");
    assert_string_equal(nn_preset_key_abbrev(nn_preset_key_find("training.regularization.lambda")), "lambda");
    assert_ptr_equal(nn_preset_key_find("model.layers.3.units"), nn_preset_key_find("model.layers.*.units"));
    assert_null(nn_preset_key_find("model.layers.x.units"));

    nn_preset base;
    load_builtin(&base, "iris");
    for (int i = 0; i < nn_preset_key_count; i++) {
        const nn_preset_key *k = &nn_preset_keys[i];
        if (k->panel != NN_PANEL_NONE)
            assert_true(k->label && k->label[0]);
        assert_non_null(k->doc ? k->doc : (k->type == NN_KEY_OBJECT ? "" : NULL));
        char key[160], got[2048];
        snprintf(key, sizeof key, "%s", k->path);
        char *star = strstr(key, "*");
        if (star)
            *star = '0';
        nn_preset q = base;
        nn_error e;
        nn_status st = nn_preset_get(&q, key, got, sizeof got, &e);
        for (int o = 0; st != NN_OK && o < NN_OPT_COUNT; o++) {
            q = base;
            assert_int_equal(nn_preset_set(&q, "training.optimizer.name", nn_opt_table[o].name, &e), NN_OK);
            st = nn_preset_get(&q, key, got, sizeof got, &e);
        }
        for (int o = 0; st != NN_OK && o < NN_SCHED_COUNT; o++) {
            q = base;
            assert_int_equal(nn_preset_set(&q, "training.schedule.name", nn_sched_table[o].name, &e), NN_OK);
            st = nn_preset_get(&q, key, got, sizeof got, &e);
        }
        if (st != NN_OK)
            fail_msg("%s: %s", key, e.msg);
        if (k->type == NN_KEY_OBJECT || k->type == NN_KEY_LAYERS || strcmp(got, "\"auto\"") == 0)
            continue;
        nn_preset r = q;
        if (nn_preset_set(&r, key, got, &e) != NN_OK)
            fail_msg("%s = %s: %s", key, got, e.msg);
    }
}

/* The panels list the keys a preset uses: the current optimizer's and schedule's parameters, the
 * current source's keys; everything else always. */
static void test_the_keys_a_preset_uses_follow_its_optimizer_schedule_and_source(void **state)
{
    (void)state;
    nn_preset p;
    load_builtin(&p, "iris");
    const nn_preset_key *beta1 = nn_preset_key_find("training.optimizer.beta1");
    const nn_preset_key *decay = nn_preset_key_find("training.optimizer.momentum_decay");
    const nn_preset_key *gamma = nn_preset_key_find("training.schedule.gamma");
    const nn_preset_key *path = nn_preset_key_find("dataset.path");
    const nn_preset_key *samples = nn_preset_key_find("dataset.samples");
    assert_false(nn_preset_key_used(&p, beta1));
    assert_false(nn_preset_key_used(&p, decay));
    assert_false(nn_preset_key_used(&p, gamma));
    assert_false(nn_preset_key_used(&p, path));
    assert_false(nn_preset_key_used(&p, samples));
    assert_true(nn_preset_key_used(&p, nn_preset_key_find("training.epochs")));
    assert_true(nn_preset_key_used(&p, nn_preset_key_find("dataset.normalize")));
    set_ok(&p, "training.optimizer.name", "\"nadam\"");
    set_ok(&p, "training.schedule.name", "\"step\"");
    assert_true(nn_preset_key_used(&p, beta1));
    assert_true(nn_preset_key_used(&p, decay));
    assert_true(nn_preset_key_used(&p, gamma));
    set_ok(&p, "dataset", "{\"source\": \"csv\", \"path\": \"x.csv\"}");
    assert_true(nn_preset_key_used(&p, path));
    assert_false(nn_preset_key_used(&p, samples));
    set_ok(&p, "dataset.source", "\"moons\"");
    assert_false(nn_preset_key_used(&p, path));
    assert_true(nn_preset_key_used(&p, samples));
}

// --- saving -------------------------------------------------------------------------------------------

static char tmpdir[256];

static int make_tmpdir(void **state)
{
    (void)state;
    return nn_tmp_dir(tmpdir, sizeof tmpdir, "nn_test_preset_") ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
    (void)state;
    DIR *dir = opendir(tmpdir);
    if (dir) {
        struct dirent *de;
        char path[512];
        while ((de = readdir(dir))) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            snprintf(path, sizeof path, "%s/%s", tmpdir, de->d_name);
            unlink(path);
        }
        closedir(dir);
    }
    return rmdir(tmpdir);
}

static int count_files(const char *dirpath)
{
    DIR *dir = opendir(dirpath);
    int n = 0;
    struct dirent *de;
    while (dir && (de = readdir(dir)))
        n += de->d_name[0] != '.';
    if (dir)
        closedir(dir);
    return n;
}

static void test_save_then_load_gives_the_same_preset_with_paths_relative_to_the_new_file(void **state)
{
    (void)state;
    nn_preset p, q;
    load_builtin(&p, "spiral");
    char path[512];
    snprintf(path, sizeof path, "%s/spiral-copy.json", tmpdir);
    nn_error e;
    assert_int_equal(nn_preset_save(&p, path, &e), NN_OK);
    nn_diags d = {0};
    assert_int_equal(nn_preset_load(&q, path, &d, &e), NN_OK);
    assert_string_equal(q.base_dir, tmpdir);
    strcpy(q.file, p.file);
    strcpy(q.base_dir, p.base_dir);
    assert_preset_equal(&p, &q);
    unlink(path);
}

static void test_a_failed_save_leaves_the_old_file_untouched(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/keep.json", tmpdir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("OLD CONTENT", f);
    fclose(f);
    int before = count_files(tmpdir);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* a "full disk": writes beyond 100 bytes fail with EFBIG instead of killing us */
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit rl = {100, 100};
        setrlimit(RLIMIT_FSIZE, &rl);
        nn_preset p;
        nn_diags d = {0};
        nn_error e;
        if (nn_preset_load(&p, "iris", &d, &e) != NN_OK)
            _exit(3);
        _exit(nn_preset_save(&p, path, &e) == NN_OK ? 1 : 0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);   /* the save reported failure */
    char buf[64] = "";
    f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    assert_string_equal(buf, "OLD CONTENT");
    assert_int_equal(count_files(tmpdir), before);   /* no temporary left behind */
    unlink(path);
}

// --- hostile presets (issue 11)

/* A 100 MB preset of [0,0,...] peaked at 4 GB (a cJSON node per number) and, under a memory limit,
 * was reported as a syntax error. Presets are capped: a clear message, before any parse. */
static void test_a_preset_over_the_size_cap_is_refused_unparsed(void **state)
{
    (void)state;
    size_t len = (size_t)NN_PRESET_MAX_BYTES + 2;
    char *big = malloc(len + 1);
    assert_non_null(big);
    big[0] = '[';
    for (size_t i = 1; i + 1 < len; i += 2)
        memcpy(big + i, "0,", 2);
    big[len - 1] = ']';   /* (a trailing comma before it: never looked at) */
    big[len] = '\0';
    nn_preset p;
    nn_diags d;
    nn_error e;
    nn_diags_clear(&d);
    assert_int_equal(nn_preset_parse(&p, big, len, "big.json", &d, &e), NN_ENOMEM);
    assert_non_null(strstr(e.msg, "big.json: too large ("));
    assert_non_null(strstr(e.msg, "the most a preset may hold"));
    assert_int_equal(d.count, 1);
    /* from a file: refused without reading it all */
    char path[64];
    int fd = nn_tmp_file(path, sizeof path, "nn_bigpreset_");
    assert_true(fd >= 0);
    assert_int_equal(write(fd, big, len), (ssize_t)len);
    close(fd);
    assert_int_equal(nn_preset_load(&p, path, NULL, &e), NN_ENOMEM);
    assert_non_null(strstr(e.msg, path));
    assert_non_null(strstr(e.msg, "file too large (1048578 bytes, more than 1024 KB, the most a preset may hold"));
    unlink(path);
    free(big);
    /* a line of more than 2^31 characters (its column overflowed an int, UBSan at preset.c): the cap
     * refuses it first. 2^31 + 16 zero bytes of an anonymous mapping cost no memory. */
    size_t huge = ((size_t)1 << 31) + 16;
    char *z = mmap(NULL, huge, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (z != MAP_FAILED) {
        assert_int_equal(nn_preset_parse(&p, z, huge, "big29.json", NULL, &e), NN_ENOMEM);
        assert_non_null(strstr(e.msg, "big29.json: too large (2147483664 bytes"));
        munmap(z, huge);
    }
}

static void test_json_nested_too_deep_says_how_deep_is_allowed(void **state)
{
    (void)state;
    size_t n = 5000;
    char *deep = malloc(2 * n + 1);
    memset(deep, '[', n);
    memset(deep + n, ']', n);
    deep[2 * n] = '\0';
    nn_preset p;
    nn_diags d;
    nn_error e;
    assert_int_equal(parse_text(&p, deep, &d, &e), NN_EFORMAT);
    assert_string_equal(e.msg, "bad.json:1:1001: arrays and objects nested more than 1000 levels deep (nnterm reads "
                        "JSON nested at most 1000 levels)");
    assert_int_equal(d.count, 1);
    free(deep);
}

static void test_a_value_refused_by_parse_gets_one_message_not_two(void **state)
{
    (void)state;
    nn_preset p;
    nn_diags d;
    nn_error e;
    /* units 1e+20 was also "0 (auto) is only allowed on the last layer" */
    assert_int_equal(parse_text(&p, "{\"dataset\": {\"source\": \"iris\"}, \"model\": {\"layers\": [{\"units\": 1e+20}, {}]}}",
                                &d, &e), NN_EINVAL);
    assert_int_equal(d.count, 1);
    assert_string_equal(d.msg[0], "bad.json: model.layers.0.units: 1e+20 is out of range (0..65536)");
    /* alpha 1e308 was "inf is out of range": a float alpha has a range that fits a float */
    assert_int_equal(parse_text(&p, "{\"dataset\": {\"source\": \"iris\"}, \"model\": {\"layers\": [{\"units\": 4, "
                                "\"activation\": \"elu\", \"alpha\": 1e308}, {}]}}", &d, &e), NN_EINVAL);
    assert_int_equal(d.count, 1);
    assert_string_equal(d.msg[0], "bad.json: model.layers.0.alpha: 1e+308 is out of range [0, 1000]");
    /* noise 1e308 made infinite data and a "diverged" run (exit 1): it is bad input */
    assert_int_equal(parse_text(&p, "{\"dataset\": {\"source\": \"xor\", \"noise\": 1e308}}", &d, &e), NN_EINVAL);
    assert_int_equal(d.count, 1);
    assert_string_equal(d.msg[0], "bad.json: dataset.noise: 1e+308 is out of range [0, 1000]");
}

static void test_preset_text_is_utf8_without_control_characters(void **state)
{
    (void)state;
    nn_preset p;
    nn_diags d;
    nn_error e;
    /* a name that would retitle the terminal when train prints it */
    assert_int_equal(parse_text(&p, "{\"name\": \"\\u001b]0;pwned\\u0007\", \"dataset\": {\"source\": \"iris\"}}", &d, &e),
                     NN_EINVAL);
    assert_string_equal(e.msg, "bad.json: name: a control character (0x1B) at byte 1: not allowed");
    assert_int_equal(parse_text(&p, "{\"name\": \"x\\u009b2J\", \"dataset\": {\"source\": \"iris\"}}", &d, &e),
                     NN_EINVAL);
    assert_non_null(strstr(e.msg, "bad.json: name: a control character (U+009B) at byte 2"));
    /* newlines and tabs are text in a description and a lesson */
    assert_int_equal(parse_text(&p, "{\"description\": \"a\\n\\tb\", \"dataset\": {\"source\": \"iris\"}}", &d, &e),
                     NN_OK);
    /* bytes that are not UTF-8: in the file (with the line and column), or through --set */
    assert_int_equal(parse_text(&p, "{\"dataset\": {\"source\": \"iris\"},\n \"name\": \"caf\xe9\"}", &d, &e), NN_EFORMAT);
    assert_string_equal(e.msg, "bad.json:2:14: byte 0xE9 is not UTF-8 (a Windows-1252 or Latin-1 file?): JSON is "
                        "read as UTF-8 (save the file as UTF-8)");
    assert_int_equal(nn_preset_load(&p, "iris", NULL, &e), NN_OK);
    assert_int_not_equal(nn_preset_set(&p, "name", "caf\xe9", &e), NN_OK);
    assert_non_null(strstr(e.msg, "name: byte 4 (0xE9) is not UTF-8"));
    /* UTF-16 is recognised by its byte order mark */
    static const char u16[] = "\xff\xfe{\0}\0";
    assert_int_equal(nn_preset_parse(&p, u16, sizeof u16 - 1, "u16.json", NULL, &e), NN_EFORMAT);
    assert_non_null(strstr(e.msg, "u16.json: the file is UTF-16"));
}

// --- what a name given as PRESET holds; what changed; paths for a new folder -------------------------

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_open_reads_a_csv_as_the_defaults_on_it_and_a_model_as_its_preset(void **state)
{
    (void)state;
    nn_preset p;
    nn_preset_origin o = NN_ORIGIN_MODEL;
    nn_error e;
    nn_diags d = {0};
    assert_int_equal(nn_preset_open(&p, "xor", &o, &d, &e), NN_OK);
    assert_int_equal(o, NN_ORIGIN_PRESET);
    assert_string_equal(p.name, "XOR");

    /* issue 13: "nnterm train DATA.csv" was a JSON syntax error near "a,b,label" */
    char csv[512], model[512];
    snprintf(csv, sizeof csv, "%s/My Data.CSV", tmpdir);
    write_file(csv, "a,b,label\n1,2,x\n2,1,y\n3,3,x\n4,0,y\n5,5,x\n6,1,y\n7,7,x\n8,2,y\n9,9,x\n1,8,y\n");
    assert_int_equal(nn_preset_open(&p, csv, &o, &d, &e), NN_OK);
    assert_int_equal(o, NN_ORIGIN_CSV);
    assert_string_equal(p.dataset.source, "csv");
    assert_string_equal(p.dataset.path, "My Data.CSV");
    assert_string_equal(p.dataset.label, "");          /* the last column */
    assert_string_equal(p.base_dir, tmpdir);
    assert_string_equal(p.name, "My Data.CSV");
    assert_non_null(strstr(p.description, "the last column is the label"));
    nn_preset dflt;
    nn_preset_defaults(&dflt);
    assert_int_equal(p.training.epochs, dflt.training.epochs);
    assert_int_equal(p.n_layers, dflt.n_layers);
    nn_trainer *t = calloc(1, sizeof *t);
    assert_non_null(t);
    assert_int_equal(nn_trainer_init(t, &p, 1, &e), NN_OK);   /* it trains */
    assert_int_equal(t->data.n, 10);
    assert_int_equal(t->data.n_classes, 2);
    assert_int_equal(nn_trainer_epoch(t, &e), NN_OK);

    /* a model file: the preset it was trained with (its folder the base) */
    snprintf(model, sizeof model, "%s/m.json", tmpdir);
    assert_int_equal(nn_trainer_save_model(t, model, &e), NN_OK);
    nn_trainer_free(t);
    free(t);
    assert_int_equal(nn_preset_open(&p, model, &o, &d, &e), NN_OK);
    assert_int_equal(o, NN_ORIGIN_MODEL);
    assert_string_equal(p.name, "My Data.CSV");
    assert_string_equal(p.dataset.path, "My Data.CSV");
    assert_string_equal(p.file, model);
    /* nn_preset_load keeps reading presets only: a model is not one */
    assert_int_not_equal(nn_preset_load(&p, model, NULL, &e), NN_OK);

    /* a missing CSV or a broken model: the file's own error */
    snprintf(csv, sizeof csv, "%s/none.csv", tmpdir);
    assert_int_equal(nn_preset_open(&p, csv, &o, &d, &e), NN_EIO);
    assert_non_null(strstr(e.msg, "none.csv: No such file"));
    write_file(model, "{\"format\": \"nnterm-model\", \"version\": 1}\n");
    assert_int_not_equal(nn_preset_open(&p, model, &o, &d, &e), NN_OK);
    assert_int_equal(o, NN_ORIGIN_MODEL);
    assert_non_null(strstr(e.msg, "m.json: preset: missing"));
    unlink(model);
    snprintf(csv, sizeof csv, "%s/My Data.CSV", tmpdir);
    unlink(csv);
}

static void test_diff_lists_the_changed_keys_but_not_the_name_or_description(void **state)
{
    (void)state;
    nn_preset a, b;
    load_builtin(&a, "spiral");
    b = a;
    char out[512];
    assert_int_equal(nn_preset_diff(&a, &b, out, sizeof out), 0);
    assert_string_equal(out, "");
    set_ok(&b, "name", "\"Spiral, my way\"");
    set_ok(&b, "description", "\"one layer\"");
    assert_int_equal(nn_preset_diff(&a, &b, out, sizeof out), 0);
    set_ok(&b, "training.optimizer.learning_rate", "0.06");
    assert_int_equal(nn_preset_diff(&a, &b, out, sizeof out), 1);
    assert_string_equal(out, "lr 0.005 -> 0.06");
    set_ok(&b, "model.layers.0.units", "16");
    assert_int_equal(nn_preset_diff(&a, &b, out, sizeof out), 2);
    assert_string_equal(out, "layer 1 units 32 -> 16, lr 0.005 -> 0.06");
    set_ok(&b, "model.layers.1", "null");   /* a hidden layer less: the count, not every key after it */
    assert_int_equal(nn_preset_diff(&a, &b, out, sizeof out), 2);
    assert_string_equal(out, "layers 4 -> 3 layers, lr 0.005 -> 0.06");
    assert_int_equal(nn_preset_diff(&a, &b, NULL, 0), 2);
    char small[16];
    assert_int_equal(nn_preset_diff(&a, &b, small, sizeof small), 2);
    assert_int_equal(strlen(small), sizeof small - 1);
    assert_string_equal(small + sizeof small - 4, "...");
}

static void test_a_saved_preset_names_its_data_from_its_new_folder(void **state)
{
    (void)state;
    char sub[512], data[512], there[512], back[512];
    snprintf(sub, sizeof sub, "%s/sub", tmpdir);
    assert_int_equal(mkdir(sub, 0700), 0);
    snprintf(data, sizeof data, "%s/data.csv", tmpdir);
    write_file(data, "a,label\n1,x\n2,y\n");
    nn_preset p, q;
    nn_error e;
    nn_diags d = {0};
    assert_int_equal(nn_preset_open(&p, data, NULL, &d, &e), NN_OK);
    snprintf(there, sizeof there, "%s/sub/exp.json", tmpdir);
    assert_int_equal(nn_preset_save(&p, there, &e), NN_OK);
    assert_string_equal(p.dataset.path, "data.csv");   /* p itself is unchanged */
    assert_int_equal(nn_preset_load(&q, there, &d, &e), NN_OK);
    assert_string_equal(q.dataset.path, "../data.csv");
    char full[1024];
    assert_int_equal(nn_path_join(full, sizeof full, q.base_dir, q.dataset.path), 0);
    assert_true(nn_file_same(full, data));
    /* and back: the same spelling as before */
    snprintf(back, sizeof back, "%s/again.json", tmpdir);
    assert_int_equal(nn_preset_save(&q, back, &e), NN_OK);
    assert_int_equal(nn_preset_load(&q, back, &d, &e), NN_OK);
    assert_string_equal(q.dataset.path, "data.csv");
    /* a built-in preset's embedded CSV is named as such (wine.csv was not found next to a saved copy) */
    load_builtin(&p, "wine");
    nn_preset_rebase(&p, there);
    assert_string_equal(p.dataset.path, "builtin:wine.csv");
    assert_string_equal(p.base_dir, sub);
    assert_string_equal(p.file, there);
    unlink(there);
    unlink(back);
    unlink(data);
    rmdir(sub);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_kind_of_bad_preset_gives_a_message_naming_the_file_and_path),
        cmocka_unit_test(test_check_reports_every_problem_not_only_the_first),
        cmocka_unit_test(test_a_byte_order_mark_is_accepted),
        cmocka_unit_test(test_validate_checks_a_struct_edited_directly),
        cmocka_unit_test(test_a_missing_file_gives_the_file_error_and_an_unknown_name_lists_the_builtins),
        cmocka_unit_test(test_the_smallest_preset_gets_exactly_the_documented_defaults),
        cmocka_unit_test(test_an_optimizer_object_takes_that_optimizers_torch_defaults),
        cmocka_unit_test(test_the_defaults_in_docs_preset_keys_are_the_real_defaults),
        cmocka_unit_test(test_docs_preset_keys_is_the_generated_text),
        cmocka_unit_test(test_every_shipped_preset_round_trips_through_to_json_field_by_field),
        cmocka_unit_test(test_round_trip_keeps_auto_values_unusual_numbers_and_lessons),
        cmocka_unit_test(test_the_builtin_list_is_every_embedded_json_iris_first_then_alphabetical),
        cmocka_unit_test(test_every_file_in_the_presets_folder_is_embedded),
        cmocka_unit_test(test_a_builtin_resolves_paths_against_the_embedded_files),
        cmocka_unit_test(test_set_changes_numbers_strings_and_booleans),
        cmocka_unit_test(test_set_optimizer_name_switches_to_that_optimizers_defaults),
        cmocka_unit_test(test_set_appends_and_removes_layers),
        cmocka_unit_test(test_an_invalid_set_names_the_key_and_leaves_the_preset_unchanged),
        cmocka_unit_test(test_get_returns_json_text_and_auto_for_auto_values),
        cmocka_unit_test(test_locked_keys_lock_themselves_and_everything_under_them),
        cmocka_unit_test(test_a_lock_on_a_key_of_a_group_locks_the_edit_that_resets_the_group),
        cmocka_unit_test(test_every_key_of_the_table_reads_back_and_the_live_ones_are_marked),
        cmocka_unit_test(test_words_forever_and_max_set_read_back_and_round_trip),
        cmocka_unit_test(test_the_keys_a_preset_uses_follow_its_optimizer_schedule_and_source),
        cmocka_unit_test(test_save_then_load_gives_the_same_preset_with_paths_relative_to_the_new_file),
        cmocka_unit_test(test_a_failed_save_leaves_the_old_file_untouched),
        cmocka_unit_test(test_a_preset_over_the_size_cap_is_refused_unparsed),
        cmocka_unit_test(test_json_nested_too_deep_says_how_deep_is_allowed),
        cmocka_unit_test(test_a_value_refused_by_parse_gets_one_message_not_two),
        cmocka_unit_test(test_preset_text_is_utf8_without_control_characters),
        cmocka_unit_test(test_open_reads_a_csv_as_the_defaults_on_it_and_a_model_as_its_preset),
        cmocka_unit_test(test_diff_lists_the_changed_keys_but_not_the_name_or_description),
        cmocka_unit_test(test_a_saved_preset_names_its_data_from_its_new_folder),
    };
    return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
