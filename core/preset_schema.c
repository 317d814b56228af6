/* preset_schema.c — the table of preset keys (preset_schema.h), in the order nnterm writes them, and
 * the queries on it. The parser, validator, writer, --set/get, locks, panels and documentation
 * (preset_parse.c, preset_write.c, preset_keys.c, preset_doc.c, ui/) all read these rows. */
#include "preset_schema.h"
#include "preset_impl.h"

#include "activation.h"
#include "datasets.h"
#include "loss.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

// --- names -------------------------------------------------------------------------------------------

static const char *task_name(int i)
{
    static const char *const t[] = {"classification", "regression"};
    return i >= 0 && i < 2 ? t[i] : NULL;
}
static const char *act_name(int i) { return i >= 0 && i < NN_ACT_COUNT ? nn_act_table[i].name : NULL; }
static const char *loss_name(int i) { return i >= 0 && i < NN_LOSS_COUNT ? nn_loss_table[i].name : NULL; }
static const char *opt_name(int i) { return i >= 0 && i < NN_OPT_COUNT ? nn_opt_table[i].name : NULL; }
static const char *sched_name(int i) { return i >= 0 && i < NN_SCHED_COUNT ? nn_sched_table[i].name : NULL; }
static const char *init_name(int i) { return i >= 0 && i < NN_INIT_COUNT ? nn_init_names[i] : NULL; }
static const char *dist_name(int i) { return i >= 0 && i < NN_DIST_COUNT ? nn_dist_names[i] : NULL; }
static const char *reg_name(int i) { return i >= 0 && i < NN_REG_COUNT ? nn_reg_names[i] : NULL; }
static const char *norm_name(int i) { return i >= 0 && i < NN_NORM_COUNT ? nn_norm_names[i] : NULL; }
static const char *source_name(int i) { return i >= 0 && i < nn_source_count ? nn_source_table[i].name : NULL; }
static const char *feature_name(int i) { return nn_feature_name(i); }
/* The trainer's views of the lower right, by their titles (ui/viewlist.h), for ui.view. */
static const char *view_name(int i)
{
    static const char *const v[] = {"confusion", "boundary", "neurons", "network", "samples", "health", "step",
                                    "race", "lesson", "compare"};
    return i >= 0 && i < (int)(sizeof v / sizeof v[0]) ? v[i] : NULL;
}

// --- object hooks ------------------------------------------------------------------------------------

#define OPT_AT offsetof(nn_preset, training.optimizer)
#define SCHED_AT offsetof(nn_preset, training.schedule)

static void start_optimizer(nn_preset *p, int kind)
{
    nn_opt_defaults(&p->training.optimizer, kind >= 0 ? (nn_opt_kind)kind : NN_OPT_SGD);
}

static bool optimizer_takes(const nn_preset *p, const nn_preset_key *child)
{
    return (child->flags & NN_KEY_KIND) || nn_opt_takes(p->training.optimizer.kind, child->off - OPT_AT);
}

static void start_schedule(nn_preset *p, int kind)
{
    nn_sched_defaults(&p->training.schedule, kind >= 0 ? (nn_sched_kind)kind : NN_SCHED_CONSTANT);
}

static bool schedule_takes(const nn_preset *p, const nn_preset_key *child)
{
    return (child->flags & NN_KEY_KIND) || nn_sched_takes(p->training.schedule.kind, child->off - SCHED_AT);
}

/* a given split starts from zeros: {"train": 0.8, "test": 0.2} means val 0 */
static void start_split(nn_preset *p, int kind)
{
    p->dataset.split_train = p->dataset.split_val = p->dataset.split_test = 0.0;
}

static void start_lesson(nn_preset *p, int kind) { p->lesson.present = true; }
static bool ui_present(const nn_preset *p) { return p->ui.pace != NN_AUTO || p->ui.view != NN_AUTO; }
static bool lesson_present(const nn_preset *p) { return p->lesson.present; }

// --- the table ---------------------------------------------------------------------------------------

#define R_INT(lo, hi) {lo, hi, false, false, true}
#define R_POS {0, INFINITY, true, false, false}         /* > 0 */
#define R_NONNEG {0, INFINITY, false, false, false}     /* >= 0 */
#define R_UNIT_OPEN {0, 1, false, true, false}          /* [0, 1) */
#define R_UNIT {0, 1, false, false, false}              /* [0, 1] */

#define P(field) offsetof(nn_preset, field)
#define L(field) offsetof(nn_preset_layer, field)
#define TEXT(field) .off = P(field), .size = sizeof(((nn_preset *)0)->field)

