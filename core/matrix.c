/* matrix.c — GEMM: C = alpha * op(A) * op(B) + beta * C, row-major float.
 *
 * Not BLAS: one routine tuned for the shapes of a dense layer trained on mini-batches
 * (m = batch or fan-in, n and k a few hundred), where packing both operands costs as much as
 * the product itself. So:
 *   - A is never packed. The micro-kernel broadcasts A's elements straight from memory through
 *     a row stride and a column stride, which covers A (rs = lda, cs = 1) and A^T (rs = 1,
 *     cs = lda) alike, without copying either.
 *   - B is packed one NR-wide column panel at a time into a stack buffer of bounded size
 *     (KC_MAX x NR floats, L1-resident) while the kernel sweeps down the rows of C. The panel
 *     reads B (k, n) row by row, or B^T (B stored (n, k)) column by column.
 *   - k is cut into blocks of at most KC_MAX so a panel stays in L1; the blocks' partial sums
 *     are added into C in k order.
 *   - The micro-kernel computes an MR x NR tile of C as MR*NR independent FMA chains over k
 *     (AVX2+FMA, 12 ymm accumulators) or the same loop in portable vector C.
 *
 * Threads: the work is split into parts, each an NR-wide column panel of C over a block of
 * rows, a partition that depends only on (m, n, k). No part ever splits k. Every element of C
 * is computed by the same chain of float operations whatever the part or tile it falls in
 * (edge tiles run the same kernel: missing columns of B are zero-padded, missing rows of A
 * repeat row 0, and those lanes are computed into a scratch tile and dropped), so results are
 * bit-identical for any thread count, and for the inline path too. Nothing is allocated:
 * buffers live on the stack of the thread that runs the part (about 25 KiB).
 */
#include "matrix.h"

#include <stddef.h>
#include <string.h>

/* -DNN_GEMM_FORCE_PORTABLE builds the portable path only (to test it on an AVX2 machine). */
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__)) && !defined(NN_GEMM_FORCE_PORTABLE)
#define NN_X86_DISPATCH 1
#include <immintrin.h>
#endif

enum {
    MR = 6,              /* rows of the micro-tile */
    NR = 16,             /* columns of the micro-tile: two 8-float vectors */
    KC_MAX = 384,        /* k block: a packed panel is KC_MAX * NR * 4 = 24 KiB */
    TARGET_PARTS = 16,   /* split into at least this many parts when the work allows */
};

/* Below this many flops (2*m*n*k) a product runs on the calling thread: waking the pool
 * costs more than it saves (iris: 16x4x40 is 5 kflop). */
#define INLINE_FLOPS NN_GEMM_INLINE_FLOPS

/* One micro-tile: c (MR, NR) = alpha * a(MR, kc) * bp(kc, NR) + beta * c; beta == 0: c not read.
 * a's element (r, p) is a[r*rs + p*cs] for r < mr; rows mr..MR-1 (an edge tile) re-read row 0,
 * so nothing past op(A) is touched, and their results are the caller's to drop.
 * bp is a packed panel, row p at bp + p*NR. */
typedef void kernel_fn(int kc, const float *a, ptrdiff_t rs, ptrdiff_t cs, int mr, const float *bp,
                       float *c, ptrdiff_t ldc, float alpha, float beta);

typedef struct {
    bool ta, tb;
    int m, n, k;
    float alpha, beta;
    const float *a, *b;
    float *c;
    ptrdiff_t lda, ldb, ldc;
    int kc;              /* k block (the last may be shorter) */
    int row_tiles;       /* MR-row tiles per part */
    int row_parts;       /* parts down the rows */
    int col_parts;       /* parts across the columns: one NR panel each */
    kernel_fn *kernel;
} gemm_job;

/* --- reference ------------------------------------------------------------------------- */

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

/* --- micro-kernels --------------------------------------------------------------------- */

