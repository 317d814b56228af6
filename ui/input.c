/* input.c — a key or a mouse event, by mode (the modal dispatch is keys.c's): the quit rules,
 * the overlays (help, question, picker), the line editor, the global actions of the key table,
 * and everything else offered to the focused panel, whose intent editing.c acts on. */
#include "app.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

/* Focus on panel p (wrapped; dir the way Tab went, to step over the second slot when it is not
 * shown). */
static void set_focus_dir(ui_app *a, int p, int dir)
{
    a->focus = (p + UI_P_COUNT) % UI_P_COUNT;
    if (a->focus == UI_P_VIEW2 && a->cols < UI_TWO_VIEWS_W)
        a->focus = dir < 0 ? UI_P_CONFUSION : UI_P_DATASET;
    if (a->focus <= UI_P_HPARAMS)
        a->left_open = a->focus;
    ui_app_relayout(a);
}

static void set_focus(ui_app *a, int p)
{
    set_focus_dir(a, p, 1);
}

void ui_app_sync_view(ui_app *a)
{
    bool two = a->cols >= UI_TWO_VIEWS_W;
    ui_intent in;
    memset(&in, 0, sizeof in);
    if (a->slot.views.units_on && a->slot.view != UI_V_NEURONS && !(two && a->slot2.view == UI_V_NEURONS)) {
        in.kind = UI_INTENT_UNITS;   /* the Neurons view is not shown: its maps cost nothing */
        ui_app_act(a, &in);
    }
    for (int k = 0; k < (two ? 2 : 1); k++) {
        int p = k ? UI_P_VIEW2 : UI_P_CONFUSION;
        const ui_view_def *v = ui_view(k ? a->slot2.view : a->slot.view);
        if (!v->sync)
            continue;
        memset(&in, 0, sizeof in);
        ui_model m = ui_app_slot_model(a, p);
        v->sync(&a->slot.views, &m, &in);
        ui_app_act(a, &in);
    }
}

void ui_app_show_view(ui_app *a, int v)
{
    a->slot.view = (v + UI_V_COUNT) % UI_V_COUNT;
    a->view_pick = false;   /* the user's choice wins over the preset's default view */
    ui_app_pair_view(a);
    if (a->focus != UI_P_CONFUSION)
        set_focus(a, UI_P_CONFUSION);
    a->dirty = true;
    ui_app_sync_view(a);
}

/* v and V with the second slot focused: its view steps by dir, over the first slot's. */
static void step_view2(ui_app *a, int dir)
{
    int v = a->slot2.view;
    do
        v = (v + dir + UI_V_COUNT) % UI_V_COUNT;
    while (v == a->slot.view);
    a->slot2.view = v;
    a->view2_set = true;
    a->dirty = true;
    ui_app_sync_view(a);
}

void ui_app_panel_key(ui_app *a, int p, ui_cmd c)
{
    ui_model m = ui_app_slot_model(a, p == UI_P_VIEW2 ? UI_P_VIEW2 : UI_P_CONFUSION);
    ui_intent in;
    if (ui_panel_key(a->panel[p], &m, c, &in) & UI_REDRAW)
        a->dirty = true;
    ui_app_act(a, &in);
}

