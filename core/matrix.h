/* matrix.h — the one hot loop: C = alpha * op(A) * op(B) + beta * C, row-major float.
 * op(X) is X or X^T, chosen by the flag, never by copying the matrix.
 * Any thread; with a pool, only the pool's owner thread. */
#ifndef NN_MATRIX_H
#define NN_MATRIX_H

#include "pool.h"

#include <stdbool.h>

/* C (m, n), ldc >= n.
 * op(A) is (m, k): A is (m, k) with lda >= k, or, if trans_a, A is (k, m) with lda >= m.
 * op(B) is (k, n): B is (k, n) with ldb >= n, or, if trans_b, B is (n, k) with ldb >= k.
 * beta == 0 means C is written without being read (NaN in C does not propagate).
 * The result does not depend on the pool's thread count. pool may be NULL. */
void nn_gemm(nn_pool *pool, bool trans_a, bool trans_b, int m, int n, int k,
             float alpha, const float *a, int lda, const float *b, int ldb,
             float beta, float *c, int ldc);

/* Below this many flops (2 m n k) nn_gemm runs on the calling thread, pool or not. */
#define NN_GEMM_INLINE_FLOPS 1.5e6

/* The same product, computed by a plain triple loop in double: the reference for tests. */
void nn_gemm_ref(bool trans_a, bool trans_b, int m, int n, int k,
                 float alpha, const float *a, int lda, const float *b, int ldb,
                 float beta, float *c, int ldc);

/* Name of the kernel in use ("avx2-fma 6x16", "portable"), for the benchmark. */
const char *nn_gemm_kernel_name(void);

#endif
