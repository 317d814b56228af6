/* editing.c — where the app acts: on the panels' intents (panel.h), on the line editor and the
 * yes/no question. Every change of the draft goes through the engine's validator on a scratch copy
 * (ui_items_try), live keys go to the running experiment, and anything that resets training asks
 * first once it has begun. The only file besides input.c that talks to the worker. */
#include "app.h"
#include "pace.h"
#include "preset_schema.h"

#include <errno.h>
#include <float.h>
#include <stdarg.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

void ui_app_message(ui_app *a, bool err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->msg, sizeof a->msg, fmt, ap);
    va_end(ap);
    a->msg_err = err;
    a->msg_state = a->snap.state;
    a->msg_since = ui_now();
    a->msg_until = a->msg_since + (err ? 6.0 : 3.0);
    a->dirty = true;
}

bool ui_app_training_begun(const ui_app *a)
{
    const ui_snapshot *s = &a->snap;
    return s->state == UI_RUN_RUNNING || s->state == UI_RUN_PAUSED || s->state == UI_RUN_DONE ||
           s->state == UI_RUN_DIVERGED || s->epoch > 0 || s->batch > 0;
}

/* Pins of runs on other data (source, file, features) than the draft's are dropped before it loads:
 * their curves and maps would not compare. */
static void pins_for_draft(ui_app *a)
{
    if (a->pins.n == 0 || ui_pins_same_data(&a->pins.pin[0].preset, &a->draft))
        return;
    int n = a->pins.n;
    ui_pins_clear(&a->pins);
    ui_app_message(a, false, "%d pin%s dropped: they ran on other data", n, n == 1 ? "" : "s");
}

bool ui_app_load_draft(ui_app *a)
{
    pins_for_draft(a);
    if (ui_worker_load(a->w, &a->draft))
        return true;
    ui_app_message(a, true, "the worker is busy; try again");
    return false;
}

/* Asks question; on yes, ui_app_confirm does what kind says. */
static void ask(ui_app *a, ui_confirm_kind kind, const char *question)
{
    a->confirm = kind;
    a->confirm_back = UI_MODE_NORMAL;
    snprintf(a->confirm_text, sizeof a->confirm_text, "%s", question);
    a->mode = UI_MODE_CONFIRM;
}

/* A new preset starts with the first line of each list selected. */
static void reset_cursors(ui_app *a)
{
    a->dataset.cursor = a->arch.cursor = a->hparams.cursor = 0;
}

void ui_app_apply(ui_app *a, const nn_preset *p, const char *what)
{
    if (!ui_app_training_begun(a)) {
        a->draft = *p;
        ui_app_load_draft(a);
        return;
    }
    a->pending = *p;
    char q[256];
    snprintf(q, sizeof q, "Changing the %s resets training. Apply it?", what);
    ask(a, UI_CONFIRM_APPLY, q);
}

void ui_app_opened(ui_app *a)
{
    a->loaded = a->draft;
    a->changed = 0;
    a->changes[0] = '\0';
    a->changed_for = a->draft;
}

/* The draft, just opened from a name (origin: what it held; model: its path for a model file), goes
 * to the worker: the first line of each list selected, the preset's own view, "changed" from here. */
static void load_opened(ui_app *a, nn_preset_origin origin, const char *model)
{
    reset_cursors(a);
    a->view_pick = true;
    ui_app_preset_pace(a);   /* before the load, which opens at it */
    a->origin = origin;
    snprintf(a->model, sizeof a->model, "%s", origin == NN_ORIGIN_MODEL ? model : "");
    ui_app_opened(a);
    pins_for_draft(a);
    if (origin == NN_ORIGIN_MODEL ? ui_worker_load_model(a->w, &a->draft, a->model) : ui_worker_load(a->w, &a->draft))
        return;
    ui_app_message(a, true, "the worker is busy; try again");
}

