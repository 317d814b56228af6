/* snapshot.c — the snapshot (see snapshot.h): its sections (where each lies, copying the ones
 * that changed, stamping them with a publish's seq), and filling them from the engine's structs:
 * the trainer's accessors, the probe, the race, the health and the step-through. No locking here:
 * the worker calls these on its private snapshot, and copies under its mutex. */
#include "snapshot.h"

#include "unitstats.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

const char *ui_run_state_word(ui_run_state s)
{
    static const char *const words[UI_RUN_COUNT] = {
        "LOADING", "READY", "RUNNING", "PAUSED", "DONE", "DIVERGED", "ERROR"
    };
    return (s >= 0 && s < UI_RUN_COUNT) ? words[s] : "?";
}

/* The sections, in the snapshot's order. Each opens with its uint64_t seq. */
#define SECTION(f) {offsetof(ui_snapshot, f), sizeof(((ui_snapshot *)0)->f)}
static const struct {
    size_t off, size;
} sections[] = {
    SECTION(info), SECTION(eval), SECTION(boundary), SECTION(fit), SECTION(health),
    SECTION(trace), SECTION(events), SECTION(race), SECTION(net), SECTION(units), SECTION(samples), SECTION(picture),
};
#undef SECTION
#define N_SECTIONS (sizeof sections / sizeof sections[0])
#define STATUS_BYTES offsetof(ui_snapshot, info)   /* the status part: everything before the first section */
_Static_assert(offsetof(ui_snap_info, seq) == 0 && offsetof(ui_snap_eval, seq) == 0 &&
                   offsetof(ui_snap_boundary, seq) == 0 && offsetof(ui_snap_fit, seq) == 0 &&
                   offsetof(ui_snap_health, seq) == 0 && offsetof(ui_trace, seq) == 0 &&
                   offsetof(ui_snap_events, seq) == 0 && offsetof(ui_snap_race, seq) == 0 &&
                   offsetof(ui_snap_net, seq) == 0 && offsetof(ui_snap_units, seq) == 0 &&
                   offsetof(ui_snap_samples, seq) == 0 && offsetof(ui_snap_picture, seq) == 0,
               "every section opens with its seq");
_Static_assert(offsetof(ui_snapshot, info) > offsetof(ui_snapshot, notice_error) &&
                   offsetof(ui_snapshot, picture) + sizeof(ui_snap_picture) <= sizeof(ui_snapshot),
               "the status part comes first, the sections after it");

static uint64_t section_seq(const ui_snapshot *s, size_t i)
{
    uint64_t q;
    memcpy(&q, (const char *)s + sections[i].off, sizeof q);
    return q;
}

static void set_section_seq(ui_snapshot *s, size_t i, uint64_t q)
{
    memcpy((char *)s + sections[i].off, &q, sizeof q);
}

void ui_snapshot_set_seqs(ui_snapshot *s, uint64_t seq)
{
    for (size_t i = 0; i < N_SECTIONS; i++)
        set_section_seq(s, i, seq);
}

/* The Network view's section (277 KB, nearly all of it the UI_NET_DIM x UI_NET_DIM cells of
 * NN_MAX_LAYERS layers) holds a few KB for most networks: copies the cells in use. A layer's cells
 * past rows x cols (and columns past cols) are zero in the worker's snapshot (a new run starts from a
 * zeroed one, and a layer keeps its shape within a run), so copying the larger of the two copies'
 * extents leaves dst byte for byte equal to src. */
