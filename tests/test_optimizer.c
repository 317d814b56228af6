/* test_optimizer.c — every optimizer and flag against values derived from the torch.optim
 * formulas, and the learning-rate schedules. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "optimizer.h"
#include "rng.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nn_assert.h"

/* The example: three parameters p0 = (0.5, -1, 2), gradient (0.1, -0.2, 0.3) at step 1 and
 * (-0.002, 0.4, 0.25) at step 2 (the first component shrinks so much that Adam's second moment
 * decreases, which makes amsgrad differ from plain Adam).
 *
 * Expected values: a python3 transcription of the torch.optim pseudocode, in double, with the
 * hyperparameters below and torch's defaults for the rest (rmsprop alpha 0.99 eps 1e-8; adam
 * betas (0.9, 0.999) eps 1e-8; adagrad eps 1e-10; adadelta rho 0.9 eps 1e-6):
 *   sgd:      g += wd*p; b = g (t = 1) else mu*b + (1-dampening)*g; g = nesterov ? g + mu*b : b;
 *             p -= lr*g
 *   rmsprop:  g += wd*p; v = alpha*v + (1-alpha)*g^2; centered: ga = alpha*ga + (1-alpha)*g,
 *             v -= ga^2; momentum: b = mu*b + g/(sqrt(v)+eps), p -= lr*b; else p -= lr*g/(sqrt(v)+eps)
 *   adam:     g += wd*p (adamw instead: p *= 1 - lr*wd); m = b1*m + (1-b1)*g;
 *             v = b2*v + (1-b2)*g^2; amsgrad: vmax = max(vmax, v), v := vmax;
 *             p -= lr * (m/(1-b1^t)) / (sqrt(v/(1-b2^t)) + eps)
 *   adagrad:  g += wd*p; s (from initial_accumulator_value) += g^2;
 *             p -= lr/(1+(t-1)*lr_decay) * g/(sqrt(s)+eps)
 *   adadelta: g += wd*p; v = rho*v + (1-rho)*g^2; d = sqrt(u+eps)/sqrt(v+eps)*g;
 *             u = rho*u + (1-rho)*d^2; p -= lr*d
 * The literals were also checked against torch.optim itself (PyTorch 1.13, Debian python3-torch):
 * float64 runs of the same 20 cases agree to 4e-16 relative, float32 runs to 1e-6.
 * Worked by hand for two of them:
 *   sgd momentum 0.9, lr 0.1: step 1 b = g = (0.1, -0.2, 0.3), p = (0.49, -0.98, 1.97);
 *     step 2 b = 0.9*b + g2 = (0.088, 0.22, 0.52), p = (0.4812, -1.002, 1.918).
 *   adam lr 0.1: step 1 m^ = g, v^ = g^2, so p -= 0.1*g/(|g| + 1e-8) = (0.4, -0.9, 1.9) up to eps. */
static const float P0[3] = {0.5f, -1.0f, 2.0f};
static const float G[2][3] = {{0.1f, -0.2f, 0.3f}, {-0.002f, 0.4f, 0.25f}};

typedef struct {
    const char *name;
    nn_opt_kind kind;
    double lr, momentum, dampening;
    bool nesterov;
    double weight_decay;
    bool centered, amsgrad;
    double lr_decay, initial_accumulator_value;
    double want[2][3];   /* parameters after step 1 and after step 2 */
} opt_case;

