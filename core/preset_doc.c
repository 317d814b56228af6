/* preset_doc.c — the documentation of every preset key and every choice, generated from the tables:
 * the key table (preset_schema.c), and the activation, loss, optimizer, schedule and source rows.
 * `nnterm keys --markdown` prints it; docs/preset-keys.md is that text, and the README repeats its
 * table rows and choice lines (tests/test_preset.c and tests/check_docs.sh compare them). */
#include "preset_impl.h"

#include "activation.h"
#include "datasets.h"
#include "loss.h"
#include "strbuf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CELL 1024

static const char *const intro =
    "# Preset keys\n"
    "\n"
    "Every key of a preset, in the order `nnterm` writes them. Only `dataset.source` is required;\n"
    "every other key has the default shown. Defaults are written as JSON, exactly as\n"
    "`nn_preset_get` returns them (for a parameter of some optimizers or schedules only: the default\n"
    "of the first one, in the order of the tables below, that takes it). This file is generated from\n"
    "the tables in the code by `nnterm keys --markdown`; tests/test_preset.c checks that it matches.\n"
    "\n";

static const char *const rules =
    "Rules that apply throughout:\n"
    "\n"
    "- An unknown key, a wrong type, an unknown name or a value out of range is an error that\n"
    "  names the file, the JSON path, the value and what is allowed; `nnterm check` prints every\n"
    "  problem, not only the first.\n"
    "- `\"auto\"` means \"decide from the dataset\". Auto values are left out when a preset is saved.\n"
    "- Paths are relative to the preset's folder (built-in presets: to the embedded files).\n"
    "- `--set KEY=VALUE` reads VALUE as JSON where it parses, else as a string. `null` removes a key\n"
    "  (back to its default) or a layer (`model.layers.1=null`); `model.layers.N` with N equal to the\n"
    "  number of layers appends one. Setting `training.optimizer.name` (or `training.schedule.name`) to\n"
    "  a different name resets the other parameters to that optimizer's defaults: set the learning\n"
    "  rate after the name.\n"
    "- An optimizer or schedule parameter that the chosen one does not take (`beta1` for sgd,\n"
    "  `gamma` for cosine) is an error that lists the parameters it does take.\n"
    "- A preset file is UTF-8 JSON of at most 1 MiB, nested at most 1000 levels (a UTF-16 file or a\n"
    "  byte that is not UTF-8 is an error giving its line and column). Its text (names, paths, the\n"
    "  label, the lesson) has no control characters; newlines and tabs are allowed in `description`\n"
    "  and `lesson.text`.\n"
    "- A lesson's `locked` key locks everything under it; a key whose edit resets others (the\n"
    "  optimizer's or the schedule's name, the split as a whole) is locked when any of them is.\n"
    "- Keys marked *live* may change while a run goes on (the trainer applies them from the next\n"
    "  batch, without a reset): "
    /* the list follows, generated */;

// --- helpers ----------------------------------------------------------------------------------------------

/* Appends s to buf (n bytes). */
static void cat(char *buf, size_t n, const char *s)
{
    size_t len = strlen(buf);
    if (len < n)
        snprintf(buf + len, n - len, "%s", s);
}

static const char *type_word(const nn_preset_key *k)
{
    switch (k->type) {
    case NN_KEY_STRING:
    case NN_KEY_NAME: return "string";
    case NN_KEY_COLUMN: return "string or integer";
    case NN_KEY_INT:
    case NN_KEY_SEED: return "integer";
    case NN_KEY_NUMBER:
    case NN_KEY_FLOAT: return "number";
    case NN_KEY_BOOL: return "boolean";
    case NN_KEY_LAYERS:
    case NN_KEY_STRINGS: return "array";
    case NN_KEY_OBJECT: return "object";
    }
    return "?";
}