static void copy_net(ui_snap_net *dst, const ui_snap_net *src)
{
    int old_cells[NN_MAX_LAYERS], old_cols[NN_MAX_LAYERS];
    for (int l = 0; l < NN_MAX_LAYERS; l++) {
        old_cells[l] = dst->rows[l] * dst->cols[l];
        old_cols[l] = dst->cols[l];
    }
    memcpy(dst, src, offsetof(ui_snap_net, w));
    for (int l = 0; l < NN_MAX_LAYERS; l++) {
        int cells = src->rows[l] * src->cols[l], cols = src->cols[l];
        if (old_cells[l] > cells)
            cells = old_cells[l];
        if (old_cols[l] > cols)
            cols = old_cols[l];
        memcpy(dst->w[l], src->w[l], (size_t)cells * sizeof dst->w[l][0]);
        memcpy(dst->b[l], src->b[l], (size_t)cols * sizeof dst->b[l][0]);
        memcpy(dst->amean[l], src->amean[l], (size_t)cols * sizeof dst->amean[l][0]);
        memcpy(dst->astd[l], src->astd[l], (size_t)cols * sizeof dst->astd[l][0]);
        memcpy(dst->active[l], src->active[l], (size_t)cols * sizeof dst->active[l][0]);
        memcpy(dst->sat[l], src->sat[l], (size_t)cols * sizeof dst->sat[l][0]);
    }
    dst->act_rows = src->act_rows;
}

/* The Neurons view's section (150 KB of maps) holds n maps: copies those. Maps past n are zero in the
 * worker's snapshot (ui_snapshot_fill_units clears them), so copying the larger n of the two leaves
 * dst byte for byte equal to src. */
static void copy_units(ui_snap_units *dst, const ui_snap_units *src)
{
    int n = dst->n > src->n ? dst->n : src->n;
    if (n < 0 || n > UI_UNIT_MAX)
        n = UI_UNIT_MAX;
    memcpy(dst, src, offsetof(ui_snap_units, map));
    memcpy(dst->map, src->map, (size_t)n * sizeof dst->map[0]);
}

void ui_snapshot_copy(ui_snapshot *dst, const ui_snapshot *src, bool all)
{
    memcpy(dst, src, STATUS_BYTES);
    for (size_t i = 0; i < N_SECTIONS; i++) {
        if (!all && section_seq(dst, i) == section_seq(src, i))
            continue;
        if (sections[i].off == offsetof(ui_snapshot, net))
            copy_net(&dst->net, &src->net);
        else if (sections[i].off == offsetof(ui_snapshot, units))
            copy_units(&dst->units, &src->units);
        else
            memcpy((char *)dst + sections[i].off, (const char *)src + sections[i].off, sections[i].size);
    }
}

void ui_snapshot_stamp(ui_snapshot *s, const ui_snapshot *prev, uint64_t seq)
{
    for (size_t i = 0; i < N_SECTIONS; i++) {
        size_t off = sections[i].off + sizeof(uint64_t), n = sections[i].size - sizeof(uint64_t);
        bool changed = memcmp((const char *)s + off, (const char *)prev + off, n) != 0;
        set_section_seq(s, i, changed ? seq : section_seq(prev, i));
    }
}

// --- filling it from the engine (the worker thread) ------------------------------------------------