#if defined(__GNUC__)
/* Portable: GCC vector extensions of 4 floats (SSE2 on baseline x86-64, NEON on arm64), mul + add. */
typedef float v4f __attribute__((vector_size(16)));

static void kernel_portable(int kc, const float *a, ptrdiff_t rs, ptrdiff_t cs, int mr,
                            const float *bp, float *c, ptrdiff_t ldc, float alpha, float beta)
{
    v4f acc[MR][NR / 4];
    memset(acc, 0, sizeof acc);
    for (int p = 0; p < kc; p++) {
        v4f b[NR / 4];
        memcpy(b, bp + (size_t)p * NR, sizeof b);
        const float *ap = a + p * cs;
        for (int r = 0; r < MR; r++) {
            float x = ap[(r < mr ? r : 0) * rs];
            for (int h = 0; h < NR / 4; h++)
                acc[r][h] += x * b[h];
        }
    }
    for (int r = 0; r < MR; r++) {
        float *cr = c + r * ldc;
        v4f t[NR / 4], old[NR / 4];
        for (int h = 0; h < NR / 4; h++)
            t[h] = alpha * acc[r][h];
        if (beta != 0.0f) {
            memcpy(old, cr, sizeof old);
            for (int h = 0; h < NR / 4; h++)
                t[h] = t[h] + beta * old[h];
        }
        memcpy(cr, t, sizeof t);
    }
}
#else
static void kernel_portable(int kc, const float *a, ptrdiff_t rs, ptrdiff_t cs, int mr,
                            const float *bp, float *c, ptrdiff_t ldc, float alpha, float beta)
{
    float acc[MR][NR] = {{0}};
    for (int p = 0; p < kc; p++)
        for (int r = 0; r < MR; r++)
            for (int j = 0; j < NR; j++)
                acc[r][j] += a[(r < mr ? r : 0) * rs + p * cs] * bp[p * NR + j];
    for (int r = 0; r < MR; r++)
        for (int j = 0; j < NR; j++) {
            float t = alpha * acc[r][j];
            c[r * ldc + j] = beta != 0.0f ? t + beta * c[r * ldc + j] : t;
        }
}
#endif