void ui_app_confirm(ui_app *a, bool yes)
{
    if (!yes) {
        a->mode = a->confirm_back;
        a->confirm = UI_CONFIRM_NONE;
        return;
    }
    a->mode = UI_MODE_NORMAL;
    if (a->confirm == UI_CONFIRM_QUIT) {
        a->quit = true;
    } else if (a->confirm == UI_CONFIRM_RACE) {
        ui_app_race(a);
    } else if (a->confirm == UI_CONFIRM_LOAD) {
        a->draft = a->pending;
        load_opened(a, a->pending_origin, a->pending_model);
    } else {
        a->draft = a->pending;
        ui_app_load_draft(a);
    }
    a->confirm = UI_CONFIRM_NONE;
}

// --- the line editor ----------------------------------------------------------------------------

/* What the user types for a key as the preset takes it: epochs 0, inf or ∞ are "forever". */
static const char *as_typed(const char *key, const char *text)
{
    if (strcmp(key, "training.epochs") == 0 &&
        (strcmp(text, "0") == 0 || strcmp(text, "inf") == 0 || strcmp(text, "infinity") == 0 ||
         strcmp(text, "\xe2\x88\x9e") == 0))
        return "forever";
    return text;
}

static void validate_edit(ui_app *a)
{
    ui_edit *e = &a->edit;
    nn_error err;
    switch (e->kind) {
    case UI_EDIT_ITEM:
    case UI_EDIT_LAYER: {
        char v[UI_FIELD_MAX + 64];
        ui_items_json_text(e->key, as_typed(e->key, e->field.buf), v, sizeof v);
        e->ok = ui_items_try(&a->draft, &a->scratch, e->key, v, &err) == NN_OK;
        snprintf(e->msg, sizeof e->msg, "%s", e->ok ? "ok: Enter applies, Esc cancels" : err.msg);
        break;
    }
    case UI_EDIT_SAVE_NAME:
    case UI_EDIT_SAVE_DESC: {
        char v[UI_FIELD_MAX + 64];
        ui_items_json_text(e->key, e->field.buf, v, sizeof v);
        e->ok = ui_items_try(&a->draft, &a->scratch, e->key, v, &err) == NN_OK;
        if (!e->ok)
            snprintf(e->msg, sizeof e->msg, "%s", err.msg);
        else
            snprintf(e->msg, sizeof e->msg, "%s",
                     e->kind == UI_EDIT_SAVE_NAME ? "Enter: on to the description; Esc cancels the save"
                                                  : "Enter: on to the file name; Esc cancels the save");
        break;
    }
    case UI_EDIT_SAVE_PRESET:
    case UI_EDIT_SAVE_MODEL:
        e->ok = e->field.len > 0;
        snprintf(e->msg, sizeof e->msg, "%s",
                 e->ok ? "written to a temporary file, then renamed into place" : "type a file name");
        break;
    case UI_EDIT_WEIGHT: {
        double v;
        e->ok = ui_weight_parse(e->field.buf, &v, e->msg, sizeof e->msg);
        if (e->ok)
            snprintf(e->msg, sizeof e->msg, "ok: Enter sets it (the optimizer's state is kept), Esc cancels");
        break;
    }
    }
}

bool ui_weight_parse(const char *text, double *value, char *why, size_t cap)
{
    while (*text == ' ')
        text++;
    if (!*text) {
        snprintf(why, cap, "type a number, such as 1.5 or -0.2");
        return false;
    }
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    while (*end == ' ')
        end++;
    if (end == text || *end) {
        snprintf(why, cap, "not a number: type one such as 1.5, -0.2 or 3e-2");
        return false;
    }
    if (!isfinite(v) || fabs(v) > (double)FLT_MAX) {
        snprintf(why, cap, "a weight must be a finite number of at most %.3g in size", (double)FLT_MAX);
        return false;
    }
    *value = v;
    return true;
}