static const opt_case cases[] = {
    {"sgd_plain", NN_OPT_SGD, 0.1, 0, 0, false, 0, false, false, 0, 0,
     {{0.48999999999999999, -0.97999999999999998, 1.97}, {0.49019999999999997, -1.02, 1.9450000000000001}}},
    {"sgd_momentum", NN_OPT_SGD, 0.1, 0.9, 0, false, 0, false, false, 0, 0,
     {{0.48999999999999999, -0.97999999999999998, 1.97}, {0.48120000000000002, -1.002, 1.9179999999999999}}},
    {"sgd_dampening", NN_OPT_SGD, 0.1, 0.9, 0.5, false, 0, false, false, 0, 0,
     {{0.48999999999999999, -0.97999999999999998, 1.97}, {0.48109999999999997, -0.98199999999999998, 1.9304999999999999}}},
    {"sgd_nesterov", NN_OPT_SGD, 0.1, 0.9, 0, true, 0, false, false, 0, 0,
     {{0.48099999999999998, -0.96199999999999997, 1.9430000000000001}, {0.47327999999999998, -1.0218, 1.8712}}},
    {"sgd_weight_decay", NN_OPT_SGD, 0.1, 0, 0, false, 0.1, false, false, 0, 0,
     {{0.48499999999999999, -0.96999999999999997, 1.95}, {0.48035, -1.0003, 1.9055}}},
    {"sgd_momentum_weight_decay", NN_OPT_SGD, 0.1, 0.9, 0, false, 0.1, false, false, 0, 0,
     {{0.48499999999999999, -0.96999999999999997, 1.95}, {0.46684999999999999, -0.97329999999999994, 1.8605}}},
    {"rmsprop_plain", NN_OPT_RMSPROP, 0.01, 0, 0, false, 0, false, false, 0, 0,
     {{0.40000009999990005, -0.90000004999997507, 1.9000000333333222}, {0.40200976765816132, -0.98953232616706843, 1.8357918627068939}}},
    {"rmsprop_momentum", NN_OPT_RMSPROP, 0.01, 0.9, 0, false, 0, false, false, 0, 0,
     {{0.40000009999990005, -0.90000004999997507, 1.9000000333333222}, {0.31200985765807132, -0.89953237116704599, 1.7457918927068841}}},
    {"rmsprop_centered", NN_OPT_RMSPROP, 0.01, 0, 0, false, 0, true, false, 0, 0,
     {{0.39949631948407832, -0.89949626897910395, 1.8994962521441012}, {0.4015156018175039, -0.98912020058200478, 1.834644915332921}}},
    {"rmsprop_centered_momentum_wd", NN_OPT_RMSPROP, 0.01, 0.9, 0, false, 0.1, true, false, 0, 0,
     {{0.39949628581410107, -0.89949625214410123, 1.899496238676095}, {0.28421728601269114, -0.88108343329703931, 1.742131001239094}}},
    {"adam_plain", NN_OPT_ADAM, 0.1, 0, 0, false, 0, false, false, 0, 0,
     {{0.40000000999999896, -0.90000000499999977, 1.9000000033333333}, {0.33449632473327784, -0.93661035654603686, 1.8008827194642782}}},
    {"adam_amsgrad", NN_OPT_ADAM, 0.1, 0, 0, false, 0, false, true, 0, 0,
     {{0.40000000999999896, -0.90000000499999977, 1.9000000033333333}, {0.33451597878462952, -0.93661035654603686, 1.8008827194642782}}},
    {"adam_weight_decay", NN_OPT_ADAM, 0.1, 0, 0, false, 0.1, false, false, 0, 0,
     {{0.40000000666666624, -0.90000000333333319, 1.9000000020000001}, {0.3167652610787981, -0.90690152130832535, 1.8005351966329057}}},
    {"adamw", NN_OPT_ADAMW, 0.1, 0, 0, false, 0.1, false, false, 0, 0,
     {{0.39500000999999896, -0.89000000499999976, 1.8800000033333333}, {0.32554632463327782, -0.91771035649603672, 1.762082719430945}}},
    {"adamw_amsgrad", NN_OPT_ADAMW, 0.1, 0, 0, false, 0.1, false, true, 0, 0,
     {{0.39500000999999896, -0.89000000499999976, 1.8800000033333333}, {0.3255659786846295, -0.91771035649603672, 1.762082719430945}}},
    {"adagrad_plain", NN_OPT_ADAGRAD, 0.1, 0, 0, false, 0, false, false, 0, 0,
     {{0.40000000009999997, -0.90000000005000003, 1.9000000000333332}, {0.40199960021796077, -0.9894427191299916, 1.8359815600832787}}},
    {"adagrad_decay_init", NN_OPT_ADAGRAD, 0.1, 0, 0, false, 0, false, false, 0.5, 0.1,
     {{0.46984886555131455, -0.94654775163180083, 1.9311752798546209}, {0.47025087336813043, -0.99523420117892669, 1.8980073735208887}}},
    {"adagrad_weight_decay", NN_OPT_ADAGRAD, 0.1, 0, 0, false, 0.1, false, false, 0, 0,
     {{0.40000000006666669, -0.90000000003333336, 1.9000000000199999}, {0.3754424383314916, -0.97186021419296109, 1.8339372105405471}}},
    {"adadelta_plain", NN_OPT_ADADELTA, 1.0, 0, 0, false, 0, false, false, 0, 0,
     {{0.49683930229379492, -0.99683811755043872, 1.996837898007285}, {0.49693348642247598, -1.0008783721793364, 1.9938866761305685}}},
    {"adadelta_weight_decay", NN_OPT_ADADELTA, 1.0, 0, 0, false, 0.1, false, false, 0, 0,
     {{0.4968384248340445, -0.99683789800728506, 1.9968377855834876}, {0.4954179901150309, -1.0000837599977246, 1.9937610562447472}}},
};

