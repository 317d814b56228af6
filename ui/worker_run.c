/* worker_run.c — what the worker thread does with the trainer: it applies the commands, trains
 * one batch at a time, and decides when the views, the health, the step-through and the race are
 * computed and put into the private snapshot. The computations are core's: the views' predictions
 * (probe.h), the health of a step and the step-through of a sample (inspect.h), the Network view's
 * statistics (unitstats.h, through ui_snapshot_fill_net), the race (race.h) and live changes
 * (nn_trainer_set_param). Worker thread only; the struct is in worker_impl.h. */
#include "worker_impl.h"

#include "pace.h"
#include "model_io.h"
#include "preset_schema.h"
#include "trainer_state.h"
#include "report.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PUBLISH_INTERVAL 0.040      /* seconds between snapshots while running (25 Hz) */
#define GRID_INTERVAL 0.100         /* seconds between boundary grids within an epoch */
#define GRID_MID_EPOCH_COST 32e6    /* grid cells x parameters below which mid-epoch grids are cheap */
#define HEALTH_INTERVAL 0.100       /* seconds between health measurements within an epoch */

static const char *why(const nn_error *err, nn_status st)
{
    return err->msg[0] ? err->msg : nn_status_name(st);
}

/* A live change at the trainer's position; the oldest is dropped when the list is full. */
__attribute__((format(printf, 2, 3)))
static void add_event(ui_worker *w, const char *fmt, ...)
{
    ui_snap_events *s = &w->snap.events;
    if (s->n >= UI_EVENT_MAX) {
        memmove(s->list, s->list + 1, (UI_EVENT_MAX - 1) * sizeof *s->list);
        s->n = UI_EVENT_MAX - 1;
    }
    ui_event *e = &s->list[s->n++];
    nn_trainer_progress pr = {0};
    if (w->have_trainer)
        nn_trainer_progress_get(&w->t, &pr);
    e->epoch = pr.epoch;
    e->batch = pr.batch;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->what, sizeof e->what, fmt, ap);
    va_end(ap);
}

// --- the views and the teaching tools -------------------------------------------------------------

/* Predicts the grid or the curve, and the fit, with the current weights (between batches). */
static void compute_view(ui_worker *w)
{
    if (!w->have_trainer)
        return;
    ui_snapshot *s = &w->snap;
    nn_trainer_progress pr;
    nn_trainer_progress_get(&w->t, &pr);
    if (s->fit.n > 0) {
        nn_probe_fit(&w->probe, &w->t, s->fit.actual, s->fit.pred);
        s->fit.epoch = pr.epoch;
    }
    ui_snap_boundary *b = &s->boundary;
    if (b->kind == UI_VIEW_NONE)
        return;
    if (b->kind == UI_VIEW_CURVE)
        nn_probe_curve(&w->probe, &w->t, b->curve_x, b->curve_y);
    else
        nn_probe_grid(&w->probe, &w->t, b->grid_class, b->grid_conf, &b->grid_vmin, &b->grid_vmax);
    if (w->units.on)
        ui_snapshot_fill_units(s, &w->probe, &w->t, w->units.layer, w->units.first);
    b->epoch = pr.epoch;
    w->last_grid = worker_now();
    w->grid_samples = pr.samples_seen;
}

static void fill_net(ui_worker *w, bool acts)
{
    ui_snapshot_fill_net(&w->snap, w->race || !w->have_trainer ? NULL : &w->t, acts);
    ui_snapshot_fill_picture(&w->snap, w->race || !w->have_trainer ? NULL : &w->t, w->pic_unit);
}

/* The step-through of the selection with the current weights, into snap.trace. */
static void update_trace(ui_worker *w)
{
    ui_trace *out = &w->snap.trace;
    if (!w->sel.on || !w->have_trainer || !w->have_tr || w->race) {
        out->valid = false;
        return;
    }
    nn_error err;
    nn_error_clear(&err);
    const int *sel = w->sel.sel;
    nn_sample_step ss;
    nn_status st = nn_inspect_sample(&w->tr, &w->t, sel[0], sel[1], sel[2], sel[3], &ss, &err);
    if (st != NN_OK) {
        uint64_t seq = out->seq;
        memset(out, 0, sizeof *out);
        out->seq = seq;
        w->sel.on = false;
        worker_notice(w, true, "step-through: %s", why(&err, st));
        return;
    }
    nn_inspect_last_step(&w->meter, &w->t, &ss);
    nn_trainer_progress pr;
    nn_trainer_progress_get(&w->t, &pr);
    ui_snapshot_fill_trace(out, &w->tr, &ss, sel, pr.epoch, pr.batch);
}

/* The run stopped (or was rebuilt): the view and the step-through with the current weights. */
static void settle(ui_worker *w)
{
    if (w->have_trainer && !w->race)
        ui_snapshot_fill_samples(&w->snap, &w->t);   /* image data: the pictures and their predictions */
    compute_view(w);
    update_trace(w);
    fill_net(w, false);
}

// --- loading, resetting, the race -----------------------------------------------------------------

void worker_free_run(ui_worker *w)
{
    if (w->have_trainer)
        nn_trainer_free(&w->t);
    w->have_trainer = false;
    nn_probe_free(&w->probe);
    nn_step_meter_free(&w->meter);
    if (w->have_tr)
        nn_health_trace_free(&w->tr);
    w->have_tr = false;
    if (w->race)
        nn_race_free(w->race);
    free(w->race);
    w->race = NULL;
}

