/* cli_train.c — `nnterm train PRESET [options]`: the headless run, as text or JSON lines. */
#include "cli.h"

#include "files.h"
#include "model_io.h"
#include "nn_config.h"
#include "record.h"
#include "strbuf.h"
#include "text.h"
#include "trainer.h"
#include "trainer_state.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

// --- signals: the first SIGINT/SIGTERM/SIGHUP stops after the current batch, a second one exits now

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    if (interrupted) {
        nn_file_remove_temporaries();   /* a save in progress leaves nothing behind */
        static const char msg[] = "nnterm: interrupted again, exiting now\n";
        ssize_t r = write(STDERR_FILENO, msg, sizeof msg - 1);
        (void)r;
        _exit(128 + sig);
    }
    interrupted = sig;
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    /* SA_RESTART: a write to stdout that the signal interrupts goes on (stdio would drop the rest of
     * its buffer on EINTR, leaving a half line); the loop sees the flag after it. */
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

// --- output -------------------------------------------------------------------------------------

/* Characters the escaped form of s takes on screen (its UTF-8 characters, each escape counted whole). */
static int name_width(const char *s)
{
    nn_strbuf b = {0};
    nn_text_escape(&b, s, strlen(s));
    int w = 0;
    for (const char *p = b.s ? b.s : ""; *p; p++)
        w += ((unsigned char)*p & 0xC0) != 0x80;
    free(b.s);
    return w;
}

/* A name in the text report: control characters escaped (a CSV label must not drive the terminal),
 * padded to w characters (counted as characters, not bytes), left- or right-aligned. */
static void put_name(const char *s, int w, bool left)
{
    nn_strbuf b = {0};
    nn_text_escape(&b, s, strlen(s));
    const char *t = b.s && !b.oom ? b.s : "?";
    int chars = name_width(s);
    if (!left)
        printf("%*s", w > chars ? w - chars : 0, "");
    fputs(t, stdout);
    if (left)
        printf("%*s", w > chars ? w - chars : 0, "");
    free(b.s);
}


static void fmt_value(char *buf, size_t n, double v)
{
    if (isfinite(v))
        snprintf(buf, n, "%.4f", v);
    else
        snprintf(buf, n, "  -   ");
}

/* loaded: epoch 0 is a saved model's weights, not initial ones */
static void print_epoch_text(const nn_trainer *t, const nn_epoch_stats *s, bool loaded)
{
    bool cls = t->data.task == NN_TASK_CLASSIFICATION;
    const char *m = cls ? "acc" : "R2";
    char a[6][32];
    fmt_value(a[0], sizeof a[0], s->train_loss);
    fmt_value(a[1], sizeof a[1], s->train_acc);
    fmt_value(a[2], sizeof a[2], s->val_loss);
    fmt_value(a[3], sizeof a[3], s->val_acc);
    fmt_value(a[4], sizeof a[4], s->test_loss);
    fmt_value(a[5], sizeof a[5], s->test_acc);
    if (s->epoch == 0) {   /* --epochs 0 */
        printf("%-11s train loss %s %s %s | val loss %s %s %s | test loss %s %s %s\n", loaded ? "as loaded" : "untrained",
               a[0], m, a[1], a[2], m, a[3], a[4], m, a[5]);
        return;
    }
    int w = snprintf(NULL, 0, "%d", t->preset.training.epochs);
    printf("epoch %*d/%d  train loss %s %s %s | val loss %s %s %s | test loss %s %s %s | %.3f ms\n", w,
           s->epoch, t->preset.training.epochs, a[0], m, a[1], a[2], m, a[3], a[4], m, a[5],
           s->seconds * 1e3);
}

static void describe_network(const nn_trainer *t, char *buf, size_t n)
{
    size_t off = (size_t)snprintf(buf, n, "%d", t->data.n_features);
    for (int i = 0; i < t->net.n_layers && off < n; i++)
        off += (size_t)snprintf(buf + off, n - off, "-%d", t->net.layers[i].out);
    for (int i = 0; i < t->net.n_layers && off < n; i++)
        off += (size_t)snprintf(buf + off, n - off, "%s%s%s", i ? ", " : " (", nn_act_name(t->net.layers[i].act),
                                i == t->net.n_layers - 1 ? ")" : "");
}

