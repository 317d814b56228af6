/* matrix.c — GEMM: C = alpha * op(A) * op(B) + beta * C, row-major float.
 *
 * Not BLAS: one routine tuned for the shapes of a dense layer trained on mini-batches
 * (m = batch or fan-in, n and k a few hundred, or n = 10 for the output layer), where packing
 * both operands costs as much as the product itself. So:
 *   - A is never packed. The micro-kernel broadcasts A's elements straight from memory through
 *     a row stride and a column stride, which covers A (rs = lda, cs = 1) and A^T (rs = 1,
 *     cs = lda) alike, without copying either.
 *   - B (k, n) is not packed either: a row of an NR-wide column panel is contiguous, and the
 *     kernel loads it in place (row stride ldb). Only B^T (B stored (n, k), the input-gradient
 *     product) is packed, one NR-wide panel of a k block at a time, into a stack buffer.
 *   - k is cut into blocks of at most KC_MAX so a panel's block stays in L1 while the kernel
 *     sweeps down the rows; the blocks' partial sums are added into C in k order.
 *   - The micro-kernel computes an MR x NR tile of C as MR*NR independent FMA chains over k:
 *     AVX-512 8x32 (16 zmm accumulators; 8x16 for n <= 16, the output layer), AVX2+FMA 6x16
 *     (12 ymm), or the same loop in portable vector C (mul + add).
 *   - Edges need no copies: columns past n are masked (loads give zero, stores skip them), rows
 *     past m re-read row 0 of A and are not stored.
 *
 * Threads: the work is split into parts, each an NR-wide column panel of C over a block of
 * rows, a partition that depends only on (m, n, k) and the kernel. No part ever splits k. Every
 * element of C is computed by the same chain of float operations whatever the part or tile it
 * falls in (lanes never interact), so results are bit-identical for any thread count and for
 * the inline path; AVX2 and AVX-512 run the same chain (one FMA per k, the same k blocks) and
 * agree bit for bit too. Nothing is allocated: the B^T panel lives on the stack of the thread
 * that runs the part (48 KiB).
 *
 * An epilogue (bias and activation in the forward pass, the activation's derivative in the
 * backward pass, the bias gradient) runs on a part's block of C right after its last k block,
 * on the same thread, while the block is in L1.
 */
#include "matrix.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* -DNN_GEMM_FORCE_PORTABLE builds the portable path only (to test it on an x86 machine). */
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__)) && !defined(NN_GEMM_FORCE_PORTABLE)
#define NN_X86_DISPATCH 1
#include <immintrin.h>
#endif

enum {
    KC_MAX = 384,        /* k block: a panel block of B is at most KC_MAX * NR floats */
    NR_MAX = 32,         /* the widest kernel's NR */
    TARGET_PARTS = 16,   /* split into at least this many parts when the work allows */
    PART_FLOPS = 4000000,/* and into parts of at most about this many flops (~16 us on one core):
                          * threads that run at unequal speeds (a core shared with another
                          * process) then wait at most one small part for each other */
};

/* One micro-tile: c (MR, NR) = alpha * a(MR, kc) * b(kc, NR) + beta * c; beta == 0: c not read.
 * a's element (r, p) is a[r*rs + p*cs] for r < mr; rows mr..MR-1 (an edge tile) re-read row 0,
 * so nothing past op(A) is touched, and are not stored. b's row p is at b + p*ldb; only its
 * first nr columns are read and only those columns of c are written. */
typedef void kernel_fn(int kc, const float *a, ptrdiff_t rs, ptrdiff_t cs, int mr, const float *b,
                       ptrdiff_t ldb, int nr, float *c, ptrdiff_t ldc, float alpha, float beta);

typedef struct {
    kernel_fn *fn;
    int mr, nr;
    const char *name;
} kernel_desc;

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

enum { P_MR = 6, P_NR = 16 };

#if defined(__GNUC__)
/* Portable: GCC vector extensions of 4 floats (SSE2 on baseline x86-64, NEON on arm64), mul + add. */
typedef float v4f __attribute__((vector_size(16)));