static void zero_timers(ui_worker *w)
{
    memset(&w->clock, 0, sizeof w->clock);
    w->grid_samples = 0;
    w->epoch_began = w->next_epoch_at = 0.0;
}

static void set_message(ui_worker *w, const char *msg)
{
    ui_snapshot_text(w->snap.message, sizeof w->snap.message, msg);
}

/* Health, warnings, events and the step-through start over (reset, reseed, load). */
static void clear_teaching(ui_worker *w)
{
    ui_snapshot_clear_teaching(&w->snap);
    w->row_pending = false;
    w->last_health = 0.0;
}

/* Drops the current run (trainer or race): LOADING for the preset p, to be published. */
static void begin_run(ui_worker *w, const nn_preset *p)
{
    worker_record_end(w);
    worker_free_run(w);
    w->run++;
    w->after = STOP_AFTER_NONE;
    w->sel.on = false;
    w->cell_a = w->cell_p = -1;
    ui_snapshot_fresh(&w->snap, p);
    clear_teaching(w);
    w->state = UI_RUN_LOADING;
}

/* The evaluation of the model's weights (epoch 0), shown until the first epoch. */
static void evaluate_start(ui_worker *w)
{
    nn_error err;
    w->have_start = nn_trainer_evaluate(&w->t, &w->start, &err) == NN_OK;
}

/* The weights of the model file w->model into the new trainer, with a notice either way. */
static void take_model(ui_worker *w)
{
    nn_error err;
    nn_error_clear(&err);
    nn_model *m = calloc(1, sizeof *m);
    nn_status st = m ? nn_model_load(m, w->model, &err) : nn_error_set(&err, NN_ENOMEM, "out of memory");
    bool resumed = st == NN_OK && m->state.present;
    int done = resumed ? m->state.epoch : 0;
    if (resumed) {
        /* the saved run goes on as `train --resume` does: its optimizer state, epoch, schedule and
         * shuffles; a finished one gets another training.epochs epochs (--resume --epochs N) */
        int epochs = nn_trainer_preset(&w->t)->training.epochs;
        if (epochs > 0 && done >= epochs) {
            char v[32];
            snprintf(v, sizeof v, "%d", done + epochs);
            st = nn_trainer_set_param(&w->t, "training.epochs", v, &err);
        }
        if (st == NN_OK)
            st = nn_trainer_state_set(&w->t, &m->state, &m->net, w->model, &err);
    } else if (st == NN_OK) {
        st = nn_model_apply(m, w->model, &w->t, &err);
    }
    nn_model_free(m);
    free(m);
    if (st != NN_OK) {
        worker_notice(w, true, "%s", why(&err, st));
        return;
    }
    if (resumed) {   /* reset goes back to epoch 0 of the same run: the seed's weights */
        nn_trainer_progress pr;
        nn_trainer_progress_get(&w->t, &pr);
        if (pr.batch > 0)
            worker_notice(w, false, "%s: resumed after batch %d, optimizer state as saved", w->model, pr.batch);
        else
            worker_notice(w, false, "%s: resumed, optimizer state as saved", w->model);
        return;
    }
    w->from_model = true;
    evaluate_start(w);
    bool cls = nn_trainer_data(&w->t)->task == NN_TASK_CLASSIFICATION;
    if (w->have_start && isfinite(w->start.test_acc))
        worker_notice(w, false, "%s: trained weights, fresh optimizer; test %s %.*f%s", w->model,
                      cls ? "accuracy" : "R2", cls ? 1 : 3, cls ? 100.0 * w->start.test_acc : w->start.test_acc,
                      cls ? "%" : "");
    else
        worker_notice(w, false, "%s: trained weights, fresh optimizer", w->model);
}

/* Rebuilds the trainer from w->preset: LOADING, then READY (or DONE) or ERROR. */
void worker_load(ui_worker *w)
{
    begin_run(w, &w->preset);
    worker_publish(w);

    nn_error err;
    nn_error_clear(&err);
    nn_status st = nn_trainer_init(&w->t, &w->preset, w->threads, &err);
    if (st != NN_OK) {
        w->state = UI_RUN_ERROR;
        set_message(w, why(&err, st));
        worker_publish(w);
        return;
    }
    w->have_trainer = true;

    /* the shared history, preallocated to the run's epochs */
    nn_trainer_progress pr;
    nn_trainer_progress_get(&w->t, &pr);
    int cap = pr.epochs > 0 ? pr.epochs : 1;
    nn_epoch_stats *hist = calloc((size_t)cap, sizeof *hist);
    ui_snapshot_fill_info(&w->snap, &w->t);
    bool ok = nn_probe_setup(&w->probe, &w->t, w->view_chosen, w->view_fx, w->view_fy, &err) == NN_OK;
    ui_snapshot_fill_boundary(&w->snap, &w->probe, &w->t);
    w->snap.fit.n = w->probe.fit_n;
    ok = ok && nn_step_meter_init(&w->meter, &w->t, &err) == NN_OK;
    memset(&w->tr, 0, sizeof w->tr);
    w->have_tr = nn_health_trace_init(&w->tr, nn_trainer_network(&w->t), &err) == NN_OK;
    if (!hist || !ok || !w->have_tr) {
        free(hist);
        if (!w->have_tr)
            nn_health_trace_free(&w->tr);
        worker_free_run(w);
        w->state = UI_RUN_ERROR;
        set_message(w, "out of memory building the trainer's view and health buffers");
        worker_publish(w);
        return;
    }
    pthread_mutex_lock(&w->mu);
    nn_epoch_stats *old = w->hist;
    w->hist = hist;
    w->hist_cap = cap;
    w->hist_len = 0;
    pthread_mutex_unlock(&w->mu);
    free(old);

    zero_timers(w);
    if (w->pace_preset)
        w->pace = nn_pace_default(&w->preset, nn_trainer_split(&w->t)->n_train);
    w->from_model = w->have_start = false;
    if (w->model[0])
        take_model(w);
    ui_snapshot_fill_samples(&w->snap, &w->t);
    compute_view(w);
    fill_net(w, false);
    worker_record_base(w);
    w->state = nn_trainer_finished(&w->t) ? UI_RUN_DONE : UI_RUN_READY;
    worker_publish(w);
}

