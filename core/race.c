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