const nn_preset_key nn_preset_keys[] = {
    {"name", NN_KEY_STRING, TEXT(name), .flags = NN_KEY_LIVE | NN_KEY_ABOUT, .panel = NN_PANEL_DATASET,
     .order = -2, .label = "name", .doc = "title shown in the UI and `nnterm presets`"},
    {"description", NN_KEY_STRING, TEXT(description), .flags = NN_KEY_LINES | NN_KEY_LIVE | NN_KEY_ABOUT,
     .panel = NN_PANEL_DATASET, .order = -1, .label = "description",
     .doc = "what the preset shows and what to expect, for a teacher to read aloud"},
    {"seed", NN_KEY_SEED, .off = P(seed), .range = R_INT(0, 9007199254740992.0), .dflt = 1234,
     .panel = NN_PANEL_HPARAMS, .order = 61,
     .label = "seed", .allowed_doc = "0..2^53",
     .doc = "seeds the initial weights, the shuffles and dropout, and the synthetic data and the split unless "
            "`dataset.seed` is given"},

    {"dataset", NN_KEY_OBJECT, .off = P(dataset)},
    {"dataset.source", NN_KEY_STRING, TEXT(dataset.source), .names = source_name, .flags = NN_KEY_REQUIRED,
     .panel = NN_PANEL_DATASET, .label = "source", .default_doc = "required", .doc = "where the data comes from"},
    {"dataset.path", NN_KEY_STRING, TEXT(dataset.path), .flags = NN_KEY_OMIT_EMPTY | NN_KEY_PATH,
     .panel = NN_PANEL_DATASET, .label = "path", .allowed_doc = "a file",
     .doc = "csv: the CSV file (header row first)"},
    {"dataset.label", NN_KEY_COLUMN, TEXT(dataset.label), .range = R_INT(0, 1e6), .flags = NN_KEY_OMIT_EMPTY,
     .expect = "a column name or a 0-based column index", .panel = NN_PANEL_DATASET, .label = "label column",
     .allowed_doc = "a column name or a 0-based column index",
     .doc = "csv: the target column; `\"\"` = the last column"},
    {"dataset.task", NN_KEY_NAME, .off = P(dataset.task), .names = task_name, .flags = NN_KEY_AUTO,
     .auto_value = NN_AUTO,
     .dflt = NN_AUTO,
     .doc = "auto: the source's task (csv: string or integer labels are classes, other numbers regression)"},
    {"dataset.images", NN_KEY_STRING, TEXT(dataset.images), .flags = NN_KEY_OMIT_EMPTY | NN_KEY_PATH,
     .panel = NN_PANEL_DATASET, .label = "images", .allowed_doc = "a file (.gz allowed)",
     .doc = "idx: training images (magic 0x803)"},
    {"dataset.labels", NN_KEY_STRING, TEXT(dataset.labels), .flags = NN_KEY_OMIT_EMPTY | NN_KEY_PATH,
     .panel = NN_PANEL_DATASET, .label = "labels", .allowed_doc = "a file (.gz allowed)",
     .doc = "idx: training labels (magic 0x801)"},
    {"dataset.test_images", NN_KEY_STRING, TEXT(dataset.test_images), .flags = NN_KEY_OMIT_EMPTY | NN_KEY_PATH,
     .panel = NN_PANEL_DATASET, .label = "test images", .allowed_doc = "a file",
     .doc = "idx: images of the fixed test split"},
    {"dataset.test_labels", NN_KEY_STRING, TEXT(dataset.test_labels), .flags = NN_KEY_OMIT_EMPTY | NN_KEY_PATH,
     .panel = NN_PANEL_DATASET, .label = "test labels", .allowed_doc = "a file",
     .doc = "idx: labels of the fixed test split"},
    {"dataset.classes", NN_KEY_STRINGS, .off = P(dataset.classes), .size = NN_CLASS_NAME_MAX,
     .count_off = P(dataset.n_classes),
     .max = NN_IDX_CLASSES,
     .range = R_INT(NN_IDX_CLASSES, NN_IDX_CLASSES), .expect = "an array of the 10 class names",
     .expect_item = "a class name", .default_doc = "`[]` (names \"0\" .. \"9\")",
     .allowed_doc = "10 names, each under 32 bytes",
     .doc = "idx: the names of the classes 0..9 in label order (presets/fashion-mnist.json names Fashion-MNIST's)"},
    {"dataset.samples", NN_KEY_INT, .off = P(dataset.samples), .range = R_INT(1, 1e7),
     .flags = NN_KEY_AUTO | NN_KEY_LIVE,
     .auto_value = 0, .dflt = 0, .panel = NN_PANEL_DATASET, .label = "samples",
     .doc = "synthetic sources: number of points"},
    {"dataset.noise", NN_KEY_NUMBER, .off = P(dataset.noise),
     /* Synthetic data lie in [-1, 1] (sine: [-pi, pi]); noise of 1000 already drowns them, and far
      * larger values overflow the float data (1e308 made infinities, then a bogus "diverged"). */
     .range = {0, 1000, false, false, false}, .flags = NN_KEY_AUTO | NN_KEY_LIVE, .auto_value = NAN, .dflt = NAN,
     .panel = NN_PANEL_DATASET, .label = "noise", .doc = "synthetic sources: standard deviation of the Gaussian noise"},
    {"dataset.seed", NN_KEY_NUMBER, .off = P(dataset.seed), .range = R_INT(0, 9007199254740992.0),
     .flags = NN_KEY_AUTO | NN_KEY_LIVE, .auto_value = NAN, .dflt = NAN, .panel = NN_PANEL_DATASET, .label = "data seed",
     .abbrev = "data seed", .allowed_doc = "0..2^53, auto",
     .doc = "draws the synthetic points and the split (auto: the preset's `seed`); a new one is new data (the "
            "trainer's `N` key), which a saved preset keeps"},
    {"dataset.normalize", NN_KEY_NAME, .off = P(dataset.normalize), .names = norm_name, .dflt = NN_NORM_ZSCORE,
     .panel = NN_PANEL_DATASET, .label = "normalize",
     .doc = "feature scaling, fitted on the training split only (regression targets are always z-scored)"},
    {"dataset.split", NN_KEY_OBJECT, .off = P(dataset.split_train), .flags = NN_KEY_EDITS_GROUP | NN_KEY_LIVE,
     .lock_group = "dataset.split", .panel = NN_PANEL_HPARAMS, .order = 60, .label = "split t/v/t", .start = start_split},
    {"dataset.split.train", NN_KEY_NUMBER, .off = P(dataset.split_train), .range = R_UNIT, .dflt = 0.7,
     .allowed_doc = "[0, 1] and > 0", .doc = "fraction of the rows used for training"},
    {"dataset.split.val", NN_KEY_NUMBER, .off = P(dataset.split_val), .range = R_UNIT, .dflt = 0.1,
     .doc = "fraction used for validation (early stopping watches it)"},
    {"dataset.split.test", NN_KEY_NUMBER, .off = P(dataset.split_test), .range = R_UNIT, .dflt = 0.2,
     .doc = "fraction held out for the final test; the three must sum to 1 (within 1e-6). A given `split` object "
            "starts from zeros. idx with test files: the test split is those files, and train/val divide the "
            "training file"},
    {"dataset.shuffle", NN_KEY_BOOL, .off = P(dataset.shuffle), .dflt = 1, .panel = NN_PANEL_DATASET,
     .label = "shuffle",
     .doc = "shuffle the rows (with the seed) before splitting, and the training rows every epoch"},
    {"dataset.features", NN_KEY_STRINGS, .off = P(dataset.features), .size = NN_FEAT_NAME_MAX,
     .count_off = P(dataset.n_features), .max = NN_FEAT_COUNT, .range = R_INT(1, NN_FEAT_COUNT), .names = feature_name,
     .expect = "an array of feature names", .expect_item = "a feature name such as \"x1^2\"",
     .panel = NN_PANEL_DATASET, .label = "inputs",
     .default_doc = "`[]`: the data's own features (x1, x2 on 2-D data)",
     .allowed_doc = "1 to 7 of x1, x2, x1^2, x2^2, x1*x2, sin(x1), sin(x2); data with two raw features",
     .doc = "the network's inputs, as TensorFlow Playground's: computed from the raw x1, x2 before normalisation; "
            "the Boundary view stays in x1, x2, and a saved model and `nnterm predict` apply the same"},

    {"model", NN_KEY_OBJECT, .off = P(n_layers)},
    {"model.layers", NN_KEY_LAYERS, .off = P(layers), .size = sizeof(nn_preset_layer), .count_off = P(n_layers),
     .max = NN_MAX_LAYERS,
     .expect = "an array of layer objects", .default_doc = "two layers: 40 relu units, then the output layer",
     .allowed_doc = "1..16 layer objects",
     .doc = "the dense layers, input to output; the input width comes from the dataset"},
    {"model.layers.*.units", NN_KEY_INT, .off = L(units), .range = R_INT(0, 65536), .flags = NN_KEY_AUTO,
     .auto_value = 0,
     .dflt = 0, .allowed_doc = "1..65536; auto (or 0) only on the last layer",
     .doc = "outputs of the layer; auto = the dataset's outputs (classes, or regression targets)"},
    {"model.layers.*.activation", NN_KEY_NAME, .off = L(act), .names = act_name, .noun = "an activation",
     .flags = NN_KEY_AUTO, .auto_value = NN_AUTO, .dflt = NN_AUTO,
     .doc = "auto: relu on hidden layers; on the last layer softmax for classification, linear for regression"},
    {"model.layers.*.alpha", NN_KEY_FLOAT, .off = L(alpha),
     /* stored as a float, so 1e308 would become infinity */
     .range = {0, 1000, false, false, false}, .flags = NN_KEY_AUTO, .auto_value = NAN, .dflt = NAN,
     .doc = "the activation's parameter"},
    {"model.layers.*.init", NN_KEY_NAME, .off = L(init), .names = init_name, .noun = "an initialisation",
     .flags = NN_KEY_OMIT_DEFAULT, .dflt = NN_INIT_AUTO,
     .doc = "initial weights: auto is He for relu-like activations, Xavier otherwise; biases start at 0"},
    {"model.layers.*.distribution", NN_KEY_NAME, .off = L(dist), .names = dist_name, .noun = "a distribution",
     .dflt = NN_DIST_NORMAL,
     .doc = "He: normal std sqrt(2/in) or uniform ±sqrt(6/in); Xavier: normal std sqrt(2/(in+out)) or uniform "
            "±sqrt(6/(in+out))"},

    {"training", NN_KEY_OBJECT, .off = P(training)},
    {"training.epochs", NN_KEY_INT, .off = P(training.epochs), .flags = NN_KEY_LIVE, .range = R_INT(1, 1e6),
     .word = "forever", .word_value = 0, .dflt = 20, .panel = NN_PANEL_HPARAMS, .order = 41, .label = "epochs",
     .doc = "passes over the training split; after them the trainer stops (DONE), and Space there trains as many "
            "more. \"forever\": the trainer trains until paused (typed there as 0 or inf); `nnterm train` and "
            "`nnterm race` need `--epochs N` for it"},
    {"training.batch_size", NN_KEY_INT, .off = P(training.batch_size), .flags = NN_KEY_LIVE,
     .range = R_INT(1, 1e6), .dflt = 16,
     .panel = NN_PANEL_HPARAMS, .order = 40, .label = "batch size",
     .doc = "rows per mini-batch (the last batch of an epoch may be smaller)"},
    {"training.loss", NN_KEY_NAME, .off = P(training.loss), .names = loss_name, .noun = "a loss",
     .flags = NN_KEY_LIVE | NN_KEY_AUTO,
     .auto_value = NN_AUTO, .dflt = NN_AUTO, .panel = NN_PANEL_HPARAMS, .order = 10, .label = "loss",
     .doc = "auto: crossentropy for classification, mse for regression; the cross-entropies need a "
            "classification task"},
    {"training.optimizer", NN_KEY_OBJECT, .off = P(training.optimizer), .start = start_optimizer,
     .takes = optimizer_takes,
     .kind_before = "", .kind_after = ""},
    {"training.optimizer.name", NN_KEY_NAME, .off = P(training.optimizer.kind), .names = opt_name,
     .noun = "an optimizer",
     .flags = NN_KEY_LIVE | NN_KEY_KIND | NN_KEY_EDITS_GROUP, .dflt = NN_OPT_SGD, .lock_group = "training.optimizer",
     .panel = NN_PANEL_HPARAMS, .order = 20, .label = "optimizer",
     .doc = "the update rule (torch.optim's definitions). With no `optimizer` object: sgd with learning rate 0.03 "
            "(the seed's). With one: that optimizer's torch defaults for every parameter not given"},
    {"training.optimizer.learning_rate", NN_KEY_NUMBER, .off = P(training.optimizer.lr), .range = R_POS,
     .flags = NN_KEY_LIVE | NN_KEY_OWN_DEFAULT, .dflt = 0.03, .panel = NN_PANEL_HPARAMS, .order = 21,
     .label = "learning rate",
     .abbrev = "lr", .doc = "step size. 0.03 only when there is no `optimizer` object; otherwise torch's default"},
    {"training.optimizer.momentum", NN_KEY_NUMBER, .off = P(training.optimizer.momentum), .range = R_UNIT_OPEN,
     .flags = NN_KEY_LIVE | NN_KEY_INDENT, .panel = NN_PANEL_HPARAMS, .order = 22, .label = "momentum",
     .doc = "momentum factor"},
    {"training.optimizer.dampening", NN_KEY_NUMBER, .off = P(training.optimizer.dampening), .range = R_UNIT,
     .flags = NN_KEY_LIVE | NN_KEY_INDENT, .panel = NN_PANEL_HPARAMS, .order = 22, .label = "dampening",
     .doc = "dampening of the momentum"},
    {"training.optimizer.nesterov", NN_KEY_BOOL, .off = P(training.optimizer.nesterov),
     .flags = NN_KEY_LIVE | NN_KEY_INDENT,
     .panel = NN_PANEL_HPARAMS, .order = 22, .label = "nesterov",
     .doc = "Nesterov momentum (needs momentum > 0 and dampening 0)"},
    {"training.optimizer.weight_decay", NN_KEY_NUMBER, .off = P(training.optimizer.weight_decay), .range = R_NONNEG,
     .flags = NN_KEY_LIVE | NN_KEY_INDENT, .panel = NN_PANEL_HPARAMS, .order = 22, .label = "weight decay",
     .doc = "L2 penalty added to the gradient; adamw decouples it from the gradient"},
    {"training.optimizer.alpha", NN_KEY_NUMBER, .off = P(training.optimizer.alpha), .range = R_UNIT_OPEN,
     .flags = NN_KEY_LIVE | NN_KEY_INDENT, .panel = NN_PANEL_HPARAMS, .order = 22, .label = "alpha",
     .doc = "smoothing constant of the squared-gradient average"},
    {"training.optimizer.epsilon", NN_KEY_NUMBER, .off = P(training.optimizer.eps), .range = R_POS,
     .flags = NN_KEY_LIVE | NN_KEY_INDENT,
     .panel = NN_PANEL_HPARAMS, .order = 22, .label = "epsilon", .doc = "added to denominators"},
    {"training.optimizer.beta1", NN_KEY_NUMBER, .off = P(training.optimizer.beta1), .range = R_UNIT_OPEN,
     .flags = NN_KEY_LIVE | NN_KEY_INDENT, .panel = NN_PANEL_HPARAMS, .order = 22, .label = "beta1",
     .doc = "decay of the first-moment average"},
    {"training.optimizer.beta2", NN_KEY_NUMBER, .off = P(training.optimizer.beta2), .range = R_UNIT_OPEN,
     .flags = NN_KEY_LIVE | NN_KEY_INDENT, .panel = NN_PANEL_HPARAMS, .order = 22, .label = "beta2",
     .doc = "decay of the second-moment average"},
    {"training.optimizer.amsgrad", NN_KEY_BOOL, .off = P(training.optimizer.amsgrad),
     .flags = NN_KEY_LIVE | NN_KEY_INDENT,
     .panel = NN_PANEL_HPARAMS, .order = 22, .label = "amsgrad", .doc = "keep the maximum of the second moments"},
    {"training.optimizer.centered", NN_KEY_BOOL, .off = P(training.optimizer.centered),
     .flags = NN_KEY_LIVE | NN_KEY_INDENT,
     .panel = NN_PANEL_HPARAMS, .order = 22, .label = "centered", .doc = "divide by the centred variance estimate"},
    {"training.optimizer.rho", NN_KEY_NUMBER, .off = P(training.optimizer.rho), .range = R_UNIT,
     .flags = NN_KEY_LIVE | NN_KEY_INDENT,
     .panel = NN_PANEL_HPARAMS, .order = 22, .label = "rho", .doc = "decay of the running averages"},
    {"training.optimizer.lr_decay", NN_KEY_NUMBER, .off = P(training.optimizer.lr_decay), .range = R_NONNEG,
     .flags = NN_KEY_LIVE | NN_KEY_INDENT, .panel = NN_PANEL_HPARAMS, .order = 22, .label = "lr decay",
     .doc = "learning-rate decay per step"},
    {"training.optimizer.initial_accumulator_value", NN_KEY_NUMBER,
     .off = P(training.optimizer.initial_accumulator_value),
     .range = R_NONNEG, .flags = NN_KEY_LIVE | NN_KEY_INDENT, .panel = NN_PANEL_HPARAMS, .order = 22,
     .label = "initial acc.",
     .doc = "starting value of the sum of squares"},
    {"training.optimizer.momentum_decay", NN_KEY_NUMBER, .off = P(training.optimizer.momentum_decay),
     .range = R_NONNEG, .flags = NN_KEY_LIVE | NN_KEY_INDENT, .panel = NN_PANEL_HPARAMS, .order = 22,
     .label = "momentum decay",
     .doc = "nadam: psi of its momentum schedule mu_t = beta1·(1 − 0.96^(t·psi)/2)"},
    {"training.schedule", NN_KEY_OBJECT, .off = P(training.schedule), .start = start_schedule, .takes = schedule_takes,
     .kind_before = "the ", .kind_after = " schedule"},
    {"training.schedule.name", NN_KEY_NAME, .off = P(training.schedule.kind), .names = sched_name, .noun = "a schedule",
     .flags = NN_KEY_LIVE | NN_KEY_KIND | NN_KEY_EDITS_GROUP, .dflt = NN_SCHED_CONSTANT,
     .lock_group = "training.schedule",
     .panel = NN_PANEL_HPARAMS, .order = 30, .label = "schedule", .doc = "learning rate per epoch (torch.optim.lr_scheduler)"},
    {"training.schedule.step_size", NN_KEY_INT, .off = P(training.schedule.step_size), .range = R_INT(1, 1e6),
     .flags = NN_KEY_LIVE | NN_KEY_INDENT, .panel = NN_PANEL_HPARAMS, .order = 31, .label = "step size",
     .doc = "multiply by gamma every step_size epochs"},
    {"training.schedule.gamma", NN_KEY_NUMBER, .off = P(training.schedule.gamma), .range = R_POS,
     .flags = NN_KEY_LIVE | NN_KEY_INDENT,
     .panel = NN_PANEL_HPARAMS, .order = 31, .label = "gamma", .doc = "factor"},
    {"training.schedule.t_max", NN_KEY_INT, .off = P(training.schedule.t_max), .range = R_INT(0, 1e6),
     .flags = NN_KEY_LIVE | NN_KEY_INDENT, .panel = NN_PANEL_HPARAMS, .order = 31, .label = "t max",
     .doc = "half period in epochs; 0 = the run's epochs"},
    {"training.schedule.eta_min", NN_KEY_NUMBER, .off = P(training.schedule.eta_min), .range = R_NONNEG,
     .flags = NN_KEY_LIVE | NN_KEY_INDENT, .panel = NN_PANEL_HPARAMS, .order = 31, .label = "eta min",
     .doc = "lowest learning rate"},
    {"training.regularization", NN_KEY_OBJECT, .off = P(training.reg)},
    {"training.regularization.method", NN_KEY_NAME, .off = P(training.reg), .names = reg_name, .noun = "a method",
     .flags = NN_KEY_LIVE, .dflt = NN_REG_NONE, .panel = NN_PANEL_HPARAMS, .order = 50, .label = "regularization",
     .abbrev = "regularization", .doc = "penalty on the weights (not biases), reported apart from the loss"},
    {"training.regularization.lambda", NN_KEY_NUMBER, .off = P(training.lambda), .range = R_NONNEG,
     .flags = NN_KEY_LIVE | NN_KEY_INDENT, .dflt = 0, .panel = NN_PANEL_HPARAMS, .order = 51, .label = "lambda",
     .doc = "strength: l1 lambda·Σ\\|w\\|, l2 lambda/2·Σw², elasticnet lambda·(r·Σ\\|w\\| + (1−r)/2·Σw²)"},
    {"training.regularization.r", NN_KEY_NUMBER, .off = P(training.r), .range = R_UNIT,
     .flags = NN_KEY_LIVE | NN_KEY_INDENT,
     .dflt = 0.5, .panel = NN_PANEL_HPARAMS, .order = 52, .label = "r (l1 share)", .doc = "elasticnet: share of l1"},
    {"training.regularization.dropout", NN_KEY_NUMBER, .off = P(training.dropout), .range = R_UNIT_OPEN,
     .flags = NN_KEY_LIVE, .dflt = 0, .panel = NN_PANEL_HPARAMS, .order = 53, .label = "dropout",
     .doc = "inverted dropout on hidden layers while training"},
    {"training.early_stopping", NN_KEY_OBJECT, .off = P(training.patience)},
    {"training.early_stopping.patience", NN_KEY_INT, .off = P(training.patience), .flags = NN_KEY_LIVE,
     .range = R_INT(0, 1e6), .dflt = 0,
     .panel = NN_PANEL_HPARAMS, .order = 70, .label = "early stop",
     .doc = "stop after this many epochs without a better validation loss, keeping the best weights; 0 = off"},
    {"training.clip_norm", NN_KEY_NUMBER, .off = P(training.clip_norm), .flags = NN_KEY_LIVE, .range = R_NONNEG,
     .dflt = 0,
     .panel = NN_PANEL_HPARAMS, .order = 71, .label = "clip norm", .doc = "clip the gradient to this global L2 norm; 0 = off"},

    {"ui", NN_KEY_OBJECT, .off = P(ui), .present = ui_present},
    {"ui.pace", NN_KEY_INT, .off = P(ui.pace), .range = R_INT(1, 200), .flags = NN_KEY_AUTO, .auto_value = NN_AUTO,
     .word = "max", .word_value = 0, .dflt = NN_AUTO,
     .doc = "the trainer: epochs per second it opens at (`<` and `>` change it there: 1, 2, 5, 10, 20, 50, 100, "
            "200, max); max: as fast as it trains; auto: the slowest step at which the run lasts at most 20 s, "
            "10 for forever, max above 10000 training rows (see the README). `nnterm train` ignores it"},
    {"ui.view", NN_KEY_NAME, .off = P(ui.view), .names = view_name, .flags = NN_KEY_AUTO, .auto_value = NN_AUTO,
     .dflt = NN_AUTO,
     .doc = "the trainer: the view of the lower right it opens on; auto: Lesson for a lesson, else Boundary "
            "when the data has a picture, else Confusion. `nnterm train` ignores it"},
    {"lesson", NN_KEY_OBJECT, .off = P(lesson), .start = start_lesson, .present = lesson_present},
    {"lesson.title", NN_KEY_STRING, TEXT(lesson.title), .doc = "lesson mode: a title shown in the UI"},
    {"lesson.text", NN_KEY_STRING, TEXT(lesson.text), .flags = NN_KEY_LINES, .doc = "lesson mode: the instructions"},
    {"lesson.locked", NN_KEY_STRINGS, .off = P(lesson.locked), .size = sizeof(((nn_preset *)0)->lesson.locked[0]),
     .count_off = P(lesson.n_locked), .max = NN_MAX_LOCKED, .range = R_INT(0, NN_MAX_LOCKED),
     .expect = "an array of dotted keys",
     .expect_item = "a dotted key such as \"training.optimizer.name\"", .default_doc = "`[]`",
     .allowed_doc = "up to 16 dotted keys of this table (`model.layers.*.units` for every layer)",
     .doc = "keys the UI will not let the student edit; a key locks everything under it"},
};
const int nn_preset_key_count = (int)(sizeof nn_preset_keys / sizeof nn_preset_keys[0]);

