/* test_health.c — health statistics against hand-computed values on a 2-3-2 network, warnings
 * from constructed cases, the per-epoch ring, the step-through against nn_network_backward on a
 * one-row batch, and the optimizer formulas against a real nn_optimizer_step. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "explain.h"
#include "health.h"
#include "trace.h"
#include "preset.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// --- the 2-3-2 network with hand-set weights ---------------------------------------------------
/* Layer 0 relu 2->3, layer 1 sigmoid 3->2. The expected numbers below were computed by hand
 * (python3, plain floats), not with this code:
 *   x = [[1, 2], [-1, 0.5]]
 *   W0 = [[0.5, -1, 0.2], [0.25, -0.5, -0.3]], b0 = [0, 0.1, -0.2]
 *   z0 = [[1, -1.9, -0.6], [-0.375, 0.85, -0.55]]   -> unit 2 is <= 0 on both rows: 1/3 dead
 *   a0 = [[1, 0, 0], [0, 0.85, 0]]                  mean 0.308333, std 0.438194
 *   W1 = [[6, -1], [-8, 0.5], [1, 1]], b1 = [0, 0.3]
 *   z1 = [[6, -0.7], [-6.8, 0.725]]
 *   a1 = [[0.997527, 0.331812], [0.001113, 0.673707]] -> 2 of 4 saturated; mean 0.501040, std 0.372451
 *   ||W0|| = sqrt(1.6925) = 1.300961, ||W1|| = sqrt(103.25) = 10.161201 */
static const float X2[4] = {1.0f, 2.0f, -1.0f, 0.5f};
static const float W0[6] = {0.5f, -1.0f, 0.2f, 0.25f, -0.5f, -0.3f};
static const float B0[3] = {0.0f, 0.1f, -0.2f};
static const float W1[6] = {6.0f, -1.0f, -8.0f, 0.5f, 1.0f, 1.0f};
static const float B1[2] = {0.0f, 0.3f};

static void build_232(nn_network *net)
{
    nn_layer_spec specs[2] = {
        {3, NN_ACT_RELU, 0.0f, NN_INIT_HE, NN_DIST_NORMAL},
        {2, NN_ACT_SIGMOID, 0.0f, NN_INIT_XAVIER, NN_DIST_NORMAL},
    };
    nn_error err;
    assert_int_equal(nn_network_init(net, 2, specs, 2, 4, &err), NN_OK);
    memcpy(net->params + net->layers[0].w_off, W0, sizeof W0);
    memcpy(net->params + net->layers[0].b_off, B0, sizeof B0);
    memcpy(net->params + net->layers[1].w_off, W1, sizeof W1);
    memcpy(net->params + net->layers[1].b_off, B1, sizeof B1);
}

static void test_health_statistics_match_hand_computed_values(void **state)
{
    (void)state;
    nn_network net;
    build_232(&net);
    nn_network_forward(&net, NULL, X2, 2, 0.0f, NULL);
    /* grads set by hand: W0's gradient (3, 4, 0, ...) has norm 5, W1's (1, 2, 2, 0, ...) norm 3;
       the biases' gradients are large and must not count */
    memset(net.grads, 0, net.n_params * sizeof(float));
    float *g0 = net.grads + net.layers[0].w_off, *g1 = net.grads + net.layers[1].w_off;
    g0[0] = 3.0f;
    g0[1] = 4.0f;
    g1[0] = 1.0f;
    g1[1] = 2.0f;
    g1[2] = 2.0f;
    for (int j = 0; j < 3; j++)
        net.grads[net.layers[0].b_off + (size_t)j] = 100.0f;
    /* previous params: W0[0] was 0.03 higher, W0[1] 0.04 lower (||ΔW0|| = 0.05); W1 unchanged;
       a bias moved a lot, which must not count */
    float *prev = malloc(net.n_params * sizeof(float));
    assert_non_null(prev);
    memcpy(prev, net.params, net.n_params * sizeof(float));
    prev[net.layers[0].w_off + 0] += 0.03f;
    prev[net.layers[0].w_off + 1] -= 0.04f;
    prev[net.layers[1].b_off] += 5.0f;

    nn_health h;
    nn_health_compute(&h, &net, prev);
    assert_int_equal(h.n_layers, 2);
    assert_int_equal(h.rows, 2);
    const nn_health_layer *L0 = &h.layer[0], *L1 = &h.layer[1];
    assert_int_equal(L0->in, 2);
    assert_int_equal(L0->out, 3);
    float v, e;
#define NEAR(actual, expected, eps) do { v = (float)(actual); e = (float)(expected); assert_float_equal(v, e, eps); } while (0)
    NEAR(L0->grad_norm, 5.0, 1e-6);
    NEAR(L1->grad_norm, 3.0, 1e-6);
    NEAR(L0->weight_norm, 1.300961, 1e-5);
    NEAR(L1->weight_norm, 10.161201, 1e-5);
    NEAR(L0->update_ratio, 0.038433, 1e-5);   /* 0.05 / 1.300961 */
    NEAR(L1->update_ratio, 0.0, 1e-9);
    NEAR(L0->dead_share, 1.0 / 3.0, 1e-6);
    assert_true(isnan(L0->saturated_share));
    NEAR(L1->saturated_share, 0.5, 1e-6);
    assert_true(isnan(L1->dead_share));
    NEAR(L0->act_mean, 0.308333, 1e-5);
    NEAR(L0->act_std, 0.438194, 1e-5);
    NEAR(L1->act_mean, 0.501040, 1e-5);
    NEAR(L1->act_std, 0.372451, 1e-5);

    /* without a previous copy, no ratio */
    nn_health_compute(&h, &net, NULL);
    assert_true(isnan(h.layer[0].update_ratio));

    /* on row 0 alone units 1 and 2 are dead (2/3); sigmoid 6 saturates, -0.7 does not (1/2) */
    nn_network_forward(&net, NULL, X2, 1, 0.0f, NULL);
    nn_health_compute(&h, &net, NULL);
    assert_int_equal(h.rows, 1);
    NEAR(h.layer[0].dead_share, 2.0 / 3.0, 1e-6);
    NEAR(h.layer[1].saturated_share, 0.5, 1e-6);
    NEAR(h.layer[0].act_mean, 1.0 / 3.0, 1e-6);
    free(prev);
    nn_network_free(&net);
}

