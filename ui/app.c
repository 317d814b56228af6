/* app.c — ui_run: terminal setup and teardown (term.c), the event loop (poll on stdin and the
 * worker's wake pipe; no redraw when nothing changed), the worker's snapshots and history, and
 * the frame: each panel through its class (panel.h) from one ui_model, the status bar, the
 * overlays. Keys are input.c's, edits and intents editing.c's. Main thread only. */
#include "app.h"
#include "term.h"
#include "record.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static ui_app app;   /* large (snapshots, presets): static, main thread only */

double ui_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void ui_app_init(ui_app *a)
{
    memset(a, 0, sizeof *a);
    a->dataset.base = (ui_panel){&ui_dataset_class, UI_P_DATASET};
    a->dataset.build = ui_dataset_items;
    a->hparams.base = (ui_panel){&ui_hparams_class, UI_P_HPARAMS};
    a->hparams.build = ui_hparams_items;
    a->arch.base = (ui_panel){&ui_arch_class, UI_P_ARCH};
    a->loss = (ui_panel){&ui_loss_class, UI_P_LOSS};
    a->slot.base = (ui_panel){&ui_slot_class, UI_P_CONFUSION};
    a->slot2.base = (ui_panel){&ui_slot_class, UI_P_VIEW2};
    a->slot2.shared = &a->slot.views;
    a->slot2.view = UI_V_HEALTH;
    a->panel[UI_P_DATASET] = &a->dataset.base;
    a->panel[UI_P_ARCH] = &a->arch.base;
    a->panel[UI_P_HPARAMS] = &a->hparams.base;
    a->panel[UI_P_LOSS] = &a->loss;
    a->panel[UI_P_CONFUSION] = &a->slot.base;
    a->panel[UI_P_VIEW2] = &a->slot2.base;
}

/* When the status-bar message goes: after its time (3 s, errors 6 s), or, being about what was
 * before (a lesson's "is locked", a setting changed), once the run has started, paused or ended
 * since, and it has been up for 1.5 s (a short run at max pace must not take it away unseen). */
static double msg_gone_at(const ui_app *a)
{
    ui_run_state st = a->snap.state;
    bool overtaken = st != a->msg_state &&
                     (st == UI_RUN_RUNNING || st == UI_RUN_PAUSED || st == UI_RUN_DONE || st == UI_RUN_DIVERGED);
    double at = a->msg_since + 1.5;
    return overtaken && at < a->msg_until ? at : a->msg_until;
}

ui_model ui_app_model(const ui_app *a)
{
    ui_model m;
    memset(&m, 0, sizeof m);
    m.th = &a->th;
    m.draft = &a->draft;
    m.snap = &a->snap;
    m.hist = a->hist;
    m.series = a->series;
    m.hist_len = a->hist_len;
    m.hist_cap = a->hist_cap;
    m.views = &a->slot.views;
    m.pins = &a->pins;
    m.lay = &a->lay;
    m.frame = a->lay.panel[a->focus == UI_P_VIEW2 && a->lay.panel[UI_P_VIEW2].w > 0 ? UI_P_VIEW2 : UI_P_CONFUSION];
    m.focus = a->focus;
    m.logy = a->logy;
    m.edit = a->mode == UI_MODE_EDIT ? &a->edit : NULL;
    if (a->msg[0] && ui_now() < msg_gone_at(a)) {
        m.msg = a->msg;
        m.msg_err = a->msg_err;
        m.msg_since = a->msg_since;
    }
    return m;
}

ui_model ui_app_slot_model(const ui_app *a, int p)
{
    ui_model m = ui_app_model(a);
    m.frame = a->lay.panel[p];
    return m;
}

bool ui_app_two_views(const ui_app *a)
{
    return a->lay.panel[UI_P_VIEW2].w > 0;
}

void ui_app_pair_view(ui_app *a)
{
    if (!a->view2_set || a->slot2.view == a->slot.view)
        a->slot2.view = ui_view_pair(a->slot.view, &a->snap);
}