static void print_header(const nn_trainer *t, bool untrained)
{
    const nn_preset *p = &t->preset;
    char net[256];
    describe_network(t, net, sizeof net);
    printf("%s\n", p->name);
    printf("data: %s, %d samples (%d train / %d val / %d test), %d features", p->dataset.source, t->data.n,
           t->split.n_train, t->split.n_val, t->split.n_test, t->data.n_features);
    if (t->data.task == NN_TASK_CLASSIFICATION)
        printf(", %d classes\n", t->data.n_classes);
    else
        printf(", regression\n");
    printf("network: %s, %zu parameters; %s loss, %s lr %g, batch %d, %d epochs, seed %llu\n", net,
           t->net.n_params, nn_loss_name(t->loss), nn_opt_name(p->training.optimizer.kind), t->base_lr,
           t->batch_size, untrained ? 0 : p->training.epochs, (unsigned long long)t->seed);
}

static void print_final_text(const nn_trainer *t, const nn_epoch_stats *f)
{
    printf("\n");
    if (t->data.task == NN_TASK_REGRESSION) {
        printf("test: loss %.4f, MSE %.6g, MAE %.6g, R2 %.4f (%ld values)\n", f->test_loss, t->reg.mse, t->reg.mae,
               t->reg.r2, t->reg.n);
        return;
    }
    const nn_class_metrics *m = &t->metrics;
    int k = t->data.n_classes;
    printf("test accuracy %.4f (%ld of %ld), loss %.4f\n\n", m->accuracy, m->correct, m->total, f->test_loss);
    int w = 9;
    for (int i = 0; i < k; i++) {
        int l = name_width(nn_dataset_class_name(&t->data, i));
        if (l > w)
            w = l;
    }
    printf("confusion matrix (rows actual, columns predicted)\n%*s", w, "");
    for (int j = 0; j < k; j++) {
        printf(" ");
        put_name(nn_dataset_class_name(&t->data, j), w, false);
    }
    printf("\n");
    for (int i = 0; i < k; i++) {
        put_name(nn_dataset_class_name(&t->data, i), w, true);
        for (int j = 0; j < k; j++)
            printf(" %*d", w, t->confusion[i * k + j]);
        printf("\n");
    }
    printf("\n%-*s %9s %9s %9s %9s\n", w, "class", "precision", "recall", "f1", "support");
    for (int i = 0; i < k; i++) {
        put_name(nn_dataset_class_name(&t->data, i), w, true);
        printf(" %9.4f %9.4f %9.4f %9ld\n", m->precision[i], m->recall[i], m->f1[i], m->support[i]);
    }
    printf("%-*s %9.4f %9.4f %9.4f %9ld\n", w, "macro avg", m->macro_precision, m->macro_recall, m->macro_f1,
           m->total);
}


// --- the run record (--record DIR) ---------------------------------------------------------------

typedef struct {
    char date[32];        /* when the run started, ISO 8601 UTC */
    int first;            /* history index of the first epoch of this run (a resumed run: later) */
    char **lines;         /* (epochs - first) the epoch objects */
    int cap;
} recording;

static bool rec_start(recording *r, const nn_trainer *t)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(r->date, sizeof r->date, "%Y-%m-%dT%H:%M:%SZ", &tm);
    r->cap = t->preset.training.epochs - r->first;
    r->lines = calloc((size_t)(r->cap > 0 ? r->cap : 1), sizeof *r->lines);
    return r->lines != NULL;
}

