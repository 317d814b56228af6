/* cli.h — the headless command line: each subcommand returns the process exit status
 * (0 success, 1 the run failed, 2 bad usage or bad input) and prints errors as one line on stderr. */
#ifndef NN_CLI_H
#define NN_CLI_H

#include "preset.h"
#include "record.h"
#include "trainer.h"

#include <stdbool.h>

#define EXIT_RUN_FAILED 1
#define EXIT_BAD_INPUT 2

int cli_train(int argc, char **argv);
int cli_check(int argc, char **argv);
int cli_presets(int argc, char **argv);
/* `nnterm keys [--markdown]`: every preset key and choice, from the tables (docs/preset-keys.md). */
int cli_keys(int argc, char **argv);
int cli_predict(int argc, char **argv);
int cli_race(int argc, char **argv);
/* `nnterm report MODEL.json --out DIR` (cli_report.c). */
int cli_report(int argc, char **argv);
/* --report DIR of train: 0 if DIR is a folder or can be made in an existing one, else -1 with a
 * message; and, after the run, the report of t written into DIR (say: print where; argv: the
 * command, for the page's footer). Returns the exit status. */
int cli_report_check(const char *dir);
int cli_train_report(nn_trainer *t, const char *dir, bool say, int argc, char **argv);
int cli_runs(int argc, char **argv);
int cli_verify(int argc, char **argv);
int cli_compare(int argc, char **argv);

/* Re-running a run record (cli_record.c; verify and report): cli_record_init builds t from r's
 * preset (the record's own folder for the data when its data_dir is not here): 0, or -1 after
 * printing why not. cli_record_rerun trains t as the record's run went, making its live changes at
 * their epoch and batch, and compares every recorded epoch and the final object: a figure agrees
 * when |recorded - now| <= tol * max(1, |recorded|). t stops at the record's last epoch. */
#define CLI_VERIFY_TOLERANCE 1e-4
typedef struct {
    bool agree;
    double max_dev;     /* the largest relative difference seen */
    int checked;        /* epochs compared */
    char what[NN_ERRMSG];   /* the first that differs, or why the re-run stopped */
} cli_rerun;
int cli_record_init(nn_record *r, nn_trainer *t, int threads);
void cli_record_rerun(const nn_record *r, nn_trainer *t, double tol, cli_rerun *res);

/* Opens a preset by name or path, a CSV file or a model file (nn_preset_open); prints every problem (up
 * to a few) and returns non-zero on error. origin (may be NULL) receives what the name held. */
int cli_load_preset(nn_preset *p, const char *name, nn_preset_origin *origin);
/* Standard output (main.c). A failed write or close of stdout (a full disk, a closed pipe; SIGPIPE
 * is ignored in the headless commands) makes the command exit 1 with one line on stderr, which main
 * prints after the command returns unless the command said it already (cli_stdout_reported). */
/* Flushes stdout; false when this or an earlier write to it failed (the first errno is kept). */
bool cli_flush_stdout(void);
/* The same without flushing: a write to stdout has failed (ferror). Cheap, for loops. */
bool cli_stdout_failed(void);
/* Why stdout failed ("Broken pipe"), for a message. */
const char *cli_stdout_reason(void);
/* The command printed its own message about the failure: main does not add one. */
void cli_stdout_reported(void);
/* Parses a positive int option value; prints "nnterm: --NAME: ..." and returns -1 when bad. */
int cli_parse_int(const char *opt, const char *s, long lo, long hi, long *out);

#endif
