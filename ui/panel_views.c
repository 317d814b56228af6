/* panel_views.c — the lower right slot in the app: which view it shows (Confusion, Boundary,
 * Network, Health, Step, Race, Lesson), its title strip, and the keys of each view: the Network
 * selection, the step-through selection sent to the worker, starting and ending a race, scrolling
 * the lesson. The views themselves are pure rasterisers (views.h). */
#include "app.h"

#include <stdio.h>
#include <string.h>

int ui_view_default(const ui_app *a)
{
    if (a->draft.lesson.present)
        return UI_V_LESSON;
    if (a->snap.boundary.kind != UI_VIEW_NONE)
        return UI_V_BOUNDARY;
    return UI_V_CONFUSION;
}

/* Where the title strip puts each view's tab on the slot's top border: x0[v]..x1[v] (x1
 * exclusive; x0 == x1 for the current view, whose title the box drew). Returns false when only
 * " v: views " fits. */
static bool tab_layout(const ui_app *a, ui_rect fr, int *x0, int *x1)
{
    static const char *const shortname[UI_V_COUNT] = {"Conf", "Bound", "Net", "Health", "Step", "Race", "Lesson"};
    char cur[64];
    snprintf(cur, sizeof cur, "%s %s", ui_view_key(a->view), ui_view_title(a->view));
    int need = (int)strlen(cur) + 3;
    for (int v = 0; v < UI_V_COUNT; v++)
        if (v != a->view)
            need += (int)strlen(ui_view_key(v)) + 1 + (int)strlen(shortname[v]) + 1;
    int x = fr.x + 2 + (int)strlen(cur) + 2;   /* after the title the box drew */
    for (int v = 0; v < UI_V_COUNT; v++)
        x0[v] = x1[v] = x;
    if (need + 4 > fr.w)
        return false;
    x++;
    for (int v = 0; v < UI_V_COUNT; v++) {
        if (v == a->view)
            continue;
        x0[v] = x;
        x += (int)strlen(ui_view_key(v)) + 1 + (int)strlen(shortname[v]) + 1;
        x1[v] = x;
    }
    return true;
}

int ui_view_tab_at(const ui_app *a, ui_rect fr, int x)
{
    int x0[UI_V_COUNT], x1[UI_V_COUNT];
    if (!tab_layout(a, fr, x0, x1))
        return -1;
    for (int v = 0; v < UI_V_COUNT; v++)
        if (x >= x0[v] && x < x1[v])
            return v;
    return -1;
}

void ui_view_tabs(ui_app *a, ui_grid *g, ui_rect fr, ui_style border, ui_style title)
{
    /* "╭ 6 Boundary ─ 5 Conf 7 Net 8 Health 9 Step 0 Race i Lesson ─╮" when it fits */
    static const char *const shortname[UI_V_COUNT] = {"Conf", "Bound", "Net", "Health", "Step", "Race", "Lesson"};
    int x0[UI_V_COUNT], x1[UI_V_COUNT];
    ui_style key = ui_st(&a->th, UI_R_LABEL), dim = ui_st(&a->th, UI_R_DIM);
    int xe = fr.x + fr.w - 2;
    (void)title;
    if (!tab_layout(a, fr, x0, x1)) {
        int x = x0[0];
        if (x + 8 < xe)
            ui_grid_text(g, x, fr.y, xe - x, " v: views ", dim);
        return;
    }
    ui_grid_put(g, x0[a->view == 0 ? 1 : 0] - 1, fr.y, ' ', border);
    for (int v = 0; v < UI_V_COUNT; v++) {
        if (v == a->view)
            continue;
        int x = x0[v];
        x += ui_grid_text(g, x, fr.y, xe - x, ui_view_key(v), key);
        ui_grid_printf(g, x, fr.y, xe - x, dim, " %s ", shortname[v]);
    }
}

