/* race.c — optimizer race entries. */
#include "race.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The entry named name (n bytes), its optimizer in *kind; NULL if none. */
static const nn_opt_race *find_entry(const char *name, nn_opt_kind *kind)
{
    for (int k = 0; k < NN_OPT_COUNT; k++)
        for (int i = 0; i < nn_opt_table[k].n_race; i++)
            if (strcmp(nn_opt_table[k].race[i].name, name) == 0) {
                *kind = (nn_opt_kind)k;
                return &nn_opt_table[k].race[i];
            }
    return NULL;
}

/* The i-th entry (optional ones too when all), or NULL. */
static const nn_opt_race *entry_at(int i, bool all)
{
    for (int k = 0; k < NN_OPT_COUNT; k++)
        for (int r = 0; r < nn_opt_table[k].n_race; r++)
            if ((all || !nn_opt_table[k].race[r].optional) && i-- == 0)
                return &nn_opt_table[k].race[r];
    return NULL;
}

int nn_race_default_count(void)
{
    int n = 0;
    while (entry_at(n, false))
        n++;
    return n;
}

const char *nn_race_default_name(int i)
{
    const nn_opt_race *e = i >= 0 ? entry_at(i, false) : NULL;
    return e ? e->name : NULL;
}

nn_status nn_race_apply(nn_preset *p, const char *entry, nn_error *err)
{
    char name[64];
    const char *colon = strchr(entry, ':');
    size_t n = colon ? (size_t)(colon - entry) : strlen(entry);
    if (n == 0 || n >= sizeof name)
        return nn_error_set(err, NN_EINVAL, "race: '%s' is not an optimizer", entry);
    memcpy(name, entry, n);
    name[n] = '\0';
    nn_opt_kind kind = NN_OPT_SGD;
    const nn_opt_race *e = find_entry(name, &kind);
    if (!e) {
        char list[256];
        size_t len = 0;
        list[0] = '\0';
        for (int i = 0; entry_at(i, true) && len < sizeof list; i++)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", entry_at(i, true)->name);
        return nn_error_set(err, NN_EINVAL, "race: '%s' is not one of %s", name, list);
    }
    double lr = e->lr;
    if (colon) {
        char *end;
        errno = 0;
        lr = strtod(colon + 1, &end);
        if (end == colon + 1 || *end || errno || !(lr > 0) || !isfinite(lr))
            return nn_error_set(err, NN_EINVAL, "race: '%s': the learning rate after ':' must be a number > 0",
                                entry);
    }
    nn_opt_params o;
    nn_opt_defaults(&o, kind);
    o.lr = lr;
    for (int i = 0; i < e->n_set; i++) {
        char *at = (char *)&o + e->set[i].off;
        if (e->set[i].type == NN_PARAM_BOOL)
            *(bool *)(void *)at = e->set[i].dflt != 0.0;
        else
            *(double *)(void *)at = e->set[i].dflt;
    }
    p->training.optimizer = o;
    return NN_OK;
}

int nn_race_parse_list(char *buf, const char **names, const nn_preset *p, nn_error *err)
{
    int count = 0;
    nn_preset *scratch = malloc(sizeof *scratch);
    if (!scratch) {
        nn_error_set(err, NN_ENOMEM, "race: out of memory");
        return -1;
    }
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        if (!*tok)
            continue;
        if (count >= NN_RACE_MAX) {
            nn_error_set(err, NN_EINVAL, "race: at most %d optimizers", NN_RACE_MAX);
            count = -1;
            break;
        }
        *scratch = *p;
        if (nn_race_apply(scratch, tok, err) != NN_OK) {
            count = -1;
            break;
        }
        names[count++] = tok;
    }
    if (count == 0) {
        nn_error_set(err, NN_EINVAL, "race: the optimizer list is empty");
        count = -1;
    }
    free(scratch);
    return count;
}

// --- the runner -----------------------------------------------------------------------------------