static void do_reset(ui_worker *w, bool new_seed, uint64_t seed)
{
    if (w->race) {   /* back to epoch 0 for every optimizer of the race */
        nn_race_reset(w->race, new_seed, seed);
        for (int r = 0; r < w->race->n; r++) {
            ui_race_entry *e = &w->snap.race.entries[r];
            e->message[0] = '\0';
            e->hist_len = 0;
            e->hist_step = 1;
        }
    } else if (w->have_trainer) {
        worker_record_end(w);
        nn_trainer_reset(&w->t, new_seed, seed);
        clear_teaching(w);
        if (new_seed)
            w->from_model = w->have_start = false;   /* new weights: no longer the model's */
        else if (w->from_model)
            evaluate_start(w);
        worker_record_base(w);
    } else {
        return;
    }
    w->run++;
    w->after = STOP_AFTER_NONE;
    zero_timers(w);
    set_message(w, "");
    if (w->race) {
        w->state = UI_RUN_READY;
    } else {
        w->state = nn_trainer_finished(&w->t) ? UI_RUN_DONE : UI_RUN_READY;
        settle(w);
    }
    worker_publish(w);
}

/* Builds the race from w->race_preset and the list: LOADING, then READY or ERROR. A list that
 * does not parse leaves the current run alone. */
static void do_race(ui_worker *w, const char *list)
{
    nn_error err;
    nn_error_clear(&err);
    nn_race *race = calloc(1, sizeof *race);
    nn_status st = race ? nn_race_init(race, &w->race_preset, list[0] ? list : NULL, w->threads,
                                       NN_RACE_ROUND_ROBIN, &err)
                        : nn_error_set(&err, NN_ENOMEM, "race: out of memory");
    if (st != NN_OK) {
        free(race);
        worker_notice(w, true, "%s", err.msg[0] ? err.msg : "race: the optimizer list is empty");
        worker_publish(w);
        return;
    }
    begin_run(w, &w->race_preset);
    ui_snap_race *sr = &w->snap.race;
    sr->on = true;
    sr->n = race->n;
    for (int r = 0; r < race->n; r++) {
        ui_snapshot_text(sr->entries[r].name, sizeof sr->entries[r].name, race->racer[r].name);
        sr->entries[r].hist_step = 1;
    }
    ui_snapshot_fill_boundary(&w->snap, NULL, NULL);
    worker_publish(w);

    for (int r = 0; r < race->n && st == NN_OK; r++) {
        if (atomic_load(&w->stop))   /* destroy while building: stop between trainers */
            st = nn_error_set(&err, NN_EINVAL, "race: stopped");
        else
            st = nn_race_build(race, r, &err);
    }
    if (st != NN_OK) {
        char msg[NN_ERRMSG];
        ui_snapshot_text(msg, sizeof msg, why(&err, st));
        nn_race_free(race);
        free(race);
        sr->on = false;
        sr->n = 0;
        w->state = UI_RUN_ERROR;
        set_message(w, msg);
        worker_publish(w);
        return;
    }
    w->race = race;   /* the status part describes the race from now on (fill_race) */
    ui_snapshot_fill_info(&w->snap, &race->racer[0].t);
    sr->loss_is_val = nn_trainer_split(&race->racer[0].t)->n_val > 0;
    for (int r = 0; r < race->n; r++) {
        nn_trainer_progress pr;
        nn_trainer_progress_get(&race->racer[r].t, &pr);
        sr->entries[r].optimizer = (int)pr.optimizer;
        sr->entries[r].lr = pr.base_lr;
    }
    zero_timers(w);
    w->state = UI_RUN_READY;
    worker_publish(w);
}

/* One batch of the race while RUNNING: the optimizer whose turn it is. */
static void race_batch(ui_worker *w)
{
    nn_error err;
    nn_error_clear(&err);
    nn_race_turn turn;
    double t0 = worker_now();
    nn_status st = nn_race_step(w->race, &turn, &err);
    double t1 = worker_now();
    w->clock.busy_s += t1 - t0;
    if (st != NN_OK) {   /* every entry is built before the race starts: not expected */
        w->state = UI_RUN_ERROR;
        set_message(w, why(&err, st));
        w->after = STOP_AFTER_NONE;
        worker_publish(w);
        return;
    }
    bool changed = false;
    if (turn.entry >= 0) {
        ui_race_entry *e = &w->snap.race.entries[turn.entry];
        if (turn.status != NN_OK) {
            ui_snapshot_text(e->message, sizeof e->message, w->race->racer[turn.entry].message);
        } else if (turn.epoch_ended) {
            w->clock.eval_s += turn.stats.eval_seconds;
            double loss = w->snap.race.loss_is_val ? turn.stats.val_loss : turn.stats.train_loss;
            ui_snapshot_push_race_point(e, turn.stats.epoch, loss);
        }
    }
    if (turn.finished) {
        w->state = UI_RUN_DONE;
        changed = true;
    } else if (w->after == STOP_AFTER_BATCH || (w->after == STOP_AFTER_EPOCH && turn.round_over)) {
        w->state = UI_RUN_PAUSED;
        changed = true;
    }
    if (changed) {
        w->after = STOP_AFTER_NONE;
        worker_publish(w);
        return;
    }
    if (t1 - w->last_publish >= PUBLISH_INTERVAL)
        worker_publish(w);
}