static void setup_params(nn_opt_params *p, const opt_case *c)
{
    nn_opt_defaults(p, c->kind);
    p->lr = c->lr;
    p->momentum = c->momentum;
    p->dampening = c->dampening;
    p->nesterov = c->nesterov;
    p->weight_decay = c->weight_decay;
    p->centered = c->centered;
    p->amsgrad = c->amsgrad;
    p->lr_decay = c->lr_decay;
    p->initial_accumulator_value = c->initial_accumulator_value;
}

static void test_every_optimizer_and_flag_matches_the_torch_formulas_for_two_steps(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        const opt_case *c = &cases[k];
        nn_opt_params hp;
        setup_params(&hp, c);
        nn_optimizer o;
        nn_error err;
        assert_int_equal(nn_optimizer_init(&o, &hp, 3, &err), NN_OK);
        float p[3];
        memcpy(p, P0, sizeof p);
        for (int t = 0; t < 2; t++) {
            nn_optimizer_step(&o, p, G[t], c->lr);
            for (int i = 0; i < 3; i++) {
                double want = c->want[t][i];
                if (!(fabs((double)p[i] - want) <= 1e-6 * fabs(want))) {
                    print_error("%s: step %d, p[%d] = %.9g, expected %.9g\n", c->name, t + 1, i,
                                (double)p[i], want);
                    fail();
                }
            }
        }
        assert_int_equal(o.t, 2);
        nn_optimizer_free(&o);
    }
}

/* Adam and AdamW, element by element as optimizers.c documents them, in float, in the source's
 * order of operations: the vectorised paths (AVX-512 in one pass, or the blocked loops) must give
 * these bits exactly, for every parameter (n not a multiple of 16), with weight decay and amsgrad. */
static void adam_reference(const nn_opt_params *hp, bool decoupled, float *p, const float *g, float *m,
                           float *v, float *vmax, size_t n, long t, double lr)
{
    const float b1 = (float)hp->beta1, c1 = (float)(1.0 - hp->beta1);
    const float b2 = (float)hp->beta2, c2 = (float)(1.0 - hp->beta2), eps = (float)hp->eps;
    const float step = (float)(lr / (1.0 - pow(hp->beta1, (double)t)));
    const float inv = (float)(1.0 / sqrt(1.0 - pow(hp->beta2, (double)t)));
    const float wd = decoupled ? 0.0f : (float)hp->weight_decay;
    const float shrink = decoupled ? (float)(1.0 - lr * hp->weight_decay) : 1.0f;
    for (size_t i = 0; i < n; i++) {
        float gi = g[i] + wd * p[i];
        float vi = b2 * v[i] + c2 * gi * gi;
        m[i] = b1 * m[i] + c1 * gi;
        v[i] = vi;
        float den = vi;
        if (vmax) {
            vmax[i] = vmax[i] > den ? vmax[i] : den;
            den = vmax[i];
        }
        den = sqrtf(den);
        p[i] = p[i] * shrink - step * m[i] / (den * inv + eps);
    }
}

