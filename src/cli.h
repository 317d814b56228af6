/* cli.h — the headless command line: each subcommand returns the process exit status
 * (0 success, 1 the run failed, 2 bad usage or bad input) and prints errors as one line on stderr. */
#ifndef NN_CLI_H
#define NN_CLI_H

#include "preset.h"

#define EXIT_RUN_FAILED 1
#define EXIT_BAD_INPUT 2

int cli_train(int argc, char **argv);
int cli_check(int argc, char **argv);
int cli_presets(int argc, char **argv);
int cli_predict(int argc, char **argv);
int cli_race(int argc, char **argv);

/* Loads a preset by name or path; prints every problem (up to a few) and returns non-zero on error. */
int cli_load_preset(nn_preset *p, const char *name);
/* Parses a positive int option value; prints "nnterm: --NAME: ..." and returns -1 when bad. */
int cli_parse_int(const char *opt, const char *s, long lo, long hi, long *out);

#endif