// --- queries -----------------------------------------------------------------------------------------

/* key with a layer index written as "*": "model.layers.3.units" -> "model.layers.*.units". False if it
 * does not fit or the index is neither digits nor "*". */
static bool normalise(char *out, size_t cap, const char *key)
{
    static const char prefix[] = "model.layers.";
    const size_t np = sizeof prefix - 1;
    if (strncmp(key, prefix, np) != 0)
        return (size_t)snprintf(out, cap, "%s", key) < cap;
    const char *idx = key + np, *dot = strchr(idx, '.');
    size_t n = dot ? (size_t)(dot - idx) : strlen(idx);
    if (n == 0)
        return false;
    if (!(n == 1 && idx[0] == '*'))
        for (size_t i = 0; i < n; i++)
            if (idx[i] < '0' || idx[i] > '9')
                return false;
    return (size_t)snprintf(out, cap, "%s*%s", prefix, dot ? dot : "") < cap;
}

const nn_preset_key *nn_preset_key_find(const char *key)
{
    char norm[160];
    if (!key || !normalise(norm, sizeof norm, key))
        return NULL;
    for (int i = 0; i < nn_preset_key_count; i++)
        if (strcmp(nn_preset_keys[i].path, norm) == 0)
            return &nn_preset_keys[i];
    return NULL;
}