static void test_health_tanh_and_leaky_relu_use_their_own_rules(void **state)
{
    (void)state;
    /* 1 -> 2 leaky_relu -> 2 tanh. W = [[1, -1]] b = 0: z0 = [x, -x]; with rows x = 2 and x = 3,
       unit 1 gets only negative inputs (1/2 dead, though its activation is -0.02 not 0).
       Layer 1: W = [[1, 0], [0, 0]], b = [0, 0.1]: z1 = [x, 0.1] -> tanh(2) = 0.964 (not
       saturated), tanh(3) = 0.99505 (saturated), tanh(0.1) twice: 1 of 4 saturated. */
    nn_layer_spec specs[2] = {
        {2, NN_ACT_LEAKY_RELU, 0.01f, NN_INIT_HE, NN_DIST_NORMAL},
        {2, NN_ACT_TANH, 0.0f, NN_INIT_XAVIER, NN_DIST_NORMAL},
    };
    nn_network net;
    nn_error err;
    assert_int_equal(nn_network_init(&net, 1, specs, 2, 4, &err), NN_OK);
    memset(net.params, 0, net.n_params * sizeof(float));
    net.params[net.layers[0].w_off + 0] = 1.0f;
    net.params[net.layers[0].w_off + 1] = -1.0f;
    net.params[net.layers[1].w_off + 0] = 1.0f;
    net.params[net.layers[1].b_off + 1] = 0.1f;
    const float x[2] = {2.0f, 3.0f};
    nn_network_forward(&net, NULL, x, 2, 0.0f, NULL);
    nn_health h;
    nn_health_compute(&h, &net, NULL);
    float v, e;
    NEAR(h.layer[0].dead_share, 0.5, 1e-6);
    NEAR(h.layer[1].saturated_share, 0.25, 1e-6);
    nn_network_free(&net);
}

/* Activations far from 0: a linear unit with bias 1e7 over inputs -3, -1, 0, 1, 2, 3, 6 (every z
 * exact in float). Mean 1e7 + 8/7, std sqrt(356)/7 = 2.6954231805876...; the one-pass
 * E[a^2] - E[a]^2 gave 2.69258. The block form (columns j0..j1 of a wider layer, as the Network view
 * pools units) agrees. */
static void test_health_activation_spread_survives_a_large_offset(void **state)
{
    (void)state;
    nn_layer_spec specs[1] = {{1, NN_ACT_LINEAR, 0.0f, NN_INIT_XAVIER, NN_DIST_NORMAL}};
    nn_network net;
    nn_error err;
    assert_int_equal(nn_network_init(&net, 1, specs, 1, 8, &err), NN_OK);
    net.params[net.layers[0].w_off] = 1.0f;
    net.params[net.layers[0].b_off] = 1e7f;
    const float x[7] = {-3.0f, -1.0f, 0.0f, 1.0f, 2.0f, 3.0f, 6.0f};
    nn_network_forward(&net, NULL, x, 7, 0.0f, NULL);
    nn_health h;
    nn_health_compute(&h, &net, NULL);
    const double want_sd = sqrt(356.0) / 7.0;
    if (fabs(h.layer[0].act_mean - (1e7 + 8.0 / 7.0)) > 1e-8 || fabs(h.layer[0].act_std - want_sd) > 1e-9 * want_sd)
        fail_msg("mean %.17g std %.17g, want 1e7 + 8/7 and %.17g", h.layer[0].act_mean, h.layer[0].act_std, want_sd);
    nn_network_free(&net);

    /* columns 1..2 of a (3, 4) block: values 1e7 + {-3, -1, 0, 1, 2, 6}: mean 1e7 + 5/6, sd sqrt(281)/6 */
    const float v[6] = {-3.0f, -1.0f, 0.0f, 1.0f, 2.0f, 6.0f};
    float a[12];
    for (int i = 0; i < 12; i++)
        a[i] = -1.0f;
    for (int r = 0; r < 3; r++)
        for (int j = 1; j < 3; j++)
            a[r * 4 + j] = 1e7f + v[2 * r + j - 1];
    double mean, sd;
    nn_health_block_mean_std(a, 3, 4, 1, 3, &mean, &sd);
    const double want_block = sqrt(281.0) / 6.0;
    if (fabs(mean - (1e7 + 5.0 / 6.0)) > 1e-8 || fabs(sd - want_block) > 1e-9 * want_block)
        fail_msg("block: mean %.17g std %.17g, want 1e7 + 5/6 and %.17g", mean, sd, want_block);
}

// --- warnings ------------------------------------------------------------------------------------

/* n layers: relu hidden layers, a softmax output, every statistic in the healthy range. */
static nn_health healthy(int n)
{
    nn_health h;
    memset(&h, 0, sizeof h);
    h.n_layers = n;
    h.rows = 16;
    for (int l = 0; l < n; l++) {
        const int out = l == n - 1;
        h.layer[l].act = out ? NN_ACT_SOFTMAX : NN_ACT_RELU;
        h.layer[l].grad_norm = 0.1;
        h.layer[l].weight_norm = 3.0;
        h.layer[l].update_ratio = 1e-3;
        h.layer[l].dead_share = out ? (double)NAN : 0.1;
        h.layer[l].saturated_share = NAN;
        h.layer[l].act_mean = 0.2;
        h.layer[l].act_std = 0.3;
    }
    return h;
}

static nn_health healthy3(void)
{
    return healthy(3);
}