static void test_adam_gives_the_bits_of_the_scalar_formulas(void **state)
{
    (void)state;
    enum { N = 16 * 37 + 5 };
    for (int variant = 0; variant < 4; variant++) {
        nn_opt_params hp;
        bool decoupled = variant & 1;
        nn_opt_defaults(&hp, decoupled ? NN_OPT_ADAMW : NN_OPT_ADAM);
        hp.amsgrad = variant & 2;
        hp.weight_decay = 0.03;
        nn_optimizer o;
        assert_int_equal(nn_optimizer_init(&o, &hp, N, NULL), NN_OK);
        static float p[N], q[N], g[N], m[N], v[N], vm[N];
        nn_rng rng;
        nn_rng_seed(&rng, 5 + (uint64_t)variant);
        for (size_t i = 0; i < N; i++)
            p[i] = q[i] = (float)nn_rng_normal(&rng);
        memset(m, 0, sizeof m);
        memset(v, 0, sizeof v);
        memset(vm, 0, sizeof vm);
        for (long t = 1; t <= 4; t++) {
            for (size_t i = 0; i < N; i++)   /* shrinking gradients, so amsgrad's max matters */
                g[i] = (float)(nn_rng_normal(&rng) / (double)(t * t));
            nn_optimizer_step(&o, p, g, 0.01);
            adam_reference(&hp, decoupled, q, g, m, v, hp.amsgrad ? vm : NULL, N, t, 0.01);
            for (size_t i = 0; i < N; i++)
                if (memcmp(&p[i], &q[i], sizeof(float)) != 0)
                    fail_msg("%s%s step %ld: p[%zu] = %.9g, formula %.9g", decoupled ? "adamw" : "adam",
                             hp.amsgrad ? " amsgrad" : "", t, i, (double)p[i], (double)q[i]);
        }
        nn_optimizer_free(&o);
    }
}

static void test_amsgrad_and_nesterov_change_the_result(void **state)
{
    (void)state;
    /* Guards that the flags are wired: the cases with and without them differ. */
    const opt_case *adam = NULL, *ams = NULL, *mom = NULL, *nest = NULL;
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        if (!strcmp(cases[k].name, "adam_plain")) adam = &cases[k];
        if (!strcmp(cases[k].name, "adam_amsgrad")) ams = &cases[k];
        if (!strcmp(cases[k].name, "sgd_momentum")) mom = &cases[k];
        if (!strcmp(cases[k].name, "sgd_nesterov")) nest = &cases[k];
    }
    assert_non_null(adam);
    assert_non_null(ams);
    assert_non_null(mom);
    assert_non_null(nest);
    assert_true(fabs(adam->want[1][0] - ams->want[1][0]) > 1e-5 * fabs(ams->want[1][0]));
    assert_true(fabs(mom->want[1][0] - nest->want[1][0]) > 1e-3);
}

static void test_step_leaves_gradients_untouched_and_reset_restarts_from_scratch(void **state)
{
    (void)state;
    for (int k = 0; k < NN_OPT_COUNT; k++) {
        nn_opt_params hp;
        nn_opt_defaults(&hp, (nn_opt_kind)k);
        hp.weight_decay = 0.1;
        hp.momentum = k == NN_OPT_SGD || k == NN_OPT_RMSPROP ? 0.9 : 0.0;
        nn_optimizer o;
        assert_int_equal(nn_optimizer_init(&o, &hp, 3, NULL), NN_OK);
        float g[3], p[3], first[3];
        memcpy(g, G[0], sizeof g);
        memcpy(p, P0, sizeof p);
        nn_optimizer_step(&o, p, g, 0.1);
        assert_memory_equal(g, G[0], sizeof g);
        memcpy(first, p, sizeof p);
        nn_optimizer_step(&o, p, G[1], 0.1);

        nn_optimizer_reset(&o);
        assert_int_equal(o.t, 0);
        memcpy(p, P0, sizeof p);
        nn_optimizer_step(&o, p, g, 0.1);
        assert_memory_equal(p, first, sizeof p);
        assert_memory_not_equal(p, P0, sizeof p);
        nn_optimizer_free(&o);
        nn_optimizer_free(&o);   /* idempotent */
    }
}

