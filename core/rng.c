/* rng.c — xoshiro256** (Blackman & Vigna) seeded through splitmix64.
 * Every draw goes through nn_rng_u64, so the stream depends only on the seed. */
#include "rng.h"

#include <math.h>

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* One step of splitmix64: advances *x and returns the mixed value. */
static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void nn_rng_seed(nn_rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
    /* splitmix64 is a bijection of a counter, so the four words are never all zero. */
    r->has_spare = 0;
    r->spare = 0.0;
}

static inline uint64_t next(nn_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint64_t nn_rng_u64(nn_rng *r)
{
    return next(r);
}

double nn_rng_uniform(nn_rng *r)
{
    /* The top 53 bits, scaled by 2^-53: every value k/2^53, k in [0, 2^53). */
    return (double)(next(r) >> 11) * 0x1.0p-53;
}

uint64_t nn_rng_below(nn_rng *r, uint64_t n)
{
    if (n <= 1)
        return 0;
    /* Rejection: accept only draws at or above 2^64 mod n, so every residue has the same
     * number of preimages (2^64 - threshold is a multiple of n). */
    uint64_t threshold = (0 - n) % n;
    for (;;) {
        uint64_t x = next(r);
        if (x >= threshold)
            return x % n;
    }
}

double nn_rng_normal(nn_rng *r)
{
    if (r->has_spare) {
        r->has_spare = 0;
        return r->spare;
    }
    /* u1 in (0, 1] so the log is finite. */
    double u1 = 1.0 - nn_rng_uniform(r);
    double u2 = nn_rng_uniform(r);
    double rad = sqrt(-2.0 * log(u1));
    double theta = 2.0 * 3.14159265358979323846 * u2;
    r->spare = rad * sin(theta);
    r->has_spare = 1;
    return rad * cos(theta);
}

void nn_rng_shuffle(nn_rng *r, uint32_t *idx, size_t n)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)nn_rng_below(r, (uint64_t)i);
        uint32_t t = idx[i - 1];
        idx[i - 1] = idx[j];
        idx[j] = t;
    }
}

void nn_rng_mask(nn_rng *r, float *mask, size_t n, double p, float keep)
{
    /* uniform = k * 2^-53 with k = u64 >> 11, so uniform >= p is k >= ceil(p * 2^53) (exact:
     * scaling by a power of two is exact, and ceil of a double is exact). */
    uint64_t from;
    if (!(p > 0.0))
        from = 0;
    else if (p >= 1.0)
        from = UINT64_C(1) << 53;   /* never kept */
    else
        from = (uint64_t)ceil(p * 0x1.0p53);
    for (size_t i = 0; i < n; i++)
        mask[i] = (next(r) >> 11) >= from ? keep : 0.0f;
}