static void kernel_portable(int kc, const float *a, ptrdiff_t rs, ptrdiff_t cs, int mr, const float *b,
                            ptrdiff_t ldb, int nr, float *c, ptrdiff_t ldc, float alpha, float beta)
{
    v4f acc[P_MR][P_NR / 4];
    memset(acc, 0, sizeof acc);
    for (int p = 0; p < kc; p++) {
        v4f bv[P_NR / 4];
        const float *bp = b + p * ldb;
        if (nr == P_NR) {
            memcpy(bv, bp, sizeof bv);
        } else {
            float t[P_NR];
            for (int j = 0; j < P_NR; j++)
                t[j] = j < nr ? bp[j] : 0.0f;
            memcpy(bv, t, sizeof bv);
        }
        const float *ap = a + p * cs;
        for (int r = 0; r < P_MR; r++) {
            float x = ap[(r < mr ? r : 0) * rs];
            for (int h = 0; h < P_NR / 4; h++)
                acc[r][h] += x * bv[h];
        }
    }
    for (int r = 0; r < mr; r++) {
        float *cr = c + r * ldc;
        float t[P_NR];
        for (int h = 0; h < P_NR / 4; h++) {
            v4f v = alpha * acc[r][h];
            memcpy(t + 4 * h, &v, sizeof v);
        }
        for (int j = 0; j < nr; j++)
            cr[j] = beta != 0.0f ? t[j] + beta * cr[j] : t[j];
    }
}
#else
static void kernel_portable(int kc, const float *a, ptrdiff_t rs, ptrdiff_t cs, int mr, const float *b,
                            ptrdiff_t ldb, int nr, float *c, ptrdiff_t ldc, float alpha, float beta)
{
    float acc[P_MR][P_NR] = {{0}};
    for (int p = 0; p < kc; p++)
        for (int r = 0; r < P_MR; r++)
            for (int j = 0; j < nr; j++)
                acc[r][j] += a[(r < mr ? r : 0) * rs + p * cs] * b[p * ldb + j];
    for (int r = 0; r < mr; r++)
        for (int j = 0; j < nr; j++) {
            float t = alpha * acc[r][j];
            c[r * ldc + j] = beta != 0.0f ? t + beta * c[r * ldc + j] : t;
        }
}
#endif

static const kernel_desc k_portable = {kernel_portable, P_MR, P_NR, "portable 6x16"};

#if NN_X86_DISPATCH
/* AVX2 + FMA: 12 accumulators (6 rows x 2 vectors), 2 B loads and 6 broadcasts per k. */
__attribute__((target("avx2,fma")))
static void kernel_avx2(int kc, const float *a, ptrdiff_t rs, ptrdiff_t cs, int mr, const float *b,
                        ptrdiff_t ldb, int nr, float *c, ptrdiff_t ldc, float alpha, float beta)
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
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i m0 = _mm256_cmpgt_epi32(_mm256_set1_epi32(nr), lane);
    const __m256i m1 = _mm256_cmpgt_epi32(_mm256_set1_epi32(nr - 8), lane);
    ptrdiff_t off = 0;
#define NN_AVX2_STEP(LOAD0, LOAD1)                                                            \
    do {                                                                                      \
        __m256 b0 = LOAD0, b1 = LOAD1;                                                        \
        __m256 x;                                                                             \
        x = _mm256_broadcast_ss(a0 + off);                                                    \
        c00 = _mm256_fmadd_ps(x, b0, c00); c01 = _mm256_fmadd_ps(x, b1, c01);                 \
        x = _mm256_broadcast_ss(a1 + off);                                                    \
        c10 = _mm256_fmadd_ps(x, b0, c10); c11 = _mm256_fmadd_ps(x, b1, c11);                 \
        x = _mm256_broadcast_ss(a2 + off);                                                    \
        c20 = _mm256_fmadd_ps(x, b0, c20); c21 = _mm256_fmadd_ps(x, b1, c21);                 \
        x = _mm256_broadcast_ss(a3 + off);                                                    \
        c30 = _mm256_fmadd_ps(x, b0, c30); c31 = _mm256_fmadd_ps(x, b1, c31);                 \
        x = _mm256_broadcast_ss(a4 + off);                                                    \
        c40 = _mm256_fmadd_ps(x, b0, c40); c41 = _mm256_fmadd_ps(x, b1, c41);                 \
        x = _mm256_broadcast_ss(a5 + off);                                                    \
        c50 = _mm256_fmadd_ps(x, b0, c50); c51 = _mm256_fmadd_ps(x, b1, c51);                 \
        off += cs;                                                                            \
        b += ldb;                                                                             \
    } while (0)
    if (nr == 16) {
#pragma GCC unroll 4
        for (int p = 0; p < kc; p++)
            NN_AVX2_STEP(_mm256_loadu_ps(b), _mm256_loadu_ps(b + 8));
    } else {
        for (int p = 0; p < kc; p++)
            NN_AVX2_STEP(_mm256_maskload_ps(b, m0), _mm256_maskload_ps(b + 8, m1));
    }