bool nn_preset_key_live(const char *key)
{
    const nn_preset_key *k = nn_preset_key_find(key);
    if (!k || k->type != NN_KEY_OBJECT || (k->flags & NN_KEY_LIVE))
        return k && (k->flags & NN_KEY_LIVE);
    /* a level not marked live itself (dataset.split is, as a whole): when every key under it is */
    size_t n = strlen(k->path);
    bool any = false;
    for (int i = 0; i < nn_preset_key_count; i++) {
        const nn_preset_key *c = &nn_preset_keys[i];
        if (strncmp(c->path, k->path, n) != 0 || c->path[n] != '.' || c->type == NN_KEY_OBJECT)
            continue;
        if (!(c->flags & NN_KEY_LIVE))
            return false;
        any = true;
    }
    return any;
}

const char *nn_preset_key_abbrev(const nn_preset_key *k)
{
    if (k->abbrev)
        return k->abbrev;
    const char *dot = strrchr(k->path, '.');
    return dot ? dot + 1 : k->path;
}

const nn_preset_key *nn_preset_key_parent(const nn_preset_key *k)
{
    const char *dot = strrchr(k->path, '.');
    if (!dot)
        return NULL;
    size_t n = (size_t)(dot - k->path);
    if (n >= 2 && strncmp(dot - 2, ".*", 2) == 0)   /* a layer's key: under model.layers */
        n -= 2;
    for (int i = 0; i < nn_preset_key_count; i++)
        if (strlen(nn_preset_keys[i].path) == n && strncmp(nn_preset_keys[i].path, k->path, n) == 0)
            return &nn_preset_keys[i];
    return NULL;
}

