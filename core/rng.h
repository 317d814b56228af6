/* rng.h — a seeded PRNG of our own: xoshiro256** seeded through splitmix64.
 * Same seed, same numbers on every machine. No global state: each user owns an nn_rng.
 * Not shared between threads. */
#ifndef NN_RNG_H
#define NN_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint64_t s[4];      /* xoshiro256** state */
    int has_spare;      /* Box-Muller produced a second normal not yet returned */
    double spare;
} nn_rng;

void nn_rng_seed(nn_rng *r, uint64_t seed);
uint64_t nn_rng_u64(nn_rng *r);
/* Uniform double in [0, 1) with 53 random bits. */
double nn_rng_uniform(nn_rng *r);
/* Uniform integer in [0, n) without modulo bias; n > 0. */
uint64_t nn_rng_below(nn_rng *r, uint64_t n);
/* Standard normal (mean 0, sd 1), Box-Muller. */
double nn_rng_normal(nn_rng *r);
/* Fisher-Yates shuffle of idx[0..n). */
void nn_rng_shuffle(nn_rng *r, uint32_t *idx, size_t n);
/* mask[i] = nn_rng_uniform(r) >= p ? keep : 0 for i in [0, n), one draw per element in order:
 * the same numbers as that loop, faster (the inverted-dropout mask). */
void nn_rng_mask(nn_rng *r, float *mask, size_t n, double p, float keep);

#endif