static int has(char (*w)[NN_HEALTH_WARN_LEN], int n, const char *needle)
{
    for (int k = 0; k < n; k++)
        if (strstr(w[k], needle))
            return 1;
    return 0;
}

static void test_health_warnings_from_constructed_cases(void **state)
{
    (void)state;
    char w[8][NN_HEALTH_WARN_LEN];
    nn_health h = healthy3();
    assert_int_equal(nn_health_warnings(&h, w, 8), 0);

    /* dead ReLUs in a hidden layer; the output layer is never reported as dead */
    h = healthy3();
    h.layer[1].dead_share = 0.8;
    h.layer[2].act = NN_ACT_RELU;
    h.layer[2].dead_share = 1.0;
    int n = nn_health_warnings(&h, w, 8);
    assert_int_equal(n, 1);
    assert_string_equal(w[0], "layer 2: 80% of ReLUs are dead: lower the learning rate or try leaky_relu");

    /* saturated sigmoid layer */
    h = healthy3();
    h.layer[0].act = NN_ACT_SIGMOID;
    h.layer[0].dead_share = NAN;
    h.layer[0].saturated_share = 0.95;
    n = nn_health_warnings(&h, w, 8);
    assert_int_equal(n, 1);
    assert_string_equal(w[0], "layer 1: 95% of sigmoid units are saturated: gradients vanish; try relu or a smaller init");

    /* a tiny gradient norm in one hidden layer */
    h = healthy(4);
    h.layer[2].grad_norm = 1e-7;
    n = nn_health_warnings(&h, w, 8);
    assert_int_equal(n, 1);
    assert_string_equal(w[0], "layer 3: gradient norm 1e-7 is tiny: gradients vanish (deep sigmoid layers?)");

    /* tiny everywhere, the output too: the loss is flat, one warning, and no "learning rate too low" */
    h = healthy3();
    for (int l = 0; l < 3; l++) {
        h.layer[l].grad_norm = 1e-7;
        h.layer[l].update_ratio = 1e-8;
    }
    n = nn_health_warnings(&h, w, 8);
    assert_int_equal(n, 1);
    assert_non_null(strstr(w[0], "layer 3 (output): gradient norm 1e-7: the loss is flat on this batch"));

    /* vanishing on the way back: layer 1's norm is under 1% of layer 3's */
    h = healthy3();
    h.layer[0].grad_norm = 2e-4;
    h.layer[2].grad_norm = 0.5;
    n = nn_health_warnings(&h, w, 8);
    assert_int_equal(n, 1);
    assert_string_equal(w[0], "layer 1: gradient norm 2e-4 is under 1% of layer 3's (5e-1): gradients vanish on the way back");

    /* eight sigmoid layers (norms of a real run): one line for layers 1-5 */
    h = healthy(8);
    const double g8[8] = {7.9e-7, 3.9e-6, 1.4e-5, 7.5e-5, 3.2e-4, 2.2e-3, 9.0e-3, 5.1e-2};
    for (int l = 0; l < 8; l++)
        h.layer[l].grad_norm = g8[l];
    n = nn_health_warnings(&h, w, 8);
    assert_int_equal(n, 1);
    assert_string_equal(w[0], "layers 1-5: gradient norms 7.9e-7 to 3.2e-4, layer 8's 5.1e-2: gradients vanish on "
                              "the way back (deep sigmoid layers?)");
    /* not a run of layers: listed one by one */
    h = healthy(4);
    h.layer[0].grad_norm = 1e-4;
    h.layer[2].grad_norm = 2e-4;
    n = nn_health_warnings(&h, w, 8);
    assert_int_equal(n, 1);
    assert_non_null(strstr(w[0], "layers 1, 3: gradient norms 1e-4 to 2e-4, layer 2's 1e-1"));

    /* exploding */
    h = healthy3();
    h.layer[1].grad_norm = 5e4;
    n = nn_health_warnings(&h, w, 8);
    assert_true(has(w, n, "layer 2: gradient norm 5e4 is huge"));

    /* learning rate too high: updates 10% of the weights */
    h = healthy3();
    h.layer[0].update_ratio = 0.1;
    n = nn_health_warnings(&h, w, 8);
    assert_int_equal(n, 1);
    assert_string_equal(w[0], "layer 1: updates are 10% of the weights per step: the learning rate is too high");
    h.layer[0].update_ratio = 0.05;   /* small networks run at a few percent: no warning */
    assert_int_equal(nn_health_warnings(&h, w, 8), 0);

    /* learning rate too low: every layer's ratio below 1e-5 (the largest is reported) */
    h = healthy3();
    for (int l = 0; l < 3; l++)
        h.layer[l].update_ratio = 1e-7;
    h.layer[1].update_ratio = 1e-6;
    n = nn_health_warnings(&h, w, 8);
    assert_int_equal(n, 1);
    assert_string_equal(w[0], "updates are 1e-6 of the weights: the learning rate is too low");
    /* ...but not when one layer still moves */
    h.layer[2].update_ratio = 1e-3;
    assert_int_equal(nn_health_warnings(&h, w, 8), 0);

    /* NAN statistics (no previous params, no forward yet) raise nothing */
    h = healthy3();
    for (int l = 0; l < 3; l++) {
        h.layer[l].update_ratio = NAN;
        h.layer[l].dead_share = NAN;
    }
    assert_int_equal(nn_health_warnings(&h, w, 8), 0);

    /* at most max, and max 0 with no buffer */
    h = healthy3();
    h.layer[0].dead_share = h.layer[1].dead_share = 0.9;
    h.layer[0].update_ratio = 0.5;
    assert_int_equal(nn_health_warnings(&h, w, 8), 3);
    assert_int_equal(nn_health_warnings(&h, w, 2), 2);
    assert_string_equal(w[0], "layer 1: 90% of ReLUs are dead: lower the learning rate or try leaky_relu");
    assert_int_equal(nn_health_warnings(&h, NULL, 0), 0);
}

