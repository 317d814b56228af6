/* panel_views.c — the lower right slot: the table of views (one row per line of viewlist.h), the
 * slot's title strip (a tab per view), the view a preset opens on, and the slot as a panel that
 * hands drawing, keys and clicks to the view it shows. */
#include "panel.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define UI_VIEW_ROW_(id, name, key, label, help) [UI_V_##id] = &ui_##name##_view,
static const ui_view_def *const table[UI_V_COUNT] = {UI_VIEW_ROWS(UI_VIEW_ROW_)};
#undef UI_VIEW_ROW_

#define UI_VIEW_LABEL_(id, name, key, label, help) [UI_V_##id] = label,
static const char *const labels[UI_V_COUNT] = {UI_VIEW_ROWS(UI_VIEW_LABEL_)};
#undef UI_VIEW_LABEL_

const ui_view_def *ui_view(int v)
{
    return table[v < 0 ? 0 : v >= UI_V_COUNT ? UI_V_COUNT - 1 : v];
}

const char *ui_view_title(int v)
{
    return v >= 0 && v < UI_V_COUNT ? table[v]->title : "?";
}

const char *ui_view_key(int v)
{
    return v >= 0 && v < UI_V_COUNT ? labels[v] : "";
}

const char *ui_view_name(int v, const ui_snapshot *s)
{
    if (v == UI_V_CONFUSION && s->info.task == NN_TASK_REGRESSION && s->has_last)
        return "Fit";
    return ui_view_title(v);
}

int ui_view_default(const nn_preset *draft, const ui_snapshot *s)
{
    const nn_preset_key *row = draft->ui.view != NN_AUTO ? nn_preset_key_find("ui.view") : NULL;
    const char *want = row && row->names ? row->names(draft->ui.view) : NULL;
    for (int v = 0; want && v < UI_V_COUNT; v++)   /* ui.view: the view of that title */
        if (strcasecmp(ui_view_title(v), want) == 0)
            return v;
    if (draft->lesson.present)
        return UI_V_LESSON;
    if (s->boundary.kind != UI_VIEW_NONE)
        return UI_V_BOUNDARY;
    return UI_V_CONFUSION;
}

/* Columns the title strip leaves free at the right of the top border when it cannot show every tab and
 * the slot's border is the screen's top row: room for the experiment's name (ui_name_draw wants a run
 * of 8 border glyphs there). */
#define TAB_NAME_ROOM 12
/* What ends the strip when a tab is left out: the key that steps through every view. */
#define TAB_MORE "v: views "

int ui_view_pair(int v, const ui_snapshot *s)
{
    bool plane = s->boundary.kind == UI_VIEW_BOUNDARY || s->boundary.kind == UI_VIEW_SURFACE;
    bool images = s->samples.valid;
    int first = plane ? UI_V_BOUNDARY : UI_V_CONFUSION;
    int p = first;
    switch ((ui_view_id)v) {
    case UI_V_BOUNDARY: p = plane ? UI_V_NEURONS : images ? UI_V_SAMPLES : UI_V_HEALTH; break;   /* a curve: Fit is the same */
    case UI_V_NEURONS: p = UI_V_BOUNDARY; break;
    case UI_V_CONFUSION: p = images ? UI_V_SAMPLES : plane ? UI_V_BOUNDARY : UI_V_HEALTH; break;
    case UI_V_SAMPLES: p = UI_V_CONFUSION; break;
    case UI_V_NETWORK: p = images ? UI_V_SAMPLES : plane ? UI_V_NEURONS : UI_V_HEALTH; break;
    case UI_V_HEALTH: p = UI_V_CONFUSION; break;
    case UI_V_STEP: p = UI_V_NETWORK; break;
    case UI_V_RACE: p = UI_V_CONFUSION; break;
    case UI_V_COMPARE: p = first; break;
    case UI_V_LESSON: p = first; break;
    case UI_V_COUNT: break;
    }
    return p == v ? (v == UI_V_CONFUSION ? UI_V_HEALTH : UI_V_CONFUSION) : p;
}

/* Where the title strip puts each view's tab on the slot's top border: x0[v]..x1[v] (x1
 * exclusive; x0 == x1 for the current view, whose title the box drew, and for a tab left out).
 * Every tab when they all fit; else the first ones that fit with room for TAB_MORE after them at *xm
 * (and, on the screen's top row, TAB_NAME_ROOM columns to spare), so a student sees there are more
 * (*xm < 0 when every tab shows). Returns false when only " v: views " fits. */