static void copy_message(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

nn_status nn_race_init(nn_race *r, const nn_preset *p, const char *list, int threads, nn_race_schedule schedule,
                       nn_error *err)
{
    memset(r, 0, sizeof *r);
    r->base = *p;
    r->schedule = schedule;
    r->threads = threads;
    const char *names[NN_RACE_MAX];
    int n;
    if (list) {
        size_t len = strlen(list);
        r->list = malloc(len + 1);
        if (!r->list)
            return nn_error_set(err, NN_ENOMEM, "race: out of memory");
        memcpy(r->list, list, len + 1);
        n = nn_race_parse_list(r->list, names, p, err);
        if (n < 0) {
            nn_race_free(r);
            return err && err->code ? err->code : NN_EINVAL;
        }
    } else {
        n = nn_race_default_count() < NN_RACE_MAX ? nn_race_default_count() : NN_RACE_MAX;
        for (int i = 0; i < n; i++)
            names[i] = nn_race_default_name(i);
    }
    if (n <= 0) {
        nn_race_free(r);
        return nn_error_set(err, NN_EINVAL, "race: the optimizer list is empty");
    }
    r->racer = calloc((size_t)n, sizeof *r->racer);
    if (!r->racer) {
        nn_race_free(r);
        return nn_error_set(err, NN_ENOMEM, "race: out of memory");
    }
    r->n = n;
    for (int i = 0; i < n; i++)
        r->racer[i].name = names[i];
    return NN_OK;
}

nn_status nn_race_build(nn_race *r, int i, nn_error *err)
{
    if (i < 0 || i >= r->n)
        return nn_error_set(err, NN_EINVAL, "race: there is no entry %d", i);
    nn_racer *e = &r->racer[i];
    if (e->built)
        return NN_OK;
    if (i > 0 && !r->racer[0].built)
        return nn_error_set(err, NN_EINVAL, "race: entry 0 is built first (the others borrow its data)");
    if (!r->pool && r->threads != 1) {
        r->pool = nn_pool_create(r->threads, err);
        if (!r->pool)
            return err && err->code ? err->code : NN_ENOMEM;
    }
    r->scratch = r->base;
    nn_status st = nn_race_apply(&r->scratch, e->name, err);
    if (st == NN_OK)
        st = nn_trainer_init_borrowed(&e->t, &r->scratch, i > 0 ? &r->racer[0].t : NULL, r->pool, err);
    if (st != NN_OK)
        return st;   /* the trainer is freed (zeroed) on failure */
    e->built = true;
    e->released = false;
    e->failed = false;
    e->message[0] = '\0';
    return NN_OK;
}

bool nn_race_entry_finished(const nn_race *r, int i)
{
    const nn_racer *e = &r->racer[i];
    return e->released || e->failed || (e->built && nn_trainer_finished(&e->t));
}

bool nn_race_finished(const nn_race *r)
{
    for (int i = 0; i < r->n; i++)
        if (!nn_race_entry_finished(r, i))
            return false;
    return true;
}

/* The next entry whose turn it is after i (i itself last), or -1 if every entry is finished. */
static int next_entry(const nn_race *r, int i)
{
    for (int d = 1; d <= r->n; d++) {
        int q = (i + d) % r->n;
        if (!nn_race_entry_finished(r, q))
            return q;
    }
    return -1;
}

nn_status nn_race_step(nn_race *r, nn_race_turn *turn, nn_error *err)
{
    memset(turn, 0, sizeof *turn);
    turn->entry = -1;
    turn->status = NN_OK;
    int c = r->cur;
    if (nn_race_entry_finished(r, c)) {   /* e.g. right after a reset of a finished race */
        c = next_entry(r, c);
        if (c < 0) {
            turn->turn_over = turn->finished = true;
            return NN_OK;
        }
        r->cur = c;
    }
    turn->entry = c;
    nn_racer *e = &r->racer[c];
    if (!e->built) {
        nn_status bst = nn_race_build(r, c, err);
        if (bst != NN_OK)
            return bst;
    }
    nn_trainer *t = &e->t;
    int before;
    nn_trainer_history(t, &before);
    nn_error se;
    nn_error_clear(&se);
    nn_status st = nn_trainer_step(t, &se);
    turn->status = st;
    int after;
    const nn_epoch_stats *h = nn_trainer_history(t, &after);
    if (after > before) {
        turn->epoch_ended = true;
        turn->stats = h[after - 1];
    }
    if (st == NN_EDIVERGED || t->state == NN_TRAINER_DIVERGED) {
        const char *fault = nn_trainer_fault(t);
        copy_message(e->message, sizeof e->message, fault[0] ? fault : (se.msg[0] ? se.msg : "diverged"));
    } else if (st != NN_OK) {
        e->failed = true;
        copy_message(e->message, sizeof e->message, se.msg[0] ? se.msg : nn_status_name(st));
    }
    turn->entry_done = nn_race_entry_finished(r, c);
    bool over = turn->entry_done || (r->schedule == NN_RACE_ROUND_ROBIN && st == NN_OK && turn->epoch_ended);
    if (over) {
        turn->turn_over = true;
        int next = next_entry(r, c);
        if (next < 0) {
            turn->finished = true;
        } else {
            turn->round_over = next <= c;
            r->cur = next;
        }
    }
    return NN_OK;
}

void nn_race_reset(nn_race *r, bool new_seed, uint64_t seed)
{
    for (int i = 0; i < r->n; i++) {
        nn_racer *e = &r->racer[i];
        if (e->built)
            nn_trainer_reset(&e->t, new_seed, seed);
        e->failed = false;
        e->message[0] = '\0';
    }
    r->cur = 0;
}

void nn_race_release(nn_race *r, int i)
{
    if (i <= 0 || i >= r->n || !r->racer[i].built)
        return;   /* entry 0 owns the data the others borrow: nn_race_free frees it */
    nn_trainer_free(&r->racer[i].t);
    r->racer[i].built = false;
    r->racer[i].released = true;
}

void nn_race_free(nn_race *r)
{
    if (r->racer) {
        for (int i = r->n - 1; i >= 0; i--)   /* entry 0 owns the data the others borrow: last */
            if (r->racer[i].built)
                nn_trainer_free(&r->racer[i].t);
        free(r->racer);
    }
    nn_pool_destroy(r->pool);   /* after every trainer that borrowed it */
    free(r->list);
    memset(r, 0, sizeof *r);
}

int nn_race_best(const double *loss, const double *acc, int n)
{
    int best = -1;
    for (int i = 0; i < n; i++) {
        if (!isfinite(loss[i]))
            continue;
        if (best < 0) {
            best = i;
            continue;
        }
        double a = loss[i], b = loss[best];
        double scale = fmax(fabs(a), fabs(b));
        bool tie = fabs(a - b) <= 1e-6 * scale;
        double ai = isfinite(acc[i]) ? acc[i] : -(double)INFINITY, ab = isfinite(acc[best]) ? acc[best] : -(double)INFINITY;
        if ((!tie && a < b) || (tie && ai > ab))
            best = i;
    }
    return best;
}
