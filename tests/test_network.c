/* test_network.c — end-to-end gradient checks of the MLP against central differences, penalties,
 * dropout, initialisation statistics, batch sizes and size checks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "network.h"
#include "pool.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ASSERT_NEAR(a, b, eps)                                                                 \
    do {                                                                                       \
        double a_ = (a), b_ = (b), e_ = (eps);                                                 \
        if (!(fabs(a_ - b_) <= e_)) {                                                          \
            print_error("%s = %.10g, expected %s = %.10g (tolerance %g)\n", #a, a_, #b, b_, e_); \
            fail();                                                                            \
        }                                                                                      \
    } while (0)

static nn_layer_spec spec(int units, nn_act act)
{
    nn_layer_spec s = {units, act, nn_act_table[act].default_alpha, NN_INIT_AUTO, NN_DIST_NORMAL};
    return s;
}

/* Targets that suit the loss: one-hot rows for crossentropy, 0/1 for bce, reals otherwise. */
static void fill_targets(float *y, int rows, int cols, nn_loss loss, nn_rng *rng)
{
    for (int r = 0; r < rows; r++) {
        int hot = (int)nn_rng_below(rng, (uint64_t)cols);
        for (int j = 0; j < cols; j++) {
            float *t = &y[r * cols + j];
            if (loss == NN_LOSS_CE)
                *t = j == hot ? 1.0f : 0.0f;
            else if (loss == NN_LOSS_BCE)
                *t = (float)nn_rng_below(rng, 2);
            else
                *t = (float)nn_rng_normal(rng);
        }
    }
}

static bool has_kink(nn_act a)
{
    return a == NN_ACT_RELU || a == NN_ACT_LEAKY_RELU || a == NN_ACT_ELU;
}

/* Sign pattern of every pre-activation of a layer with a kink, to detect a finite difference
 * that crossed one (the derivative is not defined there, so that parameter is skipped). */
static size_t kink_signature(const nn_network *net, int rows, unsigned char *sig)
{
    size_t k = 0;
    for (int l = 0; l < net->n_layers; l++) {
        const nn_layer *L = &net->layers[l];
        if (!has_kink(L->act))
            continue;
        for (size_t i = 0; i < (size_t)rows * (size_t)L->out; i++)
            sig[k++] = L->z[i] > 0.0f;
    }
    return k;
}

static double loss_at(nn_network *net, const float *x, const float *y, int rows, nn_loss loss,
                      float dropout, uint64_t drop_seed)
{
    nn_rng rng;
    nn_rng_seed(&rng, drop_seed);   /* the same seed gives the same dropout mask every time */
    const float *out = nn_network_forward(net, NULL, x, rows, dropout, dropout > 0 ? &rng : NULL);
    return nn_loss_value(loss, out, y, rows, nn_network_outputs(net));
}

/* Builds the network, runs backward once and compares EVERY parameter's gradient (weights and
 * biases) with a central difference of the loss, evaluated in double over the float forward. */
