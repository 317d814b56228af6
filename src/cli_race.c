/* cli_race.c — `nnterm race PRESET [--optimizers a,b,...] [--epochs N] [--seed S] [--json]`:
 * the same network from the same initial weights, trained once per optimizer, by the race runner
 * (core/race.h) in turn. Each run is an ordinary trainer with only the optimizer changed, so it
 * equals `nnterm train` with that optimizer, number for number. */
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
    nn_preset *base = malloc(sizeof *base);
    /* The runner builds each optimizer's trainer in turn and trains it to its end; entry 0 is kept to
     * the end (the others borrow its data: one load, one copy of the dataset), each later entry is
     * freed after its row. */
    nn_race *race = calloc(1, sizeof *race);
    race_row rows[NN_RACE_MAX];
    nn_error err;
    if (!base || !race) {
        fprintf(stderr, "nnterm: out of memory\n");
        rc = EXIT_RUN_FAILED;
        goto out;
    }
    if (cli_load_preset(base, preset, NULL))
        goto out;
    char num[32];
    if (epochs > 0) {
        snprintf(num, sizeof num, "%ld", epochs);
        if (nn_preset_set(base, "training.epochs", num, &err) != NN_OK)
            goto bad;
    }
    if (base->training.epochs == 0) {
        fprintf(stderr, "nnterm: %s: training.epochs: \"forever\" trains until paused, in the trainer; give "
                "--epochs N to race it here\n", base->file);
        goto out;
    }
    if (seed >= 0) {
        snprintf(num, sizeof num, "%ld", seed);
        if (nn_preset_set(base, "seed", num, &err) != NN_OK)
            goto bad;
    }
    if (nn_race_init(race, base, list, (int)threads, NN_RACE_IN_TURN, &err) != NN_OK)
        goto bad;
    int n = race->n;
    if (!json)
        printf("race on %s: %d optimizers, %d epochs, seed %llu, the same initial weights\n", base->name, n,
               base->training.epochs, (unsigned long long)base->seed);
    rc = 0;
    double secs = 0;
    bool cls = false;
    while (!nn_race_finished(race)) {
        nn_race_turn turn;
        if (nn_race_step(race, &turn, &err) != NN_OK) {
            fprintf(stderr, "nnterm: %s\n", err.msg);
            rc = EXIT_BAD_INPUT; /* the preset or its data cannot be used */
            goto out;
        }
        if (turn.entry < 0)
            break;
        const char *name = race->racer[turn.entry].name;
        const nn_trainer *t = &race->racer[turn.entry].t;
        cls = nn_trainer_data(t)->task == NN_TASK_CLASSIFICATION;
        if (turn.epoch_ended) {
            const nn_epoch_stats *s = &turn.stats;
            secs += s->seconds;
            if (json) {
                printf("{\"optimizer\":\"%s\",\"epoch\":%d", name, s->epoch);
                jnum("train_loss", s->train_loss);
                jnum("val_loss", s->val_loss);
                jnum("test_loss", s->test_loss);
                jnum(cls ? "train_accuracy" : "train_r2", s->train_acc);
                jnum(cls ? "val_accuracy" : "val_r2", s->val_acc);
                jnum(cls ? "test_accuracy" : "test_r2", s->test_acc);
                printf(",\"seconds\":%.6f,\"eval_seconds\":%.6f}\n", s->seconds, s->eval_seconds);
            }
        }
        if (!turn.entry_done)
            continue;
        nn_trainer_progress pr;
        nn_trainer_progress_get(t, &pr);
        race_row *row = &rows[turn.entry];
        const nn_epoch_stats *f = pr.state == NN_TRAINER_DONE ? nn_trainer_final(t) : nn_trainer_last(t);
        row->name = name;
        row->lr = nn_trainer_preset(t)->training.optimizer.lr;
        row->epochs = pr.epoch;
        row->diverged = pr.state == NN_TRAINER_DIVERGED;
        row->train_loss = f ? f->train_loss : (double)NAN;
        row->val_loss = f ? f->val_loss : (double)NAN;
        row->test_loss = f ? f->test_loss : (double)NAN;
        row->test_acc = f ? f->test_acc : (double)NAN;
        row->macro_f1 = cls && f ? nn_trainer_metrics(t)->macro_f1 : (double)NAN;
        row->seconds = secs;
        secs = 0;
        if (json) {
            printf("{\"optimizer\":\"%s\",\"final\":true,\"epochs\":%d,\"lr\":%.6g", name, pr.epoch, row->lr);
            if (row->diverged)
                printf(",\"diverged\":true");
            jnum("train_loss", row->train_loss);
            jnum("test_loss", row->test_loss);
            jnum(cls ? "accuracy" : "r2", row->test_acc);
            if (cls)
                jnum("macro_f1", row->macro_f1);
            printf("}\n");
        }
        nn_race_release(race, turn.entry);
    }
    if (!json) {
        printf("\n%-12s %9s %6s %10s %10s %10s %9s %8s\n", "optimizer", "lr", "epochs", "train loss", "val loss",
               "test loss", cls ? "test acc" : "test R2", "seconds");
        for (int i = 0; i < n; i++)
            printf("%-12s %9.3g %6d %10.4f %10.4f %10.4f %9.4f %8.3f%s\n", rows[i].name, rows[i].lr,
                   rows[i].epochs, rows[i].train_loss, rows[i].val_loss, rows[i].test_loss, rows[i].test_acc,
                   rows[i].seconds, rows[i].diverged ? "  DIVERGED" : "");
    }
    goto out;
bad:
    fprintf(stderr, "nnterm: %s\n", err.msg);
    rc = EXIT_BAD_INPUT;
out:
    free(base);
    if (race)
        nn_race_free(race);
    free(race);
    return rc;
}