/* Whether the batch about to run gets a health measurement. */
static bool measure_due(const ui_worker *w, const nn_trainer_progress *pr, double now)
{
    if (!w->meter.prev || nn_trainer_finished(&w->t))
        return false;
    int b = pr->batch, nb = pr->n_batches;
    if (nb <= 1 || b == nb - 2 || w->after == STOP_AFTER_BATCH)
        return true;
    return b < nb - 1 && now - w->last_health >= HEALTH_INTERVAL;
}

/* Health of the batch just trained (number batch1 of epoch epoch1), into the snapshot. */
static void measure_health(ui_worker *w, bool epoch_ended, int epoch1, int batch1)
{
    nn_health h;
    nn_step_meter_after(&w->meter, &w->t, epoch_ended, &h);
    ui_snapshot_fill_health(&w->snap, &h, epoch1, batch1);
    w->row_health = h;
    w->row_pending = true;
    fill_net(w, true);
    w->last_health = worker_now();
}

/* One batch while RUNNING. */
static void run_batch(ui_worker *w)
{
    nn_trainer *t = &w->t;
    nn_error err;
    nn_error_clear(&err);
    nn_trainer_progress pr;
    nn_trainer_progress_get(t, &pr);
    int epoch1 = pr.epoch + 1, batch1 = pr.batch + 1;
    bool measure = measure_due(w, &pr, worker_now());
    if (measure)
        nn_step_meter_before(&w->meter, t);
    double t0 = worker_now();
    if (pr.batch == 0)
        w->epoch_began = t0;
    worker_record_begin(w);
    nn_status st = nn_trainer_step(t, &err);
    double t1 = worker_now();
    w->clock.busy_s += t1 - t0;
    nn_trainer_progress_get(t, &pr);

    bool changed = false;
    if (st == NN_EDIVERGED || pr.state == NN_TRAINER_DIVERGED) {
        const char *fault = nn_trainer_fault(t);
        w->state = UI_RUN_DIVERGED;
        set_message(w, fault[0] ? fault : (err.msg[0] ? err.msg : "diverged"));
        changed = true;
    } else if (st != NN_OK) {
        w->state = UI_RUN_ERROR;
        set_message(w, why(&err, st));
        worker_record_end(w);
        worker_free_run(w);
        worker_publish(w);
        return;
    } else {
        bool epoch_end = nn_trainer_epoch_ended(t);
        if (measure)
            measure_health(w, epoch_end, epoch1, batch1);
        if (epoch_end) {
            w->snap.has_edit = false;   /* the epoch's evaluation supersedes a hand edit's */
            const nn_epoch_stats *last = nn_trainer_last(t);
            if (last)
                w->clock.eval_s += last->eval_seconds;
            w->clock.busy_at_epoch = w->clock.busy_s;
            if (w->row_pending) {
                nn_health_history_push(&w->snap.health.hist, &w->row_health, pr.epoch);
                w->row_pending = false;
            }
            if (last && nn_trainer_data(t)->task == NN_TASK_CLASSIFICATION)
                ui_snapshot_push_class_metrics(&w->snap, nn_trainer_metrics(t), last->epoch);
        }
        if (epoch_end && w->snap.samples.valid)
            ui_snapshot_fill_samples(&w->snap, t);   /* the pictures' predictions after each epoch */
        if (nn_trainer_finished(t)) {
            w->state = UI_RUN_DONE;
            changed = true;
        } else if (w->after == STOP_AFTER_BATCH || (w->after == STOP_AFTER_EPOCH && epoch_end)) {
            w->state = UI_RUN_PAUSED;
            changed = true;
        }
    }
    if (changed) {
        w->after = STOP_AFTER_NONE;
        if (w->state == UI_RUN_DONE || w->state == UI_RUN_DIVERGED)
            worker_record_end(w);
        settle(w);
        worker_publish(w);
        return;
    }
    if (w->pace > 0 && nn_trainer_epoch_ended(t)) {
        /* paced: every epoch is shown, with its view, and the next one waits its turn */
        w->next_epoch_at = w->epoch_began + 1.0 / w->pace;
        if (w->snap.boundary.kind != UI_VIEW_NONE && pr.samples_seen != w->grid_samples)
            compute_view(w);
        worker_publish(w);
        return;
    }
    if (t1 - w->last_publish < PUBLISH_INTERVAL)
        return;
    bool small = (double)UI_GRID_W * UI_GRID_H * (double)nn_trainer_network(t)->n_params <= GRID_MID_EPOCH_COST;
    if (w->snap.boundary.kind != UI_VIEW_NONE && pr.samples_seen != w->grid_samples &&
        (w->snap.boundary.epoch != pr.epoch || (small && t1 - w->last_grid >= GRID_INTERVAL)))
        compute_view(w);
    worker_publish(w);
}

// --- the commands with a payload (worker thread) --------------------------------------------------

