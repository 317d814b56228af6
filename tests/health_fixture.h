/* health_fixture.h — what the tests of the teaching tools share (test_health.c, test_trace.c,
 * test_explain.c, test_lessons.c, test_unitstats.c): the 2-3-2 network with hand-set weights,
 * NEAR, and has() for a warning. Include after cmocka.h. */
#ifndef HEALTH_FIXTURE_H
#define HEALTH_FIXTURE_H

#include "health.h"

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

static inline void build_232(nn_network *net)
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

/* assert_float_equal on any expression: the caller declares float v, e. */
#define NEAR(actual, expected, eps) do { v = (float)(actual); e = (float)(expected); assert_float_equal(v, e, eps); } while (0)

/* 1 if one of the n warnings contains needle. */
static inline int has(char (*w)[NN_HEALTH_WARN_LEN], int n, const char *needle)
{
    for (int k = 0; k < n; k++)
        if (strstr(w[k], needle))
            return 1;
    return 0;
}

#endif