static void test_health_history_keeps_the_last_rows_in_order(void **state)
{
    (void)state;
    nn_health_history *hist = malloc(sizeof *hist);
    assert_non_null(hist);
    nn_health_history_clear(hist);
    assert_null(nn_health_history_get(hist, 0));
    nn_health h = healthy3();
    for (int ep = 1; ep <= NN_HEALTH_HISTORY + 5; ep++) {
        h.layer[0].grad_norm = ep;
        nn_health_history_push(hist, &h, ep);
    }
    assert_int_equal(hist->len, NN_HEALTH_HISTORY);
    const nn_health_row *first = nn_health_history_get(hist, 0);
    const nn_health_row *last = nn_health_history_get(hist, NN_HEALTH_HISTORY - 1);
    assert_non_null(first);
    assert_non_null(last);
    assert_int_equal(first->epoch, 6);
    assert_int_equal(last->epoch, NN_HEALTH_HISTORY + 5);
    assert_int_equal(first->n_layers, 3);
    float v = first->grad_norm[0], e = 6.0f;
    assert_float_equal(v, e, 1e-6);
    v = first->dead_share[1];
    e = 0.1f;
    assert_float_equal(v, e, 1e-6);
    v = first->weight_norm[2];
    e = (float)h.layer[2].weight_norm;
    assert_float_equal(v, e, 1e-6);
    assert_true(e > 0);
    assert_null(nn_health_history_get(hist, NN_HEALTH_HISTORY));
    assert_null(nn_health_history_get(hist, -1));
    free(hist);
}

// --- step-through ---------------------------------------------------------------------------------

static void test_health_trace_matches_hand_computed_values(void **state)
{
    (void)state;
    /* row 0 of the 2-3-2 network, MSE against y = [1, 0] (python3, by hand):
       loss 0.110105; delta1 = 2(a - y) a (1 - a) = [-1.21975e-5, 0.147134];
       delta0 = (W1 delta1) * relu'(z0) = [-0.147207, 0, 0];
       dL/dW1[0][1] = a0[0] delta1[1] = 0.147134; dL/dW0[1][0] = x[1] delta0[0] = -0.294415 */
    nn_network net;
    build_232(&net);
    nn_health_trace tr;
    nn_error err;
    assert_int_equal(nn_health_trace_init(&tr, &net, &err), NN_OK);
    assert_true(isnan(nn_health_trace_grad(&tr, 0, 0, 0)));   /* before a run */
    const float y[2] = {1.0f, 0.0f};
    assert_int_equal(nn_health_trace_run(&tr, &net, X2, y, NN_LOSS_MSE, &err), NN_OK);
    float v, e;
    NEAR(tr.loss_value, 0.110105, 1e-6);
    NEAR(tr.z[1][0], 6.0, 1e-6);
    NEAR(tr.a[1][1], 0.331812, 1e-6);
    NEAR(tr.delta[1][0], -1.21975e-5, 1e-9);
    NEAR(tr.delta[1][1], 0.147134, 1e-6);
    NEAR(tr.delta[0][0], -0.147207, 1e-6);
    NEAR(tr.delta[0][1], 0.0, 1e-12);
    NEAR(nn_health_trace_grad(&tr, 1, 0, 1), 0.147134, 1e-6);
    NEAR(nn_health_trace_grad(&tr, 0, 1, 0), -0.294415, 1e-6);
    NEAR(nn_health_trace_grad(&tr, 0, NN_HEALTH_BIAS, 0), -0.147207, 1e-6);
    assert_true(isnan(nn_health_trace_grad(&tr, 0, 2, 0)));   /* i out of range */
    assert_true(isnan(nn_health_trace_grad(&tr, 2, 0, 0)));   /* layer out of range */

    /* a network of another shape is refused */
    nn_network other;
    nn_layer_spec specs[1] = {{2, NN_ACT_SIGMOID, 0.0f, NN_INIT_XAVIER, NN_DIST_NORMAL}};
    assert_int_equal(nn_network_init(&other, 2, specs, 1, 1, &err), NN_OK);
    assert_int_equal(nn_health_trace_run(&tr, &other, X2, y, NN_LOSS_MSE, &err), NN_EINVAL);
    nn_network_free(&other);
    nn_health_trace_free(&tr);
    nn_health_trace_free(&tr);   /* idempotent */
    nn_network_free(&net);
}

typedef struct {
    nn_act hidden[3];
    nn_act out;
    nn_loss loss;
    int outputs;
} trace_case;

/* Per-sample delta and gradient against nn_network_backward on a batch of one row, for fused and
 * chain-rule outputs and every hidden activation. */
