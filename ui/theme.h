/* theme.h — the colour policy (256 colours, then 8, then monochrome; NO_COLOR and --no-color),
 * the UTF-8/ASCII decision, and the styles every view draws with. Pure; the curses side (which
 * colours the terminal has) is read by app.c and passed in. */
#ifndef UI_THEME_H
#define UI_THEME_H

#include "grid.h"

#include <stdbool.h>

typedef enum { UI_COLOR_MONO, UI_COLOR_8, UI_COLOR_256 } ui_color_level;

typedef enum {
    UI_R_TEXT, UI_R_DIM, UI_R_LABEL, UI_R_VALUE, UI_R_TITLE, UI_R_TITLE_FOCUS, UI_R_BORDER,
    UI_R_BORDER_FOCUS, UI_R_SELECT, UI_R_EDIT, UI_R_OK, UI_R_WARN, UI_R_ERROR, UI_R_STATUS,
    UI_R_STATUS_KEY, UI_R_STATE, UI_R_TRAIN, UI_R_VAL, UI_R_TEST, UI_R_AXIS, UI_R_DIALOG,
    UI_R_COUNT
} ui_role;

#define UI_HEAT_MAX 12

typedef struct {
    ui_color_level level;
    bool utf8;                      /* braille, box drawing and blocks; else ASCII */
    ui_style role[UI_R_COUNT];
    int heat_n;                     /* colours in the heat ramp; 0 in monochrome */
    int16_t heat_bg[UI_HEAT_MAX];   /* low to high */
    int16_t heat_fg[UI_HEAT_MAX];   /* readable text on each */
    int16_t cls[8];                 /* class colours (series, points) */
} ui_theme;

/* no_color_env: getenv("NO_COLOR") (set and non-empty means no colour, as htop does).
 * colors: COLORS after start_color(). */
ui_color_level ui_color_level_pick(bool has_colors, int colors, const char *no_color_env,
                                   bool no_color_flag);
/* codeset: nl_langinfo(CODESET) after setlocale. */
bool ui_utf8_ok(const char *codeset, bool ascii_flag);
void ui_theme_init(ui_theme *t, ui_color_level level, bool utf8);
/* The heat style for a fraction 0..1 (clamped; NaN = 0): bg from the ramp, or attributes in mono. */
ui_style ui_theme_heat(const ui_theme *t, double frac);

static inline ui_style ui_st(const ui_theme *t, ui_role r) { return t->role[r]; }

#endif