static void gradient_check(const char *what, int n_inputs, const nn_layer_spec *specs, int n_layers,
                           nn_loss loss, float dropout, uint64_t seed)
{
    enum { ROWS = 4 };
    nn_network net;
    nn_error err;
    assert_int_equal(nn_network_init(&net, n_inputs, specs, n_layers, ROWS, &err), NN_OK);
    nn_rng rng;
    nn_rng_seed(&rng, seed);
    nn_network_init_weights(&net, &rng);
    /* non-zero biases, so their gradients and the bias path are exercised */
    for (int l = 0; l < n_layers; l++)
        for (int j = 0; j < net.layers[l].out; j++)
            net.params[net.layers[l].b_off + (size_t)j] = (float)(0.2 * nn_rng_normal(&rng));
    int outs = nn_network_outputs(&net);
    float *x = malloc(sizeof(float) * ROWS * (size_t)n_inputs);
    float *y = malloc(sizeof(float) * ROWS * (size_t)outs);
    assert_non_null(x);
    assert_non_null(y);
    for (int i = 0; i < ROWS * n_inputs; i++)
        x[i] = (float)nn_rng_normal(&rng);
    fill_targets(y, ROWS, outs, loss, &rng);

    const uint64_t drop_seed = seed + 1000;
    (void)loss_at(&net, x, y, ROWS, loss, dropout, drop_seed);
    nn_network_backward(&net, NULL, x, y, ROWS, loss);
    float *ana = malloc(sizeof(float) * net.n_params);
    assert_non_null(ana);
    memcpy(ana, net.grads, sizeof(float) * net.n_params);
    unsigned char sig0[4096], sig1[4096];
    size_t nsig = kink_signature(&net, ROWS, sig0);
    assert_true(nsig <= sizeof sig0);

    double gmax = 0.0;
    for (size_t i = 0; i < net.n_params; i++)
        gmax = fmax(gmax, fabs((double)ana[i]));
    if (!(gmax > 1e-3)) {
        print_error("%s: gradient is (nearly) all zero (max %g)\n", what, gmax);
        fail();
    }

    const float h = 1e-2f;
    double worst = 0.0;
    size_t skipped = 0, bias_checked = 0;
    for (size_t i = 0; i < net.n_params; i++) {
        /* five-point stencil: (8 (L(w+h) - L(w-h)) - (L(w+2h) - L(w-2h))) / 12h, error O(h^4) */
        const float w0 = net.params[i];
        const float steps[4] = {h, -h, 2.0f * h, -2.0f * h};
        double lv[4];
        bool crossed = false;
        for (int k = 0; k < 4; k++) {
            net.params[i] = w0 + steps[k];
            lv[k] = loss_at(&net, x, y, ROWS, loss, dropout, drop_seed);
            crossed = crossed || (kink_signature(&net, ROWS, sig1) && memcmp(sig0, sig1, nsig) != 0);
        }
        net.params[i] = w0;
        if (crossed) {
            skipped++;
            continue;
        }
        double num = (8.0 * (lv[0] - lv[1]) - (lv[2] - lv[3])) / (12.0 * (double)h);
        /* relative error, with a floor of 1% of the largest gradient for near-zero entries */
        double e = fabs(num - (double)ana[i]) / fmax(fmax(fabs(num), fabs((double)ana[i])), 1e-2 * gmax);
        if (e > 1e-2)
            print_error("%s: param %zu: analytic %.8g numeric %.8g\n", what, i, (double)ana[i], num);
        worst = fmax(worst, e);
        for (int l = 0; l < n_layers; l++)
            if (i >= net.layers[l].b_off && i < net.layers[l].b_off + (size_t)net.layers[l].out)
                bias_checked++;
    }
    if (getenv("NN_TEST_VERBOSE"))
        fprintf(stderr, "%s: worst relative error %.3g, %zu of %zu skipped at kinks\n", what, worst, skipped, net.n_params);
    if (worst > 1e-2) {
        print_error("%s: worst relative error %g\n", what, worst);
        fail();
    }
    if (skipped * 4 > net.n_params) {
        print_error("%s: %zu of %zu parameters skipped at kinks\n", what, skipped, net.n_params);
        fail();
    }
    assert_true(bias_checked > 0);
    free(ana);
    free(x);
    free(y);
    nn_network_free(&net);
}

static void test_gradients_match_central_differences_for_tanh_sigmoid_softmax_crossentropy(void **state)
{
    (void)state;
    nn_layer_spec s[3] = {spec(7, NN_ACT_TANH), spec(6, NN_ACT_SIGMOID), spec(3, NN_ACT_SOFTMAX)};
    gradient_check("5-7-6-3 tanh/sigmoid/softmax + crossentropy", 5, s, 3, NN_LOSS_CE, 0.0f, 1);
    gradient_check("5-7-6-3 tanh/sigmoid/softmax + crossentropy", 5, s, 3, NN_LOSS_CE, 0.0f, 2);
    /* softmax + mse goes through the general chain rule */
    gradient_check("5-7-6-3 tanh/sigmoid/softmax + mse", 5, s, 3, NN_LOSS_MSE, 0.0f, 3);
}