#if NN_X86_DISPATCH
/* AVX2 + FMA: 12 accumulators (6 rows x 2 vectors), 2 panel loads and 6 broadcasts per k. */
__attribute__((target("avx2,fma")))
static void kernel_avx2(int kc, const float *a, ptrdiff_t rs, ptrdiff_t cs, int mr,
                        const float *bp, float *c, ptrdiff_t ldc, float alpha, float beta)
{
    const float *a0 = a, *a1 = a + (mr > 1 ? rs : 0), *a2 = a + (mr > 2 ? 2 * rs : 0),
                *a3 = a + (mr > 3 ? 3 * rs : 0), *a4 = a + (mr > 4 ? 4 * rs : 0),
                *a5 = a + (mr > 5 ? 5 * rs : 0);
    __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
    __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
    __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
    __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
    __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps();
    __m256 c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
    ptrdiff_t off = 0;
#pragma GCC unroll 4
    for (int p = 0; p < kc; p++) {
        __m256 b0 = _mm256_load_ps(bp), b1 = _mm256_load_ps(bp + 8);
        __m256 x;
        x = _mm256_broadcast_ss(a0 + off);
        c00 = _mm256_fmadd_ps(x, b0, c00); c01 = _mm256_fmadd_ps(x, b1, c01);
        x = _mm256_broadcast_ss(a1 + off);
        c10 = _mm256_fmadd_ps(x, b0, c10); c11 = _mm256_fmadd_ps(x, b1, c11);
        x = _mm256_broadcast_ss(a2 + off);
        c20 = _mm256_fmadd_ps(x, b0, c20); c21 = _mm256_fmadd_ps(x, b1, c21);
        x = _mm256_broadcast_ss(a3 + off);
        c30 = _mm256_fmadd_ps(x, b0, c30); c31 = _mm256_fmadd_ps(x, b1, c31);
        x = _mm256_broadcast_ss(a4 + off);
        c40 = _mm256_fmadd_ps(x, b0, c40); c41 = _mm256_fmadd_ps(x, b1, c41);
        x = _mm256_broadcast_ss(a5 + off);
        c50 = _mm256_fmadd_ps(x, b0, c50); c51 = _mm256_fmadd_ps(x, b1, c51);
        off += cs;
        bp += NR;
    }
    const __m256 va = _mm256_set1_ps(alpha);
#define NN_STORE_ROW(r, x0, x1)                                                               \
    do {                                                                                      \
        float *cr = c + (r) * ldc;                                                            \
        __m256 t0 = _mm256_mul_ps(va, x0), t1 = _mm256_mul_ps(va, x1);                        \
        if (beta != 0.0f) {                                                                   \
            const __m256 vb = _mm256_set1_ps(beta);                                           \
            t0 = _mm256_add_ps(t0, _mm256_mul_ps(vb, _mm256_loadu_ps(cr)));                   \
            t1 = _mm256_add_ps(t1, _mm256_mul_ps(vb, _mm256_loadu_ps(cr + 8)));               \
        }                                                                                     \
        _mm256_storeu_ps(cr, t0);                                                             \
        _mm256_storeu_ps(cr + 8, t1);                                                         \
    } while (0)
    NN_STORE_ROW(0, c00, c01);
    NN_STORE_ROW(1, c10, c11);
    NN_STORE_ROW(2, c20, c21);
    NN_STORE_ROW(3, c30, c31);
    NN_STORE_ROW(4, c40, c41);
    NN_STORE_ROW(5, c50, c51);
#undef NN_STORE_ROW
}

