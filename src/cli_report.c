/* cli_report.c — pictures and a handout of a run: `nnterm train PRESET --report DIR` (after the run)
 * and `nnterm report MODEL.json --out DIR` (a saved model: everything but the curves). */
#include "cli.h"

#include "files.h"
#include "model_io.h"
#include "report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int cli_report_check(const char *dir)
{
    struct stat sb;
    if (stat(dir, &sb) == 0) {
        if (S_ISDIR(sb.st_mode))
            return 0;
        fprintf(stderr, "nnterm: --report %s: not a folder (the report is a folder of files)\n", dir);
        return -1;
    }
    char parent[NN_PATH_MAX];
    nn_path_dir(parent, sizeof parent, dir);
    if (stat(parent, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        fprintf(stderr, "nnterm: --report %s: its folder %s does not exist\n", dir, parent);
        return -1;
    }
    return 0;
}

/* "nnterm train spiral --epochs 5 --report out": the command, for the page's footer. */
static void command_line(char *out, size_t cap, const char *first, int argc, char **argv)
{
    size_t off = (size_t)snprintf(out, cap, "%s", first);
    for (int i = 1; i < argc && off < cap; i++)
        off += (size_t)snprintf(out + off, cap - off, " %s", argv[i]);
}

int cli_train_report(nn_trainer *t, const char *dir, bool say, int argc, char **argv)
{
    char origin[NN_REPORT_LINE];
    command_line(origin, sizeof origin, "nnterm train", argc, argv);
    nn_report *r = malloc(sizeof *r);
    if (!r) {
        fprintf(stderr, "nnterm: --report: out of memory\n");
        return EXIT_RUN_FAILED;
    }
    nn_report_init(r);
    nn_error err;
    char written[256];
    nn_status st = nn_report_from_trainer(r, t, -1, -1, origin, &err);
    if (st == NN_OK)
        st = nn_report_write(r, dir, written, sizeof written, &err);
    nn_report_free(r);
    free(r);
    if (st != NN_OK) {
        fprintf(stderr, "nnterm: --report: %s\n", err.msg);
        return EXIT_RUN_FAILED;
    }
    if (say)
        printf("report written to %s: %s\n", dir, written);
    return 0;
}

int cli_report(int argc, char **argv)
{
    const char *model = NULL, *out = NULL;
    long threads = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--out") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "nnterm: report: --out needs a folder\n");
                return EXIT_BAD_INPUT;
            }
            out = argv[++i];
        } else if (strcmp(a, "--threads") == 0) {
            if (cli_parse_int("--threads", i + 1 < argc ? argv[++i] : NULL, 0, 256, &threads))
                return EXIT_BAD_INPUT;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "nnterm: report: unknown option '%s' (see nnterm --help)\n", a);
            return EXIT_BAD_INPUT;
        } else if (model) {
            fprintf(stderr, "nnterm: report: one model at a time ('%s' and '%s')\n", model, a);
            return EXIT_BAD_INPUT;
        } else {
            model = a;
        }
    }
    if (!model || !out) {
        fprintf(stderr, "nnterm: report: usage: nnterm report MODEL.json --out DIR\n");
        return EXIT_BAD_INPUT;
    }
    if (cli_report_check(out))
        return EXIT_RUN_FAILED;
    nn_model *m = calloc(1, sizeof *m);
    nn_report *r = malloc(sizeof *r);
    if (!m || !r) {
        free(m);
        free(r);
        fprintf(stderr, "nnterm: report: out of memory\n");
        return EXIT_RUN_FAILED;
    }
    nn_report_init(r);
    nn_error err;
    int rc = 0;
    char origin[NN_REPORT_LINE], written[256];
    command_line(origin, sizeof origin, "nnterm report", argc, argv);
    if (nn_model_load(m, model, &err) != NN_OK || nn_report_from_model(r, m, model, (int)threads, origin, &err) != NN_OK) {
        fprintf(stderr, "nnterm: %s\n", err.msg);
        rc = EXIT_BAD_INPUT;
    } else if (nn_report_write(r, out, written, sizeof written, &err) != NN_OK) {
        fprintf(stderr, "nnterm: report: %s\n", err.msg);
        rc = EXIT_RUN_FAILED;
    } else {
        printf("report of %s written to %s: %s\n", model, out, written);
        printf("(a model file keeps no history: no history.csv and no loss curves; "
               "`nnterm train PRESET --report DIR` writes them)\n");
    }
    nn_report_free(r);
    free(r);
    nn_model_free(m);
    free(m);
    return rc;
}