/* The picker: the wheel moves, a click chooses, a second click opens, a click outside closes. */
static void picker_mouse(ui_app *a, const MEVENT *ev)
{
    ui_intent in;
    memset(&in, 0, sizeof in);
#ifdef BUTTON5_PRESSED
    if (ev->bstate & BUTTON4_PRESSED)
        ui_picker_key(&a->picker, (ui_cmd){UI_ACT_UP, 0}, &in);
    if (ev->bstate & BUTTON5_PRESSED)
        ui_picker_key(&a->picker, (ui_cmd){UI_ACT_DOWN, 0}, &in);
#endif
    if (ev->bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED))
        ui_picker_click(&a->picker, a->frame.w, a->frame.h, ev->x, ev->y, &in);
    ui_app_act(a, &in);
    a->dirty = true;
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
        picker_mouse(a, &ev);
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
    if (c.act != UI_ACT_NONE) {   /* the wheel scrolls the lists of the left column */
        if (p == UI_P_DATASET || p == UI_P_HPARAMS || p == UI_P_ARCH)
            ui_app_panel_key(a, p, c);
        return;
    }
    if (!(ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)))
        return;
    bool was_collapsed = a->lay.collapsed[p];
    if (p == UI_P_CONFUSION && ev.y == a->lay.panel[p].y) {
        int v = ui_view_tab_at(a->slot.view, a->lay.panel[p], ev.x);   /* a tab of the slot's title strip */
        if (v >= 0) {
            ui_app_show_view(a, v);
            return;
        }
    }
    set_focus(a, p);
    if (was_collapsed)
        return;
    ui_rect r = a->lay.panel[p];
    if (ev.y - r.y - 1 < 0)   /* the top border */
        return;
    ui_panel *pan = a->panel[p];
    if (pan->cls->click) {
        ui_model m = ui_app_slot_model(a, p == UI_P_VIEW2 ? UI_P_VIEW2 : UI_P_CONFUSION);
        pan->cls->click(pan, &m, ui_rect_make(r.x + 1, r.y + 1, r.w - 2, r.h - 2), ev.x, ev.y);
        if (p == UI_P_CONFUSION || p == UI_P_VIEW2)
            ui_app_sync_view(a);   /* a click may select something the worker computes (a confusion cell) */
    }
}

static void quit_key(ui_app *a)
{
    const ui_snapshot *s = &a->snap;
    /* a run that goes on, or one paused part way, ends on quitting: ask. Its record (when the trainer
     * records and it trained an epoch) is written then, so say what is kept */
    if (s->state == UI_RUN_RUNNING || s->state == UI_RUN_LOADING || s->state == UI_RUN_PAUSED) {
        a->confirm = UI_CONFIRM_QUIT;
        a->confirm_back = UI_MODE_NORMAL;
        snprintf(a->confirm_text, sizeof a->confirm_text, "%s",
                 s->state != UI_RUN_PAUSED
                     ? (a->recording && s->epoch > 0 ? "Training is running; quitting stops it (record kept). Quit nnterm?"
                                                     : "Training is running; quitting stops it (not recorded). Quit nnterm?")
                 : a->recording && s->epoch > 0
                     ? "Training is paused; quitting ends the run (record kept). Quit nnterm?"
                     : "Training is paused; quitting ends the run (not recorded). Quit nnterm?");
        a->mode = UI_MODE_CONFIRM;
    } else {
        a->quit = true;
    }
}

