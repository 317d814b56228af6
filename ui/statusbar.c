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
    char info[192];
    bool msg = m->msg ||
               ((s->state == UI_RUN_ERROR || s->state == UI_RUN_DIVERGED) && s->message[0]);
    if (msg)
        snprintf(info, sizeof info, " Epoch %d/%s%s ", s->epoch, end, pace);
    else if (r.w >= 100)
        snprintf(info, sizeof info, " Epoch %d/%s%s  batch %d/%d  %s samples/s  %s  ETA %s  lr %.3g ", s->epoch, end,
                 pace, s->batch, s->n_batches, rate, el, s->eta_s > 0 ? eta : "-", s->base_lr);
    else
        snprintf(info, sizeof info, " Epoch %d/%s%s  %s samples/s  %s  ETA %s ", s->epoch, end, pace, rate, el,
                 s->eta_s > 0 ? eta : "-");
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
        if (hints[i] == UI_ACT_START_PAUSE && s->state == UI_RUN_RUNNING)
            word = "Pause";
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