bool nn_preset_key_used(const nn_preset *p, const nn_preset_key *k)
{
    const nn_preset_key *up = nn_preset_key_parent(k);
    if (up && up->takes && !up->takes(p, k))
        return false;
    if (k->off == offsetof(nn_preset, dataset.features) && k->type == NN_KEY_STRINGS) {
        /* Playground's features: for data with two raw features, or a file that may have them */
        const nn_source_info *src = nn_source_find(p->dataset.source);
        return !src || src->n_features == 2 || src->n_features == 0;
    }
    if (strncmp(k->path, "dataset.", 8) == 0 && !strchr(k->path + 8, '.')) {
        /* a key some source takes is used only with such a source */
        bool some = false;
        for (int i = 0; i < nn_source_count && !some; i++)
            some = nn_source_key_find(&nn_source_table[i], k->path + 8) != NULL;
        if (some)
            return nn_source_key_find(nn_source_find(p->dataset.source), k->path + 8) != NULL;
    }
    return true;
}

bool nn_range_ok(const nn_range *r, double v)
{
    if (!isfinite(v))
        return false;
    if (r->lo_open ? v <= r->lo : v < r->lo)
        return false;
    if (r->hi_open ? v >= r->hi : v > r->hi)
        return false;
    return !r->integer || v == floor(v);
}