static void test_gradients_match_central_differences_for_relu_family_hidden_layers_and_mse(void **state)
{
    (void)state;
    const nn_act hidden[][2] = {{NN_ACT_RELU, NN_ACT_LEAKY_RELU},
                                {NN_ACT_ELU, NN_ACT_GELU},
                                {NN_ACT_SWISH, NN_ACT_SOFTPLUS},
                                {NN_ACT_GELU, NN_ACT_RELU}};
    for (size_t k = 0; k < sizeof hidden / sizeof *hidden; k++) {
        nn_layer_spec s[3] = {spec(7, hidden[k][0]), spec(6, hidden[k][1]), spec(3, NN_ACT_LINEAR)};
        char what[96];
        snprintf(what, sizeof what, "5-7-6-3 %s/%s/linear + mse", nn_act_name(hidden[k][0]),
                 nn_act_name(hidden[k][1]));
        gradient_check(what, 5, s, 3, NN_LOSS_MSE, 0.0f, 10 + k);
    }
    nn_layer_spec s[3] = {spec(7, NN_ACT_RELU), spec(6, NN_ACT_TANH), spec(3, NN_ACT_LINEAR)};
    gradient_check("5-7-6-3 relu/tanh/linear + mae", 5, s, 3, NN_LOSS_MAE, 0.0f, 20);
    gradient_check("5-7-6-3 relu/tanh/linear + rmse", 5, s, 3, NN_LOSS_RMSE, 0.0f, 21);
}

static void test_gradients_match_central_differences_for_sigmoid_bce(void **state)
{
    (void)state;
    nn_layer_spec s[3] = {spec(7, NN_ACT_TANH), spec(6, NN_ACT_ELU), spec(2, NN_ACT_SIGMOID)};
    gradient_check("5-7-6-2 tanh/elu/sigmoid + bce", 5, s, 3, NN_LOSS_BCE, 0.0f, 30);
    nn_layer_spec one[1] = {spec(1, NN_ACT_SIGMOID)};
    gradient_check("3-1 sigmoid + bce (single layer)", 3, one, 1, NN_LOSS_BCE, 0.0f, 31);
}

static void test_gradients_match_central_differences_with_dropout_masks(void **state)
{
    (void)state;
    nn_layer_spec s[3] = {spec(9, NN_ACT_TANH), spec(8, NN_ACT_SOFTPLUS), spec(3, NN_ACT_SOFTMAX)};
    gradient_check("5-9-8-3 with dropout 0.3", 5, s, 3, NN_LOSS_CE, 0.3f, 40);
}

static void fill_params(nn_network *net, uint64_t seed)
{
    nn_rng rng;
    nn_rng_seed(&rng, seed);
    for (size_t i = 0; i < net->n_params; i++)
        net->params[i] = (float)nn_rng_normal(&rng);
}

static bool is_bias(const nn_network *net, size_t i)
{
    for (int l = 0; l < net->n_layers; l++)
        if (i >= net->layers[l].b_off && i < net->layers[l].b_off + (size_t)net->layers[l].out)
            return true;
    return false;
}

static void test_penalty_gradients_match_central_differences_and_skip_biases(void **state)
{
    (void)state;
    nn_layer_spec s[2] = {spec(4, NN_ACT_TANH), spec(2, NN_ACT_LINEAR)};
    nn_network net;
    assert_int_equal(nn_network_init(&net, 3, s, 2, 1, NULL), NN_OK);
    fill_params(&net, 5);
    const nn_reg regs[3] = {NN_REG_L1, NN_REG_L2, NN_REG_ELASTICNET};
    for (int k = 0; k < 3; k++) {
        const double lambda = 0.3, r = 0.6;
        memset(net.grads, 0, net.n_params * sizeof(float));
        nn_network_add_penalty_grad(&net, regs[k], lambda, r);
        double norm = 0;
        for (size_t i = 0; i < net.n_params; i++) {
            float w0 = net.params[i];
            const float h = 1e-3f;
            net.params[i] = w0 + h;
            double pp = nn_network_penalty(&net, regs[k], lambda, r);
            float wp = net.params[i];
            net.params[i] = w0 - h;
            double pm = nn_network_penalty(&net, regs[k], lambda, r);
            float wm = net.params[i];
            net.params[i] = w0;
            double num = (pp - pm) / ((double)wp - (double)wm);
            if (is_bias(&net, i)) {
                assert_true(net.grads[i] == 0.0f);
                ASSERT_NEAR(num, 0.0, 1e-9);
            } else {
                ASSERT_NEAR(net.grads[i], num, 1e-4 * fmax(1.0, fabs(num)));
            }
            norm += fabs((double)net.grads[i]);
        }
        assert_true(norm > 0.1);
    }
    nn_network_free(&net);
}

