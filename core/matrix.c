/* matrix.c — GEMM. (Reference implementation; the blocked, vectorised kernel replaces nn_gemm.) */
#include "matrix.h"

#include <stddef.h>

void nn_gemm_ref(bool trans_a, bool trans_b, int m, int n, int k,
                 float alpha, const float *a, int lda, const float *b, int ldb,
                 float beta, float *c, int ldc)
{
    for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
            double s = 0.0;
            for (int p = 0; p < k; p++) {
                float av = trans_a ? a[(size_t)p * lda + i] : a[(size_t)i * lda + p];
                float bv = trans_b ? b[(size_t)j * ldb + p] : b[(size_t)p * ldb + j];
                s += (double)av * (double)bv;
            }
            float *cij = &c[(size_t)i * ldc + j];
            *cij = (float)((double)alpha * s + (beta == 0.0f ? 0.0 : (double)beta * (double)*cij));
        }
    }
}

void nn_gemm(nn_pool *pool, bool trans_a, bool trans_b, int m, int n, int k,
             float alpha, const float *a, int lda, const float *b, int ldb,
             float beta, float *c, int ldc)
{
    (void)pool;
    nn_gemm_ref(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

const char *nn_gemm_kernel_name(void) { return "reference"; }
