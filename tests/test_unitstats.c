/* test_unitstats.c — the Network view's per-unit statistics against hand-computed values on the
 * 2-3-2 network of health_fixture.h: weights pooled exactly and in blocks, and per-unit activation
 * mean, spread, active share and saturated share over a two-row forward. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unitstats.h"
#include "health_fixture.h"

#include <math.h>
#include <string.h>

static void test_weights_pool_exactly_or_by_largest_magnitude(void **state)
{
    (void)state;
    nn_network net;
    build_232(&net);
    float w[6], b[3];
    /* as many cells as weights: the weights themselves */
    float wmax = nn_units_pool_weights(&net, 1, 3, 2, w, b);
    assert_memory_equal(w, W1, sizeof W1);
    assert_memory_equal(b, B1, sizeof B1);
    assert_float_equal(wmax, 8.0f, 0.0f);
    /* layer 0 (2 x 3) into 1 x 2 blocks: units 0-1 and unit 2; the largest |W| keeps its sign */
    wmax = nn_units_pool_weights(&net, 0, 1, 2, w, b);
    assert_float_equal(wmax, 1.0f, 0.0f);
    assert_float_equal(w[0], -1.0f, 0.0f);
    assert_float_equal(w[1], -0.3f, 0.0f);
    assert_float_equal(b[0], 0.1f, 0.0f);
    assert_float_equal(b[1], -0.2f, 0.0f);
    nn_network_free(&net);
}

static void test_activation_statistics_per_unit_and_per_block(void **state)
{
    (void)state;
    nn_network net;
    build_232(&net);
    nn_network_forward(&net, NULL, X2, 2, 0.0f, NULL);
    float mean[3], sd[3], active[3], sat[3];
    nn_units_activation_stats(&net, 0, 3, mean, sd, active, sat);
    const float want_mean[3] = {0.5f, 0.425f, 0.0f}, want_sd[3] = {0.5f, 0.425f, 0.0f};
    const float want_active[3] = {0.5f, 0.5f, 0.0f};   /* unit 2 is dead on both rows */
    for (int c = 0; c < 3; c++) {
        assert_float_equal(mean[c], want_mean[c], 1e-6);
        assert_float_equal(sd[c], want_sd[c], 1e-6);
        assert_float_equal(active[c], want_active[c], 1e-6);
        assert_float_equal(sat[c], 0.0f, 0.0f);   /* relu does not saturate */
    }
    /* sigmoid: unit 0 is past the edges on both rows (0.997527, 0.001113), unit 1 on neither */
    nn_units_activation_stats(&net, 1, 2, mean, sd, active, sat);
    assert_float_equal(sat[0], 1.0f, 1e-6);
    assert_float_equal(sat[1], 0.0f, 1e-6);
    assert_float_equal(active[0], 0.5f, 1e-6);
    assert_float_equal(mean[1], (0.331812f + 0.673707f) / 2, 1e-5);
    /* one block of layer 0's three units: the shares over its 2 x 3 values */
    nn_units_activation_stats(&net, 0, 1, mean, sd, active, sat);
    assert_float_equal(active[0], 2.0f / 6.0f, 1e-6);
    assert_float_equal(mean[0], 1.85f / 6.0f, 1e-6);
    nn_network_free(&net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weights_pool_exactly_or_by_largest_magnitude),
        cmocka_unit_test(test_activation_statistics_per_unit_and_per_block),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