void ui_view_draw(ui_app *a, ui_grid *g, ui_rect r)
{
    ui_views *v = &a->views;
    switch (a->view) {
    case UI_V_BOUNDARY: ui_boundary_panel(g, r, &a->snap, v, &a->th); break;
    case UI_V_NETWORK:
        ui_views_clamp(v, &a->snap);
        ui_network_panel(g, r, &a->snap, v, &a->th);
        break;
    case UI_V_HEALTH: ui_health_panel(g, r, &a->snap, &a->th); break;
    case UI_V_STEP: ui_step_panel(g, r, &a->snap, v, &a->th); break;
    case UI_V_RACE: ui_race_panel(g, r, &a->snap, &a->th, !a->logy); break;   /* log first: losses span decades */
    case UI_V_LESSON: ui_lesson_panel(g, r, &a->draft, v, &a->th); break;
    default: ui_confusion_draw(a, g, r); break;
    }
}

void ui_app_race(ui_app *a)
{
    if (ui_worker_race(a->w, &a->draft, NULL))
        ui_app_message(a, false, "race: every optimizer from the same initial weights; Space starts it");
    else
        ui_app_message(a, true, "cannot queue the race (the worker is busy); try again");
}

static void race_key(ui_app *a)
{
    if (a->snap.race.on) {
        if (ui_worker_load(a->w, &a->draft))
            ui_app_message(a, false, "race ended: back to training one network");
        return;
    }
    if (nn_preset_is_locked(&a->draft, "training.optimizer.name")) {
        ui_app_message(a, true, "training.optimizer.name is locked by this lesson: no race");
        return;
    }
    if (!ui_app_training_begun(a)) {
        ui_app_race(a);
        return;
    }
    a->confirm = UI_CONFIRM_RACE;
    a->confirm_back = UI_MODE_NORMAL;
    snprintf(a->confirm_text, sizeof a->confirm_text,
             "Race every optimizer from the same initial weights? The current training is discarded.");
    a->mode = UI_MODE_CONFIRM;
}

static int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static void step_key(ui_app *a, ui_cmd c)
{
    ui_views *v = &a->views;
    const ui_snapshot *s = &a->snap;
    if (s->race.on) {
        ui_app_message(a, true, "no step-through during a race (Enter in the Race view ends it)");
        return;
    }
    if (s->info.n_layers <= 0 || s->info.n_train <= 0)
        return;
    switch (c.act) {
    case UI_ACT_EDIT: break;
    case UI_ACT_PREV_SAMPLE: v->step_index--; break;
    case UI_ACT_NEXT_SAMPLE: v->step_index++; break;
    case UI_ACT_LEFT: v->step_j--; break;
    case UI_ACT_RIGHT: v->step_j++; break;
    case UI_ACT_UP: v->step_i--; break;
    case UI_ACT_DOWN: v->step_i++; break;
    case UI_ACT_PAGE_UP: v->step_layer--; break;
    case UI_ACT_PAGE_DOWN: v->step_layer++; break;
    case UI_ACT_HOME: v->step_index = 0; break;
    default: return;
    }
    v->step_index = clampi(v->step_index, 0, s->info.n_train - 1);
    v->step_layer = clampi(v->step_layer, 0, s->info.n_layers - 1);
    v->step_i = clampi(v->step_i, NN_HEALTH_BIAS, s->info.layers[v->step_layer].in - 1);
    v->step_j = clampi(v->step_j, 0, s->info.layers[v->step_layer].out - 1);
    v->step_on = true;
    if (!ui_worker_trace(a->w, v->step_index, v->step_layer, v->step_i, v->step_j))
        ui_app_message(a, true, "cannot queue the step-through (the worker is busy)");
    else if (s->state == UI_RUN_RUNNING)
        ui_app_message(a, false, "the step-through is computed when training stops (Space pauses, S steps)");
}

static bool can_choose(const ui_snapshot *s)
{
    return !s->race.on && s->info.n_features > 2 && s->info.n_features <= UI_VIEW_MAX_FEATURES &&
           s->state != UI_RUN_LOADING && s->state != UI_RUN_ERROR;
}

