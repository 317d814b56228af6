/* app.c — ui_run: terminal setup and teardown (signals, crash handler, atexit), the event loop
 * (poll on stdin and the worker's wake pipe; no redraw when nothing changed), the frame
 * (layout, panels, status bar, overlays) and the actions of the key table. Main thread only. */
#include "app.h"

#include "files.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static ui_app app;   /* large (snapshots, presets): static, main thread only */
// --- helpers ------------------------------------------------------------------------------------

double ui_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void ui_app_message(ui_app *a, bool err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->msg, sizeof a->msg, fmt, ap);
    va_end(ap);
    a->msg_err = err;
    a->msg_until = ui_now() + (err ? 6.0 : 3.0);
    a->dirty = true;
}

bool ui_app_training_begun(const ui_app *a)
{
    const ui_snapshot *s = &a->snap;
    return s->state == UI_RUN_RUNNING || s->state == UI_RUN_PAUSED || s->state == UI_RUN_DONE ||
           s->state == UI_RUN_DIVERGED || s->epoch > 0 || s->batch > 0;
}

static bool load_draft(ui_app *a)
{
    if (ui_worker_load(a->w, &a->draft))
        return true;
    ui_app_message(a, true, "the worker is busy; try again");
    return false;
}

void ui_app_apply(ui_app *a, const nn_preset *p, const char *what)
{
    if (!ui_app_training_begun(a)) {
        a->draft = *p;
        load_draft(a);
        return;
    }
    a->pending = *p;
    a->confirm = UI_CONFIRM_APPLY;
    a->confirm_back = UI_MODE_NORMAL;
    snprintf(a->confirm_text, sizeof a->confirm_text, "Changing the %s resets training. Apply it?", what);
    a->mode = UI_MODE_CONFIRM;
}

static void validate_edit(ui_app *a)
{
    static nn_preset tmp;
    nn_error err;
    switch (a->edit_kind) {
    case UI_EDIT_ITEM:
    case UI_EDIT_LAYER:
        a->edit_ok = ui_items_try(&a->draft, &tmp, a->edit_key, a->field.buf, &err) == NN_OK;
        snprintf(a->edit_msg, sizeof a->edit_msg, "%s", a->edit_ok ? "ok: Enter applies, Esc cancels" : err.msg);
        break;
    case UI_EDIT_SAVE_PRESET:
    case UI_EDIT_SAVE_MODEL:
        a->edit_ok = a->field.len > 0;
        snprintf(a->edit_msg, sizeof a->edit_msg, "%s",
                 a->edit_ok ? "written to a temporary file, then renamed into place" : "type a file name");
        break;
    }
}

void ui_app_begin_edit(ui_app *a, ui_edit_kind kind, const char *key, const char *initial)
{
    a->edit_kind = kind;
    snprintf(a->edit_key, sizeof a->edit_key, "%s", key);
    ui_field_set(&a->field, initial);
    a->mode = UI_MODE_EDIT;
    validate_edit(a);
}

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

void ui_app_commit_key(ui_app *a, const char *key, const char *text)
{
    static nn_preset tmp;
    nn_error err;
    if (ui_items_try(&a->draft, &tmp, key, text, &err) != NN_OK) {
        ui_app_message(a, true, "%s", err.msg);
        return;
    }
    if (strcmp(key, "training.optimizer.learning_rate") == 0 && ui_app_training_begun(a)) {
        a->draft = tmp;
        ui_worker_set_lr(a->w, a->draft.training.optimizer.lr);
        ui_app_message(a, false, "learning rate %g from the next batch", a->draft.training.optimizer.lr);
    } else if (nn_preset_key_live(key) && ui_app_training_begun(a)) {
        /* regularisation changes apply to the running experiment, no reset */
        a->draft = tmp;
        ui_worker_set_param(a->w, key, text);
    } else {
        ui_app_apply(a, &tmp, ui_items_what(key));
    }
}