static void test_penalty_values_are_the_documented_formulas(void **state)
{
    (void)state;
    nn_layer_spec s[1] = {spec(2, NN_ACT_LINEAR)};
    nn_network net;
    assert_int_equal(nn_network_init(&net, 1, s, 1, 1, NULL), NN_OK);
    /* W = (1, -2), b = (100, 100): biases must not count */
    net.params[0] = 1.0f;
    net.params[1] = -2.0f;
    net.params[2] = 100.0f;
    net.params[3] = 100.0f;
    ASSERT_NEAR(nn_network_penalty(&net, NN_REG_NONE, 0.5, 0.5), 0.0, 0.0);
    ASSERT_NEAR(nn_network_penalty(&net, NN_REG_L1, 0.5, 0.0), 0.5 * 3.0, 1e-12);
    ASSERT_NEAR(nn_network_penalty(&net, NN_REG_L2, 0.5, 0.0), 0.5 / 2.0 * 5.0, 1e-12);
    /* elasticnet: 0.5 * (0.6 * 3 + 0.4 / 2 * 5) = 1.4 */
    ASSERT_NEAR(nn_network_penalty(&net, NN_REG_ELASTICNET, 0.5, 0.6), 1.4, 1e-12);
    /* sign(0) = 0 for l1 */
    net.params[0] = 0.0f;
    memset(net.grads, 0, net.n_params * sizeof(float));
    nn_network_add_penalty_grad(&net, NN_REG_L1, 0.5, 0.0);
    assert_true(net.grads[0] == 0.0f);
    assert_true(net.grads[1] == -0.5f);
    nn_network_free(&net);
}

static void test_dropout_zeroes_about_half_the_hidden_units_and_scales_the_rest(void **state)
{
    (void)state;
    enum { ROWS = 50, IN = 4, HID = 200 };
    nn_layer_spec s[2] = {spec(HID, NN_ACT_RELU), spec(3, NN_ACT_SOFTMAX)};
    nn_network net;
    assert_int_equal(nn_network_init(&net, IN, s, 2, ROWS, NULL), NN_OK);
    /* zero weights and bias 1: every hidden activation is exactly relu(1) = 1 */
    memset(net.params, 0, net.n_params * sizeof(float));
    for (int j = 0; j < HID; j++)
        net.params[net.layers[0].b_off + (size_t)j] = 1.0f;
    for (size_t j = 0; j < 3 * HID; j++)
        net.params[net.layers[1].w_off + j] = 0.01f * (float)(j % 7);
    float x[ROWS * IN];
    for (int i = 0; i < ROWS * IN; i++)
        x[i] = (float)i;

    nn_rng rng;
    nn_rng_seed(&rng, 77);
    const float *out = nn_network_forward(&net, NULL, x, ROWS, 0.5f, &rng);
    assert_non_null(out);
    assert_int_equal(net.last_dropout, 1);
    const nn_layer *h0 = &net.layers[0];
    assert_true(h0->h != h0->a);
    int zeros = 0;
    for (int i = 0; i < ROWS * HID; i++) {
        assert_true(h0->a[i] == 1.0f);
        if (h0->h[i] == 0.0f)
            zeros++;
        else
            assert_true(h0->h[i] == 2.0f);   /* survivors scaled by 1/(1 - 0.5) */
        assert_true(h0->mask[i] == 0.0f || h0->mask[i] == 2.0f);
    }
    /* 10000 units, Binomial(10000, 0.5): sd 50; allow 5 sd */
    assert_in_range(zeros, 5000 - 250, 5000 + 250);
    /* no dropout on the output layer: probabilities still sum to 1, no mask */
    const nn_layer *top = &net.layers[1];
    assert_null(top->mask);
    assert_true(top->h == top->a);
    for (int r = 0; r < ROWS; r++) {
        double sum = 0;
        for (int j = 0; j < 3; j++)
            sum += (double)out[r * 3 + j];
        ASSERT_NEAR(sum, 1.0, 1e-5);
    }

    /* evaluation: rng NULL means no dropout even with a rate */
    nn_network_forward(&net, NULL, x, ROWS, 0.5f, NULL);
    assert_int_equal(net.last_dropout, 0);
    assert_true(net.layers[0].h == net.layers[0].a);
    for (int i = 0; i < ROWS * HID; i++)
        assert_true(net.layers[0].h[i] == 1.0f);
    /* and a rate of 0 with an rng is no dropout either */
    nn_network_forward(&net, NULL, x, ROWS, 0.0f, &rng);
    assert_int_equal(net.last_dropout, 0);
    nn_network_free(&net);
}