void ui_view_sync(ui_app *a)
{
    const ui_snapshot *s = &a->snap;
    ui_views *v = &a->views;
    if (a->view != UI_V_BOUNDARY || s->boundary.kind != UI_VIEW_NONE || !can_choose(s) || v->feat_asked == s->run + 1)
        return;
    v->feat_asked = s->run + 1;
    ui_worker_view_features(a->w, 0, 1);
}

/* Boundary: Left/Right move the x feature, Up/Down the y feature (skipping the other axis). */
static void boundary_key(ui_app *a, ui_cmd c)
{
    const ui_snapshot *s = &a->snap;
    if (c.act == UI_ACT_EDIT) {
        a->views.hide_points = !a->views.hide_points;
        return;
    }
    if (!can_choose(s) || s->boundary.kind == UI_VIEW_NONE) {
        if (c.act == UI_ACT_LEFT || c.act == UI_ACT_RIGHT || c.act == UI_ACT_UP || c.act == UI_ACT_DOWN)
            ui_app_message(a, false, "%s", s->info.n_features <= 2 ? "this dataset has only these two features"
                                                             : "no picture to choose features for");
        return;
    }
    int nf = s->info.n_features, fx = s->boundary.fx, fy = s->boundary.fy, d = 0;
    ui_views *v = &a->views;
    if (v->feat_run == s->run + 1 && v->feat_x < nf && v->feat_y < nf) {
        fx = v->feat_x;   /* keys faster than the worker: go on from the last request */
        fy = v->feat_y;
    }
    bool x = false;
    if (c.act == UI_ACT_LEFT) { d = -1; x = true; }
    else if (c.act == UI_ACT_RIGHT) { d = 1; x = true; }
    else if (c.act == UI_ACT_UP) d = 1;
    else if (c.act == UI_ACT_DOWN) d = -1;
    else return;
    int *f = x ? &fx : &fy, other = x ? fy : fx;
    do {
        *f = (*f + d + nf) % nf;
    } while (*f == other);
    if (!ui_worker_view_features(a->w, fx, fy)) {
        ui_app_message(a, true, "the worker is busy; try again");
        return;
    }
    v->feat_x = fx;
    v->feat_y = fy;
    v->feat_run = s->run + 1;
}

void ui_view_handle(ui_app *a, ui_cmd c)
{
    ui_views *v = &a->views;
    switch (a->view) {
    case UI_V_BOUNDARY: boundary_key(a, c); break;
    case UI_V_NETWORK:
        if (c.act == UI_ACT_LEFT) v->net_unit--;
        else if (c.act == UI_ACT_RIGHT) v->net_unit++;
        else if (c.act == UI_ACT_UP) v->net_layer--;
        else if (c.act == UI_ACT_DOWN) v->net_layer++;
        else if (c.act == UI_ACT_HOME) v->net_unit = 0;
        else if (c.act == UI_ACT_END) v->net_unit = UI_NET_DIM;
        ui_views_clamp(v, &a->snap);
        break;
    case UI_V_STEP: step_key(a, c); break;
    case UI_V_RACE:
        if (c.act == UI_ACT_EDIT)
            race_key(a);
        break;
    case UI_V_LESSON:
        if (c.act == UI_ACT_UP) v->lesson_scroll--;
        else if (c.act == UI_ACT_DOWN) v->lesson_scroll++;
        else if (c.act == UI_ACT_PAGE_UP) v->lesson_scroll -= 10;
        else if (c.act == UI_ACT_PAGE_DOWN) v->lesson_scroll += 10;
        else if (c.act == UI_ACT_HOME) v->lesson_scroll = 0;
        if (v->lesson_scroll < 0)
            v->lesson_scroll = 0;
        {
            int w = a->lay.panel[UI_P_CONFUSION].w - 3;
            int rows = a->lay.panel[UI_P_CONFUSION].h - 2 - 1 - 2;
            int total = ui_lesson_lines(&a->draft, w);
            if (v->lesson_scroll > total - rows)
                v->lesson_scroll = total - rows > 0 ? total - rows : 0;
        }
        break;
    default: break;
    }
}
