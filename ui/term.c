/* term.c — curses set-up and tear-down in one place (htop's CRT.c): flag-setting SIGINT, SIGTERM
 * and SIGHUP handlers installed before curses (so ncurses does not install its own exiting ones),
 * a crash handler for SEGV, ABRT, BUS and FPE that restores the terminal and re-raises, atexit,
 * and the terminal modes, colours and mouse. Main thread only. */
#include "term.h"
#include "files.h"

#include <curses.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static volatile sig_atomic_t got_signal;
static volatile sig_atomic_t curses_on;

// --- terminal safety ----------------------------------------------------------------------------

static void on_signal(int sig) { got_signal = sig; }

static void on_crash(int sig)
{
    nn_file_remove_temporaries();   /* a save the worker is writing leaves nothing behind */
    if (curses_on) {
        endwin();
        curses_on = 0;
    }
    static const char msg[] = "nnterm: crashed; the terminal was restored\n";
    ssize_t n = write(2, msg, sizeof msg - 1);
    (void)n;
    signal(sig, SIG_DFL);
    raise(sig);
}

static void restore_terminal(void)
{
    if (curses_on) {
        endwin();
        curses_on = 0;
    }
}

void ui_term_install_handlers(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_signal;     /* no SA_RESTART: poll wakes up */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sa.sa_handler = on_crash;
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGABRT, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGFPE, &sa, NULL);
    atexit(restore_terminal);
}

int ui_term_signal(void)
{
    return got_signal;
}

SCREEN *ui_term_start(ui_theme *th, const ui_options *opt)
{
    SCREEN *scr = newterm(NULL, stdout, stdin);
    if (!scr)
        return NULL;
    curses_on = 1;
    set_escdelay(25);
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    curs_set(0);
    /* Ctrl-C is a key (quit, asking first while training: keys.c), not SIGINT: the interrupt
     * character is turned off in the program's terminal mode (def_prog_mode keeps it there; endwin
     * restores the shell's). SIGINT from kill still ends the trainer cleanly (on_signal). */
    struct termios tio;
    if (tcgetattr(STDIN_FILENO, &tio) == 0) {
        tio.c_cc[VINTR] = _POSIX_VDISABLE;
        if (tcsetattr(STDIN_FILENO, TCSANOW, &tio) == 0)
            def_prog_mode();
    }
    bool colors = has_colors();
    if (colors) {
        start_color();
        use_default_colors();
    }
    ui_color_level level = ui_color_level_pick(colors, colors ? COLORS : 0, getenv("NO_COLOR"), opt->no_color);
    ui_theme_init(th, level, th->utf8);
    if (!opt->no_mouse) {
        /* Every button event, although the app uses only button 1 presses and the wheel: ncurses
         * discards an event outside the mask (a release, a right click) and then reads on for the
         * next key with a blocking read, whatever nodelay says, so the screen would freeze until
         * the next key. on_mouse ignores what it does not use. No motion reports. */
        mousemask(ALL_MOUSE_EVENTS, NULL);
        mouseinterval(0);
    }
    return scr;
}

void ui_term_stop(SCREEN *scr)
{
    restore_terminal();
    if (scr)
        delscreen(scr);
}
