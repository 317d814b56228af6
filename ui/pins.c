/* pins.c — the pinned runs (pins.h). Main thread only. */
#include "pins.h"

#include "record.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ui_pins_init(ui_pins *ps) { memset(ps, 0, sizeof *ps); }

static void pin_free(ui_pin *p)
{
    free(p->loss);
    free(p->map);
    p->loss = NULL;
    p->map = NULL;
}

void ui_pins_clear(ui_pins *ps)
{
    for (int i = 0; i < ps->n; i++)
        pin_free(&ps->pin[i]);
    ps->n = 0;
}

void ui_pins_free(ui_pins *ps) { ui_pins_clear(ps); }

void ui_pins_remove(ui_pins *ps, int i)
{
    if (i < 0 || i >= ps->n)
        return;
    pin_free(&ps->pin[i]);
    memmove(&ps->pin[i], &ps->pin[i + 1], sizeof ps->pin[0] * (size_t)(ps->n - i - 1));
    ps->n--;
}

const nn_epoch_stats *ui_run_figures(const nn_epoch_stats *hist, int n, const ui_snapshot *s)
{
    if (s->has_edit && s->edit.epoch == n)
        return &s->edit;
    return n > 0 ? &hist[n - 1] : NULL;
}

static bool same_double(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

int ui_pins_find(const ui_pins *ps, const nn_epoch_stats *hist, int n, const ui_snapshot *s)
{
    if (n <= 0)
        return -1;
    const nn_epoch_stats *last = ui_run_figures(hist, n, s);
    for (int i = 0; i < ps->n; i++) {
        const ui_pin *q = &ps->pin[i];
        if (q->run == s->run && q->epochs == n && same_double(q->final[0], last->train_loss) &&
            same_double(q->final[1], last->val_loss) && same_double(q->final[2], last->test_loss))
            return i;
    }
    return -1;
}

/* The lowest slot no pin holds (the pins are fewer than UI_PIN_MAX). */
static int free_slot(const ui_pins *ps)
{
    for (int s = 0; s < UI_PIN_MAX; s++) {
        bool used = false;
        for (int i = 0; i < ps->n; i++)
            used = used || ps->pin[i].slot == s;
        if (!used)
            return s;
    }
    return 0;
}

static double metric_of(const nn_epoch_stats *e)
{
    if (isfinite(e->test_acc))
        return e->test_acc;
    if (isfinite(e->val_acc))
        return e->val_acc;
    return e->train_acc;
}

int ui_pins_add(ui_pins *ps, const nn_preset *p, const nn_epoch_stats *hist, int n, const ui_snapshot *s,
                int *replaced)
{
    if (replaced)
        *replaced = 0;
    if (n <= 0)
        return 0;
    int step = (n + UI_PIN_POINTS - 1) / UI_PIN_POINTS, pts = n / step;
    double *loss = malloc(sizeof *loss * 3 * (size_t)pts);
    bool drawable = s->boundary.kind != UI_VIEW_NONE && s->boundary.epoch >= 0 &&
                    (s->boundary.kind == UI_VIEW_CURVE ? s->boundary.curve_n > 0 : s->boundary.grid_w > 0);
    ui_snap_boundary *map = drawable ? malloc(sizeof *map) : NULL;
    if (!loss || (drawable && !map)) {
        free(loss);
        free(map);
        return 0;
    }
    int slot;
    if (ps->n == UI_PIN_MAX) {   /* the oldest goes: pin[0] */
        slot = ps->pin[0].slot;
        if (replaced)
            *replaced = slot + 1;
        ui_pins_remove(ps, 0);
    } else {
        slot = free_slot(ps);
    }
    ui_pin *q = &ps->pin[ps->n++];
    memset(q, 0, sizeof *q);
    q->slot = slot;
    q->age = ++ps->age;
    q->run = s->run;
    q->preset = *p;
    q->epochs = n;
    q->n = pts;
    q->step = step;
    q->loss = loss;
    for (int i = 0; i < pts; i++) {
        const nn_epoch_stats *e = &hist[(i + 1) * step - 1];
        double v[3] = {e->train_loss, e->val_loss, e->test_loss};
        for (int c = 0; c < 3; c++) {
            loss[c * pts + i] = v[c];
            q->has[c] = q->has[c] || isfinite(v[c]);
        }
    }
    const nn_epoch_stats *last = ui_run_figures(hist, n, s);
    q->edited = last != &hist[n - 1];
    q->final[0] = last->train_loss;
    q->final[1] = last->val_loss;
    q->final[2] = last->test_loss;
    q->metric = metric_of(last);
    q->regression = s->info.task == NN_TASK_REGRESSION;
    q->k = s->info.k;
    if (map) {
        *map = s->boundary;
        q->map = map;
    } else if (s->boundary.kind == UI_VIEW_NONE && s->info.n_features > 2 && s->info.n_features <= UI_VIEW_MAX_FEATURES) {
        snprintf(q->no_map, sizeof q->no_map, "%d features, no two picked", s->info.n_features);
    } else if (s->boundary.kind == UI_VIEW_NONE && s->info.n_features > UI_VIEW_MAX_FEATURES) {
        snprintf(q->no_map, sizeof q->no_map, "images: no plane");
    } else {
        snprintf(q->no_map, sizeof q->no_map, "no plane to draw");
    }
    return slot + 1;
}

/* The value of key in p, as nn_preset_get writes it ("" when p has none). */
static void value(const nn_preset *p, const char *key, char *out, size_t cap)
{
    nn_error err;
    if (nn_preset_get(p, key, out, cap, &err) != NN_OK)
        out[0] = '\0';
}

bool ui_pins_same_data(const nn_preset *a, const nn_preset *b)
{
    static const char *const keys[] = {"dataset.source", "dataset.path", "dataset.features"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char va[1024], vb[1024];
        value(a, keys[i], va, sizeof va);
        value(b, keys[i], vb, sizeof vb);
        if (strcmp(va, vb) != 0)
            return false;
    }
    return true;
}

const double *ui_pin_curve(const ui_pin *pin)
{
    return pin->has[1] ? pin->loss + pin->n : pin->loss;
}

void ui_pin_label(const ui_pin *pin, const nn_preset *cur, char *out, size_t cap)
{
    nn_preset_diff_label(&pin->preset, cur, out, cap);
    if (!pin->edited || cap == 0)
        return;
    if (strcmp(out, "same") == 0)
        out[0] = '\0';
    size_t len = strlen(out);
    snprintf(out + len, cap - len, "%sedited by hand", len ? ", " : "");
}

int16_t ui_pin_colour(const ui_theme *th, int slot)
{
    if (th->level == UI_COLOR_MONO)
        return -1;
    slot = ((slot % UI_PIN_MAX) + UI_PIN_MAX) % UI_PIN_MAX;
    if (th->level == UI_COLOR_8) {
        /* green, cyan, red, white, magenta, yellow: the train (blue) and val (yellow) colours last */
        static const int16_t c8[UI_PIN_MAX] = {2, 6, 1, 7, 5, 3};
        return c8[slot];
    }
    /* the class palette (Okabe-Ito) after its first two, which the train and val curves use */
    return th->cls[2 + slot];
}

/* Display columns of UTF-8 text (every code point one column: labels are names and numbers). */
static int cols(const char *s)
{
    int w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

int ui_pin_label_fit(const char *label, int w, bool ascii, char *out, size_t cap)
{
    const char *ell = ascii ? ">" : "\xe2\x80\xa6";
    if (cap == 0)
        return 0;
    out[0] = '\0';
    if (w <= 0)
        return 0;
    if (cols(label) <= w) {
        snprintf(out, cap, "%s", label);
        return cols(out);
    }
    /* whole phrases, then ", …" */
    size_t keep = 0;
    for (const char *p = strstr(label, ", "); p; p = strstr(p + 2, ", ")) {
        size_t k = (size_t)(p - label);
        char t[512];
        snprintf(t, sizeof t, "%.*s, %s", (int)k, label, ell);
        if (cols(t) > w)
            break;
        keep = k;
    }
    if (keep > 0) {
        snprintf(out, cap, "%.*s, %s", (int)keep, label, ell);
        return cols(out);
    }
    /* the first phrase alone is too wide: the ellipsis alone (no word is cut) */
    snprintf(out, cap, "%s", ell);
    return cols(out);
}

/* Lays the legend out: draws when g is not NULL. Returns the rows used. */
static int legend(ui_grid *g, ui_rect r, const ui_pins *ps, const nn_preset *cur, const ui_theme *th, int max_rows)
{
    if (ps->n == 0 || r.w < 8 || max_rows < 1)
        return 0;
    int x = r.x, y = 0, xe = r.x + r.w;
    for (int i = 0; i < ps->n; i++) {
        const ui_pin *p = &ps->pin[i];
        char label[256], fit[256];
        ui_pin_label(p, cur, label, sizeof label);
        if (x > r.x && x + 2 + cols(label) > xe && y + 1 < max_rows) {   /* on the next row */
            y++;
            x = r.x;
        }
        /* the last row keeps room for "+N" while pins follow */
        int more = y + 1 == max_rows && i + 1 < ps->n ? 3 : 0;
        int left = xe - x - more;
        if (left < 6) {
            if (g)
                ui_grid_printf(g, x, r.y + y, xe - x, ui_st(th, UI_R_DIM), "+%d", ps->n - i);
            break;
        }
        int lw = ui_pin_label_fit(label, left - 2, !th->utf8, fit, sizeof fit);
        if (g) {
            ui_grid_put(g, x, r.y + y, (uint32_t)('0' + p->slot + 1), ui_pin_style(th, p->slot));
            ui_grid_text(g, x + 2, r.y + y, lw, fit, ui_st(th, UI_R_TEXT));
        }
        x += 2 + lw + 2;
    }
    return y + 1;
}

int ui_pins_legend(ui_grid *g, ui_rect r, const ui_pins *ps, const nn_preset *cur, const ui_theme *th)
{
    return legend(g, r, ps, cur, th, r.h);
}

int ui_pins_legend_rows(const ui_pins *ps, const nn_preset *cur, int w, int max_rows)
{
    ui_theme th;
    memset(&th, 0, sizeof th);
    return legend(NULL, ui_rect_make(0, 0, w, 1), ps, cur, &th, max_rows);
}