void ui_app_left_need(const ui_app *a, int need[3])
{
    static ui_item items[UI_MAX_ITEMS];   /* main thread only */
    ui_model m = ui_app_model(a);
    int w = ui_layout_left_w(a->cols) - 2;
    /* the lines and the frame; the focused panel also its hints (two rows under a list) */
    need[UI_P_DATASET] = a->dataset.build(&m, items, UI_MAX_ITEMS) + 2 + (a->focus == UI_P_DATASET ? 2 : 0);
    need[UI_P_HPARAMS] = a->hparams.build(&m, items, UI_MAX_ITEMS) + 2 + (a->focus == UI_P_HPARAMS ? 2 : 0);
    /* the input line, the column heads, the layers, the frame */
    need[UI_P_ARCH] = a->draft.n_layers + 4;
    if (a->focus == UI_P_ARCH)
        need[UI_P_ARCH] += ui_wrap_lines(ui_arch_hint(0, w), w) + ui_wrap_lines(ui_arch_hint(1, w), w);
    if (a->focus == UI_P_ARCH && need[UI_P_ARCH] < 10)
        need[UI_P_ARCH] = 10;   /* the panel shows its hints from 8 rows inside */
}

void ui_app_layout(ui_app *a)
{
    int need[3];
    if (a->focus == UI_P_VIEW2 && a->cols < UI_TWO_VIEWS_W)
        a->focus = UI_P_CONFUSION;   /* narrowed below two views: the first slot has it */
    ui_app_left_need(a, need);
    ui_layout_compute(&a->lay, a->cols, a->lines, a->focus, a->left_open, a->zoom, need);
}