static void layer_stats(const nn_network *net, int l, double *mean, double *sd, double *maxabs)
{
    const nn_layer *L = &net->layers[l];
    const float *w = net->params + L->w_off;
    size_t n = (size_t)L->in * (size_t)L->out;
    double s = 0, s2 = 0, m = 0;
    for (size_t i = 0; i < n; i++) {
        s += (double)w[i];
        s2 += (double)w[i] * (double)w[i];
        m = fmax(m, fabs((double)w[i]));
    }
    *mean = s / (double)n;
    *sd = sqrt(s2 / (double)n - *mean * *mean);
    *maxabs = m;
}

static void test_initialisation_has_the_he_and_xavier_statistics(void **state)
{
    (void)state;
    nn_layer_spec s[4] = {
        {256, NN_ACT_RELU, 0.0f, NN_INIT_AUTO, NN_DIST_NORMAL},        /* auto -> He normal */
        {256, NN_ACT_TANH, 0.0f, NN_INIT_AUTO, NN_DIST_UNIFORM},       /* auto -> Xavier uniform */
        {256, NN_ACT_TANH, 0.0f, NN_INIT_HE, NN_DIST_UNIFORM},         /* forced He uniform */
        {128, NN_ACT_RELU, 0.0f, NN_INIT_XAVIER, NN_DIST_NORMAL},      /* forced Xavier normal */
    };
    nn_network net;
    assert_int_equal(nn_network_init(&net, 256, s, 4, 1, NULL), NN_OK);
    assert_int_equal(net.layers[0].init, NN_INIT_HE);
    assert_int_equal(net.layers[1].init, NN_INIT_XAVIER);
    assert_int_equal(net.layers[2].init, NN_INIT_HE);
    assert_int_equal(net.layers[3].init, NN_INIT_XAVIER);
    for (size_t i = 0; i < net.n_params; i++)
        net.params[i] = 5.0f;   /* init_weights must overwrite everything, biases included */
    nn_rng rng;
    nn_rng_seed(&rng, 2024);
    nn_network_init_weights(&net, &rng);
    double mean, sd, mx;

    layer_stats(&net, 0, &mean, &sd, &mx);
    double he = sqrt(2.0 / 256.0);
    ASSERT_NEAR(sd, he, 0.05 * he);
    ASSERT_NEAR(mean, 0.0, 0.05 * he);

    layer_stats(&net, 1, &mean, &sd, &mx);
    double xb = sqrt(6.0 / 512.0);
    assert_true(mx <= xb);
    assert_true(mx > 0.99 * xb);
    ASSERT_NEAR(sd, xb / sqrt(3.0), 0.05 * xb / sqrt(3.0));

    layer_stats(&net, 2, &mean, &sd, &mx);
    double hb = sqrt(6.0 / 256.0);
    assert_true(mx <= hb);
    assert_true(mx > 0.99 * hb);
    ASSERT_NEAR(sd, he, 0.05 * he);   /* uniform ±sqrt(6/in) has the He variance 2/in */

    layer_stats(&net, 3, &mean, &sd, &mx);
    double xs = sqrt(2.0 / (256.0 + 128.0));
    ASSERT_NEAR(sd, xs, 0.05 * xs);

    for (int l = 0; l < 4; l++)
        for (int j = 0; j < net.layers[l].out; j++)
            assert_true(net.params[net.layers[l].b_off + (size_t)j] == 0.0f);
    nn_network_free(&net);
}

