/* panel_samples.c — the Samples view: for image data (IDX files such as Fashion-MNIST) the test
 * pictures themselves in half-block cells (grey levels; ASCII: one level a cell; monochrome and 8
 * colours: a glyph ramp), each with its true class and the class the network predicts, green when
 * right and red when wrong. The worker predicts an even sample of the test rows after every epoch
 * and whenever the run stops. Keys: PgUp/PgDn page through the sample, Enter shows the mistakes
 * only (or all again). */
#include "panel.h"

#include <stdio.h>
#include <string.h>

static const char ramp[] = " .:-=+*#%@";

/* The mean of picture i's pixels in [x0, x1) x [y0, y1) (at least one pixel), 0..255. */
static int block(const ui_snap_samples *s, int i, int x0, int x1, int y0, int y1)
{
    if (x1 <= x0) x1 = x0 + 1;
    if (y1 <= y0) y1 = y0 + 1;
    long sum = 0, n = 0;
    for (int y = y0; y < y1 && y < s->side; y++)
        for (int x = x0; x < x1 && x < s->side; x++) {
            sum += s->pix[i][y * s->side + x];
            n++;
        }
    return n > 0 ? (int)(sum / n) : 0;
}

static int16_t grey(int v)
{
    return (int16_t)(232 + (v * 23 + 127) / 255);
}

void ui_picture(ui_grid *g, ui_rect r, const ui_snapshot *snap, int i, const ui_theme *th)
{
    const ui_snap_samples *s = &snap->samples;
    if (r.w <= 0 || r.h <= 0 || !s->valid || i < 0 || i >= s->n || s->side <= 0)
        return;
    bool shade = th->level == UI_COLOR_256;   /* grey backgrounds; else glyphs */
    bool half = shade && th->utf8;
    int tw = r.w, th2 = half ? 2 * r.h : r.h, side = s->side;
    for (int cy = 0; cy < r.h; cy++)
        for (int cx = 0; cx < r.w; cx++) {
            int x0 = cx * side / tw, x1 = (cx + 1) * side / tw;
            if (half) {
                int t = block(s, i, x0, x1, 2 * cy * side / th2, (2 * cy + 1) * side / th2);
                int b = block(s, i, x0, x1, (2 * cy + 1) * side / th2, (2 * cy + 2) * side / th2);
                ui_style st = {grey(t), grey(b), 0};
                ui_grid_put(g, r.x + cx, r.y + cy, 0x2580, st);
                continue;
            }
            int v = block(s, i, x0, x1, cy * side / th2, (cy + 1) * side / th2);
            if (shade) {
                ui_style st = {-1, grey(v), 0};
                ui_grid_put(g, r.x + cx, r.y + cy, ' ', st);
            } else {
                ui_style st = {-1, -1, 0};
                ui_grid_put(g, r.x + cx, r.y + cy, (uint32_t)ramp[(v * 9 + 127) / 255], st);
            }
        }
}

/* The samples shown: every one, or the mistakes only; order[] gets their indices, returns how many. */
static int chosen(const ui_snap_samples *s, bool wrong_only, int *order)
{
    int m = 0;
    for (int i = 0; i < s->n && i < UI_SAMPLE_MAX; i++)
        if (!wrong_only || s->label[i] != s->pred[i])
            order[m++] = i;
    return m;
}

/* A picture's cell: w columns, the picture's h rows and two label rows. */
static void cell_size(const ui_snap_samples *s, ui_rect r, bool utf8_shade, int *pw, int *ph)
{
    /* full size (one column a pixel), a half, a third or a quarter, each picture with two rows of
     * labels under it: the one that covers the most of the view, counting at most 8 pictures (so a
     * few large pictures do not win over a screenful of smaller ones) */
    int side = s->side > 0 ? s->side : 28;
    long best = -1;
    for (int k = 1; k <= 4; k++) {
        int w = side / k, h = utf8_shade ? (side / k + 1) / 2 : side / k / 2;
        if (h < 2) h = 2;
        if (w < 6) w = 6;
        int cols = (r.w + 1) / (w + 1), rows = r.h / (h + 2);
        if (cols < 1 || rows < 1)
            continue;
        long count = (long)cols * rows, score = count * w * h * (count < 8 ? count : 8);
        if (score > best) {
            best = score;
            *pw = w;
            *ph = h;
        }
    }
    if (best >= 0)
        return;
    *pw = 7;
    *ph = 2;
}