static nn_status rec_write(recording *r, const nn_trainer *t, const char *dir, const char *from_weights, int n,
                           const char *final_line, char *where, size_t cap, nn_error *err)
{
    char data_dir[NN_PATH_MAX];
    if (!realpath(t->preset.base_dir, data_dir))
        snprintf(data_dir, sizeof data_dir, "%s", t->preset.base_dir);
    for (int i = 0; i < n; i++)
        if (!r->lines[i])
            return nn_error_set(err, NN_ENOMEM, "%s: out of memory for the record", dir);
    char *text = final_line ? nn_record_text(&t->preset, NN_VERSION, r->date, data_dir, from_weights,
                                             (const char *const *)r->lines, n, "[]", final_line)
                            : NULL;
    if (!text)
        return nn_error_set(err, NN_ENOMEM, "%s: out of memory for the record", dir);
    nn_status st = nn_record_write(dir, text, t->preset.name, r->date, where, cap, err);
    free(text);
    return st;
}

static void rec_free(recording *r)
{
    for (int i = 0; r->lines && i < r->cap; i++)
        free(r->lines[i]);
    free(r->lines);
    memset(r, 0, sizeof *r);
}

// --- the command --------------------------------------------------------------------------------

typedef struct {
    const char *preset;
    bool json, quiet;
    bool untrained;       /* --epochs 0 */
    long threads;
    const char *save;
    const char *report;   /* --report DIR */
    const char *resume;   /* --resume MODEL.json */
    const char *record;   /* --record DIR */
    long epochs;          /* --epochs N, -1 if not given */
    int n_user_sets;      /* --set and --seed (refused with --resume) */
    const char *sets[64]; /* "KEY=VALUE" in command-line order, --epochs/--seed included */
    char own[16][64];  /* storage for the KEY=VALUE made from --epochs/--seed */
    int n_sets;
} train_args;

static int add_set(train_args *a, const char *kv)
{
    if (a->n_sets >= (int)(sizeof a->sets / sizeof a->sets[0])) {
        fprintf(stderr, "nnterm: train: too many --set options\n");
        return -1;
    }
    a->sets[a->n_sets++] = kv;
    return 0;
}

static int parse_train_args(train_args *a, int argc, char **argv)
{
    memset(a, 0, sizeof *a);
    a->epochs = -1;
    int own = 0;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        long n;
        if (strcmp(s, "--json") == 0) {
            a->json = true;
        } else if (strcmp(s, "--quiet") == 0) {
            a->quiet = true;
        } else if (strcmp(s, "--epochs") == 0 || strcmp(s, "--seed") == 0) {
            bool ep = s[2] == 'e';
            if (cli_parse_int(s, v, 0, ep ? 1000000 : 2147483647L, &n))
                return -1;
            if (ep)
                a->epochs = n;
            else
                a->n_user_sets++;
            if (ep) {
                /* 0: no training, the initial weights are reported (and saved); the preset keeps
                 * its own epochs, so a saved model is the start of the run it describes */
                a->untrained = n == 0;
                if (n == 0) {
                    i++;
                    continue;
                }
            }
            if (own >= 16) {
                fprintf(stderr, "nnterm: train: too many %s options\n", s);
                return -1;
            }
            snprintf(a->own[own], sizeof a->own[own], "%s=%ld", ep ? "training.epochs" : "seed", n);
            if (add_set(a, a->own[own++]))
                return -1;
            i++;
        } else if (strcmp(s, "--threads") == 0) {
            if (cli_parse_int(s, v, 0, 256, &a->threads))
                return -1;
            i++;
        } else if (strcmp(s, "--save") == 0) {
            if (!v) {
                fprintf(stderr, "nnterm: --save needs a file name\n");
                return -1;
            }
            a->save = v;
            i++;
        } else if (strcmp(s, "--report") == 0) {
            if (!v) {
                fprintf(stderr, "nnterm: --report needs a folder name\n");
                return -1;
            }
            a->report = v;
            i++;
        } else if (strcmp(s, "--record") == 0) {
            if (!v || !*v) {
                fprintf(stderr, "nnterm: --record needs a folder (e.g. --record runs)\n");
                return -1;
            }
            a->record = v;
            i++;
        } else if (strcmp(s, "--resume") == 0) {
            if (!v) {
                fprintf(stderr, "nnterm: --resume needs a model file (saved by train --save or the trainer)\n");
                return -1;
            }
            a->resume = v;
            i++;
        } else if (strcmp(s, "--set") == 0) {
            a->n_user_sets++;
            if (!v || !strchr(v, '=')) {
                fprintf(stderr, "nnterm: --set needs KEY=VALUE, e.g. --set training.optimizer.name=adam\n");
                return -1;
            }
            if (add_set(a, v))
                return -1;
            i++;
        } else if (s[0] == '-' && s[1]) {
            fprintf(stderr, "nnterm: train: unknown option '%s' (see nnterm --help)\n", s);
            return -1;
        } else if (a->preset || a->resume) {
            if (a->resume)
                fprintf(stderr, "nnterm: train: --resume %s continues that model's run: no preset ('%s')\n", a->resume, s);
            else
                fprintf(stderr, "nnterm: train: one preset at a time ('%s' and '%s')\n", a->preset, s);
            return -1;
        } else {
            a->preset = s;
        }
    }
    if (a->resume && a->preset) {
        fprintf(stderr, "nnterm: train: --resume %s continues that model's run: no preset ('%s')\n", a->resume,
                a->preset);
        return -1;
    }
    if (a->resume && a->n_user_sets) {
        fprintf(stderr, "nnterm: train: --resume continues the saved run as it was: --set and --seed would change it "
                "(only --epochs N, for N more epochs)\n");
        return -1;
    }
    if (a->resume && a->epochs == 0) {
        fprintf(stderr, "nnterm: train: --resume --epochs N: N more epochs, at least 1\n");
        return -1;
    }
    if (!a->preset && !a->resume) {
        fprintf(stderr, "nnterm: train: which preset? (e.g. nnterm train iris; see nnterm presets)\n");
        return -1;
    }
    return 0;
}

