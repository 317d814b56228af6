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

/* Below this many flops (2 m n k, summed over the products of one job) a job runs on the
 * calling thread, pool or not. */
#define NN_GEMM_INLINE_FLOPS 1.5e6

/* The micro-kernels. AUTO picks the widest the CPU has. AVX2 and AVX-512 compute every element
 * of C by the same chain of FMAs (in k order, the same k blocks), so they give the same bits;
 * the portable kernel multiplies and adds separately (other bits, within float rounding). */
typedef enum { NN_GEMM_AUTO, NN_GEMM_PORTABLE, NN_GEMM_AVX2, NN_GEMM_AVX512, NN_GEMM_ISA_COUNT } nn_gemm_isa;

/* True if this CPU (and build) can run the kernel; AUTO and PORTABLE always can. */
bool nn_gemm_isa_available(nn_gemm_isa isa);

/* Name of the kernel that isa runs ("avx512 8x32", "avx2-fma 6x16", "portable 6x16"); AUTO: the
 * one picked. For the benchmark. */
const char *nn_gemm_isa_name(nn_gemm_isa isa);
const char *nn_gemm_kernel_name(void);   /* nn_gemm_isa_name(NN_GEMM_AUTO) */

/* Called once for every block of C as soon as the block is final (all of k added), on the thread
 * that computed it, while the block is still in its cache: rows [r0, r0 + rows) and columns
 * [c0, c0 + cols) of C, c pointing at C[r0][c0]. The blocks tile C exactly once; their shape
 * depends on (m, n, k) and the kernel, not on the thread count. An epilogue works element by
 * element (or per column over the rows of a block starting at r0 == 0, see network.c's bias
 * gradient) so that the result does not depend on the blocks. */
typedef void (*nn_gemm_epilogue)(void *ctx, float *c, int ldc, int r0, int rows, int c0, int cols);

/* One product, for nn_gemm_run: the arguments of nn_gemm plus a kernel choice and an epilogue. */
typedef struct {
    bool trans_a, trans_b;
    int m, n, k;
    float alpha, beta;
    const float *a, *b;
    float *c;
    int lda, ldb, ldc;
    nn_gemm_isa isa;              /* NN_GEMM_AUTO (0) unless a test or the benchmark asks */
    nn_gemm_epilogue epilogue;    /* NULL: none */
    void *ctx;                    /* the epilogue's */
} nn_gemm_args;

/* A planned product: the partition and the kernel. Caller-allocated; fill with nn_gemm_plan. */
typedef struct {
    nn_gemm_args g;
    const void *kern;             /* the kernel's descriptor (matrix.c) */
    int kc;                       /* k block (the last may be shorter) */
    int row_tiles;                /* kernel-row tiles per part */
    int row_parts, col_parts;     /* parts down the rows and across the columns */
    int parts;                    /* row_parts * col_parts; 0 for an empty product */
    double flops;                 /* 2 m n k */
} nn_gemm_plan;

/* Plans a product (the partition depends on m, n, k and the kernel only). Returns plan->parts.
 * An empty product (m or n <= 0) has no parts; k <= 0 has one part that scales C by beta. */
int nn_gemm_plan_init(nn_gemm_plan *plan, const nn_gemm_args *args);
/* Computes one part: any order, any thread, each part exactly once. */
void nn_gemm_plan_part(const nn_gemm_plan *plan, int part);

/* Runs independent products as one pool job (their parts side by side; one wake-up and one wait
 * instead of one per product). Products must not write what another one reads or writes. Below
 * NN_GEMM_INLINE_FLOPS in all, or without a pool, everything runs on the calling thread. */
void nn_gemm_run(nn_pool *pool, const nn_gemm_args *args, int count);

/* The same product, computed by a plain triple loop in double: the reference for tests. */
void nn_gemm_ref(bool trans_a, bool trans_b, int m, int n, int k,
                 float alpha, const float *a, int lda, const float *b, int ldb,
                 float beta, float *c, int ldc);

#endif