#undef NN_AVX2_STEP
    const __m256 va = _mm256_set1_ps(alpha), vb = _mm256_set1_ps(beta);
    __m256 acc[6][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}, {c40, c41}, {c50, c51}};
    for (int r = 0; r < mr; r++) {
        float *cr = c + r * ldc;
        __m256 t0 = _mm256_mul_ps(va, acc[r][0]), t1 = _mm256_mul_ps(va, acc[r][1]);
        if (nr == 16) {
            if (beta != 0.0f) {
                t0 = _mm256_add_ps(t0, _mm256_mul_ps(vb, _mm256_loadu_ps(cr)));
                t1 = _mm256_add_ps(t1, _mm256_mul_ps(vb, _mm256_loadu_ps(cr + 8)));
            }
            _mm256_storeu_ps(cr, t0);
            _mm256_storeu_ps(cr + 8, t1);
        } else {
            if (beta != 0.0f) {
                t0 = _mm256_add_ps(t0, _mm256_mul_ps(vb, _mm256_maskload_ps(cr, m0)));
                t1 = _mm256_add_ps(t1, _mm256_mul_ps(vb, _mm256_maskload_ps(cr + 8, m1)));
            }
            _mm256_maskstore_ps(cr, m0, t0);
            _mm256_maskstore_ps(cr + 8, m1, t1);
        }
    }
}

/* AVX-512: MR_ rows x NV_ vectors of 16; one masked B load per vector and one broadcast FMA
 * (embedded broadcast from A) per row and vector, per k. */
__attribute__((target("avx512f"), always_inline))
static inline void avx512_body(const int MR_, const int NV_, int kc, const float *a, ptrdiff_t rs,
                               ptrdiff_t cs, int mr, const float *b, ptrdiff_t ldb, int nr, float *c,
                               ptrdiff_t ldc, float alpha, float beta)
{
    __m512 acc[8][2];
    const float *ar[8];
#pragma GCC unroll 8
    for (int r = 0; r < MR_; r++) {
        ar[r] = a + (r < mr ? r : 0) * rs;
#pragma GCC unroll 2
        for (int v = 0; v < NV_; v++)
            acc[r][v] = _mm512_setzero_ps();
    }
    __mmask16 mk[2];
#pragma GCC unroll 2
    for (int v = 0; v < NV_; v++) {
        int left = nr - 16 * v;
        mk[v] = (__mmask16)(left >= 16 ? 0xFFFFu : left <= 0 ? 0u : (1u << left) - 1u);
    }
    ptrdiff_t off = 0;
#pragma GCC unroll 2
    for (int p = 0; p < kc; p++) {
        __m512 bv[2];
#pragma GCC unroll 2
        for (int v = 0; v < NV_; v++)
            bv[v] = _mm512_maskz_loadu_ps(mk[v], b + 16 * v);
#pragma GCC unroll 8
        for (int r = 0; r < MR_; r++) {
            __m512 x = _mm512_set1_ps(ar[r][off]);
#pragma GCC unroll 2
            for (int v = 0; v < NV_; v++)
                acc[r][v] = _mm512_fmadd_ps(x, bv[v], acc[r][v]);
        }
        off += cs;
        b += ldb;
    }
    const __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
#pragma GCC unroll 8
    for (int r = 0; r < MR_; r++) {
        if (r >= mr)
            break;
        float *cr = c + r * ldc;
#pragma GCC unroll 2
        for (int v = 0; v < NV_; v++) {
            __m512 t = _mm512_mul_ps(va, acc[r][v]);
            if (beta != 0.0f)
                t = _mm512_add_ps(t, _mm512_mul_ps(vb, _mm512_maskz_loadu_ps(mk[v], cr + 16 * v)));
            _mm512_mask_storeu_ps(cr + 16 * v, mk[v], t);
        }
    }
}

__attribute__((target("avx512f")))
static void kernel_avx512_8x32(int kc, const float *a, ptrdiff_t rs, ptrdiff_t cs, int mr, const float *b,
                               ptrdiff_t ldb, int nr, float *c, ptrdiff_t ldc, float alpha, float beta)
{
    avx512_body(8, 2, kc, a, rs, cs, mr, b, ldb, nr, c, ldc, alpha, beta);
}