static void test_same_seed_gives_the_same_weights(void **state)
{
    (void)state;
    nn_layer_spec s[2] = {spec(8, NN_ACT_RELU), spec(3, NN_ACT_SOFTMAX)};
    nn_network a, b;
    assert_int_equal(nn_network_init(&a, 4, s, 2, 2, NULL), NN_OK);
    assert_int_equal(nn_network_init(&b, 4, s, 2, 2, NULL), NN_OK);
    nn_rng r1, r2;
    nn_rng_seed(&r1, 99);
    nn_rng_seed(&r2, 99);
    nn_network_init_weights(&a, &r1);
    nn_network_init_weights(&b, &r2);
    assert_memory_equal(a.params, b.params, a.n_params * sizeof(float));
    nn_rng_seed(&r2, 100);
    nn_network_init_weights(&b, &r2);
    assert_memory_not_equal(a.params, b.params, a.n_params * sizeof(float));
    nn_network_free(&a);
    nn_network_free(&b);
}

static void test_layout_puts_each_bias_after_its_weights_in_one_buffer(void **state)
{
    (void)state;
    nn_layer_spec s[3] = {spec(7, NN_ACT_TANH), spec(6, NN_ACT_RELU), spec(3, NN_ACT_SOFTMAX)};
    nn_network net;
    assert_int_equal(nn_network_init(&net, 5, s, 3, 8, NULL), NN_OK);
    assert_int_equal(net.n_params, 5 * 7 + 7 + 7 * 6 + 6 + 6 * 3 + 3);
    size_t off = 0;
    int in = 5;
    for (int l = 0; l < 3; l++) {
        const nn_layer *L = &net.layers[l];
        assert_int_equal(L->in, in);
        assert_int_equal(L->w_off, off);
        assert_int_equal(L->b_off, off + (size_t)L->in * (size_t)L->out);
        off = L->b_off + (size_t)L->out;
        in = L->out;
        assert_true(L->h == L->a);
        if (l < 2)
            assert_non_null(L->mask);
        else
            assert_null(L->mask);
    }
    assert_int_equal(off, net.n_params);
    assert_int_equal(nn_network_outputs(&net), 3);
    nn_network_free(&net);
}

static void test_a_batch_of_one_and_a_full_batch_give_the_same_rows(void **state)
{
    (void)state;
    enum { MAXB = 33, IN = 6 };
    nn_layer_spec s[3] = {spec(10, NN_ACT_GELU), spec(9, NN_ACT_TANH), spec(4, NN_ACT_SOFTMAX)};
    nn_network net;
    assert_int_equal(nn_network_init(&net, IN, s, 3, MAXB, NULL), NN_OK);
    nn_rng rng;
    nn_rng_seed(&rng, 8);
    nn_network_init_weights(&net, &rng);
    float x[MAXB * IN], y[MAXB * 4], full[MAXB * 4];
    for (int i = 0; i < MAXB * IN; i++)
        x[i] = (float)nn_rng_normal(&rng);
    fill_targets(y, MAXB, 4, NN_LOSS_CE, &rng);
    const float *out = nn_network_forward(&net, NULL, x, MAXB, 0.0f, NULL);
    assert_non_null(out);
    memcpy(full, out, sizeof full);
    nn_network_backward(&net, NULL, x, y, MAXB, NN_LOSS_CE);
    for (size_t i = 0; i < net.n_params; i++)
        assert_true(isfinite(net.grads[i]));
    for (int r = 0; r < MAXB; r += 8) {
        out = nn_network_forward(&net, NULL, x + r * IN, 1, 0.0f, NULL);
        assert_non_null(out);
        for (int j = 0; j < 4; j++)
            ASSERT_NEAR(out[j], full[r * 4 + j], 1e-6);
        nn_network_backward(&net, NULL, x + r * IN, y + r * 4, 1, NN_LOSS_CE);
        for (size_t i = 0; i < net.n_params; i++)
            assert_true(isfinite(net.grads[i]));
    }
    /* the mean-loss gradient of a batch is the mean of the single-row gradients */
    float *sum = calloc(net.n_params, sizeof(float));
    float *batch = malloc(net.n_params * sizeof(float));
    assert_non_null(sum);
    assert_non_null(batch);
    nn_network_forward(&net, NULL, x, 3, 0.0f, NULL);
    nn_network_backward(&net, NULL, x, y, 3, NN_LOSS_CE);
    memcpy(batch, net.grads, net.n_params * sizeof(float));
    for (int r = 0; r < 3; r++) {
        nn_network_forward(&net, NULL, x + r * IN, 1, 0.0f, NULL);
        nn_network_backward(&net, NULL, x + r * IN, y + r * 4, 1, NN_LOSS_CE);
        for (size_t i = 0; i < net.n_params; i++)
            sum[i] += net.grads[i] / 3.0f;
    }
    for (size_t i = 0; i < net.n_params; i++)
        ASSERT_NEAR(batch[i], sum[i], 1e-5);
    /* too many rows, or none, is refused without touching anything */
    assert_null(nn_network_forward(&net, NULL, x, MAXB + 1, 0.0f, NULL));
    assert_null(nn_network_forward(&net, NULL, x, 0, 0.0f, NULL));
    free(sum);
    free(batch);
    nn_network_free(&net);
}