static void test_health_trace_matches_network_backward_on_one_row(void **state)
{
    (void)state;
    const trace_case cases[] = {
        {{NN_ACT_RELU, NN_ACT_TANH, NN_ACT_SIGMOID}, NN_ACT_SOFTMAX, NN_LOSS_CE, 3},
        {{NN_ACT_LEAKY_RELU, NN_ACT_ELU, NN_ACT_GELU}, NN_ACT_SIGMOID, NN_LOSS_BCE, 1},
        {{NN_ACT_SWISH, NN_ACT_SOFTPLUS, NN_ACT_LINEAR}, NN_ACT_LINEAR, NN_LOSS_MSE, 2},
        {{NN_ACT_TANH, NN_ACT_SIGMOID, NN_ACT_RELU}, NN_ACT_SIGMOID, NN_LOSS_MSE, 2},
        {{NN_ACT_ELU, NN_ACT_TANH, NN_ACT_SOFTMAX}, NN_ACT_LINEAR, NN_LOSS_RMSE, 2},
        {{NN_ACT_TANH, NN_ACT_LEAKY_RELU, NN_ACT_TANH}, NN_ACT_LINEAR, NN_LOSS_MAE, 2},
        {{NN_ACT_SIGMOID, NN_ACT_TANH, NN_ACT_GELU}, NN_ACT_SOFTMAX, NN_LOSS_MSE, 3},
    };
    const int ncases = (int)(sizeof cases / sizeof cases[0]);
    for (int c = 0; c < ncases; c++) {
        const trace_case *tc = &cases[c];
        nn_layer_spec specs[4];
        const int units[3] = {5, 4, 6};
        for (int l = 0; l < 3; l++) {
            specs[l] = (nn_layer_spec){units[l], tc->hidden[l], tc->hidden[l] == NN_ACT_ELU ? 1.0f : 0.05f,
                                       NN_INIT_XAVIER, NN_DIST_NORMAL};
        }
        specs[3] = (nn_layer_spec){tc->outputs, tc->out, 0.0f, NN_INIT_XAVIER, NN_DIST_NORMAL};
        nn_network net;
        nn_error err;
        assert_int_equal(nn_network_init(&net, 3, specs, 4, 2, &err), NN_OK);
        nn_rng rng;
        nn_rng_seed(&rng, 42u + (uint64_t)c);
        nn_network_init_weights(&net, &rng);
        for (size_t k = 0; k < net.n_params; k++)   /* nonzero biases too */
            if (k >= net.layers[0].b_off)
                net.params[k] += 0.1f * (float)(nn_rng_uniform(&rng) - 0.5);
        const float x[3] = {0.7f, -1.2f, 0.4f};
        float y[3] = {0.0f, 0.0f, 0.0f};
        if (tc->loss == NN_LOSS_CE || tc->loss == NN_LOSS_BCE)
            y[tc->outputs - 1] = 1.0f;
        else
            y[0] = 0.8f, y[1] = -0.5f;
        nn_network_forward(&net, NULL, x, 1, 0.0f, NULL);
        nn_network_backward(&net, NULL, x, y, 1, tc->loss);

        nn_health_trace tr;
        assert_int_equal(nn_health_trace_init(&tr, &net, &err), NN_OK);
        assert_int_equal(nn_health_trace_run(&tr, &net, x, y, tc->loss, &err), NN_OK);
        double biggest = 0.0;
        for (int l = 0; l < net.n_layers; l++) {
            const nn_layer *L = &net.layers[l];
            for (int j = 0; j < L->out; j++) {
                float mine = (float)tr.a[l][j], theirs = L->a[j];
                assert_float_equal(mine, theirs, 1e-5);
                mine = (float)tr.delta[l][j];
                theirs = L->delta[j];
                assert_float_equal(mine, theirs, 1e-5);
                for (int i = NN_HEALTH_BIAS; i < L->in; i++) {
                    size_t idx = i == NN_HEALTH_BIAS ? L->b_off + (size_t)j : L->w_off + (size_t)i * L->out + (size_t)j;
                    double g = nn_health_trace_grad(&tr, l, i, j);
                    mine = (float)g;
                    theirs = net.grads[idx];
                    assert_float_equal(mine, theirs, 1e-5);
                    biggest = fabs(g) > biggest ? fabs(g) : biggest;
                }
            }
        }
        assert_true(biggest > 1e-3);   /* the comparison is not between zeros */
        /* the sample's loss is the one the trainer reports, also for confident outputs (logits
           scaled by 100: the fused pairs' loss comes from z, unclamped) */
        const nn_layer *top = &net.layers[net.n_layers - 1];
        for (int scaled = 0; scaled < 2; scaled++) {
            if (scaled) {
                for (size_t k = 0; k < (size_t)top->in * (size_t)top->out; k++)
                    net.params[top->w_off + k] *= 100.0f;
                nn_network_forward(&net, NULL, x, 1, 0.0f, NULL);
                assert_int_equal(nn_health_trace_run(&tr, &net, x, y, tc->loss, &err), NN_OK);
            }
            double want = nn_loss_value_out(tc->loss, top->act, top->z, top->a, y, 1, tc->outputs);
            if (!(fabs(tr.loss_value - want) <= 1e-5 * (1.0 + fabs(want))))
                fail_msg("case %d%s: trace loss %.9g, reported %.9g", c, scaled ? " (scaled)" : "", tr.loss_value,
                         want);
        }
        nn_health_trace_free(&tr);
        nn_network_free(&net);
    }
}

// --- optimizer formulas ---------------------------------------------------------------------------

static void test_health_sgd_formula_has_the_numbers(void **state)
{
    (void)state;
    nn_network net;
    build_232(&net);
    size_t idx = net.layers[1].w_off + 1;   /* W1[0][1] */
    net.params[idx] = 0.312f;
    nn_opt_params p;
    nn_opt_defaults(&p, NN_OPT_SGD);
    p.lr = 0.03;
    nn_optimizer opt;
    nn_error err;
    assert_int_equal(nn_optimizer_init(&opt, &p, net.n_params, &err), NN_OK);
    nn_health_step s;
    assert_int_equal(nn_health_explain_step(&s, &net, &opt, 0.03, 1, 0, 1, 0.0841, &err), NN_OK);
    assert_int_equal(s.n_lines, 1);
    assert_int_equal((int)s.index, (int)idx);
    /* 0.312 - 0.03 * 0.0841 = 0.309477 */
    assert_string_equal(s.lines[0], "w ← w − lr·g = 0.3120 − 0.03 × 0.0841 = 0.3095");
    float v = (float)s.w_new, e = 0.309477f;
    assert_float_equal(v, e, 1e-6);
    nn_optimizer_free(&opt);

    /* momentum 0.9 with b = 0.0120 from earlier steps: b = 0.9*0.012 + 0.0841 = 0.0949,
       w = 0.312 - 0.03*0.0949 = 0.309153 */
    p.momentum = 0.9;
    assert_int_equal(nn_optimizer_init(&opt, &p, net.n_params, &err), NN_OK);
    opt.t = 5;
    opt.s1[idx] = 0.012f;
    assert_int_equal(nn_health_explain_step(&s, &net, &opt, 0.03, 1, 0, 1, 0.0841, &err), NN_OK);
    assert_int_equal(s.n_lines, 2);
    assert_string_equal(s.lines[0], "b ← μ·b + g = 0.9 × 0.0120 + 0.0841 = 0.0949");
    assert_string_equal(s.lines[1], "w ← w − lr·b = 0.3120 − 0.03 × 0.0949 = 0.3092");
    v = (float)s.w_new;
    e = 0.309153f;
    assert_float_equal(v, e, 1e-6);
    assert_int_equal((int)s.t, 6);

    /* bad coordinates */
    assert_int_equal(nn_health_explain_step(&s, &net, &opt, 0.03, 2, 0, 0, 0.1, &err), NN_EINVAL);
    assert_int_equal(nn_health_explain_step(&s, &net, &opt, 0.03, 1, 3, 0, 0.1, &err), NN_EINVAL);
    assert_int_equal(nn_health_explain_step(&s, &net, &opt, 0.03, 1, -2, 0, 0.1, &err), NN_EINVAL);
    assert_int_equal(nn_health_explain_step(&s, &net, &opt, 0.03, 0, 0, 3, 0.1, &err), NN_EINVAL);
    nn_optimizer_free(&opt);
    nn_network_free(&net);
}

