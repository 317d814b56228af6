/* cli_report.c — pictures and a handout of a run: `nnterm train PRESET --report DIR` (after the run),
 * `nnterm report MODEL.json --out DIR` (a saved model: everything but the curves) and `nnterm report
 * RECORD.json --out DIR` (a run record, run again from its preset and seed). */
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

/* The first bytes say "format": "nnterm-record" (our writer puts it first). */
static bool looks_like_record(const char *path)
{
    char head[512];
    size_t n;
    nn_error err;
    if (nn_file_read_head(path, head, sizeof head, &n, &err) != NN_OK)
        return false;
    head[n < sizeof head ? n : sizeof head - 1] = '\0';
    return strstr(head, "\"format\"") && strstr(head, "\"" NN_RECORD_FORMAT "\"");
}

/* `nnterm report RECORD.json --out DIR`: the record's preset and seed are run again, with its live
 * changes at their epochs (as verify does), to the record's last epoch; the report is that trainer's
 * (history, the live changes marked, the confusion matrix, boundary and network of the weights at the
 * end), the timing columns the record's. A re-run that does not give the record's figures still
 * writes the report, says where it differs and exits 1. */
static int report_record(const char *path, const char *out, int threads, const char *origin)
{
    nn_record *rec = malloc(sizeof *rec);
    nn_trainer *t = calloc(1, sizeof *t);
    nn_report *r = malloc(sizeof *r);
    int rc = EXIT_BAD_INPUT;
    nn_error err;
    if (!rec || !t || !r) {
        free(rec);
        free(t);
        free(r);
        fprintf(stderr, "nnterm: report: out of memory\n");
        return EXIT_RUN_FAILED;
    }
    nn_report_init(r);
    if (nn_record_load(rec, path, &err) != NN_OK) {
        fprintf(stderr, "nnterm: %s\n", err.msg);
        free(rec);
        free(t);
        free(r);
        return EXIT_BAD_INPUT;
    }
    if (rec->from_weights[0]) {
        fprintf(stderr, "nnterm: %s: the run began from the weights of %s, not from its seed: a report needs the "
                "run made again (nnterm report %s --out DIR reports that model)\n", path, rec->from_weights,
                rec->from_weights);
        goto out;
    }
    if (cli_record_init(rec, t, threads))
        goto out;
    cli_rerun res;
    cli_record_rerun(rec, t, CLI_VERIFY_TOLERANCE, &res);
    if (nn_report_from_trainer(r, t, -1, -1, origin, &err) != NN_OK) {
        fprintf(stderr, "nnterm: report: %s\n", err.msg);
        rc = EXIT_RUN_FAILED;
        goto out;
    }
    /* the record's own timing, and its live changes on the curves */
    for (int i = 0; i < rec->n_epochs; i++) {
        int e = nn_record_epoch(rec, i);
        if (e >= 1 && e <= r->n_hist) {
            r->hist[e - 1].seconds = nn_record_epoch_value(rec, i, "seconds");
            r->hist[e - 1].eval_seconds = nn_record_epoch_value(rec, i, "eval_seconds");
        }
    }
    nn_trainer_progress pr;
    nn_trainer_progress_get(t, &pr);
    int nb = pr.n_batches > 0 ? pr.n_batches : 1;
    for (int i = 0; i < rec->n_live; i++) {
        int e, b;
        const char *what;
        if (nn_record_live_at(rec, i, &e, &b, &what))
            nn_report_add_event(r, e + (double)b / nb, what);
    }
    char written[256];
    if (nn_report_write(r, out, written, sizeof written, &err) != NN_OK) {
        fprintf(stderr, "nnterm: report: %s\n", err.msg);
        rc = EXIT_RUN_FAILED;
        goto out;
    }
    printf("report of %s written to %s: %s\n", path, out, written);
    printf("(the record's preset and seed run again%s to epoch %d: %s)\n",
           rec->n_live ? ", with its live changes," : "", t->epoch,
           res.agree ? "the figures agree with the record" : "they DIFFER from the record");
    if (res.agree) {
        rc = 0;
    } else {
        fprintf(stderr, "nnterm: %s: the re-run differs from the record at %s: the report shows the re-run\n", path,
                res.what);
        rc = EXIT_RUN_FAILED;
    }
out:
    nn_report_free(r);
    free(r);
    nn_trainer_free(t);
    free(t);
    nn_record_free(rec);
    free(rec);
    return rc;
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
        fprintf(stderr, "nnterm: report: usage: nnterm report MODEL.json --out DIR, or nnterm report RECORD.json --out DIR\n");
        return EXIT_BAD_INPUT;
    }
    if (cli_report_check(out))
        return EXIT_RUN_FAILED;
    if (looks_like_record(model)) {
        char origin[NN_REPORT_LINE];
        command_line(origin, sizeof origin, "nnterm report", argc, argv);
        return report_record(model, out, (int)threads, origin);
    }
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