static void test_forward_and_backward_with_a_thread_pool_match_the_serial_run(void **state)
{
    (void)state;
    enum { B = 64, IN = 20 };
    nn_layer_spec s[3] = {spec(48, NN_ACT_RELU), spec(40, NN_ACT_TANH), spec(5, NN_ACT_SOFTMAX)};
    nn_network net;
    assert_int_equal(nn_network_init(&net, IN, s, 3, B, NULL), NN_OK);
    nn_rng rng;
    nn_rng_seed(&rng, 9);
    nn_network_init_weights(&net, &rng);
    float *x = malloc(sizeof(float) * B * IN), *y = malloc(sizeof(float) * B * 5);
    float *o1 = malloc(sizeof(float) * B * 5), *g1 = malloc(sizeof(float) * net.n_params);
    assert_true(x && y && o1 && g1);
    for (int i = 0; i < B * IN; i++)
        x[i] = (float)nn_rng_normal(&rng);
    fill_targets(y, B, 5, NN_LOSS_CE, &rng);
    memcpy(o1, nn_network_forward(&net, NULL, x, B, 0.0f, NULL), sizeof(float) * B * 5);
    nn_network_backward(&net, NULL, x, y, B, NN_LOSS_CE);
    memcpy(g1, net.grads, sizeof(float) * net.n_params);
    nn_error err;
    nn_pool *pool = nn_pool_create(2, &err);
    assert_non_null(pool);
    const float *o2 = nn_network_forward(&net, pool, x, B, 0.0f, NULL);
    nn_network_backward(&net, pool, x, y, B, NN_LOSS_CE);
    for (int i = 0; i < B * 5; i++)
        ASSERT_NEAR(o2[i], o1[i], 1e-5);
    for (size_t i = 0; i < net.n_params; i++)
        ASSERT_NEAR(net.grads[i], g1[i], 1e-5);
    nn_pool_destroy(pool);
    free(x);
    free(y);
    free(o1);
    free(g1);
    nn_network_free(&net);
}

static void test_clip_grads_scales_to_the_max_norm_and_returns_the_norm(void **state)
{
    (void)state;
    nn_layer_spec s[1] = {spec(1, NN_ACT_LINEAR)};
    nn_network net;
    assert_int_equal(nn_network_init(&net, 1, s, 1, 1, NULL), NN_OK);
    net.grads[0] = 3.0f;
    net.grads[1] = 4.0f;
    ASSERT_NEAR(nn_network_clip_grads(&net, 0.0), 5.0, 1e-12);     /* no clipping */
    ASSERT_NEAR(net.grads[0], 3.0, 0.0);
    ASSERT_NEAR(nn_network_clip_grads(&net, 10.0), 5.0, 1e-12);    /* below the max */
    ASSERT_NEAR(net.grads[1], 4.0, 0.0);
    ASSERT_NEAR(nn_network_clip_grads(&net, 1.0), 5.0, 1e-12);     /* scaled to norm 1 */
    ASSERT_NEAR(net.grads[0], 0.6, 1e-7);
    ASSERT_NEAR(net.grads[1], 0.8, 1e-7);
    ASSERT_NEAR(nn_network_clip_grads(&net, -1.0), 1.0, 1e-6);
    nn_network_free(&net);

    /* a few thousand gradients (blocks, lanes and a tail) against a plain double sum */
    nn_layer_spec two[2] = {spec(40, NN_ACT_RELU), spec(21, NN_ACT_LINEAR)};
    assert_int_equal(nn_network_init(&net, 30, two, 2, 1, NULL), NN_OK);
    nn_rng rng;
    nn_rng_seed(&rng, 4);
    double ss = 0;
    for (size_t i = 0; i < net.n_params; i++) {
        net.grads[i] = (float)nn_rng_normal(&rng);
        ss += (double)net.grads[i] * (double)net.grads[i];
    }
    double norm = nn_network_clip_grads(&net, 2.0);
    ASSERT_NEAR(norm, sqrt(ss), 1e-6 * sqrt(ss));
    ASSERT_NEAR(nn_network_clip_grads(&net, 0.0), 2.0, 2e-6);
    nn_network_free(&net);
}

