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
    "       nnterm train --resume MODEL.json [--epochs N] [options]\n"
    "                                          continue a saved run exactly (N more epochs)\n"
    "       nnterm race PRESET [--optimizers a,b:LR,...] [--epochs N] [--seed S] [--json]\n"
    "                                          the same network and initial weights, once per optimizer\n"
    "       nnterm check PRESET...             validate presets, print every problem\n"
    "       nnterm predict MODEL.json DATA.csv predictions as CSV on stdout\n"
    "       nnterm report MODEL.json --out DIR pictures and a one-page PDF of a saved model\n"
    "       nnterm report RECORD.json --out DIR\n"
    "                                          the same for a run record, run again from its\n"
    "                                          preset and seed (with its live changes)\n"
    "       nnterm runs [DIR]                  list the run records in DIR (default: the runs folder)\n"
    "       nnterm verify RECORD.json [--tolerance T] [--threads N]\n"
    "                                          re-run a record's preset and seed, check every epoch\n"
    "       nnterm compare A.json B.json ...   final metrics and preset differences of run records\n"
    "       nnterm presets                     list the built-in presets\n"
    "       nnterm keys [--markdown|--names] every preset key: type, default, allowed values,\n"
    "                                          meaning (--names: the names only, for completion)\n"
    "       nnterm --help | --version\n"
    "\n"
    "PRESET is a built-in name (see `nnterm presets`) or a path: a JSON preset, a CSV file (*.csv:\n"
    "the defaults on it, label = last column) or a saved model (its preset and trained weights).\n"
    "\n"
    "train options:\n"
    "  --epochs N          override training.epochs; 0: no training, report (and --save) the\n"
    "                      initial weights\n"
    "  --seed S            override the seed\n"
    "  --threads N         worker threads for the matrix products (default: one per core)\n"
    "  --set KEY=VALUE     set a dotted preset key, e.g. --set model.layers.0.activation=tanh\n"
    "                      (VALUE is read as JSON where it parses, else as a string; repeatable)\n"
    "  --json              one JSON object per epoch, then a final one\n"
    "  --save MODEL.json   write the trained model and the run's state (atomically)\n"
    "  --resume MODEL.json continue the run saved in MODEL.json: same optimizer state, epoch,\n"
    "                      schedule and shuffles; --epochs N trains N more (no PRESET, --set, --seed)\n"
    "  --record DIR        write a run record (preset, seed, every epoch, final metrics,\n"
    "                      fingerprint) into DIR\n"
    "  --quiet             only the final report\n"
    "  --report DIR        after the run, write its pictures and a one-page PDF into DIR\n"
    "\n"
    "trainer options:\n"
    "  --no-mouse          do not capture the mouse (keeps the terminal's text selection)\n"
    "  --no-color          no colours (also when NO_COLOR is set)\n"
    "  --ascii             no Unicode glyphs\n"
    "  --big               projector mode: the focused view fills the screen\n"
    "  --pace N|max        epochs per second to show (1, 2, 5, 10, 20, 50, 100, 200) or max, for\n"
    "                      every preset (default: the preset's ui.pace; < and > change it)\n"
    "  --no-record         keep no run records (default: each run is recorded in $NNTERM_RUNS,\n"
    "                      else $XDG_DATA_HOME/nnterm/runs or ~/.local/share/nnterm/runs;\n"
    "                      NNTERM_RUNS=off turns them off too)\n"
    "  --threads N         as above\n"
    "\n"
    "Exit status: 0 success, 1 the run failed (diverged, i/o error, a failed write to standard output),\n"
    "2 bad usage or bad input, 128+N after signal N: 130 SIGINT, 143 SIGTERM, 129 SIGHUP (train: the\n"
    "first stops after the current batch and still reports and saves; a second one exits at once).\n";

static void usage(FILE *f) { fputs(usage_text, f); }

// --- standard output ----------------------------------------------------------------------------

static int stdout_errno;     /* the first error of a write to stdout, 0 while all is well */
static bool stdout_said;     /* the command printed its own message about it */

bool cli_stdout_failed(void)
{
    if (!stdout_errno && ferror(stdout))
        stdout_errno = errno ? errno : EIO;
    return stdout_errno != 0;
}

bool cli_flush_stdout(void)
{
    if (!stdout_errno && fflush(stdout) != 0)
        stdout_errno = errno ? errno : EIO;
    return !cli_stdout_failed();
}

const char *cli_stdout_reason(void) { return strerror(stdout_errno ? stdout_errno : EIO); }

void cli_stdout_reported(void) { stdout_said = true; }

/* After a headless command: flush and close stdout. A failure now or before turns status 0 into 1,
 * with one line on stderr (gnulib's close_stdout: closing an already closed stdout that was never
 * written to is not an error). */
static int finish_stdout(int rc)
{
    cli_flush_stdout();
    int pending = stdout_errno;
    if (fclose(stdout) != 0 && !pending && errno != EBADF)
        stdout_errno = errno;
    if (!stdout_errno)
        return rc;
    if (!stdout_said)
        fprintf(stderr, "nnterm: standard output: %s\n", strerror(stdout_errno));
    return rc == 0 ? EXIT_RUN_FAILED : rc;
}

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

static int headless(int (*cmd)(int, char **), int argc, char **argv)
{
    /* A closed pipe is a write error like any other (EPIPE), reported and turned into exit 1, and
     * it cannot kill a run between its training and its --save. */
    signal(SIGPIPE, SIG_IGN);
    return finish_stdout(cmd(argc, argv));
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
        } else if (strcmp(a, "--no-record") == 0) {
            opt.no_record = true;
        } else if (strcmp(a, "--threads") == 0) {
            long v;
            if (cli_parse_int("--threads", i + 1 < argc ? argv[++i] : NULL, 0, 256, &v))
                return EXIT_BAD_INPUT;
            opt.threads = (int)v;
        } else if (strcmp(a, "--pace") == 0) {
            const char *s = i + 1 < argc ? argv[++i] : "";
            char *end;
            errno = 0;
            long v = strcmp(s, "max") == 0 ? 0 : strtol(s, &end, 10);
            if (strcmp(s, "max") != 0 && (!*s || *end || errno || v < 1 || v > 200)) {
                fprintf(stderr, "nnterm: --pace: '%s' is not max or a whole number of epochs per second in "
                        "1..200\n", s);
                return EXIT_BAD_INPUT;
            }
            opt.pace_set = true;
            opt.pace = (int)v;
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

static int cmd_help(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    usage(stdout);
    return 0;
}

static int cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("nnterm %s\n", NN_VERSION);
    return 0;
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int, char **);
    } cmds[] = {
        {"--help", cmd_help}, {"-h", cmd_help}, {"help", cmd_help}, {"--version", cmd_version},
        {"train", cli_train}, {"check", cli_check}, {"presets", cli_presets}, {"race", cli_race},
        {"keys", cli_keys},
        {"predict", cli_predict}, {"report", cli_report},
        {"runs", cli_runs}, {"verify", cli_verify}, {"compare", cli_compare},
    };
    install_fatal_handlers();
    if (argc >= 2)
        for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
            if (strcmp(argv[1], cmds[i].name) == 0)
                return headless(cmds[i].run, argc - 1, argv + 1);
    return run_ui(argc, argv);
}