/* For every optimizer and its variants: a few real steps first (so the state is not zero), then the
 * explained step against a real nn_optimizer_step on a copy, for a weight and a bias. */
static void test_health_every_optimizer_formula_matches_a_real_step(void **state)
{
    (void)state;
    typedef struct {
        nn_opt_kind kind;
        double lr, momentum, dampening, wd, lr_decay;
        int nesterov, amsgrad, centered;
        const char *needle;   /* a piece of the text that must appear */
    } opt_case;
    const opt_case cases[] = {
        {NN_OPT_SGD, 0.1, 0, 0, 0, 0, 0, 0, 0, "w ← w − lr·g"},
        {NN_OPT_SGD, 0.1, 0, 0, 0.01, 0, 0, 0, 0, "g ← g + wd·w"},
        {NN_OPT_SGD, 0.1, 0.9, 0, 0, 0, 0, 0, 0, "b ← μ·b + g = 0.9 × "},
        {NN_OPT_SGD, 0.1, 0.9, 0.2, 0, 0, 0, 0, 0, "(1−dampening)"},
        {NN_OPT_SGD, 0.1, 0.9, 0, 0, 0, 1, 0, 0, "w ← w − lr·(g + μ·b)"},
        {NN_OPT_RMSPROP, 0.01, 0, 0, 0, 0, 0, 0, 0, "v ← α·v + (1−α)·g² = 0.99 × "},
        {NN_OPT_RMSPROP, 0.01, 0.5, 0, 0.01, 0, 0, 0, 1, "ḡ ← α·ḡ"},
        {NN_OPT_ADAM, 0.01, 0, 0, 0, 0, 0, 0, 0, "m̂ = m/(1−β1^t)"},
        {NN_OPT_ADAM, 0.01, 0, 0, 0.01, 0, 0, 1, 0, "v_max ← max(v_max, v)"},
        {NN_OPT_ADAMW, 0.01, 0, 0, 0.1, 0, 0, 0, 0, "w ← w·(1 − lr·wd) = "},
        {NN_OPT_ADAGRAD, 0.1, 0, 0, 0, 0.1, 0, 0, 0, "s ← s + g² = "},
        {NN_OPT_ADADELTA, 1.0, 0, 0, 0, 0, 0, 0, 0, "d = √(u+ε)/√(v+ε)·g"},
    };
    const int ncases = (int)(sizeof cases / sizeof cases[0]);
    for (int c = 0; c < ncases; c++) {
        const opt_case *oc = &cases[c];
        nn_network net;
        build_232(&net);
        nn_opt_params p;
        nn_opt_defaults(&p, oc->kind);
        p.lr = oc->lr;
        p.momentum = oc->momentum;
        p.dampening = oc->dampening;
        p.weight_decay = oc->wd;
        p.lr_decay = oc->lr_decay;
        p.nesterov = oc->nesterov;
        p.amsgrad = oc->amsgrad;
        p.centered = oc->centered;
        nn_optimizer opt;
        nn_error err;
        assert_int_equal(nn_optimizer_init(&opt, &p, net.n_params, &err), NN_OK);
        const float y[4] = {1.0f, 0.0f, 0.0f, 1.0f};
        /* three real steps on the full batch of two rows */
        for (int k = 0; k < 3; k++) {
            nn_network_forward(&net, NULL, X2, 2, 0.0f, NULL);
            nn_network_backward(&net, NULL, X2, y, 2, NN_LOSS_MSE);
            nn_optimizer_step(&opt, net.params, net.grads, oc->lr);
        }
        /* the gradient of sample 0, from the trace, for every parameter */
        nn_health_trace tr;
        assert_int_equal(nn_health_trace_init(&tr, &net, &err), NN_OK);
        assert_int_equal(nn_health_trace_run(&tr, &net, X2, y, NN_LOSS_MSE, &err), NN_OK);
        float *g = calloc(net.n_params, sizeof(float));
        assert_non_null(g);
        for (int l = 0; l < net.n_layers; l++)
            for (int j = 0; j < net.layers[l].out; j++)
                for (int i = NN_HEALTH_BIAS; i < net.layers[l].in; i++) {
                    size_t idx = i == NN_HEALTH_BIAS ? net.layers[l].b_off + (size_t)j
                                                     : net.layers[l].w_off + (size_t)i * net.layers[l].out + (size_t)j;
                    g[idx] = (float)nn_health_trace_grad(&tr, l, i, j);
                }
        const int picks[2][3] = {{1, 0, 1}, {0, NN_HEALTH_BIAS, 0}};   /* W1[0][1], b0[0]: nonzero gradients */
        for (int q = 0; q < 2; q++) {
            const int l = picks[q][0], i = picks[q][1], j = picks[q][2];
            nn_health_step s;
            /* the gradient as the real step sees it (float) */
            size_t idx = i == NN_HEALTH_BIAS ? net.layers[l].b_off + (size_t)j
                                             : net.layers[l].w_off + (size_t)i * net.layers[l].out + (size_t)j;
            assert_true(fabsf(g[idx]) > 1e-3f);
            assert_int_equal(nn_health_explain_step(&s, &net, &opt, oc->lr, l, i, j, (double)g[idx], &err), NN_OK);
            assert_int_equal((int)s.index, (int)idx);
            assert_true(s.n_lines >= 1);
            int found = 0;
            for (int k = 0; k < s.n_lines; k++)
                found |= strstr(s.lines[k], oc->needle) != NULL;
            if (!found)
                fail_msg("case %d: \"%s\" not in \"%s\"", c, oc->needle, s.lines[0]);
            assert_non_null(strstr(s.lines[s.n_lines - 1], "w ← w"));
            /* the real step on copies of the parameters and the optimizer state */
            float *pc = malloc(net.n_params * sizeof(float));
            assert_non_null(pc);
            memcpy(pc, net.params, net.n_params * sizeof(float));
            nn_optimizer oc2;
            assert_int_equal(nn_optimizer_init(&oc2, &p, net.n_params, &err), NN_OK);
            oc2.t = opt.t;
            float *src[3] = {opt.s1, opt.s2, opt.s3}, *dst[3] = {oc2.s1, oc2.s2, oc2.s3};
            for (int k = 0; k < 3; k++)
                if (src[k])
                    memcpy(dst[k], src[k], net.n_params * sizeof(float));
            nn_optimizer_step(&oc2, pc, g, oc->lr);
            float mine = (float)s.w_new, theirs = pc[idx];
            assert_float_equal(mine, theirs, 1e-6);
            assert_true(fabsf(theirs - net.params[idx]) > 1e-6f);   /* the step moved it */
            for (int k = 0; k < 3; k++)
                if (dst[k]) {
                    mine = (float)s.state_new[k];
                    theirs = dst[k][idx];
                    assert_float_equal(mine, theirs, 1e-6);
                }
            /* the explanation read the optimizer without changing it */
            assert_int_equal((int)opt.t, 3);
            nn_optimizer_free(&oc2);
            free(pc);
        }
        free(g);
        nn_health_trace_free(&tr);
        nn_optimizer_free(&opt);
        nn_network_free(&net);
    }
}


