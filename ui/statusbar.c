/* statusbar.c — the bottom line: the state word, "Epoch N/M", samples/s, elapsed time, ETA and
 * the key hints (from the key table), or a transient message in their place. */
#include "panel.h"

#include <stdio.h>
#include <string.h>

static void fmt_time(char *out, size_t n, double s)
{
    if (!(s >= 0))
        s = 0;
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(out, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(out, n, "%ld:%02ld", t / 60, t % 60);
}

static void fmt_rate(char *out, size_t n, double r)
{
    if (r >= 1e6)
        snprintf(out, n, "%.1fM", r / 1e6);
    else if (r >= 1e4)
        snprintf(out, n, "%.0fk", r / 1e3);
    else
        snprintf(out, n, "%.0f", r);
}

const char *ui_space_word(ui_run_state st)
{
    switch (st) {
    case UI_RUN_RUNNING: return "Pause";
    case UI_RUN_PAUSED: return "Resume";
    case UI_RUN_DONE: return "Continue";
    case UI_RUN_LOADING:
    case UI_RUN_READY:
    case UI_RUN_DIVERGED:
    case UI_RUN_ERROR:
    case UI_RUN_COUNT:
        break;
    }
    return "Start";
}

/* The status bar's figures by the bar's width w: from 120 columns " Epoch E/END[pace]  batch B/N  R
 * samples/s  T  ETA T[lr] ", from 100 without the batch and the lr, below that without the elapsed
 * time too, so the key hints keep their room. */
static void status_info(char *out, size_t n, int w, int epoch, const char *end, const char *pace, int batch,
                        int n_batches, const char *rate, const char *el, const char *eta, const char *lr)
{
    if (w >= 120)
        snprintf(out, n, " Epoch %d/%s%s  batch %d/%d  %s samples/s  %s  ETA %s%s ", epoch, end, pace, batch,
                 n_batches, rate, el, eta, lr);
    else if (w >= 100)
        snprintf(out, n, " Epoch %d/%s%s  %s samples/s  %s  ETA %s ", epoch, end, pace, rate, el, eta);
    else
        snprintf(out, n, " Epoch %d/%s%s  %s samples/s  ETA %s ", epoch, end, pace, rate, eta);
}

void ui_status_draw(ui_grid *g, ui_rect r, const ui_model *m)
{
    const ui_theme *th = m->th;
    const ui_snapshot *s = m->snap;
    ui_style bar = ui_st(th, UI_R_STATUS);
    ui_grid_fill(g, r, ' ', bar);
    ui_style st = ui_st(th, UI_R_STATE);
    if (th->level != UI_COLOR_MONO) {
        if (s->state == UI_RUN_DIVERGED || s->state == UI_RUN_ERROR)
            st.bg = th->level == UI_COLOR_256 ? 203 : 1;
        else if (s->state == UI_RUN_PAUSED || s->state == UI_RUN_LOADING)
            st.bg = th->level == UI_COLOR_256 ? 221 : 3;
        else if (s->state == UI_RUN_DONE)
            st.bg = th->level == UI_COLOR_256 ? 75 : 6;
        else if (s->state == UI_RUN_READY)
            st.bg = th->level == UI_COLOR_256 ? 250 : 7;
    }
    int x = r.x;
    x += ui_grid_printf(g, x, r.y, r.w, st, " %s ", ui_run_state_word(s->state));
    char el[32], eta[32], rate[32];
    fmt_time(el, sizeof el, s->elapsed_s);
    fmt_time(eta, sizeof eta, s->eta_s);
    fmt_rate(rate, sizeof rate, s->samples_per_s);
    /* the end of the run ("forever": none), and the pace (a race is not paced) */
    char end[16], pace[24] = "";
    if (s->epochs > 0)
        snprintf(end, sizeof end, "%d", s->epochs);
    else
        snprintf(end, sizeof end, "%s", th->utf8 ? "\xe2\x88\x9e" : "inf");
    if (!s->race.on) {
        if (s->pace > 0)
            snprintf(pace, sizeof pace, "  pace %d/s", s->pace);
        else
            snprintf(pace, sizeof pace, "  pace max");
    }
    char info[192], lr[32] = "";
    bool msg = m->msg ||
               ((s->state == UI_RUN_ERROR || s->state == UI_RUN_DIVERGED) && s->message[0]);
    if (!s->race.on)   /* a race's entries each have their own (the Race view's legend) */
        snprintf(lr, sizeof lr, "  lr %.3g", s->base_lr);
    if (msg)
        snprintf(info, sizeof info, " Epoch %d/%s%s ", s->epoch, end, pace);
    else
        status_info(info, sizeof info, r.w, s->epoch, end, pace, s->batch, s->n_batches, rate, el,
                    s->eta_s > 0 ? eta : "-", lr);
    /* the figures that change while training (the epoch, the batch, the rate, the times) do not move
     * the hints: the text is as wide as it is with the widest of them (the epoch and the batch as wide
     * as their totals, a rate of 99.9M, times of at least 9:59) */
    if (!msg) {
        char widest[192];
        int top = s->epoch > s->epochs ? s->epoch : s->epochs, nb = s->batch > s->n_batches ? s->batch : s->n_batches;
        status_info(widest, sizeof widest, r.w, top, end, pace, nb, s->n_batches, "99.9M",
                    strlen(el) > 4 ? el : "9:59", strlen(eta) > 4 ? eta : "9:59", lr);
        int wi = (int)strlen(info), ww = (int)strlen(widest);
        if (wi < ww && ww < (int)sizeof info) {
            memset(info + wi, ' ', (size_t)(ww - wi));
            info[ww] = '\0';
        }
    }
    x += ui_grid_text(g, x, r.y, r.x + r.w - x, info, bar);
    int room = r.x + r.w - x;
    if (room <= 2)
        return;
    if (m->msg) {
        ui_style ms = bar;
        if (m->msg_err) {
            ms = ui_st(th, UI_R_ERROR);
            ms.bg = bar.bg;
            ms.attr |= bar.attr;
        }
        ui_grid_text(g, x + 1, r.y, room - 1, m->msg, ms);
        return;
    }
    if ((s->state == UI_RUN_ERROR || s->state == UI_RUN_DIVERGED) && s->message[0]) {
        ui_style ms = ui_st(th, UI_R_ERROR);
        ms.bg = bar.bg;
        ms.attr |= bar.attr;
        ui_grid_text(g, x + 1, r.y, room - 1, s->message, ms);
        return;
    }
    /* key hints, as many as fit, from the key table */
    static const ui_action hints[] = {UI_ACT_START_PAUSE, UI_ACT_HELP, UI_ACT_QUIT, UI_ACT_STEP, UI_ACT_RESET,
                                      UI_ACT_NEXT_PANEL, UI_ACT_LOAD, UI_ACT_SAVE_PRESET, UI_ACT_ZOOM};
    static const char *const words[] = {"Start", "Help", "Quit", "Step", "Reset", "Panel", "Load", "Save", "Zoom"};
    char line[256] = "";
    int len = 0;
    for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++) {
        const char *k = ui_key_label_for(hints[i]);
        char one[48];
        const char *word = words[i];
        if (hints[i] == UI_ACT_START_PAUSE)
            word = ui_space_word(s->state);
        int n = snprintf(one, sizeof one, "%.*s %s  ", (int)strcspn(k, " "), k, word);
        if (len + n - 2 > room - 1)
            break;
        memcpy(line + len, one, (size_t)n + 1);
        len += n;
    }
    if (len >= 2)
        line[len - 2] = 0;
    ui_grid_text(g, r.x + r.w - (len - 2) - 1, r.y, room - 1, line, bar);
}