__attribute__((target("avx512f")))
static void kernel_avx512_8x16(int kc, const float *a, ptrdiff_t rs, ptrdiff_t cs, int mr, const float *b,
                               ptrdiff_t ldb, int nr, float *c, ptrdiff_t ldc, float alpha, float beta)
{
    avx512_body(8, 1, kc, a, rs, cs, mr, b, ldb, nr, c, ldc, alpha, beta);
}

static const kernel_desc k_avx2 = {kernel_avx2, 6, 16, "avx2-fma 6x16"};
static const kernel_desc k_avx512 = {kernel_avx512_8x32, 8, 32, "avx512 8x32"};
static const kernel_desc k_avx512_narrow = {kernel_avx512_8x16, 8, 16, "avx512 8x16"};

static bool have_avx2_fma(void)
{
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

static bool have_avx512(void)
{
    return __builtin_cpu_supports("avx512f");
}
#endif

bool nn_gemm_isa_available(nn_gemm_isa isa)
{
    switch (isa) {
    case NN_GEMM_AUTO:
    case NN_GEMM_PORTABLE:
        return true;
#if NN_X86_DISPATCH
    case NN_GEMM_AVX2:
        return have_avx2_fma();
    case NN_GEMM_AVX512:
        return have_avx512();
#else
    case NN_GEMM_AVX2:
    case NN_GEMM_AVX512:
        return false;
#endif
    case NN_GEMM_ISA_COUNT:
        break;
    }
    return false;
}

/* The kernel for isa and a product n wide; an unavailable isa falls back to the best one. */
static const kernel_desc *pick_kernel(nn_gemm_isa isa, int n)
{
    if (isa != NN_GEMM_PORTABLE && !nn_gemm_isa_available(isa))
        isa = NN_GEMM_AUTO;
#if NN_X86_DISPATCH
    if (isa == NN_GEMM_AUTO)
        isa = have_avx512() ? NN_GEMM_AVX512 : have_avx2_fma() ? NN_GEMM_AVX2 : NN_GEMM_PORTABLE;
    if (isa == NN_GEMM_AVX512)
        return n <= 16 ? &k_avx512_narrow : &k_avx512;
    if (isa == NN_GEMM_AVX2)
        return &k_avx2;
#endif
    (void)n;
    return &k_portable;
}

const char *nn_gemm_isa_name(nn_gemm_isa isa)
{
    if (isa != NN_GEMM_AUTO && !nn_gemm_isa_available(isa))
        return "unavailable";
    return pick_kernel(isa, 1 << 20)->name;
}

const char *nn_gemm_kernel_name(void)
{
    return nn_gemm_isa_name(NN_GEMM_AUTO);
}

/* --- packing --------------------------------------------------------------------------- */

/* Panel of op(B) = B^T (B stored (n, k)): rows p0..p0+kc, columns j0..j0+nr; dst (kc, ld).
 * Columns nr..ld-1 are left as they are (the kernels mask them). A copy: no arithmetic. */
static void pack_bt_scalar(const nn_gemm_args *g, int p0, int kc, int j0, int j1, float *restrict dst, int ld)
{
    const float *src = g->b + (ptrdiff_t)j0 * g->ldb + p0;
    int j = 0, nr = j1 - j0;
    /* Four columns at a time: four sequential reads, one 16-byte write per row of the panel. */
    for (; j + 4 <= nr; j += 4) {
        const float *s0 = src + (ptrdiff_t)j * g->ldb, *s1 = s0 + g->ldb, *s2 = s1 + g->ldb,
                    *s3 = s2 + g->ldb;
        float *d = dst + j;
        for (int p = 0; p < kc; p++) {
            d[(size_t)p * ld] = s0[p];
            d[(size_t)p * ld + 1] = s1[p];
            d[(size_t)p * ld + 2] = s2[p];
            d[(size_t)p * ld + 3] = s3[p];
        }
    }
    for (; j < nr; j++) {
        const float *s = src + (ptrdiff_t)j * g->ldb;
        for (int p = 0; p < kc; p++)
            dst[(size_t)p * ld + j] = s[p];
    }
}

#if NN_X86_DISPATCH
/* The same with 8x8 blocks transposed in registers (three shuffle stages); the scalar loop takes
 * the columns past a multiple of 8 and the rows past a multiple of 8. */
__attribute__((target("avx2")))
static void pack_bt_avx2(const nn_gemm_args *g, int p0, int kc, int j0, int nr, float *restrict dst, int ld)
{
    const ptrdiff_t ldb = g->ldb;
    const int nr8 = nr & ~7, kc8 = kc & ~7;
    for (int j = 0; j < nr8; j += 8) {
        const float *s = g->b + (ptrdiff_t)(j0 + j) * ldb + p0;
        for (int p = 0; p < kc8; p += 8) {
            __m256 r0 = _mm256_loadu_ps(s + p), r1 = _mm256_loadu_ps(s + ldb + p),
                   r2 = _mm256_loadu_ps(s + 2 * ldb + p), r3 = _mm256_loadu_ps(s + 3 * ldb + p),
                   r4 = _mm256_loadu_ps(s + 4 * ldb + p), r5 = _mm256_loadu_ps(s + 5 * ldb + p),
                   r6 = _mm256_loadu_ps(s + 6 * ldb + p), r7 = _mm256_loadu_ps(s + 7 * ldb + p);
            __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1);
            __m256 t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3);
            __m256 t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5);
            __m256 t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
            __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
            __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
            __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE);
            __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
            float *d = dst + (size_t)p * ld + j;
            _mm256_storeu_ps(d, _mm256_permute2f128_ps(u0, u4, 0x20));
            _mm256_storeu_ps(d + ld, _mm256_permute2f128_ps(u1, u5, 0x20));
            _mm256_storeu_ps(d + 2 * ld, _mm256_permute2f128_ps(u2, u6, 0x20));
            _mm256_storeu_ps(d + 3 * ld, _mm256_permute2f128_ps(u3, u7, 0x20));
            _mm256_storeu_ps(d + 4 * ld, _mm256_permute2f128_ps(u0, u4, 0x31));
            _mm256_storeu_ps(d + 5 * ld, _mm256_permute2f128_ps(u1, u5, 0x31));
            _mm256_storeu_ps(d + 6 * ld, _mm256_permute2f128_ps(u2, u6, 0x31));
            _mm256_storeu_ps(d + 7 * ld, _mm256_permute2f128_ps(u3, u7, 0x31));
        }
        for (int p = kc8; p < kc; p++)
            for (int q = 0; q < 8; q++)
                dst[(size_t)p * ld + j + q] = s[(ptrdiff_t)q * ldb + p];
    }
    if (nr8 < nr)
        pack_bt_scalar(g, p0, kc, j0 + nr8, j0 + nr, dst + nr8, ld);
}
#endif

