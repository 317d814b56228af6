/* test_explain.c — the optimizer formulas of the Step view (core/explain.c): the numbers filled
 * in, and for every optimizer the explained step against a real nn_optimizer_step, on the 2-3-2
 * network (health_fixture.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "explain.h"
#include "trace.h"
#include "health_fixture.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_health_sgd_formula_has_the_numbers),
        cmocka_unit_test(test_health_every_optimizer_formula_matches_a_real_step),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
