/* main.c — nnterm's command line: dispatches to the trainer UI or to a headless subcommand. */
#include "cli.h"
#include "files.h"
#include "nn_config.h"
#include "ui.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: nnterm [options] [PRESET]          open the trainer (default preset: iris)\n"
    "       nnterm train PRESET [options]      train without the UI\n"
    "       nnterm race PRESET [--optimizers a,b:LR,...] [--epochs N] [--seed S] [--json]\n"
    "                                          the same network and initial weights, once per optimizer\n"
    "       nnterm check PRESET...             validate presets, print every problem\n"
    "       nnterm predict MODEL.json DATA.csv predictions as CSV on stdout\n"
    "       nnterm presets                     list the built-in presets\n"
    "       nnterm --help | --version\n"
    "\n"
    "PRESET is a built-in name (see `nnterm presets`) or a path to a JSON preset.\n"
    "\n"
    "train options:\n"
    "  --epochs N          override training.epochs; 0: no training, report (and --save) the\n"
    "                      initial weights\n"
    "  --seed S            override the seed\n"
    "  --threads N         worker threads for the matrix products (default: one per core)\n"
    "  --set KEY=VALUE     set a dotted preset key, e.g. --set model.layers.0.activation=tanh\n"
    "                      (VALUE is read as JSON where it parses, else as a string; repeatable)\n"
    "  --json              one JSON object per epoch, then a final one\n"
    "  --save MODEL.json   write the trained model (atomically)\n"
    "  --quiet             only the final report\n"
    "\n"
    "trainer options:\n"
    "  --no-mouse          do not capture the mouse (keeps the terminal's text selection)\n"
    "  --no-color          no colours (also when NO_COLOR is set)\n"
    "  --ascii             no Unicode glyphs\n"
    "  --big               projector mode: the focused view fills the screen\n"
    "  --threads N         as above\n"
    "\n"
    "Exit status: 0 success, 1 the run failed (diverged, i/o error), 2 bad usage or bad input,\n"
    "128+N after signal N: 130 SIGINT, 143 SIGTERM, 129 SIGHUP (train: the first stops after the\n"
    "current batch and still reports and saves; a second one exits at once).\n";

static void usage(FILE *f) { fputs(usage_text, f); }

// --- signals ------------------------------------------------------------------------------------

/* A signal that ends the process by default and that no one else handles: remove the temporary of
 * a save in progress (core/files.c), then die of the signal as before. */
static void on_fatal(int sig)
{
    nn_file_remove_temporaries();
    signal(sig, SIG_DFL);
    raise(sig);
}

/* SIGINT, SIGTERM and SIGHUP have their own handlers (train, the trainer), SIGKILL and SIGSTOP none.
 * A signal ignored when nnterm started (nohup, `trap '' XFSZ`) stays ignored. */
static void install_fatal_handlers(void)
{
    static const int sigs[] = {SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ,
                               SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP, SIGSYS};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old;
        if (sigaction(sigs[i], NULL, &old) != 0 || old.sa_handler != SIG_DFL)
            continue;
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_fatal;
        sa.sa_flags = SA_RESETHAND;
        sigemptyset(&sa.sa_mask);
        sigaction(sigs[i], &sa, NULL);
    }
}

int cli_parse_int(const char *opt, const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = s ? strtol(s, &end, 10) : 0;
    if (!s || !*s || *end || errno || v < lo || v > hi) {
        fprintf(stderr, "nnterm: %s: '%s' is not a whole number in %ld..%ld\n", opt, s ? s : "", lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

static int run_ui(int argc, char **argv)
{
    ui_options opt = {0};
    const char *preset = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--no-mouse") == 0) {
            opt.no_mouse = true;
        } else if (strcmp(a, "--no-color") == 0) {
            opt.no_color = true;
        } else if (strcmp(a, "--ascii") == 0) {
            opt.ascii = true;
        } else if (strcmp(a, "--big") == 0) {
            opt.big = true;
        } else if (strcmp(a, "--threads") == 0) {
            long v;
            if (cli_parse_int("--threads", i + 1 < argc ? argv[++i] : NULL, 0, 256, &v))
                return EXIT_BAD_INPUT;
            opt.threads = (int)v;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "nnterm: unknown option '%s' (see nnterm --help)\n", a);
            return EXIT_BAD_INPUT;
        } else if (preset) {
            fprintf(stderr, "nnterm: one preset at a time ('%s' and '%s')\n", preset, a);
            return EXIT_BAD_INPUT;
        } else {
            preset = a;
        }
    }
#ifdef NN_HAVE_UI
    return ui_run(preset ? preset : "iris", &opt);
#else
    (void)opt;
    fprintf(stderr, "nnterm: this build has no trainer UI; use `nnterm train %s`\n", preset ? preset : "iris");
    usage(stderr);
    return EXIT_BAD_INPUT;
#endif
}

int main(int argc, char **argv)
{
    install_fatal_handlers();
    if (argc >= 2) {
        const char *cmd = argv[1];
        if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
            usage(stdout);
            return 0;
        }
        if (strcmp(cmd, "--version") == 0) {
            printf("nnterm %s\n", NN_VERSION);
            return 0;
        }
        if (strcmp(cmd, "train") == 0)
            return cli_train(argc - 1, argv + 1);
        if (strcmp(cmd, "check") == 0)
            return cli_check(argc - 1, argv + 1);
        if (strcmp(cmd, "presets") == 0)
            return cli_presets(argc - 1, argv + 1);
        if (strcmp(cmd, "race") == 0)
            return cli_race(argc - 1, argv + 1);
        if (strcmp(cmd, "predict") == 0)
            return cli_predict(argc - 1, argv + 1);
    }
    return run_ui(argc, argv);
}