static void do_save_model(ui_worker *w, const char *path)
{
    if (w->race) {
        worker_notice(w, true, "save model: a race has no single model; load a preset and train it to save one");
    } else if (!w->have_trainer) {
        worker_notice(w, true, "save model: no model is loaded");
    } else {
        nn_error err;
        nn_error_clear(&err);
        nn_status st = nn_trainer_save_model(&w->t, path, &err);
        nn_trainer_progress pr;
        nn_trainer_progress_get(&w->t, &pr);
        if (st == NN_OK && pr.epoch == 0 && pr.batch == 0)
            worker_notice(w, false, "model saved to %s (the initial weights, untrained)", path);
        else if (st == NN_OK && pr.batch > 0)
            worker_notice(w, false, "model saved to %s (epoch %d, after batch %d)", path, pr.epoch + 1, pr.batch);
        else if (st == NN_OK)
            worker_notice(w, false, "model saved to %s (epoch %d)", path, pr.epoch);
        else
            worker_notice(w, true, "save model: %s", why(&err, st));
    }
    worker_publish(w);
}

/* The report of the run as it is now: the trainer's figures, the live changes of the loss chart
 * and the Boundary view's features (report.h). */
static void do_report(ui_worker *w, const char *dir)
{
    if (w->race) {
        worker_notice(w, true, "report: a race has no single run; load a preset and train it to report on it");
        worker_publish(w);
        return;
    }
    if (!w->have_trainer) {
        worker_notice(w, true, "report: no model is loaded");
        worker_publish(w);
        return;
    }
    nn_report *r = malloc(sizeof *r);
    if (!r) {
        worker_notice(w, true, "report: out of memory");
        worker_publish(w);
        return;
    }
    nn_report_init(r);
    nn_error err;
    nn_error_clear(&err);
    char origin[NN_REPORT_LINE], written[256];
    nn_trainer_progress at;
    nn_trainer_progress_get(&w->t, &at);
    if (at.batch > 0)
        snprintf(origin, sizeof origin, "the trainer's e key, in epoch %d after batch %d of %d", at.epoch + 1,
                 at.batch, at.n_batches);
    else
        snprintf(origin, sizeof origin, "the trainer's e key, after epoch %d", at.epoch);
    bool chosen = w->view_chosen && w->view_fx >= 0 && w->view_fy >= 0;
    nn_status st = nn_report_from_trainer(r, &w->t, chosen ? w->view_fx : -1, chosen ? w->view_fy : -1, origin, &err);
    if (st == NN_OK) {
        nn_trainer_progress pr;
        nn_trainer_progress_get(&w->t, &pr);
        int nb = pr.n_batches > 0 ? pr.n_batches : 1;
        const ui_snap_events *ev = &w->snap.events;
        for (int i = 0; i < ev->n; i++)
            nn_report_add_event(r, ev->list[i].epoch + (double)ev->list[i].batch / nb, ev->list[i].what);
        /* the pinned runs' curves the UI sent with the command (ui_worker_report_curves) */
        pthread_mutex_lock(&w->mu);
        for (int k = 0; st == NN_OK && k < w->rep_n; k++)
            st = nn_report_add_curve(r, w->rep_name[k], w->rep_loss[k], w->rep_len[k], &err);
        for (int k = 0; k < w->rep_n; k++) {
            free(w->rep_loss[k]);
            w->rep_loss[k] = NULL;
        }
        w->rep_n = 0;
        pthread_mutex_unlock(&w->mu);
        if (st == NN_OK)
            st = nn_report_write(r, dir, written, sizeof written, &err);
    }
    nn_report_free(r);
    free(r);
    int files = 1;
    for (const char *c = written; *c; c++)
        files += *c == ',';
    if (st == NN_OK)
        worker_notice(w, false, "report written to %s/ (%d files)", dir, files);
    else
        worker_notice(w, true, "report: %s", why(&err, st));
    worker_publish(w);
}

static void do_set_lr(ui_worker *w, double lr)
{
    if (w->race) {
        worker_notice(w, true, "learning rate: each optimizer of a race keeps its own; load a preset to change it");
        worker_publish(w);
        return;
    }
    if (!w->have_trainer)
        return;
    nn_trainer_progress pr;
    nn_trainer_progress_get(&w->t, &pr);
    double old = pr.base_lr;
    nn_trainer_set_lr(&w->t, lr);   /* the trainer's preset follows: a saved model shows it */
    nn_trainer_progress_get(&w->t, &pr);
    if (pr.base_lr != old) {
        add_event(w, "lr %g -> %g", old, pr.base_lr);
        char v[32];
        snprintf(v, sizeof v, "%.17g", pr.base_lr);
        worker_record_live(w, "lr", v, w->snap.events.list[w->snap.events.n - 1].what);
    }
    if (w->state != UI_RUN_RUNNING)
        update_trace(w);   /* the step's formula uses the learning rate */
    worker_publish(w);
}

/* The pace (UI_CMD_SET_PACE): a step, max, or the preset's (see ui_worker_set_pace). */
static void do_set_pace(ui_worker *w, int pace)
{
    w->pace_preset = pace == UI_PACE_PRESET;
    if (w->pace_preset) {
        if (!w->have_trainer)
            return;   /* the load to come sets it */
        pace = nn_pace_default(nn_trainer_preset(&w->t), nn_trainer_split(&w->t)->n_train);
    }
    w->pace = pace;
    w->next_epoch_at = pace > 0 && w->epoch_began > 0.0 ? w->epoch_began + 1.0 / pace : 0.0;
    worker_publish(w);
}