/* "training.optimizer", kinds "sgd, rmsprop" or "all but sgd" that take child; "" when all do. */
static void kinds_taking(char *buf, size_t n, const nn_preset_key *level, const nn_preset_key *child)
{
    nn_preset p;
    nn_preset_defaults(&p);
    int count = 0, total = 0, missing = -1;
    char list[LIST_LEN] = "";
    const bool opt = strcmp(level->path, "training.optimizer") == 0;
    for (int i = 0;; i++) {
        const char *name = opt ? (i < NN_OPT_COUNT ? nn_opt_table[i].name : NULL)
                               : (i < NN_SCHED_COUNT ? nn_sched_table[i].name : NULL);
        if (!name)
            break;
        level->start(&p, i);
        if (opt)
            p.training.optimizer.kind = (nn_opt_kind)i;
        else
            p.training.schedule.kind = (nn_sched_kind)i;
        total++;
        if (level->takes(&p, child)) {
            if (count)
                cat(list, sizeof list, ", ");
            cat(list, sizeof list, name);
            count++;
        } else {
            missing = i;
        }
    }
    buf[0] = '\0';
    if (count == total)
        return;
    if (count == total - 1 && total > 2)
        snprintf(buf, n, "all but %s", opt ? nn_opt_table[missing].name : nn_sched_table[missing].name);
    else
        snprintf(buf, n, "%s", list);
}

/* A preset where key (with "N" as layer 1) is used: the defaults with source iris, and the first
 * optimizer or schedule that takes the key. */
static void base_for(nn_preset *p, const nn_preset_key *k)
{
    nn_preset_defaults(p);
    snprintf(p->dataset.source, sizeof p->dataset.source, "iris");
    const nn_preset_key *up = nn_preset_key_parent(k);
    if (!up || !up->takes || up->takes(p, k))
        return;
    const bool opt = strcmp(up->path, "training.optimizer") == 0;
    for (int i = 0; i < (opt ? NN_OPT_COUNT : NN_SCHED_COUNT); i++) {
        nn_preset q = *p;
        up->start(&q, i);
        if (opt)
            q.training.optimizer.kind = (nn_opt_kind)i;
        else
            q.training.schedule.kind = (nn_sched_kind)i;
        if (up->takes(&q, k)) {
            if (k->flags & NN_KEY_OWN_DEFAULT)
                preset_put_value(&q, k, -1, k->dflt);
            *p = q;
            return;
        }
    }
}

/* The default as nn_preset_get writes it, in backticks. */
static void default_cell(char *buf, size_t n, const nn_preset_key *k)
{
    if (k->default_doc) {
        snprintf(buf, n, "%s", k->default_doc);
        return;
    }
    nn_preset p;
    base_for(&p, k);
    char key[PATH_LEN], got[CELL];
    snprintf(key, sizeof key, "%s", k->path);
    char *star = strchr(key, '*');
    if (star)
        *star = '1';   /* the output layer of the default model */
    if (nn_preset_get(&p, key, got, sizeof got, NULL) == NN_OK)
        snprintf(buf, n, "`%.*s`", (int)(n > 3 ? n - 3 : 0), got);
    else
        snprintf(buf, n, "-");
}

static void allowed_cell(char *buf, size_t n, const nn_preset_key *k)
{
    buf[0] = '\0';
    const bool with_auto = (k->flags & NN_KEY_AUTO) != 0;
    const nn_range *r = &k->range;
    if (k->allowed_doc) {
        snprintf(buf, n, "%s", k->allowed_doc);
    } else if (k->names) {
        preset_name_list(buf, n, k, with_auto);
    } else if (k->type == NN_KEY_STRING) {
        snprintf(buf, n, "under %zu bytes", k->size);
    } else if (k->type == NN_KEY_BOOL) {
        snprintf(buf, n, "true, false");
    } else if (r->integer) {
        snprintf(buf, n, "%.0f..%.0f%s%s%s", r->lo, r->hi, k->word ? ", " : "", k->word ? k->word : "",
                 with_auto ? ", auto" : "");
    } else if (isinf(r->hi)) {
        snprintf(buf, n, "%s %g", r->lo_open ? ">" : ">=", r->lo);
    } else {
        snprintf(buf, n, "%c%g, %g%c%s", r->lo_open ? '(' : '[', r->lo, r->hi, r->hi_open ? ')' : ']',
                 with_auto ? ", auto" : "");
    }
    const nn_preset_key *up = nn_preset_key_parent(k);
    if (up && up->takes && !(k->flags & NN_KEY_KIND)) {
        char kinds[LIST_LEN];
        kinds_taking(kinds, sizeof kinds, up, k);
        if (kinds[0]) {
            cat(buf, n, "; ");
            cat(buf, n, kinds);
        }
    }
    /* a source's keys: which sources need them, which go together */
    if (strncmp(k->path, "dataset.", 8) == 0) {
        const char *key = k->path + 8;
        for (int s = 0; s < nn_source_count; s++) {
            const nn_source_info *src = &nn_source_table[s];
            for (int i = 0; i < src->n_keys; i++) {
                if (strcmp(src->keys[i].key, key) != 0)
                    continue;
                const char *with = NULL;
                if ((src->keys[i].flags & NN_SOURCE_PAIRED) && i + 1 < src->n_keys)
                    with = src->keys[i + 1].key;
                if (i > 0 && (src->keys[i - 1].flags & NN_SOURCE_PAIRED))
                    with = src->keys[i - 1].key;
                if (src->keys[i].flags & NN_SOURCE_REQUIRED) {
                    cat(buf, n, "; required by ");
                    cat(buf, n, src->name);
                }
                if (with) {
                    cat(buf, n, "; given together with ");
                    cat(buf, n, with);
                }
            }
        }
    }
}