void ui_app_update_changed(ui_app *a)
{
    if (memcmp(&a->changed_for, &a->draft, sizeof a->draft) == 0)
        return;
    a->changed = nn_preset_diff(&a->loaded, &a->draft, a->changes, sizeof a->changes);
    a->changed_for = a->draft;
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

void ui_app_new_run(ui_app *a)
{
    if (strcmp(a->hist_name, a->loaded.name) != 0)
        a->slot.views.ghost_len = 0;   /* another preset: the last run's curves compare with nothing here */
    else if (a->hist_len > 0)
        ui_views_keep_ghost(&a->slot.views, a->hist, a->hist_len);
    snprintf(a->hist_name, sizeof a->hist_name, "%s", a->loaded.name);
    a->hist_len = 0;
    a->hist_run = a->snap.run;
}

static void pull_snapshot(ui_app *a)
{
    if (!ui_worker_snapshot(a->w, &a->snap, &a->seen_seq))
        return;
    a->dirty = true;
    if (a->pace_pending && a->snap.pace == a->pace_asked)
        a->pace_pending = false;
    if (a->msg[0] && msg_gone_at(a) <= ui_now())
        a->msg[0] = '\0';
    if (a->snap.notice_seq != a->notice_seq) {
        a->notice_seq = a->snap.notice_seq;
        if (a->snap.notice[0])
            ui_app_message(a, a->snap.notice_error, "%s", a->snap.notice);
    }
    if (a->snap.run != a->hist_run)
        ui_app_new_run(a);
    if (a->view_pick && a->snap.state != UI_RUN_LOADING) {
        a->view_pick = false;
        a->slot.view = a->snap.race.on ? UI_V_RACE : ui_view_default(&a->draft, &a->snap);
        a->slot.views.lesson_scroll = 0;
        a->slot.views.step_on = false;
        a->view2_set = false;
    }
    ui_app_pair_view(a);
    ui_app_sync_view(a);
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

void ui_app_pin(ui_app *a)
{
    if (a->snap.race.on) {
        ui_app_message(a, true, "a race has no single run to pin (Enter on the Race view ends it)");
        return;
    }
    if (a->hist_len <= 0) {
        ui_app_message(a, true, "nothing to pin yet: train first (Space)");
        return;
    }
    int have = ui_pins_find(&a->pins, a->hist, a->hist_len, &a->snap);
    if (have >= 0) {
        ui_app_message(a, false, "this run is pinned already as %d", a->pins.pin[have].slot + 1);
        return;
    }
    int replaced = 0;
    int num = ui_pins_add(&a->pins, &a->draft, a->hist, a->hist_len, &a->snap, &replaced);
    if (num == 0) {
        ui_app_message(a, true, "pin: out of memory");
        return;
    }
    if (replaced)
        ui_app_message(a, false, "pinned as %d, in place of the oldest pin (at most %d; Del on Compare removes one)",
                       num, UI_PIN_MAX);
    else
        ui_app_message(a, false, "pinned as %d (epoch %d%s): its curve stays on the Loss chart; c compares", num,
                       a->hist_len, a->pins.pin[a->pins.n - 1].edited ? ", edited by hand" : "");
}

// --- the frame ----------------------------------------------------------------------------------

/* A collapsed panel's line shows its title and then its summary ("adam lr 0.01, batch 16, 60 epochs") in
 * room columns (the gap between them aside): the summary keeps the whole clauses that fit; when not even
 * its first fits, the title gives up columns (cut with an ellipsis) so the first clause shows whole
 * (at 80 columns "adam lr ..." lost its value). Cuts sum; returns the columns for the title. */
static int collapsed_fit(const char *title, char *sum, int room)
{
    int tw = ui_utf8_width(title);
    if (tw + ui_utf8_width(sum) <= room)
        return tw;
    char *cut = NULL;
    for (char *c = strstr(sum, ", "); c; c = strstr(c + 2, ", ")) {
        char keep = *c;
        *c = 0;
        bool fits = tw + ui_utf8_width(sum) <= room;
        *c = keep;
        if (!fits)
            break;
        cut = c;
    }
    if (cut) {
        *cut = 0;
        return tw;
    }
    char *first = strstr(sum, ", ");
    if (first)
        *first = 0;
    int left = room - ui_utf8_width(sum);
    return left >= 5 ? left : tw;   /* "3 Hy…" at least; else the summary is cut as before */
}

static void draw_panel(ui_app *a, const ui_model *m, int p)
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
    if (p == UI_P_CONFUSION || p == UI_P_VIEW2) {
        int v = p == UI_P_CONFUSION ? a->slot.view : a->slot2.view;
        snprintf(t, sizeof t, "%s %s", ui_view_key(v), ui_view_name(v, &a->snap));
    } else
        snprintf(t, sizeof t, "%d %s", p + 1, ui_panel_title(p));
    const ui_panel_class *cls = a->panel[p]->cls;
    if (a->lay.collapsed[p]) {
        char sum[128] = "";
        if (cls->summary)
            cls->summary(m, sum, sizeof sum);
        ui_grid_fill(g, r, th->utf8 ? 0x2500 : '-', border);
        int x = r.x + 1;
        x += ui_grid_text(g, x, r.y, r.w - 2, th->utf8 ? " \xe2\x96\xb8 " : " > ", border);
        int tw = collapsed_fit(t, sum, r.x + r.w - 2 - x - 2);
        x += ui_grid_text(g, x, r.y, tw < r.x + r.w - 1 - x ? tw : r.x + r.w - 1 - x, t, title);
        x += ui_grid_text(g, x, r.y, r.x + r.w - 1 - x, "  ", border);
        x += ui_grid_text(g, x, r.y, r.x + r.w - 2 - x, sum, ui_st(th, UI_R_DIM));
        ui_grid_put(g, x, r.y, ' ', border);
        return;
    }
    ui_grid_box(g, r, t, border, title, !th->utf8);
    if (p == UI_P_CONFUSION)
        ui_view_tabs(g, r, a->slot.view, th, border);
    else if (p == UI_P_VIEW2 && focused)
        ui_view2_hint(g, r, a->slot2.view, th);
    ui_rect c = ui_rect_make(r.x + 1, r.y + 1, r.w - 2, r.h - 2);
    if (c.w <= 0 || c.h <= 0)
        return;
    ui_model mp = *m;
    mp.frame = r;
    ui_panel_draw(a->panel[p], g, c, &mp);
}

/* The terminal's title (OSC 2): "nnterm: NAME", written when it changes; the title the terminal had
 * is pushed at start and popped at exit (ui_run). */
static void set_title(ui_app *a)
{
    char t[sizeof a->term_title];
    snprintf(t, sizeof t, "nnterm: %s", a->draft.name[0] ? a->draft.name : "(no name)");
    for (char *q = t; *q; q++)
        if ((unsigned char)*q < 0x20 || *q == 0x7f)
            *q = ' ';
    if (strcmp(t, a->term_title) == 0)
        return;
    snprintf(a->term_title, sizeof a->term_title, "%s", t);
    fprintf(stdout, "\033]2;%s\007", t);
    fflush(stdout);
}

static void render(ui_app *a)
{
    if (!ui_grid_resize(&a->frame, a->cols, a->lines))
        return;
    ui_grid *g = &a->frame;
    g->ascii = !a->th.utf8;   /* the ellipsis of cut text */
    ui_grid_clear(g, ui_st(&a->th, UI_R_TEXT));
    if (a->lay.too_small) {
        ui_small_draw(g, &a->th, a->cols, a->lines, a->confirm == UI_CONFIRM_QUIT);
    } else {
        ui_app_layout(a);   /* the left panels' needs follow the draft */
        ui_model m = ui_app_model(a);
        for (int p = 0; p < UI_P_COUNT; p++)
            draw_panel(a, &m, p);
        ui_app_update_changed(a);
        ui_name_draw(g, &a->th, a->draft.name, a->changed > 0);
        ui_status_draw(g, a->lay.status, &m);
        if (a->mode == UI_MODE_HELP) {
            ui_help_prepare(&a->help, g);
            ui_help_draw(g, &a->th, &a->help);
        } else if (a->mode == UI_MODE_CONFIRM) {
            ui_confirm_draw(g, &a->th, a->confirm_text);
        } else if (a->mode == UI_MODE_PICKER) {
            ui_picker_draw(g, &a->th, &a->picker);
        } else if (a->mode == UI_MODE_EDIT && ui_edit_is_prompt(a->edit.kind)) {
            ui_prompt_draw(g, &a->th, &a->edit);
        }
    }
    ui_blit(g, a->th.utf8);
    doupdate();
    set_title(a);
    a->dirty = false;
}

void ui_app_relayout(ui_app *a)
{
    getmaxyx(stdscr, a->lines, a->cols);
    ui_app_layout(a);
    a->dirty = true;
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
    ui_app_init(a);
    a->wake_r = a->wake_w = -1;
    if (opt)
        a->opt = *opt;
    nn_error err;
    nn_diags diags;
    nn_diags_clear(&diags);
    if (!preset)
        preset = "iris";
    if (nn_preset_open(&a->draft, preset, &a->origin, &diags, &err) != NN_OK) {
        fprintf(stderr, "nnterm: %s\n", err.msg);
        return 2;
    }
    if (a->origin == NN_ORIGIN_MODEL)
        snprintf(a->model, sizeof a->model, "%s", preset);
    ui_app_opened(a);
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
    a->w = ui_worker_create_model(&a->draft, a->model, a->opt.threads, a->wake_w, &err);
    if (!a->w) {
        fprintf(stderr, "nnterm: %s\n", err.msg);
        close(fds[0]);
        close(fds[1]);
        return 1;
    }
    char runs[NN_PATH_MAX];   /* every run leaves a record in the runs folder (core/record.h) */
    if (!a->opt.no_record && nn_record_default_dir(runs, sizeof runs))
        a->recording = ui_worker_record(a->w, runs);
    SCREEN *scr = ui_term_start(&a->th, &a->opt);
    ui_blit_reset();
    if (scr) {
        fputs("\033[22;2t", stdout);   /* keep the terminal's own title, popped at exit */
        fflush(stdout);
    }
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
    ui_app_preset_pace(a);
    pull_snapshot(a);
    ui_app_relayout(a);

    int errs = 0;
    while (!a->quit) {
        if (ui_term_signal())
            break;
        if (a->msg[0] && ui_now() >= msg_gone_at(a)) {
            a->msg[0] = 0;
            a->dirty = true;
        }
        if (a->dirty)
            render(a);
        int timeout = -1;
        if (a->msg[0]) {
            timeout = (int)((msg_gone_at(a) - ui_now()) * 1000) + 5;
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
            ui_app_on_key(a, key);
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
    fputs("\033[23;2t", stdout);
    fflush(stdout);
    close(a->wake_r);
    close(a->wake_w);
    ui_grid_free(&a->frame);
    free(a->hist);
    free(a->series);
    ui_views_free(&a->slot.views);
    ui_pins_free(&a->pins);
    a->hist = NULL;
    a->series = NULL;
    /* ended by SIGINT, SIGTERM or SIGHUP: 128 + the signal, as a shell reports a killed program
     * (130, 143, 129); the terminal is already restored */
    int sig = ui_term_signal();
    return sig ? 128 + sig : 0;
}