static void commit_edit(ui_app *a)
{
    nn_error err;
    validate_edit(a);
    if (!a->edit_ok) {
        ui_app_message(a, true, "%s", a->edit_msg);
        return;
    }
    a->mode = UI_MODE_NORMAL;
    switch (a->edit_kind) {
    case UI_EDIT_ITEM:
    case UI_EDIT_LAYER:
        ui_app_commit_key(a, a->edit_key, a->field.buf);
        break;
    case UI_EDIT_SAVE_PRESET:
        if (nn_preset_save(&a->draft, a->field.buf, &err) == NN_OK)
            ui_app_message(a, false, "saved the preset to %s", a->field.buf);
        else
            ui_app_message(a, true, "%s", err.msg);
        break;
    case UI_EDIT_SAVE_MODEL:
        if (ui_worker_save_model(a->w, a->field.buf))
            ui_app_message(a, false, "saving the model to %s ...", a->field.buf);
        else
            ui_app_message(a, true, "cannot queue the save (path too long or the worker is busy)");
        break;
    }
}

// --- snapshots ----------------------------------------------------------------------------------

static void rebuild_series(ui_app *a)
{
    for (int i = 0; i < a->hist_len; i++) {
        a->series[i] = a->hist[i].train_loss;
        a->series[a->hist_cap + i] = a->hist[i].val_loss;
        a->series[2 * a->hist_cap + i] = a->hist[i].test_loss;
    }
}

static bool grow_history(ui_app *a, int need)
{
    if (need <= a->hist_cap)
        return true;
    int cap = a->hist_cap * 2 > need ? a->hist_cap * 2 : need;   /* grows with the run, not the plan */
    if (cap < 64)
        cap = 64;
    nn_epoch_stats *h = realloc(a->hist, sizeof *h * (size_t)cap);
    if (!h)
        return false;
    a->hist = h;
    double *s = realloc(a->series, sizeof *s * 3 * (size_t)cap);
    if (!s)
        return false;
    a->series = s;
    a->hist_cap = cap;
    rebuild_series(a);
    return true;
}

static void pull_snapshot(ui_app *a)
{
    if (!ui_worker_snapshot(a->w, &a->snap, &a->seen_seq))
        return;
    a->dirty = true;
    if (a->snap.notice_seq != a->notice_seq) {
        a->notice_seq = a->snap.notice_seq;
        if (a->snap.notice[0])
            ui_app_message(a, a->snap.notice_error, "%s", a->snap.notice);
    }
    if (a->snap.run != a->hist_run) {
        /* the previous run's curves stay as a faint ghost for comparison */
        if (a->hist_len > 0)
            ui_views_keep_ghost(&a->views, a->hist, a->hist_len);
        a->hist_len = 0;
        a->hist_run = a->snap.run;
    }
    if (a->view_pick && a->snap.state != UI_RUN_LOADING) {
        a->view_pick = false;
        a->view = a->snap.race.on ? UI_V_RACE : ui_view_default(a);
        a->views.lesson_scroll = 0;
        a->views.step_on = false;
    }
    ui_view_sync(a);
    if (a->snap.history_len < a->hist_len)
        a->hist_len = 0;
    if (!grow_history(a, a->snap.history_len))
        return;
    while (a->hist_len < a->snap.history_len) {
        uint64_t run = 0;
        int got = ui_worker_history(a->w, a->hist + a->hist_len, a->hist_len, a->hist_cap - a->hist_len, &run);
        if (got <= 0 || run != a->hist_run)
            break;
        for (int i = a->hist_len; i < a->hist_len + got; i++) {
            a->series[i] = a->hist[i].train_loss;
            a->series[a->hist_cap + i] = a->hist[i].val_loss;
            a->series[2 * a->hist_cap + i] = a->hist[i].test_loss;
        }
        a->hist_len += got;
    }
}

// --- the frame ----------------------------------------------------------------------------------