static void pack_bt(const nn_gemm_args *g, int p0, int kc, int j0, int nr, float *restrict dst, int ld)
{
#if NN_X86_DISPATCH
    if (have_avx2_fma()) {
        pack_bt_avx2(g, p0, kc, j0, nr, dst, ld);
        return;
    }
#endif
    pack_bt_scalar(g, p0, kc, j0, j0 + nr, dst, ld);
}

/* --- one part: an NR-wide column panel of C over a block of rows ------------------------ */

static void scale_c(int m, int n, float beta, float *c, int ldc)
{
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
            c[(size_t)i * ldc + j] = beta == 0.0f ? 0.0f : beta * c[(size_t)i * ldc + j];
}

void nn_gemm_plan_part(const nn_gemm_plan *plan, int part)
{
    const nn_gemm_args *g = &plan->g;
    if (g->k <= 0) {
        scale_c(g->m, g->n, g->beta, g->c, g->ldc);
        if (g->epilogue)
            g->epilogue(g->ctx, g->c, g->ldc, 0, g->m, 0, g->n);
        return;
    }
    const kernel_desc *kd = plan->kern;
    const int MR = kd->mr, NR = kd->nr;
    int rp = part / plan->col_parts, cp = part % plan->col_parts;
    int i_begin = rp * plan->row_tiles * MR;
    int i_end = i_begin + plan->row_tiles * MR;
    if (i_end > g->m)
        i_end = g->m;
    int j0 = cp * NR;
    int nr = g->n - j0 < NR ? g->n - j0 : NR;

    _Alignas(64) float bpanel[KC_MAX * NR_MAX];

    const ptrdiff_t rs = g->trans_a ? 1 : g->lda, cs = g->trans_a ? g->lda : 1;
    for (int p0 = 0; p0 < g->k; p0 += plan->kc) {
        int kc = g->k - p0 < plan->kc ? g->k - p0 : plan->kc;
        float beta = p0 == 0 ? g->beta : 1.0f;
        const float *bsrc;
        ptrdiff_t ldb;
        if (g->trans_b) {
            pack_bt(g, p0, kc, j0, nr, bpanel, NR);
            bsrc = bpanel;
            ldb = NR;
        } else {
            bsrc = g->b + (ptrdiff_t)p0 * g->ldb + j0;
            ldb = g->ldb;
        }
        for (int i = i_begin; i < i_end; i += MR) {
            int mr = i_end - i < MR ? i_end - i : MR;
            kd->fn(kc, g->a + i * rs + p0 * cs, rs, cs, mr, bsrc, ldb, nr,
                   g->c + (ptrdiff_t)i * g->ldc + j0, g->ldc, g->alpha, beta);
        }
    }
    if (g->epilogue && i_end > i_begin)
        g->epilogue(g->ctx, g->c + (ptrdiff_t)i_begin * g->ldc + j0, g->ldc, i_begin, i_end - i_begin,
                    j0, nr);
}

