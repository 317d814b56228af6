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

/* What one optimizer step would do to one parameter, the formula with the numbers filled in
 * (optimizer.h: each optimizer's row writes its own step out). */
#define NN_HEALTH_STEP_LINES NN_OPT_EXPLAIN_LINES
#define NN_HEALTH_LINE NN_OPT_EXPLAIN_LINE
typedef nn_opt_explain nn_health_step;

/* Fills s with one step of opt (read-only: its hyperparameters, t and state for this parameter)
 * on parameter (layer, i, j) of net with gradient g (e.g. nn_health_trace_grad, or the batch's
 * net->grads[index]) and learning rate lr (the trainer's current t->lr). The arithmetic mirrors
 * the optimizer's kernel, so w_new is what nn_optimizer_step would write given that gradient.
 * NN_EINVAL if the parameter is out of range or opt does not match net. */
nn_status nn_health_explain_step(nn_health_step *s, const nn_network *net, const nn_optimizer *opt,
                                 double lr, int layer, int i, int j, double g, nn_error *err);

#endif