static void meaning_cell(char *buf, size_t n, const nn_preset_key *k)
{
    snprintf(buf, n, "%s", k->doc ? k->doc : "");
    char extra[CELL] = "";
    const nn_preset_key *up = nn_preset_key_parent(k);
    if (up && up->takes && !(k->flags & NN_KEY_KIND) && k->type != NN_KEY_BOOL) {
        /* the kinds whose default differs from the one shown */
        nn_preset base;
        base_for(&base, k);
        double shown = preset_get_value(&base, k, -1);
        const bool opt = strcmp(up->path, "training.optimizer") == 0;
        for (int i = 0; i < (opt ? NN_OPT_COUNT : NN_SCHED_COUNT); i++) {
            nn_preset q = base;
            up->start(&q, i);
            if (opt)
                q.training.optimizer.kind = (nn_opt_kind)i;
            else
                q.training.schedule.kind = (nn_sched_kind)i;
            double v = preset_get_value(&q, k, -1);
            if (!up->takes(&q, k) || v == shown)
                continue;
            char one[96];
            snprintf(one, sizeof one, "%s%s default %g", extra[0] ? ", " : "",
                     opt ? nn_opt_table[i].name : nn_sched_table[i].name, v);
            cat(extra, sizeof extra, one);
        }
    } else if (strcmp(k->path, "dataset.samples") == 0 || strcmp(k->path, "dataset.noise") == 0) {
        const bool samples = k->path[8] == 's';
        for (int s = 0; s < nn_source_count; s++) {
            const nn_source_info *src = &nn_source_table[s];
            if (!src->synthetic)
                continue;
            char one[96];
            if (samples)
                snprintf(one, sizeof one, "%s %d", src->name, src->default_samples);
            else
                snprintf(one, sizeof one, "%s %g", src->name, src->default_noise);
            cat(extra, sizeof extra, extra[0] ? ", " : "auto: ");
            cat(extra, sizeof extra, one);
        }
    } else if (strcmp(k->path, "model.layers.*.alpha") == 0) {
        for (int a = 0; a < NN_ACT_COUNT; a++) {
            const nn_act_info *r = &nn_act_table[a];
            if (!r->alpha_doc)
                continue;
            char one[160];
            snprintf(one, sizeof one, "%s%s (auto %g)", extra[0] ? " or " : ": ", r->alpha_doc,
                     (double)r->default_alpha);
            cat(extra, sizeof extra, one);
        }
        cat(extra, sizeof extra, "; ignored by other activations");
        cat(buf, n, extra);
        extra[0] = '\0';
    }
    if (extra[0]) {
        cat(buf, n, " (");
        cat(buf, n, extra);
        cat(buf, n, ")");
    }
    if (k->flags & NN_KEY_LIVE)
        cat(buf, n, "; live");
}

/* "model.layers.*.units" -> "model.layers.N.units" */
static void shown_key(char *buf, size_t n, const nn_preset_key *k)
{
    snprintf(buf, n, "%s", k->path);
    char *star = strchr(buf, '*');
    if (star)
        *star = 'N';
}

/* Markdown to plain text: no backticks, no escapes. */
static void plain(char *s)
{
    char *w = s;
    for (const char *r = s; *r; r++) {
        if (*r == '`' || (*r == '\\' && r[1] == '|'))
            continue;
        *w++ = *r;
    }
    *w = '\0';
}