void ui_app_begin_edit(ui_app *a, ui_edit_kind kind, const char *key, const char *initial)
{
    if (!ui_edit_is_prompt(kind) || kind == UI_EDIT_SAVE_MODEL || kind == UI_EDIT_WEIGHT) {
        a->edit.step = 0;
        a->edit.note[0] = '\0';
    }
    a->edit.kind = kind;
    snprintf(a->edit.key, sizeof a->edit.key, "%s", key);
    ui_field_set(&a->edit.field, initial);
    /* a number offered is selected: typing "5" gives 5 (it gave 1.2784765 after 1.278476); names and
     * paths take what is typed after them */
    char *end = NULL;
    if (*initial) {
        strtod(initial, &end);
        if (*end == '\0')
            ui_field_select(&a->edit.field);
    }
    a->mode = UI_MODE_EDIT;
    validate_edit(a);
}

/* "iris" + suffix for builtin:iris.json or ./data/iris.json. */
static void default_file(const ui_app *a, char *out, size_t n, const char *suffix)
{
    const char *f = a->draft.file;
    if (strncmp(f, NN_BUILTIN_PREFIX, strlen(NN_BUILTIN_PREFIX)) == 0)
        f += strlen(NN_BUILTIN_PREFIX);
    const char *slash = strrchr(f, '/');
    if (slash)
        f = slash + 1;
    char stem[256];
    snprintf(stem, sizeof stem, "%.200s", *f ? f : "preset.json");
    size_t len = strlen(stem);
    if (len > 5 && strcmp(stem + len - 5, ".json") == 0)
        stem[len - 5] = 0;
    snprintf(out, n, "%s%s", stem, suffix);
}

void ui_app_save_prompt(ui_app *a, ui_edit_kind kind)
{
    const ui_snapshot *s = &a->snap;
    /* a model: any moment the trainer exists (the current weights, the initial ones before training) */
    if (kind == UI_EDIT_SAVE_MODEL && (s->state == UI_RUN_LOADING || s->state == UI_RUN_ERROR)) {
        ui_app_message(a, true, "no model to save: %s",
                       s->state == UI_RUN_LOADING ? "the preset is still loading" : "the preset could not be built");
        return;
    }
    if (kind == UI_EDIT_SAVE_PRESET) {
        ui_app_update_changed(a);
        a->save = a->draft;   /* the name and description the prompts collect, applied once it is written */
        if (a->changed > 0) {
            snprintf(a->edit.note, sizeof a->edit.note, "%s", a->changes);
            a->edit.step = 1;
            ui_app_begin_edit(a, UI_EDIT_SAVE_NAME, "name", a->draft.name);
            return;
        }
        a->edit.step = 0;
        a->edit.note[0] = '\0';
    }
    char f[256];
    default_file(a, f, sizeof f, kind == UI_EDIT_SAVE_MODEL ? "-model.json" : ".json");
    ui_app_begin_edit(a, kind, "", f);
}

/* The description as one line for the field (its line breaks as spaces). */
static void one_line(char *out, size_t n, const char *text)
{
    snprintf(out, n, "%s", text);
    for (char *q = out; *q; q++)
        if (*q == '\n' || *q == '\t' || *q == '\r')
            *q = ' ';
}

/* Sets an ABOUT key (name, description: NN_KEY_ABOUT) in the draft and in the worker's experiment,
 * where `m` saves it: no reset, no marker. value is JSON (ui_items_json_text). */
static void set_about(ui_app *a, const char *key, const char *value)
{
    if (ui_items_try(&a->draft, &a->scratch, key, value, NULL) != NN_OK)
        return;
    a->draft = a->scratch;
    if (a->snap.state != UI_RUN_ERROR && !a->snap.race.on)
        ui_worker_set_param(a->w, key, value);
}