/* The pooled step splits the buffer in fixed parts: the same bits as one pass, for any pool. */
static void test_pooled_step_gives_the_bits_of_one_pass_for_any_thread_count(void **state)
{
    (void)state;
    const size_t n = 3 * 16384 + 1000;   /* several parts and a short last one */
    float *g = malloc(n * sizeof *g), *p0 = malloc(n * sizeof *p0);
    float *want = malloc(n * sizeof *want), *got = malloc(n * sizeof *got);
    assert_non_null(g);
    assert_non_null(p0);
    assert_non_null(want);
    assert_non_null(got);
    for (size_t i = 0; i < n; i++) {
        p0[i] = (float)((double)(i % 97) / 97.0 - 0.5);
        g[i] = (float)((double)((i * 31) % 101) / 101.0 - 0.45);
    }
    for (int k = 0; k < NN_OPT_COUNT; k++) {
        nn_opt_params hp;
        nn_opt_defaults(&hp, (nn_opt_kind)k);
        hp.weight_decay = 0.01;
        hp.momentum = k == NN_OPT_SGD || k == NN_OPT_RMSPROP ? 0.9 : 0.0;
        hp.amsgrad = k == NN_OPT_ADAM;
        nn_optimizer a;
        assert_int_equal(nn_optimizer_init(&a, &hp, n, NULL), NN_OK);
        memcpy(want, p0, n * sizeof *want);
        for (int s = 0; s < 3; s++)
            nn_optimizer_step(&a, want, g, 0.01);
        for (int threads = 0; threads <= 3; threads++) {
            nn_pool *pool = threads ? nn_pool_create(threads, NULL) : NULL;
            if (threads)
                assert_non_null(pool);
            nn_optimizer b;
            assert_int_equal(nn_optimizer_init(&b, &hp, n, NULL), NN_OK);
            memcpy(got, p0, n * sizeof *got);
            for (int s = 0; s < 3; s++)
                nn_optimizer_step_pool(&b, pool, got, g, 0.01);
            assert_int_equal(b.t, 3);
            assert_memory_equal(got, want, n * sizeof *got);
            assert_memory_equal(b.s1, a.s1, n * sizeof *b.s1);
            nn_optimizer_free(&b);
            nn_pool_destroy(pool);
        }
        nn_optimizer_free(&a);
    }
    free(g);
    free(p0);
    free(want);
    free(got);
}

static void test_step_uses_the_learning_rate_it_is_given(void **state)
{
    (void)state;
    nn_opt_params hp;
    nn_opt_defaults(&hp, NN_OPT_SGD);   /* p.lr = 1e-3, ignored in favour of the argument */
    nn_optimizer o;
    assert_int_equal(nn_optimizer_init(&o, &hp, 3, NULL), NN_OK);
    float p[3];
    memcpy(p, P0, sizeof p);
    nn_optimizer_step(&o, p, G[0], 0.5);
    ASSERT_NEAR(p[0], 0.45, 1e-7);
    ASSERT_NEAR(p[1], -0.9, 1e-7);
    nn_optimizer_free(&o);
}

static void test_defaults_are_torch_defaults(void **state)
{
    (void)state;
    nn_opt_params p;
    nn_opt_defaults(&p, NN_OPT_SGD);
    ASSERT_NEAR(p.lr, 1e-3, 0);
    ASSERT_NEAR(p.momentum, 0, 0);
    assert_false(p.nesterov);
    nn_opt_defaults(&p, NN_OPT_RMSPROP);
    ASSERT_NEAR(p.lr, 1e-2, 0);
    ASSERT_NEAR(p.alpha, 0.99, 0);
    ASSERT_NEAR(p.eps, 1e-8, 0);
    assert_false(p.centered);
    nn_opt_defaults(&p, NN_OPT_ADAM);
    ASSERT_NEAR(p.lr, 1e-3, 0);
    ASSERT_NEAR(p.beta1, 0.9, 0);
    ASSERT_NEAR(p.beta2, 0.999, 0);
    ASSERT_NEAR(p.eps, 1e-8, 0);
    ASSERT_NEAR(p.weight_decay, 0, 0);
    assert_false(p.amsgrad);
    nn_opt_defaults(&p, NN_OPT_ADAMW);
    ASSERT_NEAR(p.weight_decay, 1e-2, 0);
    ASSERT_NEAR(p.lr, 1e-3, 0);
    nn_opt_defaults(&p, NN_OPT_ADAGRAD);
    ASSERT_NEAR(p.lr, 1e-2, 0);
    ASSERT_NEAR(p.eps, 1e-10, 0);
    ASSERT_NEAR(p.lr_decay, 0, 0);
    ASSERT_NEAR(p.initial_accumulator_value, 0, 0);
    nn_opt_defaults(&p, NN_OPT_ADADELTA);
    ASSERT_NEAR(p.lr, 1.0, 0);
    ASSERT_NEAR(p.rho, 0.9, 0);
    ASSERT_NEAR(p.eps, 1e-6, 0);
}