static void normal_key(ui_app *a, ui_cmd c)
{
    const ui_snapshot *s = &a->snap;
    switch (c.act) {
    case UI_ACT_QUIT: quit_key(a); break;
    case UI_ACT_HELP: a->mode = UI_MODE_HELP; a->help.scroll = 0; break;
    case UI_ACT_START_PAUSE:
        if (s->state == UI_RUN_DONE && !s->race.on)
            ui_app_continue(a);
        else if (s->state == UI_RUN_DONE || s->state == UI_RUN_DIVERGED)
            ui_app_message(a, false, "%s: r resets, R draws new weights", ui_run_state_word(s->state));
        else if (s->state == UI_RUN_ERROR)
            ui_app_message(a, true, "%s", s->message);
        else
            ui_worker_toggle(a->w);
        break;
    case UI_ACT_STEP:
    case UI_ACT_STEP_BATCH:
        if (a->snap.state == UI_RUN_DONE && a->snap.race.on)   /* the worker ignores a step then: say so */
            ui_app_message(a, false, "the race is done: r resets");
        else if (a->snap.state == UI_RUN_DONE)
            ui_app_message(a, false, "the run is done: Space trains on (another %d epochs), r starts again",
                           a->draft.training.epochs);
        else if (c.act == UI_ACT_STEP)
            ui_worker_step_epoch(a->w);
        else
            ui_worker_step_batch(a->w);
        break;
    case UI_ACT_RESET:
        if (ui_worker_reset(a->w))
            ui_app_reset_sent(a);
        ui_app_message(a, false, "reset to the initial weights of seed %llu", (unsigned long long)s->seed);
        break;
    case UI_ACT_RESEED: ui_app_reseed(a); break;
    case UI_ACT_NEW_DATA: ui_app_new_data(a); break;
    case UI_ACT_LR_UP: ui_app_change_lr(a, 2.0); break;
    case UI_ACT_LR_DOWN: ui_app_change_lr(a, 0.5); break;
    case UI_ACT_PACE_UP: ui_app_step_pace(a, 1); break;
    case UI_ACT_PACE_DOWN: ui_app_step_pace(a, -1); break;
    case UI_ACT_NEXT_PANEL: set_focus_dir(a, a->focus + 1, 1); break;
    case UI_ACT_PREV_PANEL: set_focus_dir(a, a->focus - 1, -1); break;
    case UI_ACT_FOCUS: set_focus(a, c.arg); break;
    case UI_ACT_CANCEL:
        if (a->zoom) { a->zoom = false; ui_app_relayout(a); }
        else if (a->focus == UI_P_CONFUSION) ui_app_panel_key(a, a->focus, c);   /* a view's pick or zoom */
        break;
    case UI_ACT_LOAD: ui_picker_open(&a->picker); a->mode = UI_MODE_PICKER; break;
    case UI_ACT_SAVE_PRESET: ui_app_save_prompt(a, UI_EDIT_SAVE_PRESET); break;
    case UI_ACT_SAVE_MODEL: ui_app_save_prompt(a, UI_EDIT_SAVE_MODEL); break;
    case UI_ACT_LOG: a->logy = !a->logy; break;
    case UI_ACT_PIN: ui_app_pin(a); break;
    case UI_ACT_REPORT: {
        ui_intent in;
        memset(&in, 0, sizeof in);
        in.kind = UI_INTENT_REPORT;
        ui_app_act(a, &in);
        break;
    }
    case UI_ACT_VIEW: ui_app_show_view(a, c.arg); break;
    case UI_ACT_NEXT_VIEW:
        if (a->focus == UI_P_VIEW2) step_view2(a, 1);
        else ui_app_show_view(a, a->slot.view + 1);
        break;
    case UI_ACT_PREV_VIEW:
        if (a->focus == UI_P_VIEW2) step_view2(a, -1);
        else ui_app_show_view(a, a->slot.view - 1);
        break;
    case UI_ACT_ZOOM: a->zoom = !a->zoom; ui_app_relayout(a); break;
    case UI_ACT_MOUSE: on_mouse(a); break;
    default: ui_app_panel_key(a, a->focus, c); break;
    }
}

void ui_app_on_key(ui_app *a, int key)
{
    ui_mode m = a->mode;
    if (a->lay.too_small)
        m = a->mode == UI_MODE_CONFIRM && a->confirm == UI_CONFIRM_QUIT ? UI_MODE_CONFIRM : UI_MODE_SMALL;
    /* the second slot takes the view keys as the first does */
    ui_cmd c = ui_key_dispatch(m, a->focus == UI_P_VIEW2 ? UI_P_CONFUSION : a->focus, key);
    if (c.act == UI_ACT_NONE)
        return;
    a->dirty = true;
    if (c.act == UI_ACT_RESIZE) {
        ui_app_relayout(a);
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
    ui_intent in;
    memset(&in, 0, sizeof in);
    switch (m) {
    case UI_MODE_SMALL:
        if (c.act == UI_ACT_QUIT) {
            a->mode = UI_MODE_NORMAL;
            normal_key(a, c);
        }
        break;
    case UI_MODE_EDIT:
        ui_app_edit_key(a, c);
        break;
    case UI_MODE_HELP:
        if (c.act == UI_ACT_MOUSE)
            on_mouse(a);
        else
            ui_help_key(&a->help, c, &in);
        break;
    case UI_MODE_CONFIRM:
        if (c.act == UI_ACT_YES || c.act == UI_ACT_NO)
            ui_app_confirm(a, c.act == UI_ACT_YES);
        break;
    case UI_MODE_PICKER:
        if (c.act == UI_ACT_MOUSE)
            on_mouse(a);
        else
            ui_picker_key(&a->picker, c, &in);
        break;
    case UI_MODE_NORMAL:
        normal_key(a, c);
        break;
    }
    ui_app_act(a, &in);
}
