/* cli_train.c — `nnterm train PRESET [options]`: the headless run, as text or JSON lines. */
#include "cli.h"

#include "files.h"
#include "model_io.h"
#include "strbuf.h"
#include "text.h"
#include "trainer.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* JSON number: %.6g, or null for NaN/Inf (not representable in JSON). */
static void jnum(FILE *f, const char *key, double v, bool comma)
{
    if (isfinite(v))
        fprintf(f, "\"%s\":%.6g%s", key, v, comma ? "," : "");
    else
        fprintf(f, "\"%s\":null%s", key, comma ? "," : "");
}

/* JSON string: control characters (C0, DEL, C1) escaped, never invalid UTF-8 (nn_text_json_string). */
static void jstr(FILE *f, const char *s)
{
    nn_strbuf b = {0};
    nn_text_json_string(&b, s);
    fputs(b.s && !b.oom ? b.s : "\"\"", f);
    free(b.s);
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

static void print_epoch_json(const nn_trainer *t, const nn_epoch_stats *s)
{
    bool cls = t->data.task == NN_TASK_CLASSIFICATION;
    printf("{\"epoch\":%d,", s->epoch);
    jnum(stdout, "train_loss", s->train_loss, true);
    jnum(stdout, "val_loss", s->val_loss, true);
    jnum(stdout, "test_loss", s->test_loss, true);
    jnum(stdout, cls ? "train_accuracy" : "train_r2", s->train_acc, true);
    jnum(stdout, cls ? "val_accuracy" : "val_r2", s->val_acc, true);
    jnum(stdout, cls ? "test_accuracy" : "test_r2", s->test_acc, true);
    jnum(stdout, "lr", s->lr, true);
    if (t->preset.training.reg != NN_REG_NONE)
        jnum(stdout, "penalty", s->penalty, true);
    printf("\"seconds\":%.6f,\"eval_seconds\":%.6f}\n", s->seconds, s->eval_seconds);
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

static void print_final_json(const nn_trainer *t, const nn_epoch_stats *f, const char *stopped)
{
    printf("{\"final\":true,\"epochs\":%d,", t->epoch);
    if (stopped)
        printf("\"stopped\":\"%s\",", stopped);
    if (t->state == NN_TRAINER_DIVERGED) {
        printf("\"diverged\":true,\"message\":");
        jstr(stdout, t->fault);
        printf(",");
    }
    jnum(stdout, "train_loss", f->train_loss, true);
    jnum(stdout, "val_loss", f->val_loss, true);
    jnum(stdout, "test_loss", f->test_loss, true);
    if (t->data.task == NN_TASK_REGRESSION) {
        jnum(stdout, "r2", t->reg.r2, true);
        jnum(stdout, "mse", t->reg.mse, false);
        printf("}\n");
        return;
    }
    const nn_class_metrics *m = &t->metrics;
    int k = t->data.n_classes;
    jnum(stdout, "accuracy", m->accuracy, true);
    printf("\"classes\":[");
    for (int i = 0; i < k; i++) {
        if (i)
            printf(",");
        jstr(stdout, nn_dataset_class_name(&t->data, i));
    }
    printf("],\"confusion_matrix\":[");
    for (int i = 0; i < k; i++) {
        printf("%s[", i ? "," : "");
        for (int j = 0; j < k; j++)
            printf("%s%d", j ? "," : "", t->confusion[i * k + j]);
        printf("]");
    }
    printf("]");
    const double *arr[3] = {m->precision, m->recall, m->f1};
    const char *names[3] = {"precision", "recall", "f1"};
    for (int a = 0; a < 3; a++) {
        printf(",\"%s\":[", names[a]);
        for (int i = 0; i < k; i++)
            printf("%s%.6g", i ? "," : "", arr[a][i]);
        printf("]");
    }
    printf(",");
    jnum(stdout, "macro_precision", m->macro_precision, true);
    jnum(stdout, "macro_recall", m->macro_recall, true);
    jnum(stdout, "macro_f1", m->macro_f1, false);
    printf("}\n");
}

// --- the command --------------------------------------------------------------------------------

typedef struct {
    const char *preset;
    bool json, quiet;
    bool untrained;       /* --epochs 0 */
    long threads;
    const char *save;
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
        } else if (strcmp(s, "--set") == 0) {
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
        } else if (a->preset) {
            fprintf(stderr, "nnterm: train: one preset at a time ('%s' and '%s')\n", a->preset, s);
            return -1;
        } else {
            a->preset = s;
        }
    }
    if (!a->preset) {
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

int cli_train(int argc, char **argv)
{
    train_args a;
    if (parse_train_args(&a, argc, argv))
        return EXIT_BAD_INPUT;
    nn_preset *p = malloc(sizeof *p);
    nn_trainer *t = calloc(1, sizeof *t);
    int rc = EXIT_BAD_INPUT;
    if (!p || !t) {
        fprintf(stderr, "nnterm: out of memory\n");
        rc = EXIT_RUN_FAILED;
        goto out;
    }
    nn_preset_origin origin;
    if (cli_load_preset(p, a.preset, &origin) || apply_sets(p, &a))
        goto out;
    nn_error err;
    /* A --save that will be refused (a FIFO or device, the preset itself, its data) is refused now,
     * not after the training; nn_model_save checks again when it writes. */
    if (a.save && nn_model_check_save(a.save, p, &err) != NN_OK) {
        fprintf(stderr, "nnterm: %s\n", err.msg);
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
    if (origin == NN_ORIGIN_MODEL) {   /* a saved model trains on from its weights */
        nn_model *m = calloc(1, sizeof *m);
        st = m ? nn_model_load(m, a.preset, &err) : nn_error_set(&err, NN_ENOMEM, "out of memory");
        if (st == NN_OK)
            st = nn_model_apply(m, a.preset, t, &err);
        nn_model_free(m);
        free(m);
        if (st != NN_OK) {
            fprintf(stderr, "nnterm: %s\n", err.msg);
            rc = EXIT_BAD_INPUT;
            goto out;
        }
    }
    install_signals();
    if (!a.json && !a.quiet) {
        print_header(t, a.untrained);
        if (origin == NN_ORIGIN_MODEL)
            printf("from the trained weights of %s\n", a.preset);
    }
    /* Standard output fails (a full disk, a reader that went away: SIGPIPE is ignored): without
     * --save there is nothing left to deliver, so the run stops; with --save it goes on, silent,
     * and saves the model, then exits 1 with a message saying so. */
    bool out_ok = cli_flush_stdout();
    int printed = 0;
    const char *stopped = NULL;
    while (!a.untrained && !nn_trainer_finished(t) && (out_ok || a.save)) {
        st = nn_trainer_step(t, &err);
        while (out_ok && printed < t->history_len) {
            if (a.json)
                print_epoch_json(t, &t->history[printed]);
            else if (!a.quiet)
                print_epoch_text(t, &t->history[printed], false);
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
    if (out_ok && a.json) {
        print_final_json(t, &fin, stopped);
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
    bool saved = false;
    if (a.save && rc == 0) {
        if (nn_model_save(a.save, &t->preset, &t->net, &t->norm, &t->data, &err) != NN_OK) {
            fprintf(stderr, "nnterm: %s\n", err.msg);
            rc = EXIT_RUN_FAILED;
        } else {
            saved = true;
            if (!a.json && out_ok)
                printf("\nmodel saved to %s\n", a.save);
        }
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
    if (t)
        nn_trainer_free(t);
    free(t);
    free(p);
    return rc;
}