static void test_tables_round_trip_names(void **state)
{
    (void)state;
    for (int i = 0; i < NN_OPT_COUNT; i++) {
        assert_int_equal(nn_opt_table[i].id, i);
        assert_int_equal(nn_opt_from_name(nn_opt_table[i].name), i);
        assert_string_equal(nn_opt_name((nn_opt_kind)i), nn_opt_table[i].name);
        assert_true(strlen(nn_opt_table[i].formula) > 10);
    }
    for (int i = 0; i < NN_SCHED_COUNT; i++) {
        assert_int_equal(nn_sched_table[i].id, i);
        assert_int_equal(nn_sched_from_name(nn_sched_table[i].name), i);
        assert_true(strlen(nn_sched_table[i].formula) > 5);
    }
    assert_int_equal(nn_opt_from_name("lbfgs"), -1);
    assert_int_equal(nn_opt_from_name(NULL), -1);
    assert_int_equal(nn_sched_from_name("onecycle"), -1);
}

/* Every row takes a learning rate, has its functions, and its written-out step (the Step view's)
 * lands where its kernel does, for two steps from the row's defaults with every option on that
 * the row takes (weight decay, momentum, amsgrad, centered, ...). */
/* NAdam against torch.optim.NAdam (torch 1.13, float64, foreach=True: its documented algorithm; the
 * default single-tensor path of 1.13 counts mu_t twice, fixed in 2.0) for four steps, where the
 * product of the mu_t carries over: the literals are a python transcription of the documented
 * formula in double, which torch's run matches to 1e-8 (torch keeps the product in float32).
 * Gradients G, then (0.05, 0.1, -0.3) and (0.2, -0.1, 0.05). */
static void test_nadam_matches_torchs_documented_steps(void **state)
{
    (void)state;
    static const float g4[4][3] = {{0.1f, -0.2f, 0.3f}, {-0.002f, 0.4f, 0.25f}, {0.05f, 0.1f, -0.3f},
                                   {0.2f, -0.1f, 0.05f}};
    static const struct {
        double lr, wd, psi, b1, b2, eps;
        double want[4][3];
    } nc[] = {
        {0.1, 0, 4e-3, 0.9, 0.999, 1e-8,
         {{0.39435483272897787, -0.8943548274467198, 1.894354825685967},
          {0.39013958223620654, -0.985010573848349, 1.8225928039186574},
          {0.3338727214019639, -1.0131670036382165, 1.8836522067388162},
          {0.22118401751304906, -0.9920086451816577, 1.8683367446098789}}},
        {0.1, 0.1, 0.05, 0.8, 0.99, 1e-6,
         {{0.3904269596433416, -0.8904265944010912, 1.8904264483035094},
          {0.35379391898889523, -0.9650035457652376, 1.8085044037831575},
          {0.28294835794269035, -0.9679074981311885, 1.816316685124787},
          {0.16386517643099902, -0.9118454750875034, 1.7609905857348909}}},
    };
    for (size_t k = 0; k < sizeof nc / sizeof nc[0]; k++) {
        nn_opt_params hp;
        nn_opt_defaults(&hp, NN_OPT_NADAM);
        assert_true(hp.lr == 2e-3 && hp.momentum_decay == 4e-3 && hp.beta1 == 0.9 && hp.eps == 1e-8);
        hp.lr = nc[k].lr;
        hp.weight_decay = nc[k].wd;
        hp.momentum_decay = nc[k].psi;
        hp.beta1 = nc[k].b1;
        hp.beta2 = nc[k].b2;
        hp.eps = nc[k].eps;
        nn_optimizer o;
        nn_error err;
        assert_int_equal(nn_optimizer_init(&o, &hp, 3, &err), NN_OK);
        float p[3];
        memcpy(p, P0, sizeof p);
        for (int t = 0; t < 4; t++) {
            nn_optimizer_step(&o, p, g4[t], hp.lr);
            for (int i = 0; i < 3; i++)
                ASSERT_NEAR(p[i], nc[k].want[t][i], 1e-6 * fabs(nc[k].want[t][i]));
        }
        nn_optimizer_free(&o);
    }
    nn_opt_params bad;
    nn_opt_defaults(&bad, NN_OPT_NADAM);
    bad.momentum_decay = -1;
    nn_optimizer o;
    nn_error err;
    assert_int_equal(nn_optimizer_init(&o, &bad, 3, &err), NN_EINVAL);
    assert_non_null(strstr(err.msg, "momentum_decay"));
}

