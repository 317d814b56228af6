/* race.c — optimizer race entries. */
#include "race.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The seed project's optimizers, each at the learning rate it is usually run with. */
const nn_race_entry nn_race_table[] = {
    {"sgd", NN_OPT_SGD, 0.1, 0.0, false},
    {"momentum", NN_OPT_SGD, 0.01, 0.9, false},
    {"nesterov", NN_OPT_SGD, 0.01, 0.9, true},
    {"rmsprop", NN_OPT_RMSPROP, 0.001, 0.0, false},
    {"adam", NN_OPT_ADAM, 0.001, 0.0, false},
    {"adamw", NN_OPT_ADAMW, 0.001, 0.0, false},
    {"adagrad", NN_OPT_ADAGRAD, 0.01, 0.0, false},
    {"adadelta", NN_OPT_ADADELTA, 1.0, 0.0, false},
};
const int nn_race_count = (int)(sizeof nn_race_table / sizeof nn_race_table[0]);

nn_status nn_race_apply(nn_preset *p, const char *entry, nn_error *err)
{
    char name[64];
    const char *colon = strchr(entry, ':');
    size_t n = colon ? (size_t)(colon - entry) : strlen(entry);
    if (n == 0 || n >= sizeof name)
        return nn_error_set(err, NN_EINVAL, "race: '%s' is not an optimizer", entry);
    memcpy(name, entry, n);
    name[n] = '\0';
    const nn_race_entry *e = NULL;
    for (int i = 0; i < nn_race_count; i++)
        if (strcmp(nn_race_table[i].name, name) == 0)
            e = &nn_race_table[i];
    if (!e)
        return nn_error_set(err, NN_EINVAL,
                            "race: '%s' is not one of sgd, momentum, nesterov, rmsprop, adam, adamw, adagrad, adadelta",
                            name);
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
    nn_opt_defaults(&o, e->kind);
    o.lr = lr;
    if (e->kind == NN_OPT_SGD) {
        o.momentum = e->momentum;
        o.nesterov = e->nesterov;
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
