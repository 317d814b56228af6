/* test_health.c — health statistics against hand-computed values on the 2-3-2 network
 * (health_fixture.h), warnings from constructed cases, and the per-epoch ring. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "health.h"
#include "health_fixture.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_health_statistics_match_hand_computed_values),
        cmocka_unit_test(test_health_tanh_and_leaky_relu_use_their_own_rules),
        cmocka_unit_test(test_health_activation_spread_survives_a_large_offset),
        cmocka_unit_test(test_health_warnings_from_constructed_cases),
        cmocka_unit_test(test_health_history_keeps_the_last_rows_in_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