/* Space after DONE: the run goes on from its current weights (UI_CMD_CONTINUE). */
static void do_continue(ui_worker *w)
{
    if (w->state != UI_RUN_DONE)
        return;
    if (w->race) {
        worker_notice(w, true, "a race ends when every optimizer has run its epochs; r races again");
        worker_publish(w);
        return;
    }
    if (!w->have_trainer)
        return;
    nn_error err;
    nn_error_clear(&err);
    nn_status st = nn_trainer_continue(&w->t, &err);
    if (st != NN_OK) {
        worker_notice(w, true, "%s", why(&err, st));
        worker_publish(w);
        return;
    }
    int epochs = nn_trainer_preset(&w->t)->training.epochs;
    if (epochs > 0)
        add_event(w, "continued for %d more epochs", epochs);
    else
        add_event(w, "continued, forever");
    worker_record_live(w, "continue", NULL, w->snap.events.list[w->snap.events.n - 1].what);
    w->state = UI_RUN_RUNNING;
    w->after = STOP_AFTER_NONE;
    w->next_epoch_at = 0.0;
    worker_publish(w);
}

/* A preset value as nn_preset_get gives it, without the quotes of a string. */
static void get_plain(const nn_preset *p, const char *key, char *out, size_t cap)
{
    nn_error err;
    if (nn_preset_get(p, key, out, cap, &err) != NN_OK) {
        ui_snapshot_text(out, cap, "?");
        return;
    }
    size_t n = strlen(out);
    if (n >= 2 && out[0] == '"' && out[n - 1] == '"') {
        memmove(out, out + 1, n - 2);
        out[n - 2] = '\0';
    }
}

/* After a live change of the data (nn_trainer_set_param on a dataset key: new points or a new split,
 * the same network): the split sizes, the Boundary's range and points and its picture anew. */
static void new_data(ui_worker *w)
{
    nn_error err;
    ui_snapshot_fill_info(&w->snap, &w->t);
    if (nn_probe_setup(&w->probe, &w->t, w->view_chosen, w->view_fx, w->view_fy, &err) != NN_OK)
        worker_notice(w, true, "the Boundary view: out of memory for the grid");
    ui_snapshot_fill_boundary(&w->snap, &w->probe, &w->t);
    w->snap.fit.n = w->probe.fit_n;
    w->grid_samples = -1;
    w->snap.has_edit = false;   /* evaluated on other data */
    settle(w);
}

static void do_set_param(ui_worker *w, const char *key, const char *value)
{
    if (w->race) {
        worker_notice(w, true, "%s: a race keeps its settings; load a preset to change them", key);
    } else if (!w->have_trainer) {
        worker_notice(w, true, "%s: no model is loaded", key);
    } else {
        const nn_preset_key *row = nn_preset_key_find(key);
        const char *label = row ? nn_preset_key_abbrev(row) : key;
        if (strcmp(key, "training.optimizer.name") == 0)
            label = "optimizer";   /* "name" says nothing on the chart */
        else if (strcmp(key, "training.schedule.name") == 0)
            label = "schedule";
        char before[64], after[64];
        get_plain(nn_trainer_preset(&w->t), key, before, sizeof before);
        nn_error err;
        nn_error_clear(&err);
        nn_status st = nn_trainer_set_param(&w->t, key, value, &err);
        if (st != NN_OK) {
            worker_notice(w, true, "%s", why(&err, st));
        } else if (row && (row->flags & NN_KEY_ABOUT)) {
            /* the name or the description: words about the run, not a change of it (no marker) */
        } else {
            nn_trainer_progress pr;
            nn_trainer_progress_get(&w->t, &pr);
            get_plain(nn_trainer_preset(&w->t), key, after, sizeof after);
            /* a new optimizer starts from zero moments, with its own defaults */
            char fresh[64] = "";
            if (strcmp(key, "training.optimizer.name") == 0 && strcmp(before, after) != 0)
                snprintf(fresh, sizeof fresh, " (fresh state, lr %g)", pr.base_lr);
            if (strcmp(before, after) != 0) {
                add_event(w, "%s %s -> %s%s", label, before, after, fresh);
                worker_record_live(w, key, value, w->snap.events.list[w->snap.events.n - 1].what);
            }
            if (strncmp(key, "dataset.", 8) == 0)
                new_data(w);
            if (pr.state == NN_TRAINER_DONE && w->state != UI_RUN_DONE) {
                w->state = UI_RUN_DONE;   /* fewer epochs: the run is at its new end */
                w->after = STOP_AFTER_NONE;
                worker_record_end(w);
                settle(w);
                worker_notice(w, false, "%s %s -> %s: the run ends at epoch %d", label, before, after, pr.epoch);
            } else if (pr.state != NN_TRAINER_DONE && w->state == UI_RUN_DONE) {
                w->state = UI_RUN_PAUSED;   /* more epochs: Space goes on */
                if (pr.epochs > 0)
                    worker_notice(w, false, "%s %s -> %s: Space trains on to epoch %d", label, before, after,
                                  pr.epochs);
                else
                    worker_notice(w, false, "%s %s -> %s: Space trains on until paused", label, before, after);
            } else if (w->state == UI_RUN_DONE || nn_trainer_finished(&w->t)) {   /* no epoch 301 of 300 */
                worker_notice(w, false, "%s %s -> %s%s for the epochs trained next", label, before, after, fresh);
            } else {
                worker_notice(w, false, "%s %s -> %s%s from epoch %d, batch %d", label, before, after, fresh,
                              pr.epoch + 1, pr.batch + 1);
            }
            if (w->state != UI_RUN_RUNNING)
                update_trace(w);
        }
    }
    worker_publish(w);
}