static void summary(const ui_app *a, int p, char *out, size_t n)
{
    const ui_snapshot *s = &a->snap;
    const nn_preset *d = &a->draft;
    if (p == UI_P_DATASET) {
        snprintf(out, n, "%s, %d rows", d->dataset.source, s->info.n_train + s->info.n_val + s->info.n_test);
    } else if (p == UI_P_ARCH) {
        int len = snprintf(out, n, "%d", s->info.n_features);
        for (int i = 0; i < s->info.n_layers && len < (int)n - 8; i++)
            len += snprintf(out + len, n - (size_t)len, "-%d", s->info.layers[i].out);
    } else {
        char lr[32];
        ui_items_value(d, "training.optimizer.learning_rate", lr, sizeof lr);
        char opt[32];
        ui_items_value(d, "training.optimizer.name", opt, sizeof opt);
        snprintf(out, n, "%s lr %s, batch %d, %d epochs", opt, lr, d->training.batch_size, d->training.epochs);
    }
}

static void draw_panel(ui_app *a, int p)
{
    ui_rect r = a->lay.panel[p];
    if (r.w <= 0)
        return;
    ui_grid *g = &a->frame;
    const ui_theme *th = &a->th;
    bool focused = a->focus == p;
    ui_style border = ui_st(th, focused ? UI_R_BORDER_FOCUS : UI_R_BORDER);
    ui_style title = ui_st(th, focused ? UI_R_TITLE_FOCUS : UI_R_TITLE);
    char t[96];
    const char *name = ui_panel_title(p);
    if (p == UI_P_CONFUSION) {
        name = ui_view_title(a->view);
        if (a->view == UI_V_CONFUSION && a->snap.info.task == NN_TASK_REGRESSION && a->snap.has_last)
            name = "Fit";
        snprintf(t, sizeof t, "%s %s", ui_view_key(a->view), name);
    } else {
        snprintf(t, sizeof t, "%d %s", p + 1, name);
    }
    if (a->lay.collapsed[p]) {
        char sum[128];
        summary(a, p, sum, sizeof sum);
        ui_grid_fill(g, r, th->utf8 ? 0x2500 : '-', border);
        int x = r.x + 1;
        x += ui_grid_text(g, x, r.y, r.w - 2, th->utf8 ? " \xe2\x96\xb8 " : " > ", border);
        x += ui_grid_text(g, x, r.y, r.x + r.w - 1 - x, t, title);
        x += ui_grid_text(g, x, r.y, r.x + r.w - 1 - x, "  ", border);
        x += ui_grid_text(g, x, r.y, r.x + r.w - 2 - x, sum, ui_st(th, UI_R_DIM));
        ui_grid_put(g, x, r.y, ' ', border);
        return;
    }
    ui_grid_box(g, r, t, border, title, !th->utf8);
    if (p == UI_P_CONFUSION)
        ui_view_tabs(a, g, r, border, title);
    ui_rect c = ui_rect_make(r.x + 1, r.y + 1, r.w - 2, r.h - 2);
    if (c.w <= 0 || c.h <= 0)
        return;
    switch (p) {
    case UI_P_DATASET:
    case UI_P_HPARAMS: ui_items_draw(a, p, g, c); break;
    case UI_P_ARCH: ui_arch_draw(a, g, c); break;
    case UI_P_LOSS: ui_loss_draw(a, g, c); break;
    case UI_P_CONFUSION: ui_view_draw(a, g, c); break;
    default: break;
    }
}

static void render(ui_app *a)
{
    if (!ui_grid_resize(&a->frame, a->cols, a->lines))
        return;
    ui_grid_clear(&a->frame, ui_st(&a->th, UI_R_TEXT));
    if (a->lay.too_small) {
        ui_small_draw(a, &a->frame);
    } else {
        for (int p = 0; p < UI_P_COUNT; p++)
            draw_panel(a, p);
        ui_status_draw(a, &a->frame, a->lay.status);
        if (a->mode == UI_MODE_HELP)
            ui_help_draw(a, &a->frame);
        else if (a->mode == UI_MODE_CONFIRM)
            ui_confirm_draw(a, &a->frame);
        else if (a->mode == UI_MODE_PICKER)
            ui_picker_draw(a, &a->frame);
        else if (a->mode == UI_MODE_EDIT &&
                 (a->edit_kind == UI_EDIT_SAVE_PRESET || a->edit_kind == UI_EDIT_SAVE_MODEL))
            ui_prompt_draw(a, &a->frame);
    }
    ui_blit(&a->frame, a->th.utf8);
    doupdate();
    a->dirty = false;
}

