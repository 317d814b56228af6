/* term.h — the only files that talk to curses besides the loop: term.c sets the terminal up and
 * restores it (signals, crash handler, atexit), blit.c copies a frame grid to the screen.
 * Main thread only. */
#ifndef UI_TERM_H
#define UI_TERM_H

#include "grid.h"
#include "theme.h"
#include "ui.h"

#include <stdbool.h>

/* term.c (the SCREEN type comes from curses.h) */
void ui_term_install_handlers(void);
int ui_term_signal(void);             /* the last SIGINT/SIGTERM/SIGHUP received, or 0 */
struct screen;
struct screen *ui_term_start(ui_theme *th, const ui_options *opt);   /* NULL: no terminal */
void ui_term_stop(struct screen *scr);

/* blit.c: the only curses drawing */
void ui_blit(const ui_grid *g, bool utf8);
void ui_blit_reset(void);

#endif