static void test_every_row_writes_out_the_step_its_kernel_takes(void **state)
{
    (void)state;
    for (int k = 0; k < NN_OPT_COUNT; k++) {
        const nn_opt_info *r = &nn_opt_table[k];
        assert_true(nn_opt_takes((nn_opt_kind)k, offsetof(nn_opt_params, lr)));
        assert_non_null(r->state);
        assert_non_null(r->step);
        assert_non_null(r->explain);
        assert_true(r->n_race >= 1);
        nn_opt_params hp;
        nn_opt_defaults(&hp, (nn_opt_kind)k);
        assert_int_equal(hp.kind, k);
        hp.lr = 0.05;
        if (nn_opt_takes((nn_opt_kind)k, offsetof(nn_opt_params, weight_decay)))
            hp.weight_decay = 0.02;
        if (nn_opt_takes((nn_opt_kind)k, offsetof(nn_opt_params, momentum)))
            hp.momentum = 0.5;
        if (nn_opt_takes((nn_opt_kind)k, offsetof(nn_opt_params, amsgrad)))
            hp.amsgrad = true;
        if (nn_opt_takes((nn_opt_kind)k, offsetof(nn_opt_params, centered)))
            hp.centered = true;
        nn_optimizer o;
        nn_error err;
        assert_int_equal(nn_optimizer_init(&o, &hp, 3, &err), NN_OK);
        float p[3] = {0.5f, -1.0f, 2.0f};
        const float g[2][3] = {{0.1f, -0.2f, 0.3f}, {-0.002f, 0.4f, 0.25f}};
        for (int t = 0; t < 2; t++) {
            nn_opt_explain e[3];
            for (int i = 0; i < 3; i++) {
                memset(&e[i], 0, sizeof e[i]);
                e[i].kind = (nn_opt_kind)k;
                e[i].index = (size_t)i;
                e[i].t = o.t + 1;
                e[i].lr = hp.lr;
                e[i].w = (double)p[i];
                e[i].g = (double)g[t][i];
                const float *st[3] = {o.s1, o.s2, o.s3};
                for (int s = 0; s < 3; s++)
                    e[i].state[s] = e[i].state_new[s] = st[s] ? (double)st[s][i] : 0.0;
                r->explain(&e[i], &o);
                assert_true(e[i].n_lines >= 1);
            }
            nn_optimizer_step(&o, p, g[t], hp.lr);
            for (int i = 0; i < 3; i++) {
                if (fabs(e[i].w_new - (double)p[i]) > 1e-5 * fmax(1.0, fabs((double)p[i]))) {
                    print_error("%s step %d p[%d]: written out %.9g, kernel %.9g\n", r->name, t + 1, i, e[i].w_new,
                                (double)p[i]);
                    fail();
                }
            }
        }
        nn_optimizer_free(&o);
    }
}

static void test_init_rejects_invalid_hyperparameters_with_a_message(void **state)
{
    (void)state;
    nn_opt_params p;
    nn_optimizer o;
    nn_error err;
    nn_opt_defaults(&p, NN_OPT_SGD);
    p.nesterov = true;   /* torch: "Nesterov momentum requires a momentum and zero dampening" */
    assert_int_equal(nn_optimizer_init(&o, &p, 3, &err), NN_EINVAL);
    assert_non_null(strstr(err.msg, "nesterov"));
    nn_optimizer_free(&o);

    nn_opt_defaults(&p, NN_OPT_ADAM);
    p.lr = -1.0;
    assert_int_equal(nn_optimizer_init(&o, &p, 3, &err), NN_EINVAL);
    assert_non_null(strstr(err.msg, "learning_rate"));
    nn_optimizer_free(&o);

    nn_opt_defaults(&p, NN_OPT_ADAM);
    p.beta2 = 1.0;
    assert_int_equal(nn_optimizer_init(&o, &p, 3, &err), NN_EINVAL);
    assert_non_null(strstr(err.msg, "beta"));
    nn_optimizer_free(&o);

    nn_opt_defaults(&p, NN_OPT_ADADELTA);
    p.rho = 1.5;
    assert_int_equal(nn_optimizer_init(&o, &p, 3, &err), NN_EINVAL);
    assert_non_null(strstr(err.msg, "rho"));
    nn_optimizer_free(&o);
}

