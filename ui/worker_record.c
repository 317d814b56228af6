/* worker_record.c — the trainer records its runs (core/record.h) into the runs folder that
 * ui_worker_record names (the app gives nn_record_default_dir: $NNTERM_RUNS, else the XDG data
 * home). A run goes from the first batch after a load, a reset, a reseed or DONE (Space, s, S, or a
 * continue) to DONE, a divergence, an error, a reset, a reseed, a load, a race or quit; a run of 0
 * epochs leaves nothing. The record holds the preset as it was at the last load or reset (the base)
 * and every live change since then with its epoch and batch, so that `nnterm verify` can make them
 * again at the same place; a run after a continue holds its own epochs only. Written atomically
 * when the run ends; a failed write is one error notice naming the path, and recording stops for
 * the session. Worker thread only. */
#include "worker_impl.h"

#include "nn_config.h"
#include "record.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void worker_record_dir(ui_worker *w, const char *dir)
{
    snprintf(w->rec.dir, sizeof w->rec.dir, "%s", dir);
    w->rec.failed = false;
}

void worker_record_base(ui_worker *w)
{
    w->rec.active = false;
    w->rec.live.len = 0;
    if (w->rec.live.s)
        w->rec.live.s[0] = '\0';
    w->rec.live.oom = false;
    w->rec.n_live = 0;
    if (!w->have_trainer || w->race)
        return;
    const nn_preset *now = nn_trainer_preset(&w->t);
    w->rec.base = *now;
    if (w->t.seed != now->seed) {
        /* a reseed (R): new weights, shuffles and dropout from the trainer's seed, the same data: the
         * data's seed is the preset's, said outright where it followed the seed (auto) */
        if (isnan(w->rec.base.dataset.seed))
            w->rec.base.dataset.seed = (double)now->seed;
        w->rec.base.seed = w->t.seed;
    }
    snprintf(w->rec.from_weights, sizeof w->rec.from_weights, "%s", w->from_model ? w->model : "");
}

void worker_record_begin(ui_worker *w)
{
    if (w->rec.active || !w->have_trainer || w->race)
        return;
    w->rec.active = true;
    w->rec.first = w->t.history_len;
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(w->rec.date, sizeof w->rec.date, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void worker_record_live(ui_worker *w, const char *key, const char *value, const char *what)
{
    if (!w->have_trainer || w->race)
        return;
    nn_trainer_progress pr;
    nn_trainer_progress_get(&w->t, &pr);
    if (w->rec.n_live++)
        nn_strbuf_puts(&w->rec.live, ",");
    nn_record_live_json(&w->rec.live, pr.epoch, pr.batch, key, value, what);
}

void worker_record_end(ui_worker *w)
{
    if (!w->rec.active)
        return;
    w->rec.active = false;
    if (!w->rec.dir[0] || !w->have_trainer || w->race)
        return;
    nn_trainer *t = &w->t;
    int n = t->history_len - w->rec.first;
    if (n <= 0)
        return;   /* no epoch: no record */
    nn_error err;
    nn_error_clear(&err);
    char **lines = calloc((size_t)n, sizeof *lines);
    bool ok = lines != NULL;
    for (int i = 0; ok && i < n; i++)
        ok = (lines[i] = nn_record_epoch_json(t, &t->history[w->rec.first + i])) != NULL;
    char *final = NULL;
    if (ok) {
        if (t->state == NN_TRAINER_DONE) {
            final = nn_record_final_json(t, &t->final_stats, t->stopped_early ? "early" : NULL);
        } else {
            /* stopped before its end (reset, load, quit) or diverged: the weights as they are, as
             * `train` reports an interrupted run */
            nn_epoch_stats fin;
            nn_trainer_evaluate(t, &fin, &err);
            final = nn_record_final_json(t, &fin, t->state == NN_TRAINER_DIVERGED ? NULL : "interrupted");
        }
        ok = final != NULL;
    }
    /* the base preset, with the name and description as they are now (words, not settings) */
    nn_preset *p = ok ? malloc(sizeof *p) : NULL;
    char *text = NULL;
    if (p) {
        *p = w->rec.base;
        const nn_preset *now = nn_trainer_preset(t);
        snprintf(p->name, sizeof p->name, "%s", now->name);
        snprintf(p->description, sizeof p->description, "%s", now->description);
        char data_dir[NN_PATH_MAX];
        if (!realpath(p->base_dir, data_dir))
            snprintf(data_dir, sizeof data_dir, "%s", p->base_dir);
        nn_strbuf live = {0};
        nn_strbuf_printf(&live, "[%s]", w->rec.live.s ? w->rec.live.s : "");
        if (!live.oom && !w->rec.live.oom)
            text = nn_record_text(p, NN_VERSION, w->rec.date, data_dir, w->rec.from_weights,
                                  (const char *const *)lines, n, live.s, final);
        free(live.s);
    }
    char path[NN_PATH_MAX] = "";
    nn_status st = text ? nn_record_write(w->rec.dir, text, p->name, w->rec.date, path, sizeof path, &err)
                        : nn_error_set(&err, NN_ENOMEM, "%s: out of memory for the record", w->rec.dir);
    if (st != NN_OK) {
        worker_notice(w, true, "run record: %s (recording off)", err.msg);
        w->rec.failed = true;
        w->rec.dir[0] = '\0';
    }
    free(text);
    free(p);
    free(final);
    for (int i = 0; lines && i < n; i++)
        free(lines[i]);
    free(lines);
}

void worker_record_free(ui_worker *w)
{
    free(w->rec.live.s);
    memset(&w->rec.live, 0, sizeof w->rec.live);
}