static bool tab_layout(int view, ui_rect fr, int *x0, int *x1, int *xm)
{
    char cur[64];
    snprintf(cur, sizeof cur, "%s %s", ui_view_key(view), ui_view_title(view));
    int need = (int)strlen(cur) + 3;
    for (int v = 0; v < UI_V_COUNT; v++)
        if (v != view)
            need += (int)strlen(ui_view_key(v)) + 1 + (int)strlen(table[v]->tab) + 1;
    int x = fr.x + 2 + (int)strlen(cur) + 2;   /* after the title the box drew */
    for (int v = 0; v < UI_V_COUNT; v++)
        x0[v] = x1[v] = x;
    int room = fr.y == 0 ? TAB_NAME_ROOM : 0;
    bool all = need + 4 + room <= fr.w;
    int xe = all ? fr.x + fr.w : fr.x + fr.w - 2 - room - (int)strlen(TAB_MORE), start = x;
    x++;
    int shown = 0;
    for (int v = 0; v < UI_V_COUNT; v++) {
        if (v == view)
            continue;
        int w = (int)strlen(ui_view_key(v)) + 1 + (int)strlen(table[v]->tab) + 1;
        if (!all && x + w > xe)
            break;
        x0[v] = x;
        x += w;
        x1[v] = x;
        shown++;
    }
    *xm = all ? -1 : x;
    if (all || shown >= 3)
        return true;
    for (int v = 0; v < UI_V_COUNT; v++)   /* too few: " v: views " after the title */
        x0[v] = x1[v] = start;
    return false;
}

int ui_view_tab_at(int view, ui_rect fr, int x)
{
    int x0[UI_V_COUNT], x1[UI_V_COUNT], xm;
    if (!tab_layout(view, fr, x0, x1, &xm))
        return -1;
    for (int v = 0; v < UI_V_COUNT; v++)
        if (x >= x0[v] && x < x1[v])
            return v;
    return -1;
}

void ui_view_tabs(ui_grid *g, ui_rect fr, int view, const ui_theme *th, ui_style border)
{
    /* "╭ 6 Boundary ─ 5 Conf 7 Net 8 Health 9 Step 0 Race i Lesson ─╮" when it fits */
    int x0[UI_V_COUNT], x1[UI_V_COUNT], xm;
    ui_style key = ui_st(th, UI_R_LABEL), dim = ui_st(th, UI_R_DIM);
    int xe = fr.x + fr.w - 2;
    if (!tab_layout(view, fr, x0, x1, &xm)) {
        int x = x0[0];
        if (x + 8 < xe)
            ui_grid_text(g, x, fr.y, xe - x, " v: views ", dim);
        return;
    }
    ui_grid_put(g, x0[view == 0 ? 1 : 0] - 1, fr.y, ' ', border);
    for (int v = 0; v < UI_V_COUNT; v++) {
        if (v == view || x0[v] == x1[v])
            continue;
        int x = x0[v];
        x += ui_grid_text(g, x, fr.y, xe - x, ui_view_key(v), key);
        ui_grid_printf(g, x, fr.y, xe - x, dim, " %s ", table[v]->tab);
    }
    if (xm >= 0)   /* some tabs left out: say how to reach them */
        ui_grid_text(g, xm, fr.y, xe - xm, TAB_MORE, dim);
}

void ui_view2_hint(ui_grid *g, ui_rect fr, int view, const ui_theme *th)
{
    char cur[64];
    snprintf(cur, sizeof cur, "%s %s", ui_view_key(view), ui_view_title(view));
    int x = fr.x + 2 + (int)strlen(cur) + 2, xe = fr.x + fr.w - 2;
    if (x + 12 < xe)
        ui_grid_text(g, x + 1, fr.y, xe - x - 1, " v V: this slot's view ", ui_st(th, UI_R_DIM));
}

/* ---- the slot as a panel: everything goes to the view it shows ---- */

static ui_views *state(ui_slot_panel *s)
{
    return s->shared ? s->shared : &s->views;
}

static void prepare(ui_panel *p, const ui_model *m, ui_rect r)
{
    ui_slot_panel *s = (ui_slot_panel *)p;
    const ui_view_def *v = ui_view(s->view);
    (void)r;
    if (v->prepare)
        v->prepare(state(s), m);
}

static void draw(const ui_panel *p, ui_grid *g, ui_rect r, const ui_model *m)
{
    ui_view(((const ui_slot_panel *)p)->view)->draw(g, r, m);
}

static unsigned key(ui_panel *p, const ui_model *m, ui_cmd c, ui_intent *out)
{
    ui_slot_panel *s = (ui_slot_panel *)p;
    const ui_view_def *v = ui_view(s->view);
    return v->key ? v->key(state(s), m, c, out) : 0;
}

static void click(ui_panel *p, const ui_model *m, ui_rect r, int x, int y)
{
    ui_slot_panel *s = (ui_slot_panel *)p;
    const ui_view_def *v = ui_view(s->view);
    if (v->click)
        v->click(state(s), m, r, x, y);
}

const ui_panel_class ui_slot_class = {prepare, draw, key, click, NULL};