void ui_app_commit_key(ui_app *a, const char *key, const char *text)
{
    nn_error err;
    char v[UI_FIELD_MAX + 64];
    ui_items_json_text(key, as_typed(key, text), v, sizeof v);
    text = v;
    if (ui_items_try(&a->draft, &a->scratch, key, text, &err) != NN_OK) {
        ui_app_message(a, true, "%s", err.msg);
        return;
    }
    const nn_preset_key *row = nn_preset_key_find(key);
    if (row && (row->flags & NN_KEY_ABOUT)) {   /* the name or the description: nothing to reset */
        set_about(a, key, text);
        ui_app_message(a, false, "%s changed (w writes it)", key);
    } else if (strcmp(key, "training.optimizer.learning_rate") == 0 && ui_app_training_begun(a)) {
        a->draft = a->scratch;
        ui_worker_set_lr(a->w, a->draft.training.optimizer.lr);
        ui_app_message(a, false, "learning rate %g from the next batch", a->draft.training.optimizer.lr);
    } else if (nn_preset_key_live(key) && ui_app_training_begun(a) && !a->snap.race.on) {
        /* every key of training applies to the running experiment, no reset: the worker marks it on
         * the Loss chart and says what changed */
        a->draft = a->scratch;
        if (!ui_worker_set_param(a->w, key, text))
            ui_app_message(a, true, "cannot queue the change (the worker is busy); try again");
    } else {
        ui_app_apply(a, &a->scratch, ui_items_what(key));
    }
}

static void commit_edit(ui_app *a)
{
    ui_edit *e = &a->edit;
    nn_error err;
    validate_edit(a);
    if (!e->ok) {
        ui_app_message(a, true, "%s", e->msg);
        return;
    }
    a->mode = UI_MODE_NORMAL;
    switch (e->kind) {
    case UI_EDIT_ITEM:
    case UI_EDIT_LAYER:
        ui_app_commit_key(a, e->key, e->field.buf);
        break;
    case UI_EDIT_SAVE_NAME:
    case UI_EDIT_SAVE_DESC: {
        bool name = e->kind == UI_EDIT_SAVE_NAME;
        char v[UI_FIELD_MAX + 64];
        ui_items_json_text(e->key, e->field.buf, v, sizeof v);
        nn_preset *keep = &a->scratch;
        if (ui_items_try(&a->save, keep, e->key, v, &err) == NN_OK)
            a->save = *keep;
        e->step = name ? 2 : 3;
        if (name) {
            char d[UI_FIELD_MAX];
            one_line(d, sizeof d, a->save.description);
            ui_app_begin_edit(a, UI_EDIT_SAVE_DESC, "description", d);
        } else {
            char f[256];
            default_file(a, f, sizeof f, ".json");
            ui_app_begin_edit(a, UI_EDIT_SAVE_PRESET, "", f);
        }
        break;
    }
    case UI_EDIT_SAVE_PRESET: {
        /* the name and description the prompts collected (the draft's own when nothing changed) */
        nn_preset *out = &a->scratch;
        *out = a->draft;
        if (e->step == 3) {
            memcpy(out->name, a->save.name, sizeof out->name);
            memcpy(out->description, a->save.description, sizeof out->description);
        }
        if (nn_preset_save(out, e->field.buf, &err) != NN_OK) {
            ui_app_message(a, true, "%s", err.msg);
            break;
        }
        if (e->step == 3) {
            char nv[sizeof a->save.name + 64], dv[sizeof a->save.description * 2 + 64];
            ui_items_json_text("name", a->save.name, nv, sizeof nv);
            ui_items_json_text("description", a->save.description, dv, sizeof dv);
            set_about(a, "name", nv);
            set_about(a, "description", dv);
        }
        ui_app_opened(a);   /* what was written is the experiment now: nothing has changed */
        ui_app_message(a, false, "saved the preset to %s", e->field.buf);
        break;
    }
    case UI_EDIT_WEIGHT: {
        double v = 0.0;
        ui_weight_parse(e->field.buf, &v, e->msg, sizeof e->msg);
        if (!ui_worker_set_weight(a->w, e->wt[0], e->wt[1], e->wt[2], v))
            ui_app_message(a, true, "cannot queue the change (the worker is busy); try again");
        break;
    }
    case UI_EDIT_SAVE_MODEL:
        if (ui_worker_save_model(a->w, e->field.buf))
            ui_app_message(a, false, "saving the model to %s ...", e->field.buf);
        else
            ui_app_message(a, true, "cannot queue the save (path too long or the worker is busy)");
        break;
    }
}