static void copy_str(char *dst, size_t cap, const char *src)
{
    if (cap == 0)
        return;
    size_t n = src ? strlen(src) : 0;
    if (n >= cap) {   /* names are whole in the dataset; the display copy is cut at a character */
        n = cap - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    if (n > 0)
        memcpy(dst, src, n);
    dst[n] = '\0';
}

void ui_snapshot_text(char *dst, size_t cap, const char *src)
{
    copy_str(dst, cap, src);
}

void ui_snapshot_fresh(ui_snapshot *s, const nn_preset *p)
{
    uint64_t seq = s->seq, nseq = s->notice_seq;
    bool nerr = s->notice_error;
    char note[NN_ERRMSG];
    memcpy(note, s->notice, sizeof note);
    memset(s, 0, sizeof *s);
    s->seq = seq;
    s->notice_seq = nseq;
    s->notice_error = nerr;
    memcpy(s->notice, note, sizeof note);
    s->boundary.epoch = -1;
    copy_str(s->name, sizeof s->name, p->name);
    copy_str(s->file, sizeof s->file, p->file);
    copy_str(s->info.source, sizeof s->info.source, p->dataset.source);
    s->epochs = p->training.epochs;
}

void ui_snapshot_clear_teaching(ui_snapshot *s)
{
    s->health.valid = false;
    s->health.epoch = s->health.batch = 0;
    memset(&s->health.last, 0, sizeof s->health.last);
    nn_health_history_clear(&s->health.hist);
    s->health.n_warnings = 0;
    s->events.n = 0;
    s->has_edit = false;
    s->trace.valid = false;
    s->net.act_rows = 0;
    s->eval.cls_len = s->eval.cls_last = 0;
}

void ui_snapshot_push_class_metrics(ui_snapshot *s, const nn_class_metrics *m, int epoch)
{
    ui_snap_eval *e = &s->eval;
    int k = m->k < UI_CLS_MAX ? m->k : UI_CLS_MAX;
    if (e->cls_len == UI_CLS_HIST) {   /* drop the oldest */
        for (int c = 0; c < UI_CLS_MAX; c++) {
            memmove(e->cls_p[c], e->cls_p[c] + 1, (UI_CLS_HIST - 1) * sizeof e->cls_p[c][0]);
            memmove(e->cls_r[c], e->cls_r[c] + 1, (UI_CLS_HIST - 1) * sizeof e->cls_r[c][0]);
            memmove(e->cls_f[c], e->cls_f[c] + 1, (UI_CLS_HIST - 1) * sizeof e->cls_f[c][0]);
        }
        e->cls_len--;
    }
    for (int c = 0; c < k; c++) {
        e->cls_p[c][e->cls_len] = (float)m->precision[c];
        e->cls_r[c][e->cls_len] = (float)m->recall[c];
        e->cls_f[c][e->cls_len] = (float)m->f1[c];
    }
    e->cls_len++;
    e->cls_last = epoch;
}

void ui_snapshot_fill_info(ui_snapshot *s, const nn_trainer *t)
{
    ui_snap_info *in = &s->info;
    const nn_dataset *d = nn_trainer_data(t);
    const nn_split *sp = nn_trainer_split(t);
    const nn_network *net = nn_trainer_network(t);
    const nn_preset *p = nn_trainer_preset(t);
    nn_trainer_progress pr;
    nn_trainer_progress_get(t, &pr);
    copy_str(in->source, sizeof in->source, p->dataset.source);
    in->task = (int)d->task;
    in->n_train = sp->n_train;
    in->n_val = sp->n_val;
    in->n_test = sp->n_test;
    in->n_features = d->n_features;
    in->n_raw = d->n_raw;
    in->n_classes = d->task == NN_TASK_CLASSIFICATION ? d->n_classes : 0;
    in->n_targets = d->task == NN_TASK_REGRESSION ? d->n_targets : 0;
    in->k = in->n_classes > NN_MAX_CLASSES ? NN_MAX_CLASSES : in->n_classes;
    for (int c = 0; c < in->k; c++)
        copy_str(in->class_names[c], NN_NAME_MAX, nn_dataset_class_name(d, c));
    for (int j = 0; j < 2; j++) {
        char px[32];
        const char *name = d->n_raw == 2 ? d->raw_names[j]
                           : j < d->n_features ? nn_dataset_feature_name(d, j, px, sizeof px) : "";
        copy_str(in->feature_names[j], NN_NAME_MAX, name);
    }
    memset(in->input_names, 0, sizeof in->input_names);
    memset(in->feature_of, 0, sizeof in->feature_of);
    for (int j = 0; j < d->n_features && j < UI_NET_DIM; j++) {
        char px[32];
        copy_str(in->input_names[j], sizeof in->input_names[j], nn_dataset_feature_name(d, j, px, sizeof px));
        if (d->n_raw == 2 && j < UI_UNIT_IN_MAX)
            in->feature_of[j] = (int8_t)d->feature_of[j];
    }
    in->n_layers = net->n_layers;
    for (int l = 0; l < net->n_layers && l < NN_MAX_LAYERS; l++) {
        in->layers[l].in = net->layers[l].in;
        in->layers[l].out = net->layers[l].out;
        in->layers[l].act = (int)net->layers[l].act;
    }
    in->n_params = (long)net->n_params;
    s->batch_size = pr.batch_size;
    s->optimizer = (int)pr.optimizer;
    s->loss = (int)pr.loss;
    copy_str(s->name, sizeof s->name, p->name);
    copy_str(s->file, sizeof s->file, p->file);
}

void ui_snapshot_fill_progress(ui_snapshot *s, const nn_trainer *t, const ui_run_clock *c, bool finished)
{
    nn_trainer_progress pr;
    nn_trainer_progress_get(t, &pr);
    s->seed = pr.seed;
    s->epochs = pr.epochs;
    s->epoch = pr.epoch;
    s->batch = pr.batch;
    s->n_batches = pr.n_batches;
    s->batch_size = pr.batch_size;
    s->lr = pr.lr;
    s->base_lr = pr.base_lr;
    s->samples_seen = pr.samples_seen;
    s->elapsed_s = c->busy_s + c->waited_s;   /* at a pace, the waits between epochs too */
    double train_s = s->elapsed_s - c->eval_s;
    s->samples_per_s = train_s > 0.0 ? (double)pr.samples_seen / train_s : 0.0;
    double eta = 0.0;
    if (!finished && s->epochs > pr.epoch) {   /* from the mean epoch time */
        double in_epoch = c->busy_s - c->busy_at_epoch;
        double per_epoch = 0.0;
        if (pr.epoch > 0)
            per_epoch = c->busy_at_epoch / (double)pr.epoch;
        else if (pr.batch > 0 && pr.n_batches > 0)
            per_epoch = in_epoch / (double)pr.batch * (double)pr.n_batches;
        eta = per_epoch * (double)(s->epochs - pr.epoch) - in_epoch;
        if (eta < 0.0)
            eta = 0.0;
    }
    s->eta_s = eta;
    s->threads = pr.threads;
    s->stopped_early = pr.stopped_early;
    s->best_epoch = pr.best_epoch;
    const nn_epoch_stats *fin = nn_trainer_final(t), *last = nn_trainer_last(t);
    if (fin)
        s->final = *fin;
    else
        memset(&s->final, 0, sizeof s->final);
    s->has_last = last != NULL;
    s->history_len = pr.history_len;
    int k = s->info.k, kt;
    const int *confusion = nn_trainer_confusion(t, &kt);
    if (last) {
        s->last = *last;
        if (k > 0 && confusion)
            memcpy(s->eval.confusion, confusion, (size_t)k * (size_t)k * sizeof *s->eval.confusion);
        s->eval.metrics = *nn_trainer_metrics(t);
        s->eval.reg = *nn_trainer_reg_metrics(t);
    } else {
        memset(&s->last, 0, sizeof s->last);
        if (k > 0)
            memset(s->eval.confusion, 0, (size_t)k * (size_t)k * sizeof *s->eval.confusion);
        memset(&s->eval.metrics, 0, sizeof s->eval.metrics);
        memset(&s->eval.reg, 0, sizeof s->eval.reg);
    }
}

void ui_snapshot_fill_cell(ui_snapshot *s, const nn_trainer *t, const nn_probe *p, int a, int pr)
{
    ui_snap_eval *e = &s->eval;
    e->cell_a = a;
    e->cell_p = pr;
    e->cell_n = e->cell_shown = e->cell_nv = 0;
    e->cell_xy = false;
    if (a < 0 || pr < 0 || !s->has_last || s->info.task != NN_TASK_CLASSIFICATION)
        return;
    int n = 0;
    const uint32_t *rows = nn_trainer_cell_rows(t, a, pr, &n);
    const nn_dataset *d = nn_trainer_data(t);
    const nn_norm *nm = nn_trainer_norm(t);
    e->cell_n = n;
    int nf = d->n_raw == 2 ? 2 : d->n_features;
    e->cell_nv = d->image_rows > 0 ? 0 : nf < UI_CELL_VALS ? nf : UI_CELL_VALS;
    for (int j = 0; j < e->cell_nv; j++) {
        char px[32];
        copy_str(e->cell_names[j], NN_NAME_MAX, d->n_raw == 2 ? d->raw_names[j] : nn_dataset_feature_name(d, j, px, sizeof px));
    }
    e->cell_xy = p && (p->kind == NN_PROBE_BOUNDARY || p->kind == NN_PROBE_SURFACE);
    for (int i = 0; rows && i < n && i < UI_CELL_ROWS; i++) {
        ui_cell_row *c = &e->cell[i];
        memset(c, 0, sizeof *c);
        c->row = rows[i];
        c->line = d->row_line ? d->row_line[rows[i]] : 0;
        for (int j = 0; j < e->cell_nv; j++) {
            float v = d->n_raw == 2 ? d->raw[2 * (size_t)rows[i] + (size_t)j] : nn_dataset_value(d, (int)rows[i], j);
            if (d->n_raw != 2 && nm->scale)
                v = v * nm->scale[j] + nm->shift[j];
            c->v[j] = v;
        }
        if (e->cell_xy)
            nn_probe_point_of(p, t, (int)rows[i], &c->x, &c->y);
        e->cell_shown = i + 1;
    }
}

void ui_snapshot_fill_start(ui_snapshot *s, const nn_trainer *t, const nn_epoch_stats *st)
{
    s->has_last = true;
    s->last = *st;
    int k = s->info.k, kt;
    const int *confusion = nn_trainer_confusion(t, &kt);
    if (k > 0 && confusion && kt == k)
        memcpy(s->eval.confusion, confusion, (size_t)k * (size_t)k * sizeof *s->eval.confusion);
    s->eval.metrics = *nn_trainer_metrics(t);
    s->eval.reg = *nn_trainer_reg_metrics(t);
}

static ui_run_state entry_state(const nn_race *race, int r, const nn_trainer_progress *pr)
{
    if (race->racer[r].failed)
        return UI_RUN_ERROR;
    switch (pr->state) {
    case NN_TRAINER_READY:
        return UI_RUN_READY;
    case NN_TRAINER_TRAINING:
        return UI_RUN_RUNNING;
    case NN_TRAINER_DONE:
        return UI_RUN_DONE;
    case NN_TRAINER_DIVERGED:
        return UI_RUN_DIVERGED;
    }
    return UI_RUN_RUNNING;
}

void ui_snapshot_fill_race(ui_snapshot *s, const nn_race *race, const ui_run_clock *c, bool finished)
{
    nn_trainer_progress p0, pc;
    nn_trainer_progress_get(&race->racer[0].t, &p0);
    nn_trainer_progress_get(&race->racer[race->cur].t, &pc);
    s->seed = p0.seed;
    s->epochs = p0.epochs;
    int lo = -1, hi = 0;
    long seen = 0, left = 0, done = 0;
    for (int r = 0; r < race->n; r++) {
        const nn_trainer *t = &race->racer[r].t;
        nn_trainer_progress pr;
        nn_trainer_progress_get(t, &pr);
        ui_race_entry *e = &s->race.entries[r];
        seen += pr.samples_seen;
        done += pr.epoch;
        if (pr.epoch > hi)
            hi = pr.epoch;
        if (!nn_race_entry_finished(race, r)) {
            if (lo < 0 || pr.epoch < lo)
                lo = pr.epoch;
            left += s->epochs - pr.epoch;
        }
        e->state = entry_state(race, r, &pr);
        e->epoch = pr.epoch;
        const nn_epoch_stats *last = nn_trainer_last(t), *fin = nn_trainer_final(t);
        e->train_loss = last ? last->train_loss : (double)NAN;
        e->val_loss = last ? last->val_loss : (double)NAN;
        e->test_loss = last ? last->test_loss : (double)NAN;
        e->test_acc = last ? last->test_acc : (double)NAN;
        e->final_test_loss = fin ? fin->test_loss : (double)NAN;
        e->final_test_acc = fin ? fin->test_acc : (double)NAN;
    }
    s->epoch = lo >= 0 ? lo : hi;
    s->batch = pc.batch;
    s->n_batches = p0.n_batches;
    s->batch_size = p0.batch_size;
    s->optimizer = (int)pc.optimizer;
    s->lr = pc.lr;
    s->base_lr = pc.base_lr;
    s->samples_seen = seen;
    s->elapsed_s = c->busy_s + c->waited_s;   /* at a pace, the waits between epochs too */
    double train_s = s->elapsed_s - c->eval_s;
    s->samples_per_s = train_s > 0.0 ? (double)seen / train_s : 0.0;
    s->eta_s = !finished && done > 0 ? c->busy_s / (double)done * (double)left : 0.0;
    s->threads = p0.threads;
    s->race.current = race->cur;
    s->has_last = false;
    s->history_len = 0;
    s->stopped_early = false;
    s->best_epoch = 0;
    memset(&s->final, 0, sizeof s->final);
    memset(&s->last, 0, sizeof s->last);
}

void ui_snapshot_push_race_point(ui_race_entry *e, int epoch, double loss)
{
    if (e->hist_step < 1)
        e->hist_step = 1;
    if (epoch % e->hist_step != 0)
        return;
    if (e->hist_len >= UI_RACE_HIST) {
        for (int p = 0; p < UI_RACE_HIST / 2; p++)
            e->loss[p] = e->loss[2 * p + 1];
        e->hist_len = UI_RACE_HIST / 2;
        e->hist_step *= 2;
        if (epoch % e->hist_step != 0)
            return;
    }
    e->loss[e->hist_len++] = (float)loss;
}

static ui_view_kind view_kind(nn_probe_kind k)
{
    switch (k) {
    case NN_PROBE_NONE:
        return UI_VIEW_NONE;
    case NN_PROBE_BOUNDARY:
        return UI_VIEW_BOUNDARY;
    case NN_PROBE_SURFACE:
        return UI_VIEW_SURFACE;
    case NN_PROBE_CURVE:
        return UI_VIEW_CURVE;
    }
    return UI_VIEW_NONE;
}

void ui_snapshot_fill_boundary(ui_snapshot *s, const nn_probe *p, const nn_trainer *t)
{
    ui_snap_boundary *b = &s->boundary;
    b->kind = p && t ? view_kind(p->kind) : UI_VIEW_NONE;
    b->epoch = -1;
    b->grid_w = b->grid_h = 0;
    b->n_points = 0;
    b->curve_n = 0;
    b->fx = 0;
    b->fy = -1;
    b->names[0][0] = b->names[1][0] = '\0';
    if (b->kind == UI_VIEW_NONE)
        return;
    const nn_dataset *d = nn_trainer_data(t);
    char px[32];
    b->fx = p->fx;
    b->fy = p->fy;
    if (d->n_raw == 2) {   /* Playground features: drawn over the raw x1, x2 */
        copy_str(b->names[0], NN_NAME_MAX, d->raw_names[0]);
        copy_str(b->names[1], NN_NAME_MAX, d->raw_names[1]);
    } else {
        copy_str(b->names[0], NN_NAME_MAX, nn_dataset_feature_name(d, p->fx, px, sizeof px));
        if (p->fy >= 0)
            copy_str(b->names[1], NN_NAME_MAX, nn_dataset_feature_name(d, p->fy, px, sizeof px));
    }
    b->x_min = p->x_min;
    b->x_max = p->x_max;
    b->y_min = p->y_min;
    b->y_max = p->y_max;
    b->n_points = nn_probe_points(p, t, b->points, UI_MAX_POINTS);
    if (b->kind == UI_VIEW_CURVE) {
        b->curve_n = UI_CURVE_MAX;
    } else {
        b->grid_w = UI_GRID_W;
        b->grid_h = UI_GRID_H;
    }
}

void ui_snapshot_fill_units(ui_snapshot *snap, const nn_probe *p, const nn_trainer *t, int layer, int first)
{
    ui_snap_units *s = &snap->units;
    int old_n = s->n > 0 && s->n <= UI_UNIT_MAX ? s->n : 0;
    s->valid = false;
    s->n = 0;
    s->n_in = 0;
    if (t && p && (p->kind == NN_PROBE_BOUNDARY || p->kind == NN_PROBE_SURFACE)) {
        const nn_network *net = nn_trainer_network(t);
        int total = 0;
        for (int l = 0; l < net->n_layers; l++)
            total += net->layers[l].out;
        int ul[UI_UNIT_MAX], uu[UI_UNIT_MAX], n = 0, n_in = 0;
        const nn_dataset *d = nn_trainer_data(t);
        /* 2-D data (or Playground features of x1, x2): the inputs too, as Playground's first column */
        int nf = d->n_features;
        bool plane_in = (nf == 2 || d->n_raw == 2) && nf <= UI_UNIT_IN_MAX;
        if (total <= UI_UNIT_MAX) {
            layer = -1;
            first = 0;
            if (plane_in && total + nf <= UI_UNIT_MAX)
                for (int j = 0; j < nf; j++, n++, n_in++) {
                    ul[n] = -1;
                    uu[n] = j;
                }
            for (int l = 0; l < net->n_layers; l++)
                for (int u = 0; u < net->layers[l].out; u++, n++) {
                    ul[n] = l;
                    uu[n] = u;
                }
        } else {
            layer = layer < 0 ? 0 : layer >= net->n_layers ? net->n_layers - 1 : layer;
            int out = net->layers[layer].out;
            first = first < 0 ? 0 : first >= out ? out - 1 : first;
            for (int u = first; u < out && n < UI_UNIT_MAX; u++, n++) {
                ul[n] = layer;
                uu[n] = u;
            }
        }
        nn_error err;
        nn_error_clear(&err);
        if (nn_probe_units(p, t, UI_UNIT_GRID, UI_UNIT_GRID, ul, uu, n, &s->map[0][0], &err) == NN_OK) {
            nn_trainer_progress pr;
            nn_trainer_progress_get(t, &pr);
            s->valid = true;
            s->epoch = pr.epoch;
            s->batch = pr.batch;
            s->layer = layer;
            s->first = first;
            s->n = n;
            s->n_in = n_in;
            for (int i = 0; i < n; i++) {
                s->ulayer[i] = (int16_t)ul[i];
                s->uindex[i] = (int16_t)uu[i];
                float lo = INFINITY, hi = -INFINITY;
                for (int k = 0; k < UI_UNIT_GRID * UI_UNIT_GRID; k++)
                    if (isfinite(s->map[i][k])) {
                        lo = fminf(lo, s->map[i][k]);
                        hi = fmaxf(hi, s->map[i][k]);
                    }
                s->lo[i] = lo <= hi ? lo : 0.0f;
                s->hi[i] = lo <= hi ? hi : 0.0f;
            }
        }
    }
    if (old_n > s->n)   /* the maps past n stay zero (copy_units relies on it) */
        memset(s->map[s->n], 0, (size_t)(old_n - s->n) * sizeof s->map[0]);
}

void ui_snapshot_fill_samples(ui_snapshot *snap, nn_trainer *t)
{
    ui_snap_samples *s = &snap->samples;
    int side = t ? nn_probe_image_side(t) : 0;
    if (side <= 0 || side * side > UI_SAMPLE_PIX) {
        s->valid = false;
        return;
    }
    const nn_dataset *d = nn_trainer_data(t);
    int pred[UI_SAMPLE_MAX];
    int n = nn_probe_predict_rows(t, UI_SAMPLE_MAX, s->row, pred);
    nn_trainer_progress pr;
    nn_trainer_progress_get(t, &pr);
    s->valid = n > 0;
    s->epoch = pr.epoch;
    s->side = side;
    s->n = n;
    for (int i = 0; i < n; i++) {
        s->label[i] = (int16_t)(d->label ? d->label[s->row[i]] : -1);
        s->pred[i] = (int16_t)pred[i];
        memcpy(s->pix[i], d->x8 + (size_t)s->row[i] * (size_t)d->n_features, (size_t)(side * side));
    }
}

void ui_snapshot_fill_picture(ui_snapshot *snap, const nn_trainer *t, int unit)
{
    ui_snap_picture *s = &snap->picture;
    int side = t ? nn_probe_image_side(t) : 0;
    const nn_network *net = t ? nn_trainer_network(t) : NULL;
    if (side <= 0 || side * side > UI_SAMPLE_PIX || !net || net->n_layers < 1 || unit < 0 ||
        unit >= net->layers[0].out || net->layers[0].in != side * side) {
        s->valid = false;
        return;
    }
    const nn_layer *L = &net->layers[0];
    const float *W = net->params + L->w_off;
    float m = 0.0f;
    for (int i = 0; i < side * side; i++) {
        s->w[i] = W[(size_t)i * L->out + unit];
        if (fabsf(s->w[i]) > m)
            m = fabsf(s->w[i]);
    }
    s->valid = true;
    s->unit = unit;
    s->side = side;
    s->wmax = m;
}

void ui_snapshot_fill_net(ui_snapshot *snap, const nn_trainer *t, bool acts)
{
    ui_snap_net *s = &snap->net;
    if (!t) {
        s->valid = false;
        return;
    }
    const nn_network *net = nn_trainer_network(t);
    nn_trainer_progress pr;
    nn_trainer_progress_get(t, &pr);
    s->valid = true;
    s->epoch = pr.epoch;
    s->batch = pr.batch;
    if (acts)
        s->act_rows = net->last_rows;
    for (int l = 0; l < net->n_layers && l < NN_MAX_LAYERS; l++) {
        int in = net->layers[l].in, out = net->layers[l].out;
        int nr = in < UI_NET_DIM ? in : UI_NET_DIM, nc = out < UI_NET_DIM ? out : UI_NET_DIM;
        s->rows[l] = nr;
        s->cols[l] = nc;
        s->wmax[l] = nn_units_pool_weights(net, l, nr, nc, s->w[l], s->b[l]);
        if (acts)
            nn_units_activation_stats(net, l, nc, s->amean[l], s->astd[l], s->active[l], s->sat[l]);
    }
}

void ui_snapshot_fill_health(ui_snapshot *snap, const nn_health *h, int epoch, int batch)
{
    ui_snap_health *s = &snap->health;
    s->last = *h;
    s->valid = true;
    s->epoch = epoch;
    s->batch = batch;
    s->n_warnings = nn_health_warnings(h, s->warnings, UI_WARN_MAX);
}

void ui_snapshot_fill_trace(ui_trace *out, const nn_health_trace *tr, const nn_sample_step *ss, const int sel[4],
                            int epoch, int batch)
{
    int layer = sel[1], i = sel[2], j = sel[3];
    uint64_t seq = out->seq;
    memset(out, 0, sizeof *out);
    out->seq = seq;
    out->index = sel[0];
    out->row = ss->row;
    out->label = ss->label;
    out->layer = layer;
    out->i = i;
    out->j = j;
    out->epoch = epoch;
    out->batch = batch;
    out->n_inputs = tr->n_inputs;
    out->n_layers = tr->n_layers;
    out->loss = (int)tr->loss;
    out->loss_value = tr->loss_value;
    out->n_y = tr->n_layers > 0 ? tr->out[tr->n_layers - 1] : 0;
    for (int v = 0; v < tr->n_inputs && v < UI_TRACE_VEC; v++)
        out->x[v] = (float)tr->x[v];
    for (int v = 0; v < out->n_y && v < UI_TRACE_VEC; v++)
        out->y[v] = (float)tr->y[v];
    for (int l = 0; l < tr->n_layers && l < NN_MAX_LAYERS; l++) {
        out->in[l] = tr->in[l];
        out->out[l] = tr->out[l];
        out->act[l] = (int)tr->act[l];
        for (int v = 0; v < tr->out[l] && v < UI_TRACE_VEC; v++) {
            out->z[l][v] = (float)tr->z[l][v];
            out->a[l][v] = (float)tr->a[l][v];
            out->delta[l][v] = (float)tr->delta[l][v];
        }
    }
    if (i == NN_HEALTH_BIAS)
        out->a_prev_i = 1.0;
    else
        out->a_prev_i = layer == 0 ? tr->x[i] : tr->a[layer - 1][i];
    out->delta_j = tr->delta[layer][j];
    out->grad = ss->grad;
    out->penalty_grad = ss->penalty_grad;
    out->batch_grad = ss->batch_grad;
    out->step = ss->step;
    out->last_kept = ss->last_kept;
    out->last_w_before = ss->last_w_before;
    out->last_w_after = ss->last_w_after;
    out->last_lr = ss->last_lr;
    out->valid = true;
}