/* The penalty term per weight against nn_network_add_penalty_grad on zeroed gradients. */
static void test_health_penalty_grad_matches_the_network(void **state)
{
    (void)state;
    nn_network net;
    build_232(&net);
    net.params[net.layers[0].w_off + 2] = 0.0f;   /* sign(0) = 0 for l1 */
    const nn_reg regs[3] = {NN_REG_L1, NN_REG_L2, NN_REG_ELASTICNET};
    for (int k = 0; k < 3; k++) {
        memset(net.grads, 0, net.n_params * sizeof(float));
        nn_network_add_penalty_grad(&net, regs[k], 0.2, 0.6);
        int checked = 0;
        for (int l = 0; l < 2; l++) {
            const nn_layer *L = &net.layers[l];
            for (size_t q = L->w_off; q < L->w_off + (size_t)L->in * L->out; q++) {
                float mine = (float)nn_health_penalty_grad(regs[k], 0.2, 0.6, (double)net.params[q], 0);
                float theirs = net.grads[q];
                assert_float_equal(mine, theirs, 1e-6);
                checked += theirs != 0.0f;
            }
            for (int j = 0; j < L->out; j++) {
                float mine = (float)nn_health_penalty_grad(regs[k], 0.2, 0.6, (double)net.params[L->b_off + (size_t)j], 1);
                float theirs = net.grads[L->b_off + (size_t)j];
                assert_float_equal(mine, theirs, 0.0);
            }
        }
        assert_true(checked >= 11);
    }
    /* by hand: l2 0.2 * 6 = 1.2; elasticnet 0.2 * (0.6 * -1 + 0.4 * -8) = -0.76 */
    float v = (float)nn_health_penalty_grad(NN_REG_L2, 0.2, 0.6, 6.0, 0), e = 1.2f;
    assert_float_equal(v, e, 1e-6);
    v = (float)nn_health_penalty_grad(NN_REG_ELASTICNET, 0.2, 0.6, -8.0, 0);
    e = -0.76f;
    assert_float_equal(v, e, 1e-6);
    v = (float)nn_health_penalty_grad(NN_REG_NONE, 0.2, 0.6, -8.0, 0);
    e = 0.0f;
    assert_float_equal(v, e, 0.0);
    nn_network_free(&net);
}

// --- with a trainer: the lesson presets -----------------------------------------------------------

static int load_lesson(nn_preset *p, const char *name)
{
    const char *root = getenv("NN_SOURCE_ROOT");
    char path[1024];
    snprintf(path, sizeof path, "%s/presets/%s", root ? root : ".", name);
    nn_error err;
    nn_status st = nn_preset_load(p, path, NULL, &err);
    if (st != NN_OK)
        fail_msg("%s: %s", path, err.msg);
    return st == NN_OK;
}

/* Each lesson parses, carries its text, and locks what it must while leaving free the key its text
 * tells the student to change. */