void ui_app_edit_key(ui_app *a, ui_cmd c)
{
    ui_field *f = &a->edit.field;
    switch (c.act) {
    case UI_ACT_TEXT_INSERT: ui_field_insert(f, c.arg); break;
    case UI_ACT_TEXT_BACKSPACE: ui_field_backspace(f); break;
    case UI_ACT_TEXT_DELETE: ui_field_delete(f); break;
    case UI_ACT_LEFT: ui_field_left(f); break;
    case UI_ACT_RIGHT: ui_field_right(f); break;
    case UI_ACT_HOME: ui_field_home(f); break;
    case UI_ACT_END: ui_field_end(f); break;
    case UI_ACT_TEXT_KILL_START: ui_field_kill_start(f); break;
    case UI_ACT_TEXT_KILL_END: ui_field_kill_end(f); break;
    case UI_ACT_TEXT_KILL_WORD: ui_field_kill_word(f); break;
    case UI_ACT_CANCEL: a->mode = UI_MODE_NORMAL; return;
    case UI_ACT_COMMIT: commit_edit(a); return;
    default: return;
    }
    validate_edit(a);
}

// --- the actions of the key table that edit -----------------------------------------------------

void ui_app_change_lr(ui_app *a, double factor)
{
    nn_error err;
    if (nn_preset_is_locked(&a->draft, "training.optimizer.learning_rate")) {
        ui_app_message(a, true, "training.optimizer.learning_rate is locked by this lesson");
        return;
    }
    /* from the draft, which this sets at once: the snapshot's base_lr lags until the worker publishes,
       so "++" typed as one burst doubled once */
    double lr = a->draft.training.optimizer.lr > 0 ? a->draft.training.optimizer.lr : a->snap.base_lr;
    lr *= factor;
    char v[64];
    snprintf(v, sizeof v, "%.6g", lr);
    if (ui_items_try(&a->draft, &a->scratch, "training.optimizer.learning_rate", v, &err) != NN_OK) {
        ui_app_message(a, true, "%s", err.msg);
        return;
    }
    a->draft = a->scratch;
    ui_worker_set_lr(a->w, a->draft.training.optimizer.lr);
    ui_app_message(a, false, "learning rate %s", v);
}

void ui_app_reseed(ui_app *a)
{
    const ui_snapshot *s = &a->snap;
    if (nn_preset_is_locked(&a->draft, "seed")) {
        ui_app_message(a, true, "seed is locked by this lesson (r resets to the same weights)");
        return;
    }
    uint64_t seed = s->seed + 1;
    char v[32];
    snprintf(v, sizeof v, "%llu", (unsigned long long)seed);
    if (ui_items_try(&a->draft, &a->scratch, "seed", v, NULL) == NN_OK)
        a->draft = a->scratch;
    if (ui_worker_reseed(a->w, seed))
        ui_app_reset_sent(a);
    ui_app_message(a, false, "new initial weights from seed %s", v);
}

void ui_app_reset_sent(ui_app *a)
{
    /* the worker takes its commands in order: a Space pressed before it publishes must start the
       reset run, not continue the finished one (it read DONE from the old snapshot and was lost) */
    if (!a->snap.race.on && (a->snap.state == UI_RUN_DONE || a->snap.state == UI_RUN_DIVERGED))
        a->snap.state = UI_RUN_READY;
}

void ui_app_continue(ui_app *a)
{
    if (!ui_worker_continue(a->w)) {
        ui_app_message(a, true, "the worker is busy; try again");
        return;
    }
    int e = a->draft.training.epochs;
    if (e > 0)
        ui_app_message(a, false, "training on for %d more epochs from the current weights", e);
    else
        ui_app_message(a, false, "training on from the current weights until paused (Space)");
    a->msg_state = UI_RUN_RUNNING;   /* the message is about the run that starts now: it stays */
}

void ui_app_step_pace(ui_app *a, int dir)
{
    int pace = nn_pace_next(a->pace_pending ? a->pace_asked : a->snap.pace, dir);
    if (!ui_worker_set_pace(a->w, pace)) {
        ui_app_message(a, true, "the worker is busy; try again");
        return;
    }
    a->pace_asked = pace;
    a->pace_pending = true;
    if (pace > 0)
        ui_app_message(a, false, "pace %d/s: every epoch drawn, the same numbers", pace);
    else
        ui_app_message(a, false, "pace max: as fast as it trains");
}