void ui_name_draw(ui_grid *g, const ui_theme *th, const char *name, bool changed)
{
    if (!name || !*name || g->h < 1)
        return;
    uint32_t h = th->utf8 ? 0x2500 : '-';
    /* the rightmost run of border glyphs on the top row */
    int end = -1, start = -1;
    for (int x = g->w - 1; x >= 0; x--) {
        bool b = ui_grid_cat(g, x, 0)->ch == h;
        if (b && end < 0)
            end = x;
        if (!b && end >= 0) {
            if (end - x >= 8) {
                start = x + 1;
                break;
            }
            end = -1;
        }
        if (x == 0 && end >= 0 && end + 1 >= 8)
            start = 0;
    }
    if (start < 0)
        return;
    int room = end - start + 1 - 4;   /* a glyph of border each side, a space each side */
    if (room < 4)
        return;
    const ui_cell *c = ui_grid_cat(g, end, 0);
    ui_style bs = {c->fg, c->bg, c->attr};
    ui_style ns = ui_st(th, UI_R_TITLE);
    char text[192];
    snprintf(text, sizeof text, "%s%s", name, changed ? " (changed)" : "");
    if (ui_utf8_width(text) > room)
        snprintf(text, sizeof text, "%s", name);
    int w = ui_utf8_width(text);
    char cut[192];
    if (w > room) {   /* cut with an ellipsis */
        int n = 0, used = 0;
        const unsigned char *q = (const unsigned char *)text;
        while (q[n]) {
            uint32_t cp;
            int len = ui_utf8_decode(q + n, &cp);
            if (len <= 0 || used + 1 > room - (th->utf8 ? 1 : 3))
                break;
            n += len;
            used++;
        }
        snprintf(cut, sizeof cut, "%.*s%s", n, text, th->utf8 ? "\xe2\x80\xa6" : "...");
        snprintf(text, sizeof text, "%s", cut);
        w = ui_utf8_width(text);
    }
    int x = end - 1 - w;
    ui_grid_put(g, x - 1, 0, ' ', bs);
    ui_grid_text(g, x, 0, w, text, ns);
    ui_grid_put(g, x + w, 0, ' ', bs);
}
