/* ui.h — the interactive trainer's entry point, called by src/main.c.
 * Only the calling (main) thread touches curses. */
#ifndef UI_UI_H
#define UI_UI_H

#include <stdbool.h>

typedef struct {
    bool no_mouse;     /* --no-mouse */
    bool no_color;     /* --no-color (NO_COLOR in the environment has the same effect) */
    bool ascii;        /* --ascii: no UTF-8 glyphs even in a UTF-8 locale */
    bool big;          /* --big: projector mode, the focused view takes the whole screen */
    int threads;       /* --threads N for training; 0 = one per core */
    bool pace_set;     /* --pace given: every preset opens at pace (else at its own, core/pace.h) */
    int pace;          /* --pace N: epochs per second 1..200, 0 = max */
    bool no_record;    /* --no-record: no run records (else into nn_record_default_dir, if any) */
} ui_options;

/* Opens the trainer on preset (a built-in name or a path; NULL = "iris") and runs until the user
 * quits. Returns the process exit status (0, or 1/2 with one line already printed to stderr after
 * the terminal was restored). */
int ui_run(const char *preset, const ui_options *opt);

#endif