/* A figure for an event or a notice: 4 significant digits, no "+". */
static void short_num(char *out, size_t cap, double v)
{
    snprintf(out, cap, "%.4g", v == 0.0 ? 0.0 : v);
}

/* A weight or bias set by hand (UI_CMD_SET_WEIGHT): the value, the evaluation of the weights after it,
 * a marker and a notice with the losses before and after, the views with the new weights. */
static void do_set_weight(ui_worker *w, int layer, int i, int j, double value)
{
    char name[48];
    if (i == NN_TRAINER_BIAS)
        snprintf(name, sizeof name, "b%d[%d]", layer + 1, j);
    else
        snprintf(name, sizeof name, "W%d[%d][%d]", layer + 1, i, j);
    if (w->race) {
        worker_notice(w, true, "%s: a race has no single network; load a preset to edit its weights", name);
    } else if (!w->have_trainer || w->state == UI_RUN_LOADING || w->state == UI_RUN_ERROR) {
        worker_notice(w, true, "%s: no model is loaded", name);
    } else if (w->state == UI_RUN_DIVERGED) {
        worker_notice(w, true, "%s: the run diverged; r resets to the initial weights, R draws new ones", name);
    } else {
        nn_error err;
        nn_error_clear(&err);
        nn_epoch_stats before;
        nn_trainer_evaluate(&w->t, &before, &err);
        double old = 0.0;
        nn_status st = nn_trainer_set_weight(&w->t, layer, i, j, value, &old, &err);
        if (st != NN_OK) {
            worker_notice(w, true, "%s: %s", name, why(&err, st));
        } else {
            nn_trainer_progress pr;
            nn_trainer_progress_get(&w->t, &pr);
            nn_trainer_evaluate(&w->t, &w->snap.edit, &err);
            w->snap.has_edit = true;
            w->snap.edit_batch = pr.batch;
            char o[24], v[24], l0[24], l1[24];
            short_num(o, sizeof o, old);
            short_num(v, sizeof v, (double)(float)value);
            add_event(w, "%s %s -> %s", name, o, v);
            char rv[64];   /* the record's live change, for verify to make again */
            snprintf(rv, sizeof rv, "%d %d %d %.9g", layer, i, j, (double)(float)value);
            worker_record_live(w, "weight", rv, w->snap.events.list[w->snap.events.n - 1].what);
            short_num(l0, sizeof l0, before.train_loss);
            short_num(l1, sizeof l1, w->snap.edit.train_loss);
            bool cls = nn_trainer_data(&w->t)->task == NN_TASK_CLASSIFICATION;
            if (cls)
                worker_notice(w, false, "%s %s -> %s: train loss %s -> %s, test acc %.1f%% -> %.1f%%", name, o, v,
                              l0, l1, 100.0 * before.test_acc, 100.0 * w->snap.edit.test_acc);
            else
                worker_notice(w, false, "%s %s -> %s: train loss %s -> %s, test R2 %.3f -> %.3f", name, o, v, l0, l1,
                              before.test_acc, w->snap.edit.test_acc);
            if (w->state == UI_RUN_RUNNING) {
                compute_view(w);
                fill_net(w, false);
            } else {
                settle(w);
            }
        }
    }
    worker_publish(w);
}

static void do_trace(ui_worker *w, const worker_msg *c)
{
    if (w->race) {
        worker_notice(w, true, "step-through: not in a race; load a preset to step through it");
    } else if (c->arg[0] < 0) {
        w->sel.on = false;
        w->snap.trace.valid = false;
    } else if (!w->have_trainer) {
        w->sel.on = false;
        w->snap.trace.valid = false;
        worker_notice(w, true, "step-through: no model is loaded");
    } else {
        w->sel.on = true;
        memcpy(w->sel.sel, c->arg, sizeof w->sel.sel);
        if (w->state != UI_RUN_RUNNING && w->state != UI_RUN_LOADING)
            update_trace(w);
        else
            w->snap.trace.valid = false;   /* computed at the next stop */
    }
    worker_publish(w);
}

/* New axes for the Boundary view: the grid, range and points over features fx and fy. */
static void do_view_features(ui_worker *w, int fx, int fy)
{
    int nf = w->have_trainer ? nn_trainer_data(&w->t)->n_features : 0;
    nn_error err;
    if (w->race || !w->have_trainer) {
        worker_notice(w, true, "view features: %s", w->race ? "not during a race" : "no model is loaded");
    } else if (nf <= 2 || nf > UI_VIEW_MAX_FEATURES) {
        worker_notice(w, true, "view features: this dataset has %d features; choosing two needs 3 to %d", nf,
               UI_VIEW_MAX_FEATURES);
    } else if ((fx < 0 || fy < 0) && !nn_probe_best_pair(&w->t, &fx, &fy)) {
        worker_notice(w, true, "view features: no training rows to choose two features from");
    } else if (fx < 0 || fy < 0 || fx >= nf || fy >= nf || fx == fy) {
        worker_notice(w, true, "view features: %d and %d must be two different features of 0..%d", fx, fy, nf - 1);
    } else if (nn_probe_setup(&w->probe, &w->t, true, fx, fy, &err) != NN_OK) {
        worker_notice(w, true, "view features: out of memory for the grid");
    } else {
        w->view_fx = fx;
        w->view_fy = fy;
        w->view_chosen = true;
        ui_snapshot_fill_boundary(&w->snap, &w->probe, &w->t);
        w->grid_samples = -1;
        compute_view(w);
    }
    worker_publish(w);
}