void ui_app_preset_pace(ui_app *a)
{
    a->pace_pending = false;
    ui_worker_set_pace(a->w, a->opt.pace_set ? a->opt.pace : UI_PACE_PRESET);
}

void ui_app_new_data(ui_app *a)
{
    if (a->snap.race.on) {
        ui_app_message(a, true, "new data: not during a race (load a preset to leave it)");
        return;
    }
    if (nn_preset_is_locked(&a->draft, "dataset.seed")) {
        ui_app_message(a, true, "dataset.seed is locked by this lesson: its data stays as it is");
        return;
    }
    /* the next data seed after the one in use (auto: the preset's seed), within the key's range */
    double cur = isnan(a->draft.dataset.seed) ? (double)a->draft.seed : a->draft.dataset.seed;
    char v[32];
    snprintf(v, sizeof v, "%.0f", cur + 1.0 > 9007199254740992.0 ? 0.0 : cur + 1.0);
    ui_app_commit_key(a, "dataset.seed", v);
}

/* The preset, CSV or model name from the picker or the command line: at once before training, else
 * after asking. */
void ui_app_open(ui_app *a, const char *name)
{
    nn_error err;
    nn_preset_origin origin;
    if (nn_preset_open(&a->scratch, name, &origin, NULL, &err) != NN_OK) {
        ui_app_message(a, true, "%s", err.msg);
        return;
    }
    a->mode = UI_MODE_NORMAL;
    if (ui_app_training_begun(a)) {
        a->pending = a->scratch;
        a->pending_origin = origin;
        snprintf(a->pending_model, sizeof a->pending_model, "%s", name);
        char q[256];
        snprintf(q, sizeof q, "Open %s? The current training is discarded.", name);
        ask(a, UI_CONFIRM_LOAD, q);
        return;
    }
    a->draft = a->scratch;
    load_opened(a, origin, name);
    if (origin != NN_ORIGIN_MODEL)   /* a model's notice says what was opened */
        ui_app_message(a, false, "opened %s", name);
}

void ui_app_race(ui_app *a)
{
    if (ui_worker_race(a->w, &a->draft, NULL))
        ui_app_message(a, false, "race: every optimizer from the same initial weights; Space starts it");
    else
        ui_app_message(a, true, "cannot queue the race (the worker is busy); try again");
}

// --- intents ------------------------------------------------------------------------------------

/* The report of the run on screen, now, into PRESET-report/ next to where nnterm runs (the worker
 * writes it between batches and says where in a notice). */
static void report(ui_app *a)
{
    const ui_snapshot *s = &a->snap;
    if (s->state == UI_RUN_LOADING || s->state == UI_RUN_ERROR) {
        ui_app_message(a, true, "no run to report on: %s",
                       s->state == UI_RUN_LOADING ? "the preset is still loading" : "the preset could not be built");
        return;
    }
    char dir[256];
    default_file(a, dir, sizeof dir, "-report");
    /* the pinned runs go on the loss figure, named as on the Loss chart ("1 lr 0.1") */
    char names[UI_REPORT_CURVES][96];
    const char *np[UI_REPORT_CURVES];
    const double *lp[UI_REPORT_CURVES];
    int len[UI_REPORT_CURVES], step[UI_REPORT_CURVES], n = 0;
    for (int i = 0; i < a->pins.n && n < UI_REPORT_CURVES; i++) {
        const ui_pin *q = &a->pins.pin[i];
        char label[80];
        ui_pin_label(q, &a->draft, label, sizeof label);
        snprintf(names[n], sizeof names[n], "%d %s", q->slot + 1, label);
        np[n] = names[n];
        lp[n] = ui_pin_curve(q);
        len[n] = q->n;
        step[n] = q->step;
        n++;
    }
    if (ui_worker_report_curves(a->w, dir, n, np, lp, len, step))
        ui_app_message(a, false, "writing the report into %s/ ...", dir);
    else
        ui_app_message(a, true, "cannot queue the report (the worker is busy); try again");
}