void nn_range_text(char *buf, size_t n, const nn_range *r)
{
    if (r->integer)
        snprintf(buf, n, "(%.0f..%.0f)", r->lo, r->hi);
    else if (isinf(r->hi))
        snprintf(buf, n, "(must be %s %g)", r->lo_open ? ">" : ">=", r->lo);
    else
        snprintf(buf, n, "%c%g, %g%c", r->lo_open ? '(' : '[', r->lo, r->hi, r->hi_open ? ')' : ']');
}

// --- fields (preset_impl.h) --------------------------------------------------------------------------

static bool layer_key(const nn_preset_key *k) { return strncmp(k->path, "model.layers.*.", 15) == 0; }

void *preset_field(nn_preset *p, const nn_preset_key *k, int layer)
{
    if (layer_key(k))
        return (char *)&p->layers[layer] + k->off;
    return (char *)p + k->off;
}

const void *preset_cfield(const nn_preset *p, const nn_preset_key *k, int layer)
{
    return preset_field((nn_preset *)(uintptr_t)p, k, layer);
}

double preset_get_value(const nn_preset *p, const nn_preset_key *k, int layer)
{
    const void *f = preset_cfield(p, k, layer);
    switch (k->type) {
    case NN_KEY_INT:
    case NN_KEY_NAME: return (double)*(const int *)f;
    case NN_KEY_SEED: return (double)*(const uint64_t *)f;
    case NN_KEY_NUMBER: return *(const double *)f;
    case NN_KEY_FLOAT: return (double)*(const float *)f;
    case NN_KEY_BOOL: return *(const bool *)f ? 1.0 : 0.0;
    case NN_KEY_OBJECT:
    case NN_KEY_LAYERS:
    case NN_KEY_STRING:
    case NN_KEY_COLUMN:
    case NN_KEY_STRINGS: break;
    }
    return NAN;
}

