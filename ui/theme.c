/* theme.c — colour policy and the three palettes (see theme.h). */
#include "theme.h"

#include <math.h>
#include <string.h>
#include <strings.h>

ui_color_level ui_color_level_pick(bool has_colors, int colors, const char *no_color_env,
                                   bool no_color_flag)
{
    if (no_color_flag || (no_color_env && no_color_env[0]) || !has_colors)
        return UI_COLOR_MONO;
    if (colors >= 256)
        return UI_COLOR_256;
    if (colors >= 8)
        return UI_COLOR_8;
    return UI_COLOR_MONO;
}

bool ui_utf8_ok(const char *codeset, bool ascii_flag)
{
    if (ascii_flag || !codeset)
        return false;
    return strcasecmp(codeset, "UTF-8") == 0 || strcasecmp(codeset, "UTF8") == 0;
}

static ui_style S(int fg, int bg, int attr)
{
    ui_style s = {(int16_t)fg, (int16_t)bg, (uint16_t)attr};
    return s;
}

void ui_theme_init(ui_theme *t, ui_color_level level, bool utf8)
{
    memset(t, 0, sizeof *t);
    t->level = level;
    t->utf8 = utf8;
    for (int i = 0; i < UI_R_COUNT; i++)
        t->role[i] = S(-1, -1, 0);
    for (int i = 0; i < 8; i++)
        t->cls[i] = -1;

    if (level == UI_COLOR_MONO) {
        t->role[UI_R_DIM] = S(-1, -1, UI_A_DIM);
        t->role[UI_R_VALUE] = S(-1, -1, UI_A_BOLD);
        t->role[UI_R_TITLE] = S(-1, -1, 0);
        t->role[UI_R_TITLE_FOCUS] = S(-1, -1, UI_A_BOLD | UI_A_REVERSE);
        t->role[UI_R_BORDER_FOCUS] = S(-1, -1, UI_A_BOLD);
        t->role[UI_R_SELECT] = S(-1, -1, UI_A_REVERSE);
        t->role[UI_R_EDIT] = S(-1, -1, UI_A_UNDERLINE | UI_A_BOLD);
        t->role[UI_R_OK] = S(-1, -1, 0);
        t->role[UI_R_WARN] = S(-1, -1, UI_A_BOLD);
        t->role[UI_R_ERROR] = S(-1, -1, UI_A_BOLD | UI_A_UNDERLINE);
        t->role[UI_R_STATUS] = S(-1, -1, UI_A_REVERSE);
        t->role[UI_R_STATUS_KEY] = S(-1, -1, UI_A_BOLD);
        t->role[UI_R_STATE] = S(-1, -1, UI_A_BOLD | UI_A_REVERSE);
        t->role[UI_R_TRAIN] = S(-1, -1, UI_A_BOLD);
        t->role[UI_R_VAL] = S(-1, -1, 0);
        t->role[UI_R_TEST] = S(-1, -1, UI_A_DIM);
        t->role[UI_R_DIALOG] = S(-1, -1, 0);
        t->heat_n = 0;
        return;
    }
    if (level == UI_COLOR_8) {
        t->role[UI_R_DIM] = S(-1, -1, UI_A_DIM);
        t->role[UI_R_LABEL] = S(6, -1, 0);
        t->role[UI_R_VALUE] = S(-1, -1, UI_A_BOLD);
        t->role[UI_R_TITLE] = S(6, -1, 0);
        t->role[UI_R_TITLE_FOCUS] = S(3, -1, UI_A_BOLD);
        t->role[UI_R_BORDER] = S(4, -1, 0);
        t->role[UI_R_BORDER_FOCUS] = S(3, -1, UI_A_BOLD);
        t->role[UI_R_SELECT] = S(0, 6, 0);
        t->role[UI_R_EDIT] = S(7, 4, UI_A_BOLD);
        t->role[UI_R_OK] = S(2, -1, 0);
        t->role[UI_R_WARN] = S(3, -1, UI_A_BOLD);
        t->role[UI_R_ERROR] = S(1, -1, UI_A_BOLD);
        t->role[UI_R_STATUS] = S(0, 6, 0);
        t->role[UI_R_STATUS_KEY] = S(7, 4, UI_A_BOLD);
        t->role[UI_R_STATE] = S(0, 3, UI_A_BOLD);
        t->role[UI_R_TRAIN] = S(4, -1, UI_A_BOLD);
        t->role[UI_R_VAL] = S(3, -1, 0);
        t->role[UI_R_TEST] = S(5, -1, 0);
        t->role[UI_R_AXIS] = S(-1, -1, UI_A_DIM);
        t->role[UI_R_DIALOG] = S(7, 4, 0);
        static const int16_t bg8[] = {0, 4, 6, 2, 7};
        static const int16_t fg8[] = {7, 7, 0, 0, 0};
        t->heat_n = 5;
        memcpy(t->heat_bg, bg8, sizeof bg8);
        memcpy(t->heat_fg, fg8, sizeof fg8);
        /* blue and yellow first, red and green apart (colour-blind safe, as in views.c) */
        static const int16_t c8[] = {4, 3, 6, 1, 5, 2, 7, 4};
        memcpy(t->cls, c8, sizeof c8);
        return;
    }
    t->role[UI_R_DIM] = S(244, -1, 0);
    t->role[UI_R_LABEL] = S(110, -1, 0);
    t->role[UI_R_VALUE] = S(255, -1, UI_A_BOLD);
    t->role[UI_R_TITLE] = S(75, -1, 0);
    t->role[UI_R_TITLE_FOCUS] = S(221, -1, UI_A_BOLD);
    t->role[UI_R_BORDER] = S(240, -1, 0);
    t->role[UI_R_BORDER_FOCUS] = S(221, -1, 0);
    t->role[UI_R_SELECT] = S(231, 25, UI_A_BOLD);
    t->role[UI_R_EDIT] = S(231, 238, UI_A_BOLD);
    t->role[UI_R_OK] = S(114, -1, 0);
    t->role[UI_R_WARN] = S(214, -1, UI_A_BOLD);
    t->role[UI_R_ERROR] = S(203, -1, UI_A_BOLD);
    t->role[UI_R_STATUS] = S(252, 236, 0);
    t->role[UI_R_STATUS_KEY] = S(231, 24, UI_A_BOLD);
    t->role[UI_R_STATE] = S(16, 114, UI_A_BOLD);
    t->role[UI_R_TRAIN] = S(39, -1, 0);
    t->role[UI_R_VAL] = S(214, -1, 0);
    t->role[UI_R_TEST] = S(170, -1, 0);
    t->role[UI_R_AXIS] = S(242, -1, 0);
    t->role[UI_R_DIALOG] = S(253, 237, 0);
    static const int16_t bg256[] = {235, 17, 18, 19, 20, 26, 32, 38, 44, 50, 87, 159};
    static const int16_t fg256[] = {250, 252, 253, 254, 255, 231, 231, 16, 16, 16, 16, 16};
    t->heat_n = 12;
    memcpy(t->heat_bg, bg256, sizeof bg256);
    memcpy(t->heat_fg, fg256, sizeof fg256);
    /* Okabe-Ito order: blue, orange, bluish green, yellow, vermillion, reddish purple (views.c) */
    static const int16_t c256[] = {39, 214, 42, 227, 209, 175, 147, 51};
    memcpy(t->cls, c256, sizeof c256);
}

ui_style ui_theme_heat(const ui_theme *t, double frac)
{
    if (!(frac > 0))
        frac = 0;
    if (frac > 1)
        frac = 1;
    if (t->heat_n == 0) {
        if (frac >= 0.5)
            return S(-1, -1, UI_A_REVERSE | UI_A_BOLD);
        if (frac >= 0.15)
            return S(-1, -1, UI_A_BOLD);
        return S(-1, -1, frac > 0 ? 0 : UI_A_DIM);
    }
    int i = (int)lround(frac * (t->heat_n - 1));
    return S(t->heat_fg[i], t->heat_bg[i], 0);
}
