/* explain.c — one optimizer step on one parameter of a network, written out as formulas with the
 * numbers filled in: this finds the parameter and its state; the optimizer's row (optimizers.c)
 * writes the step, mirroring its kernel in double, so w_new is what the step would write. */
#include "explain.h"

#include <string.h>

nn_status nn_health_explain_step(nn_health_step *s, const nn_network *net, const nn_optimizer *opt,
                                 double lr, int layer, int i, int j, double g, nn_error *err)
{
    memset(s, 0, sizeof *s);
    if (layer < 0 || layer >= net->n_layers)
        return nn_error_set(err, NN_EINVAL, "health: layer %d is out of range (0..%d)", layer, net->n_layers - 1);
    const nn_layer *L = &net->layers[layer];
    if (j < 0 || j >= L->out || i < NN_HEALTH_BIAS || i >= L->in)
        return nn_error_set(err, NN_EINVAL, "health: weight (%d, %d) of layer %d is out of range (%d x %d)", i, j,
                            layer, L->in, L->out);
    if (!net->params || opt->n != net->n_params)
        return nn_error_set(err, NN_EINVAL, "health: the optimizer has %zu parameters, the network %zu", opt->n,
                            net->n_params);
    s->layer = layer;
    s->i = i;
    s->j = j;
    s->index = i == NN_HEALTH_BIAS ? L->b_off + (size_t)j : L->w_off + (size_t)i * (size_t)L->out + (size_t)j;
    s->kind = opt->p.kind;
    s->t = opt->t + 1;
    s->lr = lr;
    s->w = (double)net->params[s->index];
    s->g = g;
    const float *st[3] = {opt->s1, opt->s2, opt->s3};
    for (int k = 0; k < 3; k++)
        s->state[k] = s->state_new[k] = st[k] ? (double)st[k][s->index] : 0.0;
    if ((int)opt->p.kind < 0 || opt->p.kind >= NN_OPT_COUNT)
        return nn_error_set(err, NN_EINVAL, "health: unknown optimizer %d", (int)opt->p.kind);
    nn_opt_table[opt->p.kind].explain(s, opt);
    return NN_OK;
}