static void trace(ui_app *a, const ui_intent *in)
{
    if (!ui_worker_trace(a->w, in->arg[0], in->arg[1], in->arg[2], in->arg[3]))
        ui_app_message(a, true, "cannot queue the step-through (the worker is busy)");
    else if (a->snap.state == UI_RUN_RUNNING)
        ui_app_message(a, false, "the step-through is computed when training stops (Space pauses, S steps)");
}

static void features(ui_app *a, const ui_intent *in)
{
    bool chosen = in->arg[2] != 0;
    if (!ui_worker_view_features(a->w, in->arg[0], in->arg[1])) {
        if (chosen)
            ui_app_message(a, true, "the worker is busy; try again");
        return;
    }
    if (chosen) {
        ui_views *v = &a->slot.views;
        v->feat_x = in->arg[0];
        v->feat_y = in->arg[1];
        v->feat_run = a->snap.run + 1;
    }
}

/* The Neurons view's maps on (a page) or off; remembered once queued, else asked again next time. */
static void units(ui_app *a, const ui_intent *in)
{
    if (!ui_worker_units(a->w, in->arg[0] != 0, in->arg[1], in->arg[2]))
        return;
    ui_views *v = &a->slot.views;
    v->units_on = in->arg[0] != 0;
    v->units_layer = in->arg[1];
    v->units_first = in->arg[2];
}

void ui_app_act(ui_app *a, const ui_intent *in)
{
    switch (in->kind) {
    case UI_INTENT_NONE: break;
    case UI_INTENT_MESSAGE: ui_app_message(a, in->err, "%s", in->text); break;
    case UI_INTENT_SET_KEY: ui_app_commit_key(a, in->key, in->text); break;
    case UI_INTENT_EDIT:
        if (in->edit == UI_EDIT_ITEM)
            a->edit.panel = in->panel;
        if (in->edit == UI_EDIT_WEIGHT)
            memcpy(a->edit.wt, in->arg, sizeof a->edit.wt);
        ui_app_begin_edit(a, in->edit, in->key, in->text);
        break;
    case UI_INTENT_APPLY: ui_app_apply(a, in->preset, in->text); break;
    case UI_INTENT_TOGGLE_LOG: a->logy = !a->logy; break;
    case UI_INTENT_RACE:
        if (!ui_app_training_begun(a))
            ui_app_race(a);
        else
            ask(a, UI_CONFIRM_RACE,
                "Race every optimizer from the same initial weights? The current training is discarded.");
        break;
    case UI_INTENT_END_RACE:
        if (ui_worker_load(a->w, &a->draft))
            ui_app_message(a, false, "race ended: back to training one network");
        break;
    case UI_INTENT_TRACE: trace(a, in); break;
    case UI_INTENT_FEATURES: features(a, in); break;
    case UI_INTENT_CELL:
        if (!ui_worker_cell(a->w, in->arg[0], in->arg[1]))
            ui_app_message(a, true, "the worker is busy; try again");
        break;
    case UI_INTENT_LOAD: ui_app_open(a, in->text); break;
    case UI_INTENT_REPORT: report(a); break;
    case UI_INTENT_UNITS: units(a, in); break;
    case UI_INTENT_PICTURE:
        if (ui_worker_picture(a->w, in->arg[0])) {
            a->slot.views.pic_asked = true;
            a->slot.views.pic_unit = in->arg[0];
        }
        break;
    case UI_INTENT_CLOSE: a->mode = UI_MODE_NORMAL; break;
    case UI_INTENT_UNPIN:
        if (in->arg[0] >= 0 && in->arg[0] < a->pins.n) {
            int num = a->pins.pin[in->arg[0]].slot + 1;
            ui_pins_remove(&a->pins, in->arg[0]);
            ui_app_message(a, false, "pin %d removed (%d left)", num, a->pins.n);
        }
        break;
    }
}