// --- the choices ------------------------------------------------------------------------------------------

static void choice(nn_strbuf *b, const char *name, const char *text, bool markdown)
{
    char line[2 * CELL];
    if (strchr(text, '`'))
        snprintf(line, sizeof line, "- `%s`: %s\n", name, text);
    else
        snprintf(line, sizeof line, "- `%s`: `%s`\n", name, text);
    if (!markdown)
        plain(line);
    nn_strbuf_puts(b, line);
}

/* s, as markdown or as plain text */
static void put(nn_strbuf *b, const char *s, bool markdown)
{
    char line[2 * CELL];
    snprintf(line, sizeof line, "%s", s);
    if (!markdown)
        plain(line);
    nn_strbuf_puts(b, line);
}

static void choices(nn_strbuf *b, bool markdown)
{
    put(b, markdown ? "## Choices\n\n" : "\nChoices\n\n", markdown);
    put(b, "Activations (`model.layers.N.activation`):\n\n", markdown);
    for (int i = 0; i < NN_ACT_COUNT; i++)
        choice(b, nn_act_table[i].name, nn_act_table[i].formula, markdown);
    put(b, "\nLosses (`training.loss`):\n\n", markdown);
    for (int i = 0; i < NN_LOSS_COUNT; i++)
        choice(b, nn_loss_table[i].name, nn_loss_table[i].formula, markdown);
    put(b, "\nOptimizers (`training.optimizer.name`; g is the gradient, p a parameter, t the step):\n\n", markdown);
    for (int i = 0; i < NN_OPT_COUNT; i++)
        choice(b, nn_opt_table[i].name, nn_opt_table[i].formula, markdown);
    put(b, "\nLearning-rate schedules (`training.schedule.name`, stepped once per epoch, epoch 0 = the base rate):\n\n",
        markdown);
    for (int i = 0; i < NN_SCHED_COUNT; i++)
        choice(b, nn_sched_table[i].name, nn_sched_table[i].formula, markdown);
    put(b, "\nData sources (`dataset.source`):\n\n", markdown);
    for (int i = 0; i < nn_source_count; i++) {
        /* a description is prose: no backticks added */
        char line[2 * CELL];
        snprintf(line, sizeof line, "- `%s`: %s\n", nn_source_table[i].name, nn_source_table[i].description);
        put(b, line, markdown);
    }
}

// --- the document -------------------------------------------------------------------------------------------

char *nn_preset_keys_doc(bool markdown)
{
    nn_strbuf b = {0};
    nn_strbuf_puts(&b, markdown ? intro : "");
    if (markdown) {
        nn_strbuf_puts(&b, rules);
        int live = 0;
        for (int i = 0; i < nn_preset_key_count; i++)
            if (nn_preset_keys[i].flags & NN_KEY_LIVE)
                nn_strbuf_printf(&b, "%s`%s`", live++ ? ", " : "", nn_preset_keys[i].path);
        nn_strbuf_puts(&b, ". The dataset keys among them draw new data (new points, or a new split)\n"
                           "  and keep the network's weights; the Loss chart marks the change.\n\n"
                           "| key | type | default | allowed | meaning |\n|---|---|---|---|---|\n");
    }
    for (int i = 0; i < nn_preset_key_count; i++) {
        const nn_preset_key *k = &nn_preset_keys[i];
        if (k->type == NN_KEY_OBJECT)
            continue;   /* its keys are the rows */
        char key[PATH_LEN], def[CELL], allowed[CELL], meaning[2 * CELL];
        shown_key(key, sizeof key, k);
        default_cell(def, sizeof def, k);
        allowed_cell(allowed, sizeof allowed, k);
        meaning_cell(meaning, sizeof meaning, k);
        if (markdown) {
            nn_strbuf_printf(&b, "| `%s` | %s | %s | %s | %s |\n", key, type_word(k), def, allowed, meaning);
        } else {
            plain(def);
            plain(allowed);
            plain(meaning);
            nn_strbuf_printf(&b, "%-46s %-8s default %s\n    allowed: %s\n    %s\n", key, type_word(k), def, allowed,
                             meaning);
        }
    }
    nn_strbuf_puts(&b, "\n");
    choices(&b, markdown);
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    return b.s;
}