void ui_samples_panel(ui_grid *g, ui_rect r, const ui_snapshot *snap, const ui_views *v, const ui_theme *th)
{
    ui_style dim = ui_st(th, UI_R_DIM), txt = ui_st(th, UI_R_TEXT);
    if (r.w < 8 || r.h < 1)
        return;
    if (snap->race.on) {
        ui_grid_wrap(g, r.x, r.y, r.w, r.h, "no single network during a race: the Race view shows the curves", dim);
        return;
    }
    if (snap->state == UI_RUN_LOADING || snap->state == UI_RUN_ERROR) {
        ui_grid_text(g, r.x, r.y, r.w, snap->state == UI_RUN_LOADING ? "loading ..." : "no network (see the message)", dim);
        return;
    }
    const ui_snap_samples *s = &snap->samples;
    if (!s->valid) {
        char b[200];
        snprintf(b, sizeof b, "Samples shows the pictures of image data (IDX files, such as the fashion-mnist preset); "
                              "this data has %d features: the Boundary (6) and Neurons (n) views show it",
                 snap->info.n_features);
        ui_grid_wrap(g, r.x, r.y, r.w, r.h, b, ui_st(th, UI_R_WARN));
        return;
    }
    int order[UI_SAMPLE_MAX];
    bool wrong_only = v && v->samp_wrong;
    int m = chosen(s, wrong_only, order), right = 0;
    for (int i = 0; i < s->n; i++)
        right += s->label[i] == s->pred[i];
    int pw, ph;
    cell_size(s, ui_rect_make(r.x, r.y + 1, r.w, r.h - 1), th->level == UI_COLOR_256 && th->utf8, &pw, &ph);
    int cols = (r.w + 1) / (pw + 1), rows = (r.h - 1) / (ph + 2);
    if (cols < 1) cols = 1;
    if (rows < 1) rows = 1;
    int page = cols * rows, first = v ? v->samp_first : 0;
    if (first >= m) first = m > 0 ? ((m - 1) / page) * page : 0;
    if (first < 0) first = 0;
    first = (first / page) * page;
    /* header */
    int x = r.x, xe = r.x + r.w;
    x += ui_grid_printf(g, x, r.y, r.w, dim, "epoch %d  ", s->epoch);
    x += ui_grid_printf(g, x, r.y, xe - x, txt, "%d of %d test pictures right", right, s->n);
    /* then what fits of: which pictures (and PgDn when there are more), the Enter hint */
    char range[64], hint[32];
    int last = first + page < m ? first + page : m;
    snprintf(range, sizeof range, "  %s%d-%d of %d%s", wrong_only ? "mistakes " : "", m ? first + 1 : 0, last, m,
             m > page ? " PgDn" : "");
    snprintf(hint, sizeof hint, "  Enter: %s", wrong_only ? "all" : "mistakes");
    int rw = (int)strlen(range), hw = (int)strlen(hint);
    if (xe - x >= rw + hw) {
        x += ui_grid_text(g, x, r.y, rw, range, dim);
        ui_grid_text(g, x, r.y, hw, hint, dim);
    } else if (xe - x >= hw) {
        ui_grid_text(g, x, r.y, hw, hint, dim);
    }
    if (m == 0) {
        ui_grid_text(g, r.x, r.y + 1, r.w, "no mistakes among these pictures (Enter: all)", dim);
        return;
    }
    ui_style ok = ui_st(th, UI_R_OK), bad = ui_st(th, UI_R_ERROR);
    for (int k = 0; k < page && first + k < m; k++) {
        int i = order[first + k], cx = r.x + (k % cols) * (pw + 1), cy = r.y + 1 + (k / cols) * (ph + 2);
        ui_picture(g, ui_rect_make(cx, cy, pw, ph), snap, i, th);
        int lc = s->label[i], pc = s->pred[i];
        const char *tn = lc >= 0 && lc < NN_MAX_CLASSES ? snap->info.class_names[lc] : "?";
        const char *pn = pc >= 0 && pc < NN_MAX_CLASSES ? snap->info.class_names[pc] : "?";
        ui_grid_text(g, cx, cy + ph, pw, tn, dim);   /* a name cut ends in an ellipsis */
        bool right1 = lc == pc;
        char pb[80];
        snprintf(pb, sizeof pb, "%s%s", right1 ? (th->utf8 ? "\xe2\x9c\x93" : "=") : (th->utf8 ? "\xe2\x9c\x97" : "x"), pn);
        ui_grid_text(g, cx, cy + ph + 1, pw, pb, right1 ? ok : bad);
    }
}

// --- the view in the slot ---------------------------------------------------------------------------

static void draw(ui_grid *g, ui_rect r, const ui_model *m)
{
    ui_samples_panel(g, r, m->snap, m->views, m->th);
}

static unsigned key(ui_views *v, const ui_model *m, ui_cmd c, ui_intent *out)
{
    (void)out;
    const ui_snap_samples *s = &m->snap->samples;
    int step = 8;
    if (m->lay) {   /* a page: the pictures the slot shows */
        ui_rect f = ui_model_frame(m);
        ui_rect r = ui_rect_make(f.x + 1, f.y + 1, f.w - 2, f.h - 2);
        int pw = 7, ph = 2;
        cell_size(s, ui_rect_make(r.x, r.y + 1, r.w, r.h - 1), m->th->level == UI_COLOR_256 && m->th->utf8, &pw, &ph);
        int cols = (r.w + 1) / (pw + 1), rows = (r.h - 1) / (ph + 2);
        step = (cols < 1 ? 1 : cols) * (rows < 1 ? 1 : rows);
    }
    if (c.act == UI_ACT_EDIT) {
        v->samp_wrong = !v->samp_wrong;
        v->samp_first = 0;
    } else if (c.act == UI_ACT_PAGE_DOWN || c.act == UI_ACT_DOWN || c.act == UI_ACT_RIGHT) {
        if (v->samp_first + step < s->n)
            v->samp_first += step;
    } else if (c.act == UI_ACT_PAGE_UP || c.act == UI_ACT_UP || c.act == UI_ACT_LEFT) {
        v->samp_first = v->samp_first > step ? v->samp_first - step : 0;
    } else if (c.act == UI_ACT_HOME) {
        v->samp_first = 0;
    } else {
        return 0;
    }
    return UI_REDRAW;
}

const ui_view_def ui_samples_view = {
    "Samples", "Samp", UI_NEED_INFO | UI_NEED_RACE | UI_NEED_SAMPLES, NULL, draw, key, NULL, NULL,
};