void preset_put_value(nn_preset *p, const nn_preset_key *k, int layer, double v)
{
    void *f = preset_field(p, k, layer);
    switch (k->type) {
    case NN_KEY_INT:
    case NN_KEY_NAME: *(int *)f = (int)v; break;
    case NN_KEY_SEED: *(uint64_t *)f = (uint64_t)v; break;
    case NN_KEY_NUMBER: *(double *)f = v; break;
    case NN_KEY_FLOAT: *(float *)f = (float)v; break;
    case NN_KEY_BOOL: *(bool *)f = v != 0.0; break;
    case NN_KEY_OBJECT:
    case NN_KEY_LAYERS:
    case NN_KEY_STRING:
    case NN_KEY_COLUMN:
    case NN_KEY_STRINGS: break;
    }
}

/* True if row is directly under the level path lp (of length n; n 0: the top). */
static bool directly_under(const char *row, const char *lp, size_t n)
{
    if (n) {
        if (strncmp(row, lp, n) != 0 || row[n] != '.')
            return false;
        row += n + 1;
        if (strncmp(row, "*.", 2) == 0 && strcmp(lp, "model.layers") == 0)
            row += 2;
    }
    return *row && !strchr(row, '.');
}

int preset_children(const nn_preset_key *level, const nn_preset_key **out, int max)
{
    const char *lp = level ? level->path : "";
    size_t n = strlen(lp);
    int count = 0;
    for (int i = 0; i < nn_preset_key_count && count < max; i++)
        if (directly_under(nn_preset_keys[i].path, lp, n))
            out[count++] = &nn_preset_keys[i];
    return count;
}

const char *preset_last(const nn_preset_key *k)
{
    const char *dot = strrchr(k->path, '.');
    return dot ? dot + 1 : k->path;
}

/* enums are stored through int pointers */
_Static_assert(sizeof(nn_normalize) == sizeof(int) && sizeof(nn_init) == sizeof(int) &&
               sizeof(nn_dist) == sizeof(int) && sizeof(nn_reg) == sizeof(int) &&
               sizeof(nn_opt_kind) == sizeof(int) && sizeof(nn_sched_kind) == sizeof(int),
               "NAME keys store enums as int");
