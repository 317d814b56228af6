/* cli_race.c — `nnterm race PRESET [--optimizers a,b,...] [--epochs N] [--seed S] [--json]`:
 * the same network from the same initial weights, trained once per optimizer. Each run is an
 * ordinary trainer with only the optimizer changed, so it equals `nnterm train` with that
 * optimizer, number for number. */
#include "cli.h"

#include "race.h"
#include "trainer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *name;
    double lr;
    int epochs;
    double train_loss, val_loss, test_loss, test_acc, macro_f1, seconds;
    bool diverged;
} race_row;

static void jnum(const char *key, double v)
{
    if (isfinite(v))
        printf(",\"%s\":%.6g", key, v);
    else
        printf(",\"%s\":null", key);
}

int cli_race(int argc, char **argv)
{
    const char *preset = NULL, *list = NULL;
    bool json = false;
    long threads = 0, epochs = 0, seed = -1;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(s, "--json") == 0) {
            json = true;
        } else if (strcmp(s, "--optimizers") == 0) {
            if (!v) {
                fprintf(stderr, "nnterm: race: --optimizers needs a list, e.g. sgd,adam:0.01\n");
                return EXIT_BAD_INPUT;
            }
            list = v;
            i++;
        } else if (strcmp(s, "--epochs") == 0) {
            if (cli_parse_int(s, v, 1, 1000000, &epochs))
                return EXIT_BAD_INPUT;
            i++;
        } else if (strcmp(s, "--seed") == 0) {
            if (cli_parse_int(s, v, 0, 2147483647L, &seed))
                return EXIT_BAD_INPUT;
            i++;
        } else if (strcmp(s, "--threads") == 0) {
            if (cli_parse_int(s, v, 0, 256, &threads))
                return EXIT_BAD_INPUT;
            i++;
        } else if (s[0] == '-' && s[1]) {
            fprintf(stderr, "nnterm: race: unknown option '%s' (see nnterm --help)\n", s);
            return EXIT_BAD_INPUT;
        } else if (preset) {
            fprintf(stderr, "nnterm: race: one preset at a time ('%s' and '%s')\n", preset, s);
            return EXIT_BAD_INPUT;
        } else {
            preset = s;
        }
    }
    if (!preset) {
        fprintf(stderr, "nnterm: race: which preset? (e.g. nnterm race iris)\n");
        return EXIT_BAD_INPUT;
    }
    int rc = EXIT_BAD_INPUT;
    nn_preset *base = malloc(sizeof *base), *p = malloc(sizeof *p);
    /* tr[0]: the first optimizer's trainer, kept to the end: the others borrow its data (one load,
     * one copy of the dataset); tr[1]: each later optimizer's, freed after its row */
    nn_trainer *tr = calloc(2, sizeof *tr), *t = tr;
    char *buf = NULL;
    const char *names[NN_RACE_MAX];
    race_row rows[NN_RACE_MAX];
    nn_error err;
    if (!base || !p || !tr) {
        fprintf(stderr, "nnterm: out of memory\n");
        rc = EXIT_RUN_FAILED;
        goto out;
    }
    if (cli_load_preset(base, preset))
        goto out;
    char num[32];
    if (epochs > 0) {
        snprintf(num, sizeof num, "%ld", epochs);
        if (nn_preset_set(base, "training.epochs", num, &err) != NN_OK)
            goto bad;
    }
    if (seed >= 0) {
        snprintf(num, sizeof num, "%ld", seed);
        if (nn_preset_set(base, "seed", num, &err) != NN_OK)
            goto bad;
    }
    int n;
    if (list) {
        buf = strdup(list);
        if (!buf)
            goto out;
        n = nn_race_parse_list(buf, names, base, &err);
        if (n < 0)
            goto bad;
    } else {
        n = nn_race_default_count() < NN_RACE_MAX ? nn_race_default_count() : NN_RACE_MAX;
        for (int i = 0; i < n; i++)
            names[i] = nn_race_default_name(i);
    }
    if (!json)
        printf("race on %s: %d optimizers, %d epochs, seed %llu, the same initial weights\n", base->name, n,
               base->training.epochs, (unsigned long long)base->seed);
    rc = 0;
    for (int r = 0; r < n; r++) {
        *p = *base;
        if (nn_race_apply(p, names[r], &err) != NN_OK)
            goto bad;
        t = r == 0 ? &tr[0] : &tr[1];
        if (nn_trainer_init_shared(t, p, r == 0 ? NULL : &tr[0], (int)threads, &err) != NN_OK) {
            fprintf(stderr, "nnterm: %s\n", err.msg);
            rc = EXIT_BAD_INPUT; /* the preset or its data cannot be used */
            goto out;
        }
        int printed = 0;
        double secs = 0;
        while (!nn_trainer_finished(t)) {
            nn_status st = nn_trainer_step(t, &err);
            for (; printed < t->history_len; printed++) {
                const nn_epoch_stats *s = &t->history[printed];
                secs += s->seconds;
                if (json) {
                    printf("{\"optimizer\":\"%s\",\"epoch\":%d", names[r], s->epoch);
                    jnum("train_loss", s->train_loss);
                    jnum("val_loss", s->val_loss);
                    jnum("test_loss", s->test_loss);
                    bool cls = t->data.task == NN_TASK_CLASSIFICATION;
                    jnum(cls ? "train_accuracy" : "train_r2", s->train_acc);
                    jnum(cls ? "val_accuracy" : "val_r2", s->val_acc);
                    jnum(cls ? "test_accuracy" : "test_r2", s->test_acc);
                    printf(",\"seconds\":%.6f,\"eval_seconds\":%.6f}\n", s->seconds, s->eval_seconds);
                }
            }
            if (st != NN_OK)
                break;
        }
        race_row *row = &rows[r];
        const nn_epoch_stats *f = t->state == NN_TRAINER_DONE ? &t->final_stats : nn_trainer_last(t);
        row->name = names[r];
        row->lr = p->training.optimizer.lr;
        row->epochs = t->epoch;
        row->diverged = t->state == NN_TRAINER_DIVERGED;
        row->train_loss = f ? f->train_loss : (double)NAN;
        row->val_loss = f ? f->val_loss : (double)NAN;
        row->test_loss = f ? f->test_loss : (double)NAN;
        row->test_acc = f ? f->test_acc : (double)NAN;
        row->macro_f1 = t->data.task == NN_TASK_CLASSIFICATION && f ? t->metrics.macro_f1 : (double)NAN;
        row->seconds = secs;
        if (json) {
            printf("{\"optimizer\":\"%s\",\"final\":true,\"epochs\":%d,\"lr\":%.6g", names[r], t->epoch, row->lr);
            if (row->diverged)
                printf(",\"diverged\":true");
            jnum("train_loss", row->train_loss);
            jnum("test_loss", row->test_loss);
            bool cls = t->data.task == NN_TASK_CLASSIFICATION;
            jnum(cls ? "accuracy" : "r2", row->test_acc);
            if (cls)
                jnum("macro_f1", row->macro_f1);
            printf("}\n");
        }
        bool cls = t->data.task == NN_TASK_CLASSIFICATION;
        if (r > 0)
            nn_trainer_free(t);
        if (!json && r == n - 1) {
            printf("\n%-12s %9s %6s %10s %10s %10s %9s %8s\n", "optimizer", "lr", "epochs", "train loss", "val loss",
                   "test loss", cls ? "test acc" : "test R2", "seconds");
            for (int i = 0; i < n; i++)
                printf("%-12s %9.3g %6d %10.4f %10.4f %10.4f %9.4f %8.3f%s\n", rows[i].name, rows[i].lr,
                       rows[i].epochs, rows[i].train_loss, rows[i].val_loss, rows[i].test_loss, rows[i].test_acc,
                       rows[i].seconds, rows[i].diverged ? "  DIVERGED" : "");
        }
    }
    goto out;
bad:
    fprintf(stderr, "nnterm: %s\n", err.msg);
    rc = EXIT_BAD_INPUT;
out:
    free(buf);
    free(base);
    free(p);
    if (tr) {
        nn_trainer_free(&tr[1]);   /* the borrower first, then the owner of the data */
        nn_trainer_free(&tr[0]);
    }
    free(tr);
    return rc;
}