static void test_health_lesson_presets_lock_all_but_the_lesson_knob(void **state)
{
    (void)state;
    nn_preset *p = malloc(sizeof *p);
    assert_non_null(p);
    assert_true(load_lesson(p, "lesson-learning-rate.json"));
    assert_true(p->lesson.present);
    assert_non_null(strstr(p->lesson.text, "lower the learning rate"));
    assert_false(nn_preset_is_locked(p, "training.optimizer.learning_rate"));
    assert_true(nn_preset_is_locked(p, "model.layers.0.units"));
    assert_true(nn_preset_is_locked(p, "training.optimizer.name"));
    assert_true(nn_preset_is_locked(p, "dataset.samples"));

    assert_true(load_lesson(p, "lesson-vanishing.json"));
    assert_true(p->lesson.present);
    assert_false(nn_preset_is_locked(p, "model.layers.0.activation"));
    assert_true(nn_preset_is_locked(p, "training.optimizer.learning_rate"));
    assert_int_equal(p->n_layers, 8);

    assert_true(load_lesson(p, "lesson-overfitting.json"));
    assert_true(p->lesson.present);
    assert_false(nn_preset_is_locked(p, "training.regularization.lambda"));
    assert_false(nn_preset_is_locked(p, "training.regularization.dropout"));
    assert_false(nn_preset_is_locked(p, "training.early_stopping.patience"));
    assert_true(nn_preset_is_locked(p, "model.layers.0.units"));
    assert_true(nn_preset_is_locked(p, "training.epochs"));
    free(p);
}

/* One epoch of the vanishing lesson: the health view sees the gradient shrink layer by layer and
 * says so; the step-through of a training row matches nn_network_backward on that row. */
static void test_health_vanishing_lesson_shows_vanishing_gradients(void **state)
{
    (void)state;
    nn_preset *p = malloc(sizeof *p);
    nn_trainer *t = calloc(1, sizeof *t);
    assert_non_null(p);
    assert_non_null(t);
    assert_true(load_lesson(p, "lesson-vanishing.json"));
    nn_error err;
    assert_int_equal(nn_trainer_init(t, p, 1, &err), NN_OK);
    float *prev = malloc(t->net.n_params * sizeof(float));
    assert_non_null(prev);
    do {
        memcpy(prev, t->net.params, t->net.n_params * sizeof(float));
        assert_int_equal(nn_trainer_step(t, &err), NN_OK);
    } while (!nn_trainer_epoch_ended(t));
    nn_health h;
    nn_health_compute(&h, &t->net, prev);
    assert_int_equal(h.n_layers, 8);
    /* each layer's gradient is smaller than the next one's, and layer 1's under 1e-3 of the output's */
    for (int l = 0; l < 7; l++)
        assert_true(h.layer[l].grad_norm < h.layer[l + 1].grad_norm);
    assert_true(h.layer[0].grad_norm < 1e-3 * h.layer[7].grad_norm);
    assert_true(h.layer[0].grad_norm > 0.0);
    assert_true(h.layer[0].update_ratio < h.layer[7].update_ratio);
    assert_false(isnan(h.layer[0].saturated_share));
    char w[8][NN_HEALTH_WARN_LEN];
    int n = nn_health_warnings(&h, w, 8);
    assert_true(has(w, n, "gradients vanish"));

    /* the step-through of training row 0 against the batched engine on that row alone */
    nn_health_trace tr;
    assert_int_equal(nn_health_trace_init(&tr, &t->net, &err), NN_OK);
    int row = (int)t->split.train[0];
    assert_int_equal(nn_health_trace_sample(&tr, t, row, &err), NN_OK);
    assert_int_equal(tr.sample, row);
    assert_int_equal(nn_health_trace_sample(&tr, t, t->data.n, &err), NN_EINVAL);
    float x[2], y[2];
    uint32_t idx = (uint32_t)row;
    nn_gather(x, y, t->outputs, &t->data, &t->norm, &idx, 1);
    nn_network_forward(&t->net, NULL, x, 1, 0.0f, NULL);
    nn_network_backward(&t->net, NULL, x, y, 1, t->loss);
    /* relative: layer 1's deltas are around 1e-7, where an absolute tolerance would prove nothing */
    int nonzero = 0;
    for (int l = 0; l < 8; l++)
        for (int j = 0; j < t->net.layers[l].out; j++) {
            double mine = tr.delta[l][j], theirs = (double)t->net.layers[l].delta[j];
            if (fabs(mine - theirs) > 1e-3 * fabs(theirs) + 1e-15)
                fail_msg("layer %d unit %d: delta %g, network.c %g", l, j, mine, theirs);
            nonzero += l == 0 && theirs != 0.0;
        }
    assert_true(nonzero > 0);
    const size_t gi = t->net.layers[0].w_off + 1 * 16 + 3;   /* W0[1][3] */
    double g = nn_health_trace_grad(&tr, 0, 1, 3), ge = (double)t->net.grads[gi];
    assert_true(ge != 0.0);
    assert_true(fabs(g - ge) <= 1e-3 * fabs(ge));
    nn_health_trace_free(&tr);
    free(prev);
    nn_trainer_free(t);
    free(t);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_health_statistics_match_hand_computed_values),
        cmocka_unit_test(test_health_tanh_and_leaky_relu_use_their_own_rules),
        cmocka_unit_test(test_health_activation_spread_survives_a_large_offset),
        cmocka_unit_test(test_health_warnings_from_constructed_cases),
        cmocka_unit_test(test_health_history_keeps_the_last_rows_in_order),
        cmocka_unit_test(test_health_trace_matches_hand_computed_values),
        cmocka_unit_test(test_health_trace_matches_network_backward_on_one_row),
        cmocka_unit_test(test_health_sgd_formula_has_the_numbers),
        cmocka_unit_test(test_health_every_optimizer_formula_matches_a_real_step),
        cmocka_unit_test(test_health_penalty_grad_matches_the_network),
        cmocka_unit_test(test_health_lesson_presets_lock_all_but_the_lesson_knob),
        cmocka_unit_test(test_health_vanishing_lesson_shows_vanishing_gradients),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