static void relayout(ui_app *a)
{
    int lines, cols;
    getmaxyx(stdscr, lines, cols);
    a->lines = lines;
    a->cols = cols;
    ui_layout_compute(&a->lay, cols, lines, a->focus, a->left_open, a->zoom);
    a->dirty = true;
}

// --- actions ------------------------------------------------------------------------------------

static void set_focus(ui_app *a, int p)
{
    a->focus = (p + UI_P_COUNT) % UI_P_COUNT;
    if (a->focus <= UI_P_HPARAMS)
        a->left_open = a->focus;
    relayout(a);
}

static void change_lr(ui_app *a, double factor)
{
    static nn_preset tmp;
    nn_error err;
    if (nn_preset_is_locked(&a->draft, "training.optimizer.learning_rate")) {
        ui_app_message(a, true, "training.optimizer.learning_rate is locked by this lesson");
        return;
    }
    double lr = a->snap.base_lr > 0 ? a->snap.base_lr : a->draft.training.optimizer.lr;
    lr *= factor;
    char v[64];
    snprintf(v, sizeof v, "%.6g", lr);
    if (ui_items_try(&a->draft, &tmp, "training.optimizer.learning_rate", v, &err) != NN_OK) {
        ui_app_message(a, true, "%s", err.msg);
        return;
    }
    a->draft = tmp;
    ui_worker_set_lr(a->w, a->draft.training.optimizer.lr);
    ui_app_message(a, false, "learning rate %s", v);
}

static void open_pick(ui_app *a)
{
    static nn_preset p;
    nn_error err;
    if (a->n_picks == 0)
        return;
    const ui_pick *pk = &a->picks[a->pick_cur];
    if (nn_preset_load(&p, pk->name, NULL, &err) != NN_OK) {
        ui_app_message(a, true, "%s", err.msg);
        return;
    }
    a->mode = UI_MODE_NORMAL;
    if (ui_app_training_begun(a)) {
        a->pending = p;
        a->confirm = UI_CONFIRM_LOAD;
        a->confirm_back = UI_MODE_NORMAL;
        snprintf(a->confirm_text, sizeof a->confirm_text, "Open %s? The current training is discarded.", pk->name);
        a->mode = UI_MODE_CONFIRM;
        return;
    }
    a->draft = p;
    memset(a->cursor, 0, sizeof a->cursor);
    a->view_pick = true;
    if (load_draft(a))
        ui_app_message(a, false, "opened %s", pk->name);
}

static void show_view(ui_app *a, int v)
{
    a->view = (v + UI_V_COUNT) % UI_V_COUNT;
    a->view_pick = false;   /* the user's choice wins over the preset's default view */
    if (a->focus != UI_P_CONFUSION)
        set_focus(a, UI_P_CONFUSION);
    a->dirty = true;
    ui_view_sync(a);
}

static void on_mouse(ui_app *a)
{
    MEVENT ev;
    if (getmouse(&ev) != OK)
        return;
    if (a->mode == UI_MODE_HELP) {
        if (ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED))
            a->mode = UI_MODE_NORMAL;
        return;
    }
    if (a->mode == UI_MODE_PICKER) {
        /* a click chooses a preset and a second click on it opens it; a click outside cancels */
#ifdef BUTTON5_PRESSED
        if ((ev.bstate & BUTTON4_PRESSED) && a->pick_cur > 0)
            a->pick_cur--;
        if ((ev.bstate & BUTTON5_PRESSED) && a->pick_cur < a->n_picks - 1)
            a->pick_cur++;
#endif
        if (ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) {
            int i = ui_picker_hit(a, a->frame.w, a->frame.h, ev.x, ev.y);
            if (i == UI_PICK_OUTSIDE)
                a->mode = UI_MODE_NORMAL;
            else if (i >= 0 && i == a->pick_cur)
                open_pick(a);
            else if (i >= 0)
                a->pick_cur = i;
        }
        a->dirty = true;
        return;
    }
    if (a->mode != UI_MODE_NORMAL)
        return;
    int p = ui_layout_hit(&a->lay, ev.x, ev.y);
    if (p < 0)
        return;
    ui_cmd c = {UI_ACT_NONE, 0};