static void test_zero_parameters_and_zeroed_struct_are_fine(void **state)
{
    (void)state;
    nn_optimizer z;
    memset(&z, 0, sizeof z);
    nn_optimizer_free(&z);
    nn_opt_params p;
    nn_opt_defaults(&p, NN_OPT_ADAM);
    assert_int_equal(nn_optimizer_init(&z, &p, 0, NULL), NN_OK);
    nn_optimizer_step(&z, NULL, NULL, 0.1);
    assert_int_equal(z.t, 1);
    nn_optimizer_free(&z);
}

static void test_schedules_give_the_closed_form_values(void **state)
{
    (void)state;
    nn_schedule s = {NN_SCHED_STEP, 10, 0.1, 0, 0.0};
    ASSERT_NEAR(nn_schedule_lr(&s, 0.1, 0, 20), 0.1, 1e-15);
    ASSERT_NEAR(nn_schedule_lr(&s, 0.1, 9, 20), 0.1, 1e-15);
    ASSERT_NEAR(nn_schedule_lr(&s, 0.1, 10, 20), 0.01, 1e-15);
    ASSERT_NEAR(nn_schedule_lr(&s, 0.1, 25, 20), 0.001, 1e-15);

    nn_schedule e = {NN_SCHED_EXPONENTIAL, 10, 0.95, 0, 0.0};
    ASSERT_NEAR(nn_schedule_lr(&e, 0.1, 0, 20), 0.1, 1e-15);
    ASSERT_NEAR(nn_schedule_lr(&e, 0.1, 3, 20), 0.0857375, 1e-12);   /* 0.1 * 0.95^3 */

    nn_schedule c = {NN_SCHED_COSINE, 10, 0.1, 20, 0.001};
    ASSERT_NEAR(nn_schedule_lr(&c, 0.1, 0, 20), 0.1, 1e-15);
    ASSERT_NEAR(nn_schedule_lr(&c, 0.1, 10, 20), 0.0505, 1e-12);      /* (0.1 + 0.001) / 2 */
    ASSERT_NEAR(nn_schedule_lr(&c, 0.1, 5, 20), 0.0855017856687341, 1e-12);
    ASSERT_NEAR(nn_schedule_lr(&c, 0.1, 20, 20), 0.001, 1e-12);

    /* t_max 0 is the run's epochs: torch's CosineAnnealingLR(T_max=6) for a 6-epoch run at 0.03 */
    c.t_max = 0;
    c.eta_min = 0.0;
    const double torch6[6] = {0.03, 0.027990381056766583, 0.022500000000000003, 0.015000000000000001,
                               0.007500000000000004, 0.0020096189432334197};
    for (int ep = 0; ep < 6; ep++)
        ASSERT_NEAR(nn_schedule_lr(&c, 0.03, ep, 6), torch6[ep], 1e-15);
    ASSERT_NEAR(nn_schedule_lr(&c, 0.1, 10, 20), 0.05, 1e-12);   /* half way through 20 epochs */

    nn_schedule k = {NN_SCHED_CONSTANT, 10, 0.1, 20, 0.001};
    ASSERT_NEAR(nn_schedule_lr(&k, 0.3, 17, 20), 0.3, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_optimizer_and_flag_matches_the_torch_formulas_for_two_steps),
        cmocka_unit_test(test_adam_gives_the_bits_of_the_scalar_formulas),
        cmocka_unit_test(test_amsgrad_and_nesterov_change_the_result),
        cmocka_unit_test(test_step_leaves_gradients_untouched_and_reset_restarts_from_scratch),
        cmocka_unit_test(test_pooled_step_gives_the_bits_of_one_pass_for_any_thread_count),
        cmocka_unit_test(test_step_uses_the_learning_rate_it_is_given),
        cmocka_unit_test(test_defaults_are_torch_defaults),
        cmocka_unit_test(test_tables_round_trip_names),
        cmocka_unit_test(test_nadam_matches_torchs_documented_steps),
        cmocka_unit_test(test_every_row_writes_out_the_step_its_kernel_takes),
        cmocka_unit_test(test_init_rejects_invalid_hyperparameters_with_a_message),
        cmocka_unit_test(test_zero_parameters_and_zeroed_struct_are_fine),
        cmocka_unit_test(test_schedules_give_the_closed_form_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
