/* explain.h — what one optimizer step would do to one parameter of a network: the update rules
 * written out with the numbers filled in, for the Step view. Read-only; any thread that may read
 * the network and the optimizer. nn_health_step is a plain fixed-size struct: = copies it. */
#ifndef NN_EXPLAIN_H
#define NN_EXPLAIN_H

#include "error.h"
#include "network.h"
#include "optimizer.h"
#include "trace.h"

#include <stddef.h>

/* What one optimizer step would do to one parameter, the formula with the numbers filled in. */
#define NN_HEALTH_STEP_LINES 6
#define NN_HEALTH_LINE 256
typedef struct {
    int layer, i, j;         /* i == NN_HEALTH_BIAS: the bias b[j] */
    size_t index;            /* offset of the parameter in params */
    nn_opt_kind kind;
    long t;                  /* the step this would be: opt->t + 1 */
    double lr;
    double w, g;             /* the weight now and the gradient given */
    double w_new;            /* the weight after the step */
    double state[3];         /* opt s1/s2/s3 of this parameter before the step (0 if unused) */
    double state_new[3];     /* ... and after */
    int n_lines;
    char lines[NN_HEALTH_STEP_LINES][NN_HEALTH_LINE];  /* UTF-8, one update per line, e.g.
                                "w ← w − lr·g = 0.3120 − 0.03 × 0.0841 = 0.3095" */
} nn_health_step;

/* Fills s with one step of opt (read-only: its hyperparameters, t and state for this parameter)
 * on parameter (layer, i, j) of net with gradient g (e.g. nn_health_trace_grad, or the batch's
 * net->grads[index]) and learning rate lr (the trainer's current t->lr). The arithmetic mirrors
 * optimizer.c, so w_new is what nn_optimizer_step would write given that gradient.
 * NN_EINVAL if the parameter is out of range or opt does not match net. */
nn_status nn_health_explain_step(nn_health_step *s, const nn_network *net, const nn_optimizer *opt,
                                 double lr, int layer, int i, int j, double g, nn_error *err);

#endif