#ifdef BUTTON5_PRESSED
    if (ev.bstate & BUTTON4_PRESSED) c.act = UI_ACT_UP;
    if (ev.bstate & BUTTON5_PRESSED) c.act = UI_ACT_DOWN;
#endif
    if (c.act != UI_ACT_NONE) {
        if (p == UI_P_DATASET || p == UI_P_HPARAMS)
            ui_items_key(a, p, c);
        else if (p == UI_P_ARCH)
            ui_arch_key(a, c);
        return;
    }
    if (!(ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)))
        return;
    bool was_collapsed = a->lay.collapsed[p];
    if (p == UI_P_CONFUSION && ev.y == a->lay.panel[p].y) {
        int v = ui_view_tab_at(a, a->lay.panel[p], ev.x);   /* a tab of the slot's title strip */
        if (v >= 0) {
            show_view(a, v);
            return;
        }
    }
    set_focus(a, p);
    if (was_collapsed)
        return;
    ui_rect r = a->lay.panel[p];
    int row = ev.y - r.y - 1;
    if (row < 0)
        return;
    if (p == UI_P_DATASET || p == UI_P_HPARAMS)
        ui_items_click(a, p, row);
    else if (p == UI_P_ARCH) {
        ui_arch_click(a, row);
        int x = ev.x - r.x - 1 - 2;
        a->arch_col = x < 6 ? 0 : x < 17 ? 1 : x < 24 ? 2 : 3;
    } else if (p == UI_P_CONFUSION && a->view == UI_V_NETWORK) {
        /* a click on a layer's heatmap selects that neuron */
        int l, u;
        if (ui_network_hit(&a->snap, &a->views, ui_rect_make(r.x + 1, r.y + 1, r.w - 2, r.h - 2), ev.x, ev.y, &l, &u)) {
            a->views.net_layer = l;
            a->views.net_unit = u;
            ui_views_clamp(&a->views, &a->snap);
        }
    }
}

static void panel_key(ui_app *a, ui_cmd c)
{
    switch (a->focus) {
    case UI_P_DATASET:
    case UI_P_HPARAMS: ui_items_key(a, a->focus, c); break;
    case UI_P_ARCH: ui_arch_key(a, c); break;
    case UI_P_LOSS:
        if (c.act == UI_ACT_EDIT)
            a->logy = !a->logy;
        break;
    case UI_P_CONFUSION: ui_view_handle(a, c); break;
    default: break;
    }
}


