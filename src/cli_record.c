/* cli_record.c — run records on the command line: `nnterm runs [DIR]` lists them, `nnterm verify
 * RECORD.json` re-runs one and checks its figures, `nnterm compare A.json B.json ...` puts their
 * final metrics and preset differences side by side (core/record.h). */
#include "cli.h"

#include "files.h"
#include "nn_config.h"
#include "preset_schema.h"
#include "record.h"
#include "strbuf.h"
#include "text.h"
#include "trainer.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* A name for a table cell: control characters escaped, cut to w characters (UTF-8 aware). */
static void cell(char *out, size_t cap, const char *s, int w)
{
    nn_strbuf b = {0};
    nn_text_escape(&b, s, strlen(s));
    const char *t = b.s && !b.oom ? b.s : "?";
    size_t o = 0;
    int chars = 0;
    for (const char *p = t; *p && o + 4 < cap; p++) {
        if (((unsigned char)*p & 0xC0) != 0x80 && ++chars > w) {
            if (o >= 1 && w > 1) {   /* the last character becomes an ellipsis mark */
                while (o > 0 && ((unsigned char)out[o - 1] & 0xC0) == 0x80)
                    o--;
                o--;
                out[o++] = '~';
            }
            break;
        }
        out[o++] = *p;
    }
    out[o] = '\0';
    free(b.s);
}

