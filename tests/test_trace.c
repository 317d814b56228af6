/* test_trace.c — the step-through of one sample (core/trace.c) against hand-computed values on
 * the 2-3-2 network (health_fixture.h) and against nn_network_backward on a one-row batch, for
 * every activation and loss; the penalty term per weight against nn_network_add_penalty_grad. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "trace.h"
#include "health_fixture.h"

#include <math.h>
#include <string.h>

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_health_trace_matches_hand_computed_values),
        cmocka_unit_test(test_health_trace_matches_network_backward_on_one_row),
        cmocka_unit_test(test_health_penalty_grad_matches_the_network),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