static void normal_key(ui_app *a, ui_cmd c)
{
    const ui_snapshot *s = &a->snap;
    switch (c.act) {
    case UI_ACT_QUIT:
        if (s->state == UI_RUN_RUNNING || s->state == UI_RUN_LOADING) {
            a->confirm = UI_CONFIRM_QUIT;
            a->confirm_back = UI_MODE_NORMAL;
            snprintf(a->confirm_text, sizeof a->confirm_text, "Training is running. Quit nnterm?");
            a->mode = UI_MODE_CONFIRM;
        } else {
            a->quit = true;
        }
        break;
    case UI_ACT_HELP: a->mode = UI_MODE_HELP; a->help_scroll = 0; break;
    case UI_ACT_START_PAUSE:
        if (s->state == UI_RUN_DONE || s->state == UI_RUN_DIVERGED)
            ui_app_message(a, false, "%s: r resets, R draws new weights", ui_run_state_word(s->state));
        else if (s->state == UI_RUN_ERROR)
            ui_app_message(a, true, "%s", s->message);
        else
            ui_worker_toggle(a->w);
        break;
    case UI_ACT_STEP: ui_worker_step_epoch(a->w); break;
    case UI_ACT_STEP_BATCH: ui_worker_step_batch(a->w); break;
    case UI_ACT_RESET:
        ui_worker_reset(a->w);
        ui_app_message(a, false, "reset to the initial weights of seed %llu", (unsigned long long)s->seed);
        break;
    case UI_ACT_RESEED: {
        static nn_preset tmp;
        if (nn_preset_is_locked(&a->draft, "seed")) {
            ui_app_message(a, true, "seed is locked by this lesson (r resets to the same weights)");
            break;
        }
        uint64_t seed = s->seed + 1;
        char v[32];
        snprintf(v, sizeof v, "%llu", (unsigned long long)seed);
        if (ui_items_try(&a->draft, &tmp, "seed", v, NULL) == NN_OK)
            a->draft = tmp;
        ui_worker_reseed(a->w, seed);
        ui_app_message(a, false, "new initial weights from seed %s", v);
        break;
    }
    case UI_ACT_LR_UP: change_lr(a, 2.0); break;
    case UI_ACT_LR_DOWN: change_lr(a, 0.5); break;
    case UI_ACT_NEXT_PANEL: set_focus(a, a->focus + 1); break;
    case UI_ACT_PREV_PANEL: set_focus(a, a->focus - 1); break;
    case UI_ACT_FOCUS: set_focus(a, c.arg); break;
    case UI_ACT_CANCEL:
        if (a->zoom) { a->zoom = false; relayout(a); }
        break;
    case UI_ACT_LOAD: ui_picker_open(a); break;
    case UI_ACT_SAVE_PRESET: {
        char f[256];
        default_file(a, f, sizeof f, ".json");
        ui_app_begin_edit(a, UI_EDIT_SAVE_PRESET, "", f);
        break;
    }
    case UI_ACT_SAVE_MODEL: {
        /* any moment the trainer exists: the current weights, the initial ones before training */
        if (s->state == UI_RUN_LOADING || s->state == UI_RUN_ERROR) {
            ui_app_message(a, true, "no model to save: %s",
                           s->state == UI_RUN_LOADING ? "the preset is still loading" : "the preset could not be built");
            break;
        }
        char f[256];
        default_file(a, f, sizeof f, "-model.json");
        ui_app_begin_edit(a, UI_EDIT_SAVE_MODEL, "", f);
        break;
    }
    case UI_ACT_LOG: a->logy = !a->logy; break;
    case UI_ACT_VIEW: show_view(a, c.arg); break;
    case UI_ACT_NEXT_VIEW: show_view(a, a->view + 1); break;
    case UI_ACT_PREV_VIEW: show_view(a, a->view - 1); break;
    case UI_ACT_ZOOM: a->zoom = !a->zoom; relayout(a); break;
    case UI_ACT_MOUSE: on_mouse(a); break;
    default: panel_key(a, c); break;
    }
}