/* --- planning and running -------------------------------------------------------------- */

int nn_gemm_plan_init(nn_gemm_plan *plan, const nn_gemm_args *args)
{
    memset(plan, 0, sizeof *plan);
    plan->g = *args;
    const int m = args->m, n = args->n, k = args->k;
    if (m <= 0 || n <= 0)
        return 0;
    plan->flops = 2.0 * m * n * (k > 0 ? k : 0);
    if (k <= 0) {
        plan->parts = 1;
        return 1;
    }
    const kernel_desc *kd = pick_kernel(args->isa, n);
    plan->kern = kd;
    int kblocks = (k + KC_MAX - 1) / KC_MAX;
    plan->kc = (k + kblocks - 1) / kblocks;

    /* The partition: one part per NR column panel, and if that gives fewer than
     * TARGET_PARTS or parts over PART_FLOPS, the rows are cut too. Sizes (and the kernel's tile)
     * only. */
    int mt = (m + kd->mr - 1) / kd->mr, nt = (n + kd->nr - 1) / kd->nr;
    plan->col_parts = nt;
    double want = plan->flops / PART_FLOPS;
    if (want < TARGET_PARTS)
        want = TARGET_PARTS;
    int rparts = want > (double)mt * nt ? mt : (int)((want + nt - 1) / nt);
    if (rparts < 1)
        rparts = 1;
    if (rparts > mt)
        rparts = mt;
    plan->row_tiles = (mt + rparts - 1) / rparts;
    plan->row_parts = (mt + plan->row_tiles - 1) / plan->row_tiles;
    plan->parts = plan->row_parts * plan->col_parts;
    return plan->parts;
}

enum { RUN_MAX = 8 };

typedef struct {
    nn_gemm_plan plans[RUN_MAX];
    int first[RUN_MAX + 1];   /* part numbers: plan i has parts [first[i], first[i+1]) */
    int count;
} run_job;

static void run_part(void *arg, int part)
{
    const run_job *j = arg;
    int i = 0;
    while (part >= j->first[i + 1])
        i++;
    nn_gemm_plan_part(&j->plans[i], part - j->first[i]);
}

void nn_gemm_run(nn_pool *pool, const nn_gemm_args *args, int count)
{
    for (int base = 0; base < count; base += RUN_MAX) {
        run_job j;
        j.count = count - base < RUN_MAX ? count - base : RUN_MAX;
        double flops = 0.0;
        j.first[0] = 0;
        for (int i = 0; i < j.count; i++) {
            j.first[i + 1] = j.first[i] + nn_gemm_plan_init(&j.plans[i], &args[base + i]);
            flops += j.plans[i].flops;
        }
        int parts = j.first[j.count];
        if (flops < NN_GEMM_INLINE_FLOPS || nn_pool_threads(pool) <= 1) {
            for (int part = 0; part < parts; part++)
                run_part(&j, part);
        } else {
            nn_pool_run(pool, run_part, &j, parts);
        }
    }
}

void nn_gemm(nn_pool *pool, bool trans_a, bool trans_b, int m, int n, int k,
             float alpha, const float *a, int lda, const float *b, int ldb,
             float beta, float *c, int ldc)
{
    nn_gemm_args g = {
        .trans_a = trans_a, .trans_b = trans_b, .m = m, .n = n, .k = k, .alpha = alpha, .beta = beta,
        .a = a, .b = b, .c = c, .lda = lda, .ldb = ldb, .ldc = ldc,
    };
    nn_gemm_run(pool, &g, 1);
}