static void test_init_rejects_bad_sizes_with_a_message_naming_the_layer(void **state)
{
    (void)state;
    nn_network net;
    nn_error err;
    nn_layer_spec huge[2] = {spec(1000000, NN_ACT_RELU), spec(1000000, NN_ACT_RELU)};
    assert_int_equal(nn_network_init(&net, 4, huge, 2, 1, &err), NN_ENOMEM);
    assert_string_equal(err.msg, "model.layers.1: 1000000 x 1000000 weights is too large");
    nn_network_free(&net);

    nn_layer_spec zero[2] = {spec(4, NN_ACT_RELU), spec(0, NN_ACT_SOFTMAX)};
    assert_int_equal(nn_network_init(&net, 4, zero, 2, 1, &err), NN_EINVAL);
    assert_non_null(strstr(err.msg, "model.layers.1.units"));
    nn_network_free(&net);

    nn_layer_spec one[1] = {spec(4, NN_ACT_RELU)};
    assert_int_equal(nn_network_init(&net, 4, one, 0, 1, &err), NN_EINVAL);
    assert_int_equal(nn_network_init(&net, 4, one, NN_MAX_LAYERS + 1, 1, &err), NN_EINVAL);
    assert_int_equal(nn_network_init(&net, 0, one, 1, 1, &err), NN_EINVAL);
    assert_int_equal(nn_network_init(&net, 4, one, 1, 0, &err), NN_EINVAL);
    nn_layer_spec bad = spec(4, NN_ACT_RELU);
    bad.act = NN_ACT_COUNT;
    assert_int_equal(nn_network_init(&net, 4, &bad, 1, 1, &err), NN_EINVAL);
    assert_non_null(strstr(err.msg, "activation"));

    nn_layer_spec wide[1] = {spec(100000, NN_ACT_RELU)};
    assert_int_equal(nn_network_init(&net, 4, wide, 1, 100000, &err), NN_ENOMEM);
    assert_non_null(strstr(err.msg, "model.layers.0"));

    nn_network z;
    memset(&z, 0, sizeof z);
    nn_network_free(&z);
    nn_network_free(&z);
    nn_network_free(&net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gradients_match_central_differences_for_tanh_sigmoid_softmax_crossentropy),
        cmocka_unit_test(test_gradients_match_central_differences_for_relu_family_hidden_layers_and_mse),
        cmocka_unit_test(test_gradients_match_central_differences_for_sigmoid_bce),
        cmocka_unit_test(test_gradients_match_central_differences_with_dropout_masks),
        cmocka_unit_test(test_penalty_gradients_match_central_differences_and_skip_biases),
        cmocka_unit_test(test_penalty_values_are_the_documented_formulas),
        cmocka_unit_test(test_dropout_zeroes_about_half_the_hidden_units_and_scales_the_rest),
        cmocka_unit_test(test_initialisation_has_the_he_and_xavier_statistics),
        cmocka_unit_test(test_same_seed_gives_the_same_weights),
        cmocka_unit_test(test_layout_puts_each_bias_after_its_weights_in_one_buffer),
        cmocka_unit_test(test_a_batch_of_one_and_a_full_batch_give_the_same_rows),
        cmocka_unit_test(test_forward_and_backward_with_a_thread_pool_match_the_serial_run),
        cmocka_unit_test(test_clip_grads_scales_to_the_max_norm_and_returns_the_norm),
        cmocka_unit_test(test_init_rejects_bad_sizes_with_a_message_naming_the_layer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