static void on_key(ui_app *a, int key)
{
    ui_mode m = a->mode;
    if (a->lay.too_small)
        m = a->mode == UI_MODE_CONFIRM && a->confirm == UI_CONFIRM_QUIT ? UI_MODE_CONFIRM : UI_MODE_SMALL;
    ui_cmd c = ui_key_dispatch(m, a->focus, key);
    if (c.act == UI_ACT_NONE)
        return;
    a->dirty = true;
    if (c.act == UI_ACT_RESIZE) {
        relayout(a);
        return;
    }
    if (c.act == UI_ACT_QUIT && m != UI_MODE_NORMAL && m != UI_MODE_SMALL) {
        /* Ctrl-C in a field, the help, the picker or a question: a second Ctrl-C at "Quit nnterm?"
         * quits; elsewhere the overlay or edit is dropped and quitting goes as from the panels */
        if (m == UI_MODE_CONFIRM && a->confirm == UI_CONFIRM_QUIT) {
            a->quit = true;
            return;
        }
        a->mode = UI_MODE_NORMAL;
        a->confirm = UI_CONFIRM_NONE;
        normal_key(a, c);
        return;
    }
    switch (m) {
    case UI_MODE_SMALL:
        if (c.act == UI_ACT_QUIT) {
            a->mode = UI_MODE_NORMAL;
            normal_key(a, c);
        }
        break;
    case UI_MODE_EDIT:
        switch (c.act) {
        case UI_ACT_TEXT_INSERT: ui_field_insert(&a->field, c.arg); break;
        case UI_ACT_TEXT_BACKSPACE: ui_field_backspace(&a->field); break;
        case UI_ACT_TEXT_DELETE: ui_field_delete(&a->field); break;
        case UI_ACT_LEFT: ui_field_left(&a->field); break;
        case UI_ACT_RIGHT: ui_field_right(&a->field); break;
        case UI_ACT_HOME: ui_field_home(&a->field); break;
        case UI_ACT_END: ui_field_end(&a->field); break;
        case UI_ACT_TEXT_KILL_START: ui_field_kill_start(&a->field); break;
        case UI_ACT_TEXT_KILL_END: ui_field_kill_end(&a->field); break;
        case UI_ACT_TEXT_KILL_WORD: ui_field_kill_word(&a->field); break;
        case UI_ACT_CANCEL: a->mode = UI_MODE_NORMAL; return;
        case UI_ACT_COMMIT: commit_edit(a); return;
        default: return;
        }
        validate_edit(a);
        break;
    case UI_MODE_HELP:
        if (c.act == UI_ACT_CANCEL) a->mode = UI_MODE_NORMAL;
        else if (c.act == UI_ACT_UP) a->help_scroll--;
        else if (c.act == UI_ACT_DOWN) a->help_scroll++;
        else if (c.act == UI_ACT_PAGE_UP) a->help_scroll -= 10;
        else if (c.act == UI_ACT_PAGE_DOWN) a->help_scroll += 10;
        else if (c.act == UI_ACT_MOUSE) on_mouse(a);
        break;
    case UI_MODE_CONFIRM:
        if (c.act == UI_ACT_YES) {
            a->mode = UI_MODE_NORMAL;
            if (a->confirm == UI_CONFIRM_QUIT) {
                a->quit = true;
            } else if (a->confirm == UI_CONFIRM_RACE) {
                ui_app_race(a);
            } else {
                a->draft = a->pending;
                if (a->confirm == UI_CONFIRM_LOAD) {
                    memset(a->cursor, 0, sizeof a->cursor);
                    a->view_pick = true;
                }
                load_draft(a);
            }
            a->confirm = UI_CONFIRM_NONE;
        } else if (c.act == UI_ACT_NO) {
            a->mode = a->confirm_back;
            a->confirm = UI_CONFIRM_NONE;
        }
        break;
    case UI_MODE_PICKER:
        if (c.act == UI_ACT_UP && a->pick_cur > 0) a->pick_cur--;
        else if (c.act == UI_ACT_DOWN && a->pick_cur < a->n_picks - 1) a->pick_cur++;
        else if (c.act == UI_ACT_HOME) a->pick_cur = 0;
        else if (c.act == UI_ACT_END) a->pick_cur = a->n_picks > 0 ? a->n_picks - 1 : 0;
        else if (c.act == UI_ACT_CANCEL) a->mode = UI_MODE_NORMAL;
        else if (c.act == UI_ACT_COMMIT) open_pick(a);
        else if (c.act == UI_ACT_MOUSE) on_mouse(a);
        break;
    case UI_MODE_NORMAL:
        normal_key(a, c);
        break;
    }
}

// --- ui_run -------------------------------------------------------------------------------------

static void drain_pipe(int fd)
{
    char buf[256];
    while (read(fd, buf, sizeof buf) > 0) {
    }
}