/* Applies the --set/--epochs/--seed overrides in order. */
static int apply_sets(nn_preset *p, const train_args *a)
{
    for (int i = 0; i < a->n_sets; i++) {
        char key[256];
        const char *eq = strchr(a->sets[i], '=');
        size_t kl = (size_t)(eq - a->sets[i]);
        if (kl == 0 || kl >= sizeof key) {
            fprintf(stderr, "nnterm: --set '%s': bad key\n", a->sets[i]);
            return -1;
        }
        memcpy(key, a->sets[i], kl);
        key[kl] = '\0';
        nn_error err;
        if (nn_preset_set(p, key, eq + 1, &err) != NN_OK) {
            fprintf(stderr, "nnterm: %s\n", err.msg);
            return -1;
        }
    }
    return 0;
}

/* --resume: the model's preset, with training.epochs raised by --epochs N, and its data folder.
 * Returns 0, or -1 after printing why not. */
static int resume_preset(nn_preset *p, const nn_model *m, const train_args *a)
{
    *p = m->preset;
    const nn_train_state *s = &m->state;
    if (s->present && s->data_dir[0])
        snprintf(p->base_dir, sizeof p->base_dir, "%s", s->data_dir);
    int done = s->present ? s->epoch : 0;
    if (a->epochs > 0) {
        char v[32];
        nn_error err;
        snprintf(v, sizeof v, "%ld", (long)done + a->epochs);
        if (nn_preset_set(p, "training.epochs", v, &err) != NN_OK) {
            fprintf(stderr, "nnterm: %s: %s\n", a->resume, err.msg);
            return -1;
        }
    } else if (s->present && done >= p->training.epochs) {
        fprintf(stderr, "nnterm: %s: all %d epochs of this run are done; --epochs N trains N more\n", a->resume,
                p->training.epochs);
        return -1;
    }
    if (!s->present)
        fprintf(stderr, "nnterm: %s: no training state in this model (saved by an older nnterm): the optimizer "
                "starts fresh, from the saved weights at epoch 0\n", a->resume);
    return 0;
}