static int width(const char *s)
{
    int w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

static void padded(const char *s, int w)
{
    fputs(s, stdout);
    for (int i = width(s); i < w; i++)
        putchar(' ');
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

// --- nnterm runs [DIR] -------------------------------------------------------------------------------

int cli_runs(int argc, char **argv)
{
    char dir[NN_PATH_MAX];
    bool given = argc >= 2;
    if (argc > 2) {
        fprintf(stderr, "nnterm: runs: one folder at a time (nnterm runs [DIR])\n");
        return EXIT_BAD_INPUT;
    }
    if (given) {
        snprintf(dir, sizeof dir, "%s", argv[1]);
    } else if (!nn_record_default_dir(dir, sizeof dir)) {
        fprintf(stderr, "nnterm: runs: no runs folder (NNTERM_RUNS is off or HOME is unset); give one: nnterm runs DIR\n");
        return EXIT_BAD_INPUT;
    }
    DIR *d = opendir(dir);
    if (!d) {
        if (!given && errno == ENOENT) {
            printf("no runs recorded yet (%s)\n", dir);
            return 0;
        }
        fprintf(stderr, "nnterm: %s: %s\n", dir, strerror(errno));
        return EXIT_BAD_INPUT;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (e->d_name[0] == '.' || l < 6 || strcmp(e->d_name + l - 5, ".json") != 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            char **q = realloc(names, cap * sizeof *names);
            if (!q)
                break;
            names = q;
        }
        size_t pl = strlen(dir) + l + 2;
        if (!(names[n] = malloc(pl)))
            break;
        snprintf(names[n++], pl, "%s/%s", dir, e->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, by_name);
    int shown = 0;
    nn_record *r = malloc(sizeof *r);
    for (size_t i = 0; r && i < n; i++) {
        nn_error err;
        if (nn_record_load(r, names[i], &err) != NN_OK) {
            fprintf(stderr, "nnterm: skipped %s\n", err.msg);
            continue;
        }
        if (!shown++)
            printf("%-16s  %-28s  %-46s  %-12s  %6s\n", "date", "name", "config", "final", "epochs");
        char date[20], name[64], config[96], result[32];
        snprintf(date, sizeof date, "%.10s %.5s", r->date, strlen(r->date) > 11 ? r->date + 11 : "");
        cell(name, sizeof name, r->name, 28);
        cell(config, sizeof config, r->config, 46);
        if (isfinite(r->metric))
            snprintf(result, sizeof result, "%s %.4f", r->regression ? "R2" : "acc", r->metric);
        else
            snprintf(result, sizeof result, "-");
        padded(date, 16);
        fputs("  ", stdout);
        padded(name, 28);
        fputs("  ", stdout);
        padded(config, 46);
        fputs("  ", stdout);
        padded(result, 12);
        printf("  %6d%s\n", r->last_epoch, r->fingerprint_ok ? "" : "  EDITED (fingerprint does not match)");
        nn_record_free(r);
    }
    free(r);
    if (!shown)
        printf("no runs in %s\n", dir);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return 0;
}

// --- re-running a record (verify, report) ----------------------------------------------------------

int cli_record_init(nn_record *r, nn_trainer *t, int threads)
{
    nn_error err;
    if (nn_trainer_init(t, &r->preset, threads, &err) == NN_OK)
        return 0;
    /* the data where it was recorded is not here (another machine): try the record's folder */
    nn_error again;
    char dir[NN_PATH_MAX];
    nn_path_dir(dir, sizeof dir, r->path);
    snprintf(r->preset.base_dir, sizeof r->preset.base_dir, "%s", dir);
    if (nn_trainer_init(t, &r->preset, threads, &again) == NN_OK)
        return 0;
    fprintf(stderr, "nnterm: %s\n", err.msg);
    return -1;
}

void cli_record_rerun(const nn_record *r, nn_trainer *t, double tol, cli_rerun *res)
{
    nn_error err;
    double max_dev = 0;
    char *what = res->what;
    size_t what_cap = sizeof res->what;
    what[0] = '\0';
    int next = 0, checked = 0, live_next = 0;
    bool figures_ok = true;
    for (;;) {
        /* the live changes due at this position, before its batch (a "continue": once finished) */
        if (figures_ok && nn_record_live_apply(r, &live_next, t, &err) != NN_OK) {
            figures_ok = false;
            snprintf(what, what_cap, "%s", err.msg);
        }
        if (!figures_ok || next >= r->n_epochs || nn_trainer_finished(t))
            break;
        int before = t->history_len;
        if (nn_trainer_step(t, &err) != NN_OK && t->state == NN_TRAINER_DIVERGED)
            break;
        for (int h = before; h < t->history_len && next < r->n_epochs && figures_ok; h++) {
            if (t->history[h].epoch != nn_record_epoch(r, next))
                continue;   /* a resumed run's record starts later */
            char *line = nn_record_epoch_json(t, &t->history[h]);
            figures_ok = line && nn_record_compare_epoch(r, next, line, tol, &max_dev, what, what_cap);
            free(line);
            next++;
            checked++;
        }
    }
    if (figures_ok && next < r->n_epochs) {
        figures_ok = false;
        snprintf(what, what_cap, "the re-run %s after epoch %d; the record goes on to epoch %d",
                 t->state == NN_TRAINER_DIVERGED ? "diverged" : "stopped", t->epoch, r->last_epoch);
    }
    /* the final figures, when the recorded run ended where the re-run does (not interrupted) */
    double fin_epochs = nn_record_final(r, "epochs");
    if (figures_ok && r->n_epochs == 0 && fin_epochs == 0 && t->epoch == 0) {
        /* an untrained run (--epochs 0): its final object describes the initial weights */
        nn_epoch_stats f;
        nn_trainer_evaluate(t, &f, &err);
        char *line = nn_record_final_json(t, &f, NULL);
        figures_ok = line && nn_record_compare_final(r, line, tol, &max_dev, what, what_cap);
        free(line);
    } else if (figures_ok && nn_trainer_finished(t) && t->state == NN_TRAINER_DONE && fin_epochs == t->epoch) {
        /* as `train --json` reports it */
        char *line = nn_record_final_json(t, &t->final_stats, t->stopped_early ? "early" : NULL);
        figures_ok = line && nn_record_compare_final(r, line, tol, &max_dev, what, what_cap);
        free(line);
    }
    res->agree = figures_ok;
    res->max_dev = max_dev;
    res->checked = checked;
}

// --- nnterm verify RECORD.json -----------------------------------------------------------------------

int cli_verify(int argc, char **argv)
{
    const char *path = NULL;
    double tol = CLI_VERIFY_TOLERANCE;
    long threads = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--tolerance") == 0) {
            char *end = NULL;
            tol = i + 1 < argc ? strtod(argv[i + 1], &end) : (double)NAN;
            if (!end || *end || !(tol >= 0) || !isfinite(tol)) {
                fprintf(stderr, "nnterm: --tolerance: '%s' is not a number >= 0\n", i + 1 < argc ? argv[i + 1] : "");
                return EXIT_BAD_INPUT;
            }
            i++;
        } else if (strcmp(argv[i], "--threads") == 0) {
            if (cli_parse_int("--threads", i + 1 < argc ? argv[i + 1] : NULL, 0, 256, &threads))
                return EXIT_BAD_INPUT;
            i++;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "nnterm: verify: unknown option '%s' (see nnterm --help)\n", argv[i]);
            return EXIT_BAD_INPUT;
        } else if (path) {
            fprintf(stderr, "nnterm: verify: one record at a time ('%s' and '%s')\n", path, argv[i]);
            return EXIT_BAD_INPUT;
        } else {
            path = argv[i];
        }
    }
    if (!path) {
        fprintf(stderr, "nnterm: verify: which record? (nnterm verify RECORD.json)\n");
        return EXIT_BAD_INPUT;
    }
    nn_record *r = malloc(sizeof *r);
    nn_trainer *t = calloc(1, sizeof *t);
    int rc = EXIT_BAD_INPUT;
    nn_error err;
    if (!r || !t) {
        fprintf(stderr, "nnterm: out of memory\n");
        free(r);
        free(t);
        return EXIT_RUN_FAILED;
    }
    if (nn_record_load(r, path, &err) != NN_OK) {
        fprintf(stderr, "nnterm: %s\n", err.msg);
        free(r);
        free(t);
        return EXIT_BAD_INPUT;
    }
    bool ok = true;
    if (!r->fingerprint_ok) {
        printf("%s: EDITED: the fingerprint is %s, the content gives %s\n", path, r->fingerprint, r->computed);
        ok = false;
    }
    if (r->from_weights[0]) {
        printf("%s: the run began from the weights of %s, not from its seed: verify re-runs a preset and seed "
               "only\nNOT VERIFIED\n", path, r->from_weights);
        rc = EXIT_RUN_FAILED;
        goto out;
    }
    if (cli_record_init(r, t, (int)threads))
        goto out;
    printf("%s: %s, seed %llu, %d epochs recorded by nnterm %s; re-running with nnterm %s\n", path, r->name,
           (unsigned long long)r->seed, r->n_epochs, r->nnterm, NN_VERSION);
    if (r->n_live)
        printf("the run had %d live change%s: the re-run makes %s at the same epoch and batch\n", r->n_live,
               r->n_live == 1 ? "" : "s", r->n_live == 1 ? "it" : "them");
    cli_rerun res;
    cli_record_rerun(r, t, tol, &res);
    bool figures_ok = res.agree;
    double max_dev = res.max_dev;
    int checked = res.checked;
    const char *what = res.what;
    if (figures_ok)
        printf("figures: %d epochs agree %s (largest difference %.3g; tolerance %g)\n", checked,
               max_dev == 0 ? "exactly" : "within the tolerance", max_dev, tol);
    else
        printf("figures: DIFFER at %s (tolerance %g)\n", what, tol);
    ok = ok && figures_ok;
    printf("%s\n", ok ? "VERIFIED: this preset and seed produce this record" : "NOT VERIFIED");
    rc = ok ? 0 : EXIT_RUN_FAILED;
out:
    nn_trainer_free(t);
    free(t);
    nn_record_free(r);
    free(r);
    return rc;
}