static int setup_pipe(int fds[2])
{
    if (pipe(fds) != 0)
        return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
        fcntl(fds[i], F_SETFD, FD_CLOEXEC);
    }
    return 0;
}

int ui_run(const char *preset, const ui_options *opt)
{
    ui_app *a = &app;
    memset(a, 0, sizeof *a);
    a->wake_r = a->wake_w = -1;
    if (opt)
        a->opt = *opt;
    nn_error err;
    nn_diags diags;
    nn_diags_clear(&diags);
    if (nn_preset_load(&a->draft, preset ? preset : "iris", &diags, &err) != NN_OK) {
        fprintf(stderr, "nnterm: %s\n", err.msg);
        return 2;
    }
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C");   /* numbers typed and shown are JSON's: always a decimal point */
    a->th.utf8 = ui_utf8_ok(nl_langinfo(CODESET), a->opt.ascii);
    ui_term_install_handlers();
    int fds[2];
    if (setup_pipe(fds) != 0) {
        fprintf(stderr, "nnterm: cannot create a pipe: %s\n", strerror(errno));
        return 1;
    }
    a->wake_r = fds[0];
    a->wake_w = fds[1];
    a->w = ui_worker_create(&a->draft, a->opt.threads, a->wake_w, &err);
    if (!a->w) {
        fprintf(stderr, "nnterm: %s\n", err.msg);
        close(fds[0]);
        close(fds[1]);
        return 1;
    }
    SCREEN *scr = ui_term_start(&a->th, &a->opt);
    ui_blit_reset();
    if (!scr) {
        ui_worker_destroy(a->w);
        close(fds[0]);
        close(fds[1]);
        fprintf(stderr, "nnterm: cannot open the terminal (TERM=%s)\n", getenv("TERM") ? getenv("TERM") : "");
        return 1;
    }
    a->focus = a->opt.big ? UI_P_CONFUSION : UI_P_HPARAMS;   /* --big: the picture takes the screen */
    a->left_open = UI_P_HPARAMS;
    a->zoom = a->opt.big;
    a->view_pick = true;
    pull_snapshot(a);
    relayout(a);

    int errs = 0;
    while (!a->quit) {
        if (ui_term_signal())
            break;
        if (a->msg[0] && ui_now() >= a->msg_until) {
            a->msg[0] = 0;
            a->dirty = true;
        }
        if (a->dirty)
            render(a);
        int timeout = -1;
        if (a->msg[0]) {
            timeout = (int)((a->msg_until - ui_now()) * 1000) + 5;
            if (timeout < 0) timeout = 0;
        }
        struct pollfd pf[2] = {{0, POLLIN, 0}, {a->wake_r, POLLIN, 0}};
        int rc = poll(pf, 2, timeout);
        if (rc < 0 && errno != EINTR)
            break;
        if (rc > 0 && (pf[1].revents & POLLIN)) {
            drain_pipe(a->wake_r);
            pull_snapshot(a);
        }
        if (rc > 0 && (pf[0].revents & (POLLHUP | POLLERR | POLLNVAL)) && !(pf[0].revents & POLLIN))
            break;   /* the terminal went away */
        int key, n = 0;
        while ((key = getch()) != ERR) {
            on_key(a, key);
            n++;
            if (a->quit)
                break;
        }
        /* stdin readable but nothing read, again and again: the terminal is gone */
        if (rc > 0 && (pf[0].revents & POLLIN) && n == 0) {
            if (++errs > 100)
                break;
        } else {
            errs = 0;
        }
    }
    ui_worker_destroy(a->w);
    a->w = NULL;
    ui_term_stop(scr);
    close(a->wake_r);
    close(a->wake_w);
    ui_grid_free(&a->frame);
    free(a->hist);
    free(a->series);
    ui_views_free(&a->views);
    a->hist = NULL;
    a->series = NULL;
    /* ended by SIGINT, SIGTERM or SIGHUP: 128 + the signal, as a shell reports a killed program
     * (130, 143, 129); the terminal is already restored */
    int sig = ui_term_signal();
    return sig ? 128 + sig : 0;
}