int cli_train(int argc, char **argv)
{
    train_args a;
    if (parse_train_args(&a, argc, argv))
        return EXIT_BAD_INPUT;
    nn_preset *p = malloc(sizeof *p);
    nn_trainer *t = calloc(1, sizeof *t);
    nn_model *m = a.resume ? calloc(1, sizeof *m) : NULL;
    recording rec = {0};
    int rc = EXIT_BAD_INPUT;
    nn_error err;
    if (!p || !t || (a.resume && !m)) {
        fprintf(stderr, "nnterm: out of memory\n");
        rc = EXIT_RUN_FAILED;
        goto out;
    }
    nn_preset_origin origin = NN_ORIGIN_PRESET;
    if (a.resume) {
        if (nn_model_load(m, a.resume, &err) != NN_OK) {
            fprintf(stderr, "nnterm: %s\n", err.msg);
            goto out;
        }
        if (resume_preset(p, m, &a))
            goto out;
    } else if (cli_load_preset(p, a.preset, &origin) || apply_sets(p, &a)) {
        goto out;
    }
    if (p->training.epochs == 0 && !a.untrained) {
        fprintf(stderr, "nnterm: %s: training.epochs: \"forever\" trains until paused, in the trainer; give "
                "--epochs N to train it here\n", p->file);
        goto out;
    }
    /* A --save that will be refused (a FIFO or device, the preset itself, its data) is refused now,
     * not after the training; nn_model_save checks again when it writes. */
    if ((a.save && nn_model_check_save(a.save, p, &err) != NN_OK) ||
        (a.record && nn_record_make_dir(a.record, &err) != NN_OK)) {
        fprintf(stderr, "nnterm: %s\n", err.msg);
        rc = EXIT_RUN_FAILED;
        goto out;
    }
    if (a.report && cli_report_check(a.report)) {
        rc = EXIT_RUN_FAILED;
        goto out;
    }
    nn_status st = nn_trainer_init(t, p, (int)a.threads, &err);
    if (st != NN_OK) {
        fprintf(stderr, "nnterm: %s\n", err.msg);
        /* the preset or its data cannot be used: a missing or malformed file, a size too large */
        rc = EXIT_BAD_INPUT;
        goto out;
    }
    if (m) {
        st = nn_trainer_state_set(t, &m->state, &m->net, a.resume, &err);
        nn_model_free(m);   /* its buffers were copied */
        if (st != NN_OK) {
            fprintf(stderr, "nnterm: %s\n", err.msg);
            goto out;
        }
    } else if (origin == NN_ORIGIN_MODEL) {   /* a saved model trains on from its weights */
        nn_model *mm = calloc(1, sizeof *mm);
        st = mm ? nn_model_load(mm, a.preset, &err) : nn_error_set(&err, NN_ENOMEM, "out of memory");
        if (st == NN_OK)
            st = nn_model_apply(mm, a.preset, t, &err);
        nn_model_free(mm);
        free(mm);
        if (st != NN_OK) {
            fprintf(stderr, "nnterm: %s\n", err.msg);
            rc = EXIT_BAD_INPUT;
            goto out;
        }
    }
    install_signals();
    if (!a.json && !a.quiet) {
        print_header(t, a.untrained);
        if (a.resume)
            printf("resumed from %s after epoch %d%s\n", a.resume, t->epoch,
                   t->batch ? " (mid-epoch)" : "");
        else if (origin == NN_ORIGIN_MODEL)
            printf("from the trained weights of %s\n", a.preset);
    }
    /* Standard output fails (a full disk, a reader that went away: SIGPIPE is ignored): without
     * --save there is nothing left to deliver, so the run stops; with --save it goes on, silent,
     * and saves the model, then exits 1 with a message saying so. */
    bool out_ok = cli_flush_stdout();
    int printed = t->history_len;   /* a resumed run's earlier epochs were reported by it */
    const char *stopped = NULL;
    rec.first = t->history_len;
    if (a.record && !rec_start(&rec, t)) {
        fprintf(stderr, "nnterm: out of memory\n");
        rc = EXIT_RUN_FAILED;
        goto out;
    }
    while (!a.untrained && !nn_trainer_finished(t) && (out_ok || a.save || a.record)) {
        st = nn_trainer_step(t, &err);
        while (printed < t->history_len) {
            char *line = a.json || a.record ? nn_record_epoch_json(t, &t->history[printed]) : NULL;
            if (out_ok && a.json)
                fputs(line ? line : "", stdout);
            else if (out_ok && !a.quiet)
                print_epoch_text(t, &t->history[printed], false);
            if (a.record)
                rec.lines[printed - rec.first] = line;
            else
                free(line);
            printed++;
        }
        if (out_ok && printed > 0)
            out_ok = cli_flush_stdout();
        if (st != NN_OK)
            break;
        if (interrupted) {
            stopped = "interrupted";
            break;
        }
    }
    nn_epoch_stats fin = t->final_stats;
    if (!nn_trainer_finished(t) || t->state == NN_TRAINER_DIVERGED) {
        /* untrained, interrupted mid-run or diverged: report the current (initial, last finite) weights */
        nn_trainer_evaluate(t, &fin, &err);
        if (a.untrained && out_ok && !a.json && !a.quiet)
            print_epoch_text(t, &fin, origin == NN_ORIGIN_MODEL);
    } else if (t->stopped_early) {
        stopped = "early";
    }
    if (t->state == NN_TRAINER_DIVERGED)
        fprintf(stderr, "nnterm: %s: %s\n", p->file, t->fault);
    char *final_line = nn_record_final_json(t, &fin, stopped);
    if (out_ok && a.json) {
        fputs(final_line ? final_line : "", stdout);
    } else if (out_ok) {
        if (stopped && strcmp(stopped, "early") == 0)
            printf("early stopping after epoch %d: restored the weights of epoch %d (val loss %.4f)\n", t->epoch,
                   t->best_epoch, t->best_val);
        else if (stopped)
            printf("interrupted during epoch %d\n", t->epoch + 1);
        print_final_text(t, &fin);
    }
    out_ok = out_ok && cli_flush_stdout();
    rc = t->state == NN_TRAINER_DIVERGED ? EXIT_RUN_FAILED : 0;
    if (a.record) {
        char where[NN_PATH_MAX];
        if (rec_write(&rec, t, a.record, origin == NN_ORIGIN_MODEL ? a.preset : NULL, printed - rec.first,
                      final_line, where, sizeof where, &err) != NN_OK) {
            fprintf(stderr, "nnterm: %s\n", err.msg);
            rc = EXIT_RUN_FAILED;
        } else if (!a.json && !a.quiet && out_ok) {
            printf("\nrun recorded in %s\n", where);
        }
    }
    free(final_line);
    bool saved = false;
    if (a.save && rc == 0) {
        if (nn_trainer_save_model(t, a.save, &err) != NN_OK) {
            fprintf(stderr, "nnterm: %s\n", err.msg);
            rc = EXIT_RUN_FAILED;
        } else {
            saved = true;
            if (!a.json && out_ok)
                printf("\nmodel saved to %s\n", a.save);
        }
    }
    if (a.report) {
        int rr = cli_train_report(t, a.report, !a.json && out_ok, argc, argv);
        if (rc == 0)
            rc = rr;
    }
    if (!out_ok || !cli_flush_stdout()) {
        if (saved)
            fprintf(stderr, "nnterm: standard output: %s (the output is cut short; the model was saved to %s "
                    "after epoch %d)\n", cli_stdout_reason(), a.save, t->epoch);
        else if (a.save)
            fprintf(stderr, "nnterm: standard output: %s (the output is cut short; the model was not saved)\n",
                    cli_stdout_reason());
        else
            fprintf(stderr, "nnterm: standard output: %s (training stopped after epoch %d)\n",
                    cli_stdout_reason(), t->epoch);
        cli_stdout_reported();
        if (rc == 0)
            rc = EXIT_RUN_FAILED;
    }
    if (interrupted && (rc == 0 || !out_ok))
        rc = 128 + interrupted;
out:
    rec_free(&rec);
    if (t)
        nn_trainer_free(t);
    if (m)
        nn_model_free(m);
    free(m);
    free(t);
    free(p);
    return rc;
}