// --- nnterm compare A.json B.json ... ----------------------------------------------------------------

int cli_compare(int argc, char **argv)
{
    int n = argc - 1;
    if (n < 1) {
        fprintf(stderr, "nnterm: compare: give two or more records (nnterm compare A.json B.json ...)\n");
        return EXIT_BAD_INPUT;
    }
    for (int i = 1; i < argc; i++)
        if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "nnterm: compare: unknown option '%s' (see nnterm --help)\n", argv[i]);
            return EXIT_BAD_INPUT;
        }
    nn_record *rs = calloc((size_t)n, sizeof *rs);
    const nn_preset **ps = calloc((size_t)n, sizeof *ps);
    char (*keys)[96] = calloc(64, sizeof *keys);
    char (*heads)[48] = calloc(64, sizeof *heads);
    int rc = EXIT_BAD_INPUT, loaded = 0;
    if (!rs || !ps || !keys || !heads) {
        fprintf(stderr, "nnterm: out of memory\n");
        rc = EXIT_RUN_FAILED;
        goto out;
    }
    for (int i = 0; i < n; i++, loaded++) {
        nn_error err;
        if (nn_record_load(&rs[i], argv[i + 1], &err) != NN_OK) {
            fprintf(stderr, "nnterm: %s\n", err.msg);
            goto out;
        }
        ps[i] = &rs[i].preset;
    }
    int nk = nn_preset_diff_keys(ps, n, keys, heads, 64);
    /* the differing keys' values, each column as wide as its widest entry */
    char(*vals)[40] = calloc((size_t)(n * (nk ? nk : 1)), sizeof *vals);
    int *w = calloc((size_t)(nk ? nk : 1), sizeof *w);
    if (!vals || !w) {
        free(vals);
        free(w);
        fprintf(stderr, "nnterm: out of memory\n");
        rc = EXIT_RUN_FAILED;
        goto out;
    }
    for (int k = 0; k < nk; k++) {
        w[k] = width(heads[k]);
        for (int i = 0; i < n; i++) {
            char v[256];
            nn_preset_diff_value(ps[i], keys[k], v, sizeof v);
            cell(vals[i * nk + k], sizeof vals[0], v, 24);
            if (width(vals[i * nk + k]) > w[k])
                w[k] = width(vals[i * nk + k]);
        }
    }
    printf("%-3s ", "#");
    padded("name", 24);
    for (int k = 0; k < nk; k++) {
        printf("  ");
        padded(heads[k], w[k]);
    }
    printf("  %-10s %10s %10s %10s %6s\n", "final", "train loss", "val loss", "test loss", "epochs");
    for (int i = 0; i < n; i++) {
        char name[64];
        cell(name, sizeof name, rs[i].name, 24);
        printf("%-3d ", i + 1);
        padded(name, 24);
        for (int k = 0; k < nk; k++) {
            printf("  ");
            padded(vals[i * nk + k], w[k]);
        }
        char m[32], l[3][16];
        if (isfinite(rs[i].metric))
            snprintf(m, sizeof m, "%s %.4f", rs[i].regression ? "R2" : "acc", rs[i].metric);
        else
            snprintf(m, sizeof m, "-");
        const char *lk[3] = {"train_loss", "val_loss", "test_loss"};
        for (int j = 0; j < 3; j++) {
            double v = nn_record_final(&rs[i], lk[j]);
            if (isfinite(v))
                snprintf(l[j], sizeof l[j], "%.4f", v);
            else
                snprintf(l[j], sizeof l[j], "-");
        }
        printf("  %-10s %10s %10s %10s %6d%s\n", m, l[0], l[1], l[2], rs[i].last_epoch,
               rs[i].fingerprint_ok ? "" : "  EDITED");
    }
    free(vals);
    free(w);
    if (nk == 0)
        printf("(the presets are the same)\n");
    for (int i = 0; i < n; i++)
        printf("%d: %s\n", i + 1, argv[i + 1]);
    for (int k = 0; k < nk; k++)
        if (strcmp(heads[k], keys[k]) != 0)
            printf("%s: %s\n", heads[k], keys[k]);
    rc = 0;
out:
    for (int i = 0; rs && i < loaded; i++)
        nn_record_free(&rs[i]);
    free(rs);
    free(ps);
    free(keys);
    free(heads);
    return rc;
}