static bool have_avx2_fma(void)
{
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#endif

static kernel_fn *pick_kernel(void)
{
#if NN_X86_DISPATCH
    if (have_avx2_fma())
        return kernel_avx2;
#endif
    return kernel_portable;
}

const char *nn_gemm_kernel_name(void)
{
#if NN_X86_DISPATCH
    if (have_avx2_fma())
        return "avx2-fma 6x16";
#endif
    return "portable 6x16";
}

/* --- packing --------------------------------------------------------------------------- */

/* Panel of op(B): rows p0..p0+kc, columns j0..j0+nr (nr <= NR), zero-padded to NR columns.
 * dst (kc, NR). */
static void pack_b(const gemm_job *g, int p0, int kc, int j0, int nr, float *restrict dst)
{
    if (!g->tb) {            /* B (k, n): a row of the panel is contiguous */
        const float *src = g->b + (ptrdiff_t)p0 * g->ldb + j0;
        if (nr == NR) {
            for (int p = 0; p < kc; p++)
                memcpy(dst + (size_t)p * NR, src + p * g->ldb, NR * sizeof(float));
        } else {
            for (int p = 0; p < kc; p++) {
                const float *s = src + p * g->ldb;
                float *d = dst + (size_t)p * NR;
                for (int j = 0; j < NR; j++)
                    d[j] = j < nr ? s[j] : 0.0f;
            }
        }
    } else {                 /* B (n, k): a column of the panel is a contiguous row of B */
        const float *src = g->b + (ptrdiff_t)j0 * g->ldb + p0;
        for (int j = 0; j < nr; j++) {
            const float *s = src + j * g->ldb;
            for (int p = 0; p < kc; p++)
                dst[(size_t)p * NR + j] = s[p];
        }
        for (int j = nr; j < NR; j++)
            for (int p = 0; p < kc; p++)
                dst[(size_t)p * NR + j] = 0.0f;
    }
}

/* --- one part: an NR-wide column panel of C over a block of rows ------------------------ */

static void gemm_part(void *arg, int part)
{
    const gemm_job *g = arg;
    int rp = part / g->col_parts, cp = part % g->col_parts;
    int i_begin = rp * g->row_tiles * MR;
    int i_end = i_begin + g->row_tiles * MR;
    if (i_end > g->m)
        i_end = g->m;
    int j0 = cp * NR;
    int nr = g->n - j0 < NR ? g->n - j0 : NR;

    _Alignas(64) float bpanel[KC_MAX * NR];
    _Alignas(64) float ctile[MR * NR] = {0};   /* lanes outside an edge tile: computed, never stored */

    const ptrdiff_t rs = g->ta ? 1 : g->lda, cs = g->ta ? g->lda : 1;
    for (int p0 = 0; p0 < g->k; p0 += g->kc) {
        int kc = g->k - p0 < g->kc ? g->k - p0 : g->kc;
        float beta = p0 == 0 ? g->beta : 1.0f;
        pack_b(g, p0, kc, j0, nr, bpanel);
        for (int i = i_begin; i < i_end; i += MR) {
            int mr = i_end - i < MR ? i_end - i : MR;
            const float *a = g->a + i * rs + p0 * cs;
            float *c = g->c + (ptrdiff_t)i * g->ldc + j0;
            if (mr == MR && nr == NR) {
                g->kernel(kc, a, rs, cs, mr, bpanel, c, g->ldc, g->alpha, beta);
            } else {
                /* Same kernel on a full tile: the valid elements see the same operations. */
                if (beta != 0.0f)
                    for (int r = 0; r < mr; r++)
                        for (int j = 0; j < nr; j++)
                            ctile[r * NR + j] = c[r * g->ldc + j];
                g->kernel(kc, a, rs, cs, mr, bpanel, ctile, NR, g->alpha, beta);
                for (int r = 0; r < mr; r++)
                    for (int j = 0; j < nr; j++)
                        c[r * g->ldc + j] = ctile[r * NR + j];
            }
        }
    }
}

/* --- entry ----------------------------------------------------------------------------- */

static void scale_c(int m, int n, float beta, float *c, int ldc)
{
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
            c[(size_t)i * ldc + j] = beta == 0.0f ? 0.0f : beta * c[(size_t)i * ldc + j];
}

void nn_gemm(nn_pool *pool, bool trans_a, bool trans_b, int m, int n, int k,
             float alpha, const float *a, int lda, const float *b, int ldb,
             float beta, float *c, int ldc)
{
    if (m <= 0 || n <= 0)
        return;
    if (k <= 0) {
        scale_c(m, n, beta, c, ldc);
        return;
    }
    gemm_job g = {
        .ta = trans_a, .tb = trans_b, .m = m, .n = n, .k = k, .alpha = alpha, .beta = beta,
        .a = a, .b = b, .c = c, .lda = lda, .ldb = ldb, .ldc = ldc, .kernel = pick_kernel(),
    };
    int kblocks = (k + KC_MAX - 1) / KC_MAX;
    g.kc = (k + kblocks - 1) / kblocks;

    /* The partition: one part per NR column panel, and if that gives fewer than
     * TARGET_PARTS, the rows are cut too. Sizes only. */
    int mt = (m + MR - 1) / MR, nt = (n + NR - 1) / NR;
    g.col_parts = nt;
    int rparts = nt >= TARGET_PARTS ? 1 : (TARGET_PARTS + nt - 1) / nt;
    if (rparts > mt)
        rparts = mt;
    g.row_tiles = (mt + rparts - 1) / rparts;
    g.row_parts = (mt + g.row_tiles - 1) / g.row_tiles;
    int nparts = g.row_parts * g.col_parts;

    double flops = 2.0 * m * n * k;
    if (flops < INLINE_FLOPS || nn_pool_threads(pool) <= 1) {
        for (int part = 0; part < nparts; part++)
            gemm_part(&g, part);
    } else {
        nn_pool_run(pool, gemm_part, &g, nparts);
    }
}