/* The Neurons view's request: the unit maps now, when there is a plane to draw them over. */
static void do_units(ui_worker *w, const int *arg)
{
    w->units.on = arg[0] != 0;
    w->units.layer = arg[1];
    w->units.first = arg[2];
    bool plane = w->have_trainer && !w->race &&
                 (w->snap.boundary.kind == UI_VIEW_BOUNDARY || w->snap.boundary.kind == UI_VIEW_SURFACE);
    if (w->units.on && plane && w->state != UI_RUN_LOADING)
        ui_snapshot_fill_units(&w->snap, &w->probe, &w->t, w->units.layer, w->units.first);
    else if (!w->units.on || !plane)
        ui_snapshot_fill_units(&w->snap, NULL, NULL, 0, 0);
    worker_publish(w);
}

/* Applies one command (worker thread). skip: a load or race that a newer one replaces. */
void worker_apply(ui_worker *w, const worker_msg *c, bool skip)
{
    ui_run_state s = w->state;
    bool idle = s == UI_RUN_READY || s == UI_RUN_PAUSED;
    switch (c->kind) {
    case UI_CMD_START:
        if (idle || (s == UI_RUN_RUNNING && w->after != STOP_AFTER_NONE)) {
            w->state = UI_RUN_RUNNING;
            w->after = STOP_AFTER_NONE;
            if (idle)
                worker_publish(w);
        }
        break;
    case UI_CMD_PAUSE:
        if (s == UI_RUN_RUNNING) {
            w->state = UI_RUN_PAUSED;
            w->after = STOP_AFTER_NONE;
            settle(w);
            worker_publish(w);
        }
        break;
    case UI_CMD_TOGGLE: {
        worker_msg alt = *c;
        alt.kind = s == UI_RUN_RUNNING ? UI_CMD_PAUSE : UI_CMD_START;
        worker_apply(w, &alt, skip);
        break;
    }
    case UI_CMD_STEP_EPOCH:
    case UI_CMD_STEP_BATCH:
        if (idle) {
            w->state = UI_RUN_RUNNING;
            w->after = c->kind == UI_CMD_STEP_EPOCH ? STOP_AFTER_EPOCH : STOP_AFTER_BATCH;
            worker_publish(w);
        }
        break;
    case UI_CMD_RESET:
        do_reset(w, false, 0);
        break;
    case UI_CMD_RESEED:
        do_reset(w, true, c->seed);
        break;
    case UI_CMD_SET_LR:
        do_set_lr(w, c->lr);
        break;
    case UI_CMD_LOAD:
        if (!skip) {
            ui_snapshot_text(w->model, sizeof w->model, c->text);
            worker_load(w);
        }
        break;
    case UI_CMD_CONTINUE:
        if (idle) {   /* a reset came first (r, then Space before the UI saw READY): Space means start */
            worker_msg alt = *c;
            alt.kind = UI_CMD_START;
            worker_apply(w, &alt, skip);
        } else {
            do_continue(w);
        }
        break;
    case UI_CMD_SET_PACE:
        do_set_pace(w, c->pace);
        break;
    case UI_CMD_QUIT:
        atomic_store(&w->stop, true);
        break;
    case UI_CMD_SAVE_MODEL:
        do_save_model(w, c->text);
        break;
    case UI_CMD_TRACE:
        do_trace(w, c);
        break;
    case UI_CMD_SET_PARAM:
        do_set_param(w, c->key, c->text);
        break;
    case UI_CMD_RACE:
        if (!skip)
            do_race(w, c->text);
        break;
    case UI_CMD_VIEW_FEATURES:
        do_view_features(w, c->arg[0], c->arg[1]);
        break;
    case UI_CMD_REPORT:
        do_report(w, c->text);
        break;
    case UI_CMD_UNITS:
        do_units(w, c->arg);
        break;
    case UI_CMD_PICTURE:
        w->pic_unit = c->arg[0];
        ui_snapshot_fill_picture(&w->snap, w->race || !w->have_trainer ? NULL : &w->t, w->pic_unit);
        worker_publish(w);
        break;
    case UI_CMD_CELL:
        w->cell_a = c->arg[0] < 0 || c->arg[1] < 0 ? -1 : c->arg[0];
        w->cell_p = w->cell_a < 0 ? -1 : c->arg[1];
        worker_publish(w);
        break;
    case UI_CMD_SET_WEIGHT:
        do_set_weight(w, c->arg[0], c->arg[1], c->arg[2], c->lr);
        break;
    case UI_CMD_RECORD:
        worker_record_dir(w, c->text);
        break;
    case UI_CMD_COUNT:
        break;
    }
}

double worker_pace_wait(const ui_worker *w)
{
    if (w->pace <= 0 || w->race || !w->have_trainer || w->after != STOP_AFTER_NONE || w->next_epoch_at <= 0.0)
        return 0.0;
    nn_trainer_progress pr;
    nn_trainer_progress_get(&w->t, &pr);
    if (pr.batch != 0)   /* within an epoch: no waiting */
        return 0.0;
    double d = w->next_epoch_at - worker_now();
    return d > 0.0 ? d : 0.0;
}

void worker_train(ui_worker *w)
{
    if (w->race)
        race_batch(w);
    else if (w->have_trainer)
        run_batch(w);
}
