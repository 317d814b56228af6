/* test_rng.c — the PRNG against reference vectors and simple statistics. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "rng.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "nn_assert.h"

/* An independent transcription of the published reference code (prng.di.unimi.it). */
static uint64_t ref_splitmix64(uint64_t *x)
{
    uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static uint64_t ref_rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t ref_xoshiro(uint64_t s[4])
{
    const uint64_t result = ref_rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = ref_rotl(s[3], 45);
    return result;
}

static void test_seeding_with_zero_gives_the_splitmix64_reference_words(void **state)
{
    (void)state;
    nn_rng r;
    nn_rng_seed(&r, 0);
    /* splitmix64 seeded with 0: the published first outputs. */
    assert_true(r.s[0] == UINT64_C(0xe220a8397b1dcdaf));
    assert_true(r.s[1] == UINT64_C(0x6e789e6aa1b965f4));
    assert_true(r.s[2] == UINT64_C(0x06c45d188009454f));
    uint64_t x = 0;
    for (int i = 0; i < 4; i++)
        assert_true(r.s[i] == ref_splitmix64(&x));
}

static void test_xoshiro_with_state_1_2_3_4_gives_the_reference_outputs(void **state)
{
    (void)state;
    nn_rng r;
    nn_rng_seed(&r, 0);
    r.s[0] = 1;
    r.s[1] = 2;
    r.s[2] = 3;
    r.s[3] = 4;
    /* The test vector other implementations use (e.g. rand_xoshiro). */
    const uint64_t want[6] = {11520u, 0u, 1509978240u, UINT64_C(1215971899390074240),
                              UINT64_C(1216172134540287360), UINT64_C(607988272756665600)};
    for (int i = 0; i < 6; i++)
        assert_true(nn_rng_u64(&r) == want[i]);
}

static void test_seed_1234_gives_the_known_first_outputs(void **state)
{
    (void)state;
    /* Computed once (python transcription of the reference code) and frozen here. */
    const uint64_t want[5] = {UINT64_C(0x0bab45d9a0e3ae53), UINT64_C(0xd7c640660c19433e),
                              UINT64_C(0xb0dedaa0d09a6691), UINT64_C(0xdec9f41b58ec86eb),
                              UINT64_C(0x19e4a6b7acda0ae0)};
    nn_rng r;
    nn_rng_seed(&r, 1234);
    for (int i = 0; i < 5; i++)
        assert_true(nn_rng_u64(&r) == want[i]);

    /* And the same stream from the independent reference, for many more draws. */
    uint64_t s[4], x = 1234;
    for (int i = 0; i < 4; i++)
        s[i] = ref_splitmix64(&x);
    nn_rng_seed(&r, 1234);
    for (int i = 0; i < 1000; i++)
        assert_true(nn_rng_u64(&r) == ref_xoshiro(s));
}

static void test_uniform_is_in_unit_interval_with_mean_half_and_variance_one_twelfth(void **state)
{
    (void)state;
    nn_rng r;
    nn_rng_seed(&r, 42);
    const int n = 100000;
    double sum = 0, sum2 = 0;
    for (int i = 0; i < n; i++) {
        double u = nn_rng_uniform(&r);
        assert_true(u >= 0.0 && u < 1.0);
        sum += u;
        sum2 += u * u;
    }
    double mean = sum / n, var = sum2 / n - mean * mean;
    ASSERT_NEAR(mean, 0.5, 0.005);
    ASSERT_NEAR(var, 1.0 / 12.0, 0.002);
}

static void test_uniform_uses_the_top_53_bits(void **state)
{
    (void)state;
    nn_rng r, q;
    nn_rng_seed(&r, 7);
    nn_rng_seed(&q, 7);
    for (int i = 0; i < 100; i++) {
        double u = nn_rng_uniform(&r);
        uint64_t x = nn_rng_u64(&q);
        assert_true(u == ldexp((double)(x >> 11), -53));
    }
}

static void test_normal_has_mean_zero_and_variance_one(void **state)
{
    (void)state;
    nn_rng r;
    nn_rng_seed(&r, 99);
    const int n = 100000;
    double sum = 0, sum2 = 0, sum4 = 0;
    for (int i = 0; i < n; i++) {
        double z = nn_rng_normal(&r);
        assert_true(isfinite(z));
        sum += z;
        sum2 += z * z;
        sum4 += z * z * z * z;
    }
    double mean = sum / n, var = sum2 / n - mean * mean;
    ASSERT_NEAR(mean, 0.0, 0.02);
    ASSERT_NEAR(var, 1.0, 0.03);
    ASSERT_NEAR(sum4 / n, 3.0, 0.15); /* kurtosis of a normal, which a uniform would not have */
}

static void test_normal_returns_the_cached_spare_and_reseeding_drops_it(void **state)
{
    (void)state;
    nn_rng r;
    nn_rng_seed(&r, 5);
    double a = nn_rng_normal(&r);
    assert_int_equal(r.has_spare, 1);
    double spare = r.spare;
    double b = nn_rng_normal(&r);
    assert_true(b == spare);
    assert_int_equal(r.has_spare, 0);
    nn_rng_seed(&r, 5);
    assert_int_equal(r.has_spare, 0);
    assert_true(nn_rng_normal(&r) == a);
}

static void test_below_stays_in_range_and_is_unbiased(void **state)
{
    (void)state;
    nn_rng r;
    nn_rng_seed(&r, 3);
    assert_true(nn_rng_below(&r, 1) == 0);
    int count[6] = {0};
    const int n = 60000;
    for (int i = 0; i < n; i++) {
        uint64_t v = nn_rng_below(&r, 6);
        assert_true(v < 6);
        count[v]++;
    }
    /* Each count ~ Binomial(60000, 1/6): sd ~ 91; allow 5 sd. */
    for (int i = 0; i < 6; i++)
        assert_in_range(count[i], 10000 - 460, 10000 + 460);

    /* n just above 2^63: a modulo would map half the draws to the low half; rejection does not. */
    const uint64_t big = (UINT64_C(1) << 63) + UINT64_C(1) + (UINT64_C(1) << 62);
    int low = 0;
    for (int i = 0; i < 20000; i++) {
        uint64_t v = nn_rng_below(&r, big);
        assert_true(v < big);
        if (v < big / 2)
            low++;
    }
    assert_in_range(low, 10000 - 400, 10000 + 400);
}

static void test_shuffle_is_a_permutation_and_the_same_seed_gives_the_same_one(void **state)
{
    (void)state;
    enum { N = 1000 };
    uint32_t a[N], b[N], c[N];
    for (uint32_t i = 0; i < N; i++)
        a[i] = b[i] = c[i] = i;
    nn_rng r;
    nn_rng_seed(&r, 1234);
    nn_rng_shuffle(&r, a, N);
    nn_rng_seed(&r, 1234);
    nn_rng_shuffle(&r, b, N);
    nn_rng_seed(&r, 1235);
    nn_rng_shuffle(&r, c, N);

    int seen[N] = {0};
    int fixed = 0;
    for (uint32_t i = 0; i < N; i++) {
        assert_true(a[i] < N);
        seen[a[i]]++;
        if (a[i] == i)
            fixed++;
    }
    for (int i = 0; i < N; i++)
        assert_int_equal(seen[i], 1);
    assert_true(fixed < 10); /* expected number of fixed points is 1 */
    assert_memory_equal(a, b, sizeof a);
    assert_memory_not_equal(a, c, sizeof a);
}

static void test_shuffle_of_zero_or_one_element_does_nothing(void **state)
{
    (void)state;
    nn_rng r, q;
    nn_rng_seed(&r, 1);
    q = r;
    uint32_t one = 17;
    nn_rng_shuffle(&r, &one, 1);
    nn_rng_shuffle(&r, NULL, 0);
    assert_int_equal(one, 17);
    assert_memory_equal(r.s, q.s, sizeof r.s);
}

static void test_mask_is_the_uniform_threshold_loop_draw_for_draw(void **state)
{
    (void)state;
    enum { N = 5000 };
    static float got[N], want[N];
    const double ps[5] = {0.0, 0.3, 0.5, 0.999, 1.0};
    for (int k = 0; k < 5; k++) {
        nn_rng a, b;
        nn_rng_seed(&a, 31);
        nn_rng_seed(&b, 31);
        nn_rng_mask(&a, got, N, ps[k], 2.5f);
        int kept = 0;
        for (int i = 0; i < N; i++) {
            want[i] = nn_rng_uniform(&b) >= ps[k] ? 2.5f : 0.0f;
            kept += want[i] != 0.0f;
        }
        assert_memory_equal(got, want, sizeof got);
        assert_memory_equal(a.s, b.s, sizeof a.s);   /* one draw per element */
        if (ps[k] == 0.3)
            assert_in_range(kept, 3500 - 200, 3500 + 200);
        if (ps[k] == 1.0)
            assert_int_equal(kept, 0);
        if (ps[k] == 0.0)
            assert_int_equal(kept, N);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seeding_with_zero_gives_the_splitmix64_reference_words),
        cmocka_unit_test(test_xoshiro_with_state_1_2_3_4_gives_the_reference_outputs),
        cmocka_unit_test(test_seed_1234_gives_the_known_first_outputs),
        cmocka_unit_test(test_uniform_is_in_unit_interval_with_mean_half_and_variance_one_twelfth),
        cmocka_unit_test(test_uniform_uses_the_top_53_bits),
        cmocka_unit_test(test_normal_has_mean_zero_and_variance_one),
        cmocka_unit_test(test_normal_returns_the_cached_spare_and_reseeding_drops_it),
        cmocka_unit_test(test_below_stays_in_range_and_is_unbiased),
        cmocka_unit_test(test_shuffle_is_a_permutation_and_the_same_seed_gives_the_same_one),
        cmocka_unit_test(test_shuffle_of_zero_or_one_element_does_nothing),
        cmocka_unit_test(test_mask_is_the_uniform_threshold_loop_draw_for_draw),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
