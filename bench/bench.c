/* bench.c — nnterm-bench: how fast the engine is, printed in one run.
 *
 *   machine: the FMA ceiling of each vector ISA the CPU has, measured now on 1 and 2 threads;
 *   flops:   the FLOP count of one training sample and one evaluated sample, layer by layer;
 *   gemm:    GFLOP/s of nn_gemm at the MLP's shapes (batch 128 and 512) on each kernel, 1 and 2 threads;
 *   train:   Fashion-MNIST training samples/s at batch 32, 128 and 512, and where python3-torch is
 *            installed the PyTorch peer (its fastest setting) at the same batch sizes, alternating
 *            round by round, with the ratios; evaluation samples/s; GFLOP/s at the true count;
 *   profile: one training step by phase at batch 32, 128 and 512 on 1 and 2 threads;
 *   scaling: 1 against 2 threads, hidden widths 256/1024/2048, batch 8 to 1024 on 1 and 2 threads,
 *            and a synthetic dataset of 10k, 60k and 600k rows;
 *   iris:    `nnterm train iris` as a whole process (and the peer's iris workload);
 *   rss:     peak RSS of `nnterm train fashion-mnist --epochs 1` as a whole process.
 *
 * Usage: nnterm-bench [--nnterm PATH] [--peer PATH] [--rounds N] [--no-peer]
 *                     [--only machine|flops|gemm|train|profile|scaling|iris|rss]...
 * bench/run.sh builds a release tree and runs this. Timings are wall clock (CLOCK_MONOTONIC);
 * each figure is the median of several runs, because the machine is shared and noisy; ratios
 * are of figures measured side by side in the same run. */
#include "matrix.h"
#include "pool.h"
#include "preset.h"
#include "trainer.h"

#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define BENCH_X86 1
#include <immintrin.h>
#endif

extern char **environ;

#define MAX_RUNS 16
#define FMNIST "/usr/share/datasets/fashion-mnist"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(const double *v, int n)
{
    if (n <= 0)
        return NAN;
    double s[MAX_RUNS];
    memcpy(s, v, (size_t)n * sizeof *s);
    qsort(s, (size_t)n, sizeof *s, cmp_double);
    return n % 2 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

static void min_max(const double *v, int n, double *lo, double *hi)
{
    *lo = INFINITY;
    *hi = -INFINITY;
    for (int i = 0; i < n; i++) {
        *lo = v[i] < *lo ? v[i] : *lo;
        *hi = v[i] > *hi ? v[i] : *hi;
    }
}

static double peak_rss_mib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

/* The 1-minute load average, to show how busy the machine was. */
static double loadavg(void)
{
    double l = NAN;
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        if (fscanf(f, "%lf", &l) != 1)
            l = NAN;
        fclose(f);
    }
    return l;
}

static void cpu_model(char *out, size_t size)
{
    snprintf(out, size, "unknown CPU");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "model name", 10) == 0) {
            char *c = strchr(line, ':');
            if (c) {
                c += 1 + (c[1] == ' ');
                c[strcspn(c, "\n")] = 0;
                snprintf(out, size, "%s", c);
            }
            break;
        }
    }
    fclose(f);
}

/* ---------------------------------------------------------------------------------------- */
/* The machine: FMA ceiling                                                                   */

/* ceiling[isa][threads]: GFLOP/s of 12 independent FMA chains per thread (NAN: not measured);
 * ceiling[isa][0]: the 2-core ceiling the shares are of, twice the best 1-thread figure (a busy
 * machine lowers the 2-thread measurement much more than the 1-thread one, whose best of 5
 * usually gets a core to itself). */
static double ceiling[NN_GEMM_ISA_COUNT][3];

#if BENCH_X86
__attribute__((target("avx2,fma"))) static float fma_loop_avx2(long n)
{
    __m256 a[12], x = _mm256_set1_ps(1.0000001f), y = _mm256_set1_ps(-1e-7f);
    for (int i = 0; i < 12; i++)
        a[i] = _mm256_set1_ps((float)i);
    for (long k = 0; k < n; k++)
#pragma GCC unroll 12
        for (int i = 0; i < 12; i++)
            a[i] = _mm256_fmadd_ps(a[i], x, y);
    float s = 0.0f;
    for (int i = 0; i < 12; i++)
        s += _mm_cvtss_f32(_mm256_castps256_ps128(a[i]));
    return s;
}

__attribute__((target("avx512f"))) static float fma_loop_avx512(long n)
{
    __m512 a[12], x = _mm512_set1_ps(1.0000001f), y = _mm512_set1_ps(-1e-7f);
    for (int i = 0; i < 12; i++)
        a[i] = _mm512_set1_ps((float)i);
    for (long k = 0; k < n; k++)
#pragma GCC unroll 12
        for (int i = 0; i < 12; i++)
            a[i] = _mm512_fmadd_ps(a[i], x, y);
    float s = 0.0f;
    for (int i = 0; i < 12; i++)
        s += _mm512_reduce_add_ps(a[i]);
    return s;
}
#endif

typedef struct {
    nn_gemm_isa isa;
    long n;
    pthread_barrier_t *start;
    double t0, t1;       /* the thread's own start and end */
    volatile float sink;
} peak_arg;

static void *peak_thread(void *vp)
{
    peak_arg *p = vp;
    pthread_barrier_wait(p->start);
    p->t0 = now();
#if BENCH_X86
    p->sink = p->isa == NN_GEMM_AVX512 ? fma_loop_avx512(p->n) : fma_loop_avx2(p->n);
#endif
    p->t1 = now();
    return NULL;
}

/* GFLOP/s of threads threads each running n rounds of 12 FMAs of the isa's width, over the span
 * from the first thread's start to the last one's end (timed by the threads themselves, so a
 * descheduled main thread does not shorten it). */
static double fma_peak(nn_gemm_isa isa, int threads, long n)
{
    pthread_t tid[2];
    peak_arg args[2];
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, (unsigned)threads);
    for (int i = 0; i < threads; i++) {
        args[i] = (peak_arg){isa, n, &start, 0.0, 0.0, 0.0f};
        pthread_create(&tid[i], NULL, peak_thread, &args[i]);
    }
    double t0 = INFINITY, t1 = -INFINITY;
    for (int i = 0; i < threads; i++) {
        pthread_join(tid[i], NULL);
        t0 = args[i].t0 < t0 ? args[i].t0 : t0;
        t1 = args[i].t1 > t1 ? args[i].t1 : t1;
    }
    pthread_barrier_destroy(&start);
    int lanes = isa == NN_GEMM_AVX512 ? 16 : 8;
    return (double)n * 12.0 * lanes * 2.0 * threads / (t1 - t0) * 1e-9;
}

static void bench_machine(void)
{
    for (int i = 0; i < NN_GEMM_ISA_COUNT; i++)
        ceiling[i][0] = ceiling[i][1] = ceiling[i][2] = NAN;
    printf("\n== FMA ceiling: 12 independent FMA chains per thread, best of 5 runs of ~0.1 s ==\n");
#if BENCH_X86
    const nn_gemm_isa isas[2] = {NN_GEMM_AVX2, NN_GEMM_AVX512};
    for (int k = 0; k < 2; k++) {
        nn_gemm_isa isa = isas[k];
        if (!nn_gemm_isa_available(isa))
            continue;
        for (int th = 1; th <= 2; th++) {
            double best = 0.0;
            long n = isa == NN_GEMM_AVX512 ? 20000000 : 40000000;   /* ~0.1 s */
            for (int r = 0; r < 5; r++) {
                double g = fma_peak(isa, th, n);
                best = g > best ? g : best;
            }
            ceiling[isa][th] = best;
        }
        ceiling[isa][0] = 2.0 * ceiling[isa][1];
        printf("%-8s %6.1f GFLOP/s on 1 thread, %6.1f on 2 (measured); 2-core ceiling %.0f\n",
               isa == NN_GEMM_AVX512 ? "avx512" : "avx2", ceiling[isa][1], ceiling[isa][2], ceiling[isa][0]);
    }
#endif
    if (isnan(ceiling[NN_GEMM_AVX2][0]))
        printf("no AVX2 or AVX-512 on this CPU: no ceiling measured\n");
    else
        printf("shares below are of the 2-core ceilings: twice the 1-thread figure, which a busy machine "
               "disturbs less\n");
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (loadavg() > (double)cores)
        printf("the machine is busy (load average %.2f on %ld cores): these ceilings are too low, and the "
               "shares of them too high\n", loadavg(), cores);
}

/* " = a% of the AVX2 ceiling, b% of the AVX-512 one" (the 2-core ceilings). */
static void print_of_ceiling(double gflops)
{
    if (!isnan(ceiling[NN_GEMM_AVX2][0]))
        printf(" = %.0f%% of the AVX2 ceiling", 100.0 * gflops / ceiling[NN_GEMM_AVX2][0]);
    if (!isnan(ceiling[NN_GEMM_AVX512][0]))
        printf(", %.0f%% of the AVX-512 one", 100.0 * gflops / ceiling[NN_GEMM_AVX512][0]);
}

/* ---------------------------------------------------------------------------------------- */
/* FLOP counts                                                                               */

/* Floating-point operations of one sample through a network of widths w[0..n_layers] (w[0]
 * the inputs): each layer's three products cost 2*in*out each (one multiply and one add per
 * weight): forward Z = X W, weight gradient dW = X^T dZ, input gradient dX = dZ W^T, the last
 * for every layer but the first (its input needs no gradient; it is never computed). Bias,
 * activation, loss and optimizer work are not counted (a few per cent). */
static double flops_train(const int *w, int n_layers)
{
    double f = 0.0;
    for (int l = 0; l < n_layers; l++)
        f += 2.0 * w[l] * w[l + 1] * (l == 0 ? 2.0 : 3.0);
    return f;
}

static double flops_forward(const int *w, int n_layers)
{
    double f = 0.0;
    for (int l = 0; l < n_layers; l++)
        f += 2.0 * w[l] * w[l + 1];
    return f;
}

static const int fm_widths[4] = {784, 256, 128, 10};

static void bench_flops(void)
{
    const int *w = fm_widths;
    printf("\n== FLOP count of 784-256-128-10 per sample (2 per multiply-add; bias, activation, loss and "
           "optimizer not counted) ==\n");
    printf("%-6s %11s %11s %14s %14s\n", "layer", "in -> out", "forward", "weight grad", "input grad");
    for (int l = 0; l < 3; l++) {
        double p = 2.0 * w[l] * w[l + 1];
        char io[32];
        snprintf(io, sizeof io, "%d -> %d", w[l], w[l + 1]);
        printf("%-6d %11s %11.0f %14.0f %14.0f%s\n", l + 1, io, p, p, l == 0 ? 0.0 : p,
               l == 0 ? "  (never computed)" : "");
    }
    printf("training: %.0f FLOP = %.3f MFLOP per sample; evaluation (forward): %.0f = %.3f MFLOP\n",
           flops_train(w, 3), flops_train(w, 3) * 1e-6, flops_forward(w, 3), flops_forward(w, 3) * 1e-6);
}

/* ---------------------------------------------------------------------------------------- */
/* GEMM                                                                                      */

typedef struct {
    char what[40];
    bool ta, tb;
    int m, n, k;
} shape;

static void fill(float *v, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1664525u + 1013904223u;
        v[i] = (float)((seed >> 8) & 0xffff) / 65536.0f - 0.5f;
    }
}

/* Seconds per product: the median over runs of (time of reps products) / reps. */
static double time_gemm(nn_pool *pool, nn_gemm_isa isa, const shape *s, float *a, float *b, float *c, int runs)
{
    nn_gemm_args g = {.trans_a = s->ta, .trans_b = s->tb, .m = s->m, .n = s->n, .k = s->k, .alpha = 1.0f,
                      .a = a, .lda = s->ta ? s->m : s->k, .b = b, .ldb = s->tb ? s->k : s->n, .c = c,
                      .ldc = s->n, .isa = isa};
    double flops = 2.0 * s->m * s->n * s->k;
    int reps = (int)(2e7 / flops) + 1;      /* 0.05-0.2 ms of work per run */
    double t[MAX_RUNS];
    for (int w = 0; w < reps; w++)
        nn_gemm_run(pool, &g, 1);
    for (int r = 0; r < runs; r++) {
        double t0 = now();
        for (int i = 0; i < reps; i++)
            nn_gemm_run(pool, &g, 1);
        t[r] = (now() - t0) / reps;
    }
    return median(t, runs);
}

/* The products of one training step at batch B (and, with square, a 1024^3 product), on each
 * kernel, 1 thread and a pool of 2. */
static void gemm_table(nn_pool *p2, int B, bool square, const nn_gemm_isa *isas, int ni, int runs)
{
    shape shapes[12];
    int ns = 0;
    for (int l = 0; l < 3; l++) {
        int in = fm_widths[l], out = fm_widths[l + 1];
        shapes[ns] = (shape){.ta = false, .tb = false, .m = B, .n = out, .k = in};
        snprintf(shapes[ns++].what, sizeof shapes[0].what, "L%d forward   X.W     NN", l + 1);
        shapes[ns] = (shape){.ta = true, .tb = false, .m = in, .n = out, .k = B};
        snprintf(shapes[ns++].what, sizeof shapes[0].what, "L%d weights   Xt.dZ   TN", l + 1);
        if (l > 0) {   /* layer 1's input gradient is never computed */
            shapes[ns] = (shape){.ta = false, .tb = true, .m = B, .n = in, .k = out};
            snprintf(shapes[ns++].what, sizeof shapes[0].what, "L%d input     dZ.Wt   NT", l + 1);
        }
    }
    const int step_shapes = ns;
    if (square)
        shapes[ns++] = (shape){.ta = false, .tb = false, .m = 1024, .n = 1024, .k = 1024, .what = "square 1024^3       NN"};

    size_t maxa = 0, maxb = 0, maxc = 0;
    for (int i = 0; i < ns; i++) {
        size_t sa = (size_t)shapes[i].m * shapes[i].k, sb = (size_t)shapes[i].k * shapes[i].n,
               sc = (size_t)shapes[i].m * shapes[i].n;
        maxa = sa > maxa ? sa : maxa;
        maxb = sb > maxb ? sb : maxb;
        maxc = sc > maxc ? sc : maxc;
    }
    float *a = malloc(maxa * sizeof *a), *b = malloc(maxb * sizeof *b), *c = malloc(maxc * sizeof *c);
    if (!a || !b || !c) {
        fprintf(stderr, "nnterm-bench: out of memory\n");
        goto out;
    }
    fill(a, maxa, 1);
    fill(b, maxb, 2);
    printf("\n== GEMM at the shapes of 784-256-128-10, batch %d: GFLOP/s, median of %d runs "
           "(auto: %s; load %.2f) ==\n%-26s %5s %5s %5s", B, runs, nn_gemm_kernel_name(), loadavg(), "product",
           "m", "n", "k");
    for (int i = 0; i < ni; i++)
        printf("  %8.8s 1t %8.8s 2t", isas[i] == NN_GEMM_AVX512 ? "avx512" : isas[i] == NN_GEMM_AVX2 ? "avx2" : "portable",
               isas[i] == NN_GEMM_AVX512 ? "avx512" : isas[i] == NN_GEMM_AVX2 ? "avx2" : "portable");
    printf("\n");
    double step[3][2] = {{0}};
    for (int s = 0; s < ns; s++) {
        const shape *x = &shapes[s];
        double flops = 2.0 * x->m * x->n * x->k;
        printf("%-26s %5d %5d %5d", x->what, x->m, x->n, x->k);
        for (int i = 0; i < ni; i++) {
            double t1 = time_gemm(NULL, isas[i], x, a, b, c, runs);
            double t2 = time_gemm(p2, isas[i], x, a, b, c, runs);
            printf("  %11.1f %11.1f", flops / t1 * 1e-9, flops / t2 * 1e-9);
            if (s < step_shapes) {
                step[i][0] += t1;
                step[i][1] += t2;
            }
        }
        printf("\n");
    }
    for (int i = 0; i < ni; i++)
        printf("%s: one batch-%d step's %d products take %.0f us on 1 thread, %.0f us on 2 (%.2fx) "
               "-> a GEMM-only ceiling of %.0f samples/s\n", nn_gemm_isa_name(isas[i]), B, step_shapes,
               step[i][0] * 1e6, step[i][1] * 1e6, step[i][0] / step[i][1], B / step[i][1]);
out:
    free(a);
    free(b);
    free(c);
}

static void bench_gemm(int rounds)
{
    nn_error err;
    nn_pool *p2 = nn_pool_create(2, &err);
    if (!p2) {
        fprintf(stderr, "nnterm-bench: %s\n", err.msg);
        return;
    }
    nn_gemm_isa isas[3];
    int ni = 0;
    if (nn_gemm_isa_available(NN_GEMM_AVX2))
        isas[ni++] = NN_GEMM_AVX2;
    if (nn_gemm_isa_available(NN_GEMM_AVX512))
        isas[ni++] = NN_GEMM_AVX512;
    if (ni == 0)
        isas[ni++] = NN_GEMM_PORTABLE;
    int runs = 5 * rounds > MAX_RUNS ? MAX_RUNS : 5 * rounds;
    gemm_table(p2, 128, true, isas, ni, runs);
    gemm_table(p2, 512, false, isas, ni, runs);
    nn_pool_destroy(p2);
}

/* ---------------------------------------------------------------------------------------- */
/* Fashion-MNIST trainers                                                                   */

/* 784-W1-W2-10 on Fashion-MNIST as the peer trains it: minmax (pixels / 255), Adam 1e-3, all
 * 60000 training images train, the t10k file is the test split. */
static int setup_fmnist(nn_preset *p, int batch, int w1, int w2, nn_error *err)
{
    nn_preset_defaults(p);
    snprintf(p->name, sizeof p->name, "bench fashion-mnist");
    snprintf(p->dataset.source, sizeof p->dataset.source, "idx");
    snprintf(p->dataset.images, sizeof p->dataset.images, FMNIST "/train-images-idx3-ubyte.gz");
    snprintf(p->dataset.labels, sizeof p->dataset.labels, FMNIST "/train-labels-idx1-ubyte.gz");
    snprintf(p->dataset.test_images, sizeof p->dataset.test_images, FMNIST "/t10k-images-idx3-ubyte.gz");
    snprintf(p->dataset.test_labels, sizeof p->dataset.test_labels, FMNIST "/t10k-labels-idx1-ubyte.gz");
    p->dataset.normalize = NN_NORM_MINMAX;
    p->n_layers = 3;
    int units[3] = {w1, w2, 0};
    for (int i = 0; i < 3; i++) {
        p->layers[i].units = units[i];
        p->layers[i].act = NN_AUTO;             /* relu, relu, softmax */
    }
    p->training.epochs = 1000;
    p->training.batch_size = batch;
    nn_opt_defaults(&p->training.optimizer, NN_OPT_ADAM);
    p->training.optimizer.lr = 1e-3;
    static const double splits[][3] = {{1.0, 0.0, 0.0}, {0.999, 0.001, 0.0}, {0.9, 0.0, 0.1}};
    for (int i = 0; i < 3; i++) {
        p->dataset.split_train = splits[i][0];
        p->dataset.split_val = splits[i][1];
        p->dataset.split_test = splits[i][2];
        if (nn_preset_validate(p, NULL, err) == NN_OK)
            return 0;
    }
    return -1;
}

/* A trainer on Fashion-MNIST; donor (may be NULL) lends its loaded data. */
static nn_trainer *fm_open(int batch, int w1, int w2, int threads, const nn_trainer *donor, double *init_s,
                           nn_error *err)
{
    if (access(FMNIST "/train-images-idx3-ubyte.gz", R_OK) != 0) {
        nn_error_set(err, NN_EIO, "%s: not found (apt-get install dataset-fashion-mnist)", FMNIST);
        return NULL;
    }
    nn_preset *p = malloc(sizeof *p);
    nn_trainer *t = calloc(1, sizeof *t);
    if (!p || !t || setup_fmnist(p, batch, w1, w2, err) != 0) {
        if (!p || !t)
            nn_error_set(err, NN_ENOMEM, "out of memory");
        free(p);
        free(t);
        return NULL;
    }
    double t0 = now();
    nn_status st = nn_trainer_init_shared(t, p, donor, threads, err);
    free(p);
    if (st != NN_OK) {
        free(t);
        return NULL;
    }
    if (init_s)
        *init_s = now() - t0;
    return t;
}

static void fm_close(nn_trainer *t)
{
    if (t) {
        nn_trainer_free(t);
        free(t);
    }
}

/* n whole epochs; returns training samples/s from the trainer's own timing (batches only). */
static double fm_epochs(nn_trainer *t, int n, double *acc)
{
    nn_error err;
    double secs = 0.0;
    for (int i = 0; i < n; i++) {
        if (nn_trainer_epoch(t, &err) != NN_OK) {
            fprintf(stderr, "nnterm-bench: %s\n", err.msg);
            return NAN;
        }
        const nn_epoch_stats *s = nn_trainer_last(t);
        if (!s)
            return NAN;
        secs += s->seconds;
        if (acc)
            *acc = s->test_acc;
    }
    return (double)n * t->split.n_train / secs;
}

/* Wall-clock samples/s of steps training steps after warm ones; a step that ends an epoch (and
 * so evaluates) is neither timed nor counted. */
static double fm_steps(nn_trainer *t, int warm, int steps)
{
    nn_error err;
    double secs = 0.0;
    long rows = 0;
    for (int i = 0; i < warm + steps; i++) {
        int r = t->split.n_train - t->batch * t->batch_size;
        r = r < t->batch_size ? r : t->batch_size;
        double t0 = now();
        if (nn_trainer_step(t, &err) != NN_OK) {
            fprintf(stderr, "nnterm-bench: %s\n", err.msg);
            return NAN;
        }
        double dt = now() - t0;
        if (i >= warm && !nn_trainer_epoch_ended(t)) {
            secs += dt;
            rows += r;
        }
    }
    return (double)rows / secs;
}

/* ---------------------------------------------------------------------------------------- */
/* Child processes                                                                           */

/* Runs argv with stdout to out_path (or /dev/null); returns wall seconds or NAN; *maxrss_mib
 * (may be NULL) gets the child's peak RSS. */
static double run_process(char *const argv[], const char *out_path, double *maxrss_mib)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out_path ? out_path : "/dev/null",
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    double t0 = now();
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        return NAN;
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return NAN;
    if (maxrss_mib)
        *maxrss_mib = (double)ru.ru_maxrss / 1024.0;
    return now() - t0;
}

/* A number field ("samples_per_s") of the last line of file path that has it. */
static double json_field(const char *path, const char *field)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NAN;
    char line[8192], key[64];
    snprintf(key, sizeof key, "\"%s\":", field);
    double v = NAN;
    while (fgets(line, sizeof line, f)) {
        char *q = strstr(line, key);
        if (q)
            v = strtod(q + strlen(key), NULL);
    }
    fclose(f);
    return v;
}

static bool peer_available(const char *peer)
{
    char *probe[] = {"/usr/bin/python3", "-c", "import torch", NULL};
    return access(peer, R_OK) == 0 && !isnan(run_process(probe, NULL, NULL));
}

/* The peer's training samples/s in its fastest setting (../shared/bench/README.md), 2 epochs. */
static double peer_run(const char *peer, const char *tmp, int batch)
{
    char b[16];
    snprintf(b, sizeof b, "%d", batch);
    char *argv[] = {"/usr/bin/python3", (char *)peer, "--epochs", "2", "--threads", "1",
                    "--blas-threads", "2", "--batch", b, NULL};
    if (isnan(run_process(argv, tmp, NULL)))
        return NAN;
    return json_field(tmp, "samples_per_s");
}

/* ---------------------------------------------------------------------------------------- */
/* Training, evaluation and the peer                                                         */

static void bench_train(const char *peer, bool use_peer, int rounds)
{
    enum { NB = 3 };
    static const int batches[NB] = {32, 128, 512};
    const double ftrain = flops_train(fm_widths, 3), ffwd = flops_forward(fm_widths, 3);
    nn_error err;
    nn_trainer *t[NB] = {NULL, NULL, NULL};
    double init_s = NAN;
    bool with_peer = use_peer && peer_available(peer);
    char tmp[] = "/tmp/nnterm-bench-peer-XXXXXX";
    printf("\n== training, Fashion-MNIST 784-256-128-10, ReLU, softmax+CE, Adam 1e-3, all 60000 training rows, "
           "threads = cores ==\n");
    for (int i = 0; i < NB; i++) {
        t[i] = fm_open(batches[i], 256, 128, 0, t[0], i == 0 ? &init_s : NULL, &err);
        if (!t[i]) {
            printf("skipped: %s\n", err.msg);
            goto out;
        }
    }
    if (with_peer) {
        int fd = mkstemp(tmp);
        if (fd < 0)
            with_peer = false;
        else
            close(fd);
    }
    printf("nnterm: the trainer's own epoch time (gather, forward, backward, update; not the evaluation), "
           "2 epochs per round after one warm-up epoch\n");
    if (with_peer)
        printf("pytorch: %s --epochs 2 --threads 1 --blas-threads 2 --batch N (its fastest setting), "
               "run just before nnterm at the same batch size, round by round\n", peer);
    else if (!use_peer)
        printf("pytorch: not run (--no-peer)\n");
    else
        printf("pytorch: not run: %s\n", access(peer, R_OK) != 0 ? "the peer script is missing (--peer PATH)"
                                                                 : "/usr/bin/python3 cannot import torch");
    int n = rounds > MAX_RUNS ? MAX_RUNS : rounds;
    double nt[NB][MAX_RUNS], pt[NB][MAX_RUNS], ratio[NB][MAX_RUNS], acc[NB] = {NAN, NAN, NAN};
    for (int i = 0; i < NB; i++)
        fm_epochs(t[i], 1, NULL);
    for (int r = 0; r < n; r++) {
        printf("round %d:", r + 1);
        for (int i = 0; i < NB; i++) {
            pt[i][r] = with_peer ? peer_run(peer, tmp, batches[i]) : (double)NAN;
            nt[i][r] = fm_epochs(t[i], 2, &acc[i]);
            ratio[i][r] = nt[i][r] / pt[i][r];
            if (with_peer)
                printf("  batch %d: pytorch %6.0f nnterm %6.0f (%.2fx)", batches[i], pt[i][r], nt[i][r],
                       ratio[i][r]);
            else
                printf("  batch %d: nnterm %6.0f", batches[i], nt[i][r]);
        }
        printf("  [load %.2f]\n", loadavg());
        fflush(stdout);
    }
    printf("medians over the rounds; ratio: the median of the rounds' ratios (each of a pair run side by side), "
           "with their range\n");
    printf("%-6s %10s %8s %10s %8s  %s\n", "batch", "nnterm/s", "GFLOP/s", "pytorch/s", "ratio",
           "(min-max); GFLOP/s at the true count as shares of the 2-core ceilings");
    for (int i = 0; i < NB; i++) {
        double mn = median(nt[i], n), mp = median(pt[i], n), lo, hi;
        min_max(ratio[i], n, &lo, &hi);
        printf("%-6d %10.0f %8.1f %10.0f %8.2f  ", batches[i], mn, mn * ftrain * 1e-9, mp, median(ratio[i], n));
        if (with_peer)
            printf("(%.2f-%.2f)", lo, hi);
        print_of_ceiling(mn * ftrain * 1e-9);
        printf("; test accuracy %.4f after %d epochs\n", acc[i], 1 + 2 * n);
    }
    /* Evaluation: forward passes over the test images in the batch-128 trainer's chunks. */
    {
        nn_trainer *e = t[1];
        int rows = e->split.n_test, nf = e->data.n_features;
        float *x = malloc((size_t)rows * nf * sizeof *x);
        float *out = malloc((size_t)rows * e->outputs * sizeof *out);
        if (x && out && rows > 0) {
            for (int i = 0; i < rows; i++)
                nn_dataset_row(&e->data, (int)e->split.test[i], x + (size_t)i * nf);
            double ev[MAX_RUNS];
            for (int i = 0; i < 7; i++) {
                double t0 = now();
                nn_trainer_predict(e, x, rows, out);
                ev[i] = rows / (now() - t0);
            }
            double m = median(ev, 7);
            printf("evaluation (forward, %d test rows in chunks of %d): %.0f samples/s, %.1f GFLOP/s", rows,
                   e->net.max_batch, m, m * ffwd * 1e-9);
            print_of_ceiling(m * ffwd * 1e-9);
            printf("\n");
        }
        free(x);
        free(out);
    }
    printf("trainer init (read the IDX .gz files, split, normalise, build): %.2f s\n", init_s);
out:
    if (with_peer)
        unlink(tmp);
    for (int i = NB - 1; i >= 0; i--)
        fm_close(t[i]);
}

/* Where one training step's time goes: the phases of nn_trainer_step, timed apart over the
 * same batches on the trainer's own buffers, at batch 32, 128 and 512 on 1 and 2 threads. The
 * 1- and 2-thread trainers share the data and run alternately (5 runs each), so that a busy
 * machine moves both columns alike. */
enum { P_GATHER, P_FORWARD, P_LOSS, P_BACKWARD, P_STEP, P_N };

/* Adds the mean seconds per batch of each phase over nb batches from batch position pos. */
static void profile_run(nn_trainer *t, int rows, int nb, int pos, double acc[P_N])
{
    for (int b = 0; b < P_N; b++)
        acc[b] = 0.0;
    for (int b = 0; b < nb; b++) {
        const uint32_t *idx = t->order + (size_t)((pos + b) * rows % (t->split.n_train - rows));
        double t0 = now();
        nn_gather_pool(t->pool, t->xb, t->yb, t->outputs, &t->data, &t->norm, idx, rows);
        double t1 = now();
        const float *out = nn_network_forward(&t->net, t->pool, t->xb, rows, 0.0f, NULL);
        double t2 = now();
        volatile double loss = nn_loss_value(t->loss, out, t->yb, rows, t->outputs);
        (void)loss;
        double t3 = now();
        nn_network_backward(&t->net, t->pool, t->xb, t->yb, rows, t->loss);
        double t4 = now();
        double ss;   /* no clipping: the norm comes from the step's pass, as in nn_trainer_step */
        nn_optimizer_step_pool_sumsq(&t->opt, t->pool, t->net.params, t->net.grads, 1e-3, &ss);
        volatile double norm = sqrt(ss);
        (void)norm;
        double t5 = now();
        acc[P_GATHER] += t1 - t0;
        acc[P_FORWARD] += t2 - t1;
        acc[P_LOSS] += t3 - t2;
        acc[P_BACKWARD] += t4 - t3;
        acc[P_STEP] += t5 - t4;
    }
    for (int i = 0; i < P_N; i++)
        acc[i] /= nb;
}

static void bench_profile(void)
{
    nn_error err;
    static const int batches[3] = {32, 128, 512};
    static const char *names[P_N] = {"gather + normalise", "forward (3 products + epilogues)", "loss value",
                                     "backward (5 products + epilogues)", "Adam step + gradient norm"};
    const double fl[P_N] = {0.0, flops_forward(fm_widths, 3), 0.0,
                            flops_train(fm_widths, 3) - flops_forward(fm_widths, 3), 0.0};
    printf("\n== one training step by phase: us per batch at batch 32, 128 and 512 on 1 and 2 threads "
           "(median of 5 alternating runs of about 16k samples; load %.2f) ==\n", loadavg());
    double med[3][2][P_N];
    for (int bi = 0; bi < 3; bi++) {
        const int rows = batches[bi], nb = 16384 / rows;
        nn_trainer *t[2] = {fm_open(rows, 256, 128, 1, NULL, NULL, &err), NULL};
        if (t[0])
            t[1] = fm_open(rows, 256, 128, 2, t[0], NULL, &err);
        if (!t[0] || !t[1]) {
            printf("skipped: %s\n", err.msg);
            fm_close(t[1]);
            fm_close(t[0]);
            return;
        }
        double tm[2][P_N][MAX_RUNS], acc[P_N];
        for (int th = 0; th < 2; th++)
            profile_run(t[th], rows, 8, 0, acc);   /* warm */
        for (int run = 0; run < 5; run++)
            for (int th = 0; th < 2; th++) {
                profile_run(t[th], rows, nb, run * nb, acc);
                for (int i = 0; i < P_N; i++)
                    tm[th][i][run] = acc[i];
            }
        for (int th = 0; th < 2; th++)
            for (int i = 0; i < P_N; i++)
                med[bi][th][i] = median(tm[th][i], 5);
        fm_close(t[1]);
        fm_close(t[0]);
    }
    printf("%-34s", "phase");
    for (int bi = 0; bi < 3; bi++)
        printf("  b%-3d 1t    2t  x", batches[bi]);
    printf("\n");
    double total[3][2] = {{0}};
    for (int i = 0; i < P_N; i++) {
        printf("%-34s", names[i]);
        for (int bi = 0; bi < 3; bi++) {
            double a = med[bi][0][i] * 1e6, b = med[bi][1][i] * 1e6;
            printf("  %7.0f %5.0f %4.2f", a, b, b > 0.0 ? a / b : 0.0);
            total[bi][0] += med[bi][0][i];
            total[bi][1] += med[bi][1][i];
        }
        printf("\n");
    }
    printf("%-34s", "total");
    for (int bi = 0; bi < 3; bi++)
        printf("  %7.0f %5.0f %4.2f", total[bi][0] * 1e6, total[bi][1] * 1e6, total[bi][0] / total[bi][1]);
    printf("\n");
    for (int bi = 0; bi < 3; bi++) {
        const int rows = batches[bi];
        printf("batch %d, 2 threads: %.0f samples/s, %.1f GFLOP/s; products", rows, rows / total[bi][1],
               rows / total[bi][1] * flops_train(fm_widths, 3) * 1e-9);
        for (int i = 0; i < P_N; i++)
            if (fl[i] > 0.0)
                printf(" %s %.0f", i == P_FORWARD ? "forward" : "backward", fl[i] * rows / med[bi][1][i] * 1e-9);
        printf(" GFLOP/s; %.0f%% products, %.0f%% Adam, %.0f%% gather\n",
               100.0 * (med[bi][1][P_FORWARD] + med[bi][1][P_BACKWARD]) / total[bi][1],
               100.0 * med[bi][1][P_STEP] / total[bi][1], 100.0 * med[bi][1][P_GATHER] / total[bi][1]);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Scaling                                                                                   */

static void scaling_threads(void)
{
    nn_error err;
    printf("threads (batch 128, 2 epochs each, alternating, median of 3):\n");
    nn_trainer *t1 = fm_open(128, 256, 128, 1, NULL, NULL, &err);
    nn_trainer *t2 = t1 ? fm_open(128, 256, 128, 2, t1, NULL, &err) : NULL;
    if (!t1 || !t2) {
        printf("  skipped: %s\n", err.msg);
        fm_close(t2);
        fm_close(t1);
        return;
    }
    double s1[3], s2[3];
    fm_epochs(t1, 1, NULL);
    fm_epochs(t2, 1, NULL);
    for (int r = 0; r < 3; r++) {
        s1[r] = fm_epochs(t1, 2, NULL);
        s2[r] = fm_epochs(t2, 2, NULL);
    }
    double m1 = median(s1, 3), m2 = median(s2, 3);
    printf("  1 thread %.0f samples/s, 2 threads %.0f samples/s: %.2fx; the same weights after each epoch: %s\n",
           m1, m2, m2 / m1,
           memcmp(t1->net.params, t2->net.params, t1->net.n_params * sizeof(float)) == 0 ? "yes" : "NO");
    fm_close(t2);
    fm_close(t1);
}

static void scaling_widths(void)
{
    nn_error err;
    static const int widths[3] = {256, 1024, 2048};
    printf("hidden widths (784-W-W/2-10, batch 128, wall time of 40 steps after 5):\n");
    printf("  %6s %11s %12s %16s %10s\n", "W", "parameters", "us/sample", "us/sample per M", "GFLOP/s");
    nn_trainer *donor = NULL;
    for (int i = 0; i < 3; i++) {
        nn_trainer *t = fm_open(128, widths[i], widths[i] / 2, 0, donor, NULL, &err);
        if (!t) {
            printf("  skipped: %s\n", err.msg);
            break;
        }
        int w[4] = {784, widths[i], widths[i] / 2, 10};
        double sp[3];
        for (int r = 0; r < 3; r++)
            sp[r] = fm_steps(t, 5, 40);
        double m = median(sp, 3);
        double us = 1e6 / m, mp = (double)t->net.n_params * 1e-6;
        printf("  %6d %11zu %12.2f %16.2f %10.1f\n", widths[i], t->net.n_params, us, us / mp,
               m * flops_train(w, 3) * 1e-9);
        if (i == 0)
            donor = t;
        else
            fm_close(t);
    }
    fm_close(donor);
}

/* Batch 8 to 1024 on 1 and on 2 threads (the two trainers share the data and run alternately), so
 * that the 2-thread speed-up shows at each batch size. */
static void scaling_batches(void)
{
    nn_error err;
    static const int batches[] = {8, 16, 32, 64, 128, 256, 512, 1024};
    printf("batch size (784-256-128-10, wall time of about 16k samples after a few steps, 1 and 2 threads "
           "alternating, median of 3):\n");
    printf("  %6s %12s %12s %6s %10s\n", "batch", "1 thread/s", "2 threads/s", "2t/1t", "GFLOP/s 2t");
    nn_trainer *donor = NULL;
    for (int i = 0; i < 8; i++) {
        nn_trainer *t1 = fm_open(batches[i], 256, 128, 1, donor, NULL, &err);
        nn_trainer *t2 = t1 ? fm_open(batches[i], 256, 128, 2, donor ? donor : t1, NULL, &err) : NULL;
        if (!t1 || !t2) {
            printf("  skipped: %s\n", err.msg);
            fm_close(t2);
            if (t1 != donor)
                fm_close(t1);
            break;
        }
        double s1[3], s2[3];
        int steps = 16384 / batches[i];
        for (int r = 0; r < 3; r++) {
            s1[r] = fm_steps(t1, 3, steps);
            s2[r] = fm_steps(t2, 3, steps);
        }
        double m1 = median(s1, 3), m2 = median(s2, 3);
        /* the trainer runs a step below 1e7 rows x parameters on one thread (trainer.c) */
        bool alone = (double)batches[i] * (double)t2->net.n_params < 1e7;
        printf("  %6d %12.0f %12.0f %6.2f %10.1f%s\n", batches[i], m1, m2, m2 / m1,
               m2 * flops_train(fm_widths, 3) * 1e-9, alone ? "  (a step this small runs on one thread)" : "");
        fm_close(t2);
        if (i == 0)
            donor = t1;
        else
            fm_close(t1);
    }
    fm_close(donor);
}

/* The trainer's synthetic "gaussians" source (2 features, 3 classes) at 10k, 60k and 600k rows:
 * the training time of one epoch should grow linearly with the rows. */
static void scaling_rows(void)
{
    static const int rows[3] = {10000, 60000, 600000};
    printf("rows (synthetic gaussians, 2-256-128-3, batch 128, Adam; one epoch after one):\n");
    printf("  %8s %12s %12s %12s\n", "rows", "epoch s", "us/row", "eval s");
    for (int i = 0; i < 3; i++) {
        nn_preset p;
        nn_error err;
        nn_preset_defaults(&p);
        snprintf(p.dataset.source, sizeof p.dataset.source, "gaussians");
        p.dataset.samples = rows[i];
        p.dataset.split_train = 0.8;
        p.dataset.split_val = 0.1;
        p.dataset.split_test = 0.1;
        p.n_layers = 3;
        int units[3] = {256, 128, 0};
        for (int l = 0; l < 3; l++) {
            p.layers[l].units = units[l];
            p.layers[l].act = NN_AUTO;
        }
        p.training.epochs = 1000;
        p.training.batch_size = 128;
        nn_opt_defaults(&p.training.optimizer, NN_OPT_ADAM);
        nn_trainer *t = calloc(1, sizeof *t);
        if (!t || nn_preset_validate(&p, NULL, &err) != NN_OK || nn_trainer_init(t, &p, 0, &err) != NN_OK) {
            printf("  skipped: %s\n", t ? err.msg : "out of memory");
            free(t);
            return;
        }
        fm_epochs(t, 1, NULL);
        fm_epochs(t, 1, NULL);
        const nn_epoch_stats *s = nn_trainer_last(t);
        printf("  %8d %12.3f %12.3f %12.3f\n", rows[i], s->seconds, s->seconds / t->split.n_train * 1e6,
               s->eval_seconds);
        fm_close(t);
    }
}

static void bench_scaling(void)
{
    printf("\n== scaling ==\n");
    scaling_threads();
    scaling_widths();
    scaling_batches();
    scaling_rows();
}

/* ---------------------------------------------------------------------------------------- */
/* Whole processes                                                                           */

static void bench_iris(const char *nnterm, const char *peer, bool use_peer)
{
    printf("\n== `nnterm train iris` whole process (%s), median of 5 ==\n", nnterm);
    if (access(nnterm, X_OK) != 0) {
        printf("skipped: %s is not an executable\n", nnterm);
        return;
    }
    char *argv[] = {(char *)nnterm, "train", "iris", NULL};
    double t[5];
    for (int i = 0; i < 5; i++) {
        t[i] = run_process(argv, NULL, NULL);
        if (isnan(t[i])) {
            printf("failed: `%s train iris` did not exit 0\n", nnterm);
            return;
        }
    }
    printf("nnterm train iris: %.3f s\n", median(t, 5));
    if (use_peer && peer_available(peer)) {
        char tmp[] = "/tmp/nnterm-bench-peer-XXXXXX";
        int fd = mkstemp(tmp);
        if (fd < 0)
            return;
        close(fd);
        char *pargv[] = {"/usr/bin/python3", (char *)peer, "--workload", "iris", NULL};
        if (!isnan(run_process(pargv, tmp, NULL)))
            printf("pytorch iris workload (4-40-3, 20 epochs), whole process: %.3f s\n", json_field(tmp, "wall_s"));
        unlink(tmp);
    }
}

static void bench_rss(const char *nnterm)
{
    printf("\n== peak RSS of `nnterm train fashion-mnist --epochs 1` (whole process, wait4; run first, while "
           "this process is small) ==\n");
    if (access(nnterm, X_OK) != 0 || access(FMNIST "/train-images-idx3-ubyte.gz", R_OK) != 0) {
        printf("skipped: needs %s and %s\n", nnterm, FMNIST);
        return;
    }
    char *argv[] = {(char *)nnterm, "train", "fashion-mnist", "--epochs", "1", NULL};
    double rss = NAN, secs = run_process(argv, NULL, &rss);
    if (isnan(secs))
        printf("failed: `%s train fashion-mnist --epochs 1` did not exit 0\n", nnterm);
    else
        printf("peak RSS %.1f MiB (%.1f s for the whole process)\n", rss, secs);
}

/* ---------------------------------------------------------------------------------------- */

static bool want(const char *only[], int n_only, const char *what)
{
    if (n_only == 0)
        return true;
    for (int i = 0; i < n_only; i++)
        if (strcmp(only[i], what) == 0 || (strcmp(what, "train") == 0 && strcmp(only[i], "peer") == 0))
            return true;
    return false;
}

int main(int argc, char **argv)
{
    const char *nnterm = NN_BENCH_BUILD_ROOT "/src/nnterm";
    const char *peer = NN_BENCH_SOURCE_ROOT "/../shared/bench/peer_torch.py";
    const char *only[16];
    int n_only = 0, rounds = 3;
    bool use_peer = true;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--nnterm") == 0 && i + 1 < argc) {
            nnterm = argv[++i];
        } else if (strcmp(argv[i], "--peer") == 0 && i + 1 < argc) {
            peer = argv[++i];
        } else if (strcmp(argv[i], "--no-peer") == 0) {
            use_peer = false;
        } else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
            rounds = atoi(argv[++i]);
            if (rounds < 1 || rounds > MAX_RUNS)
                rounds = 3;
        } else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc && n_only < 16) {
            only[n_only++] = argv[++i];
        } else {
            fprintf(stderr, "usage: nnterm-bench [--nnterm PATH] [--peer PATH] [--rounds N] [--no-peer] "
                            "[--only machine|flops|gemm|train|profile|scaling|iris|rss]...\n");
            return 2;
        }
    }
    char model[256];
    cpu_model(model, sizeof model);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    time_t tnow = time(NULL);
    char date[32];
    strftime(date, sizeof date, "%Y-%m-%d %H:%M", localtime(&tnow));
    printf("nnterm-bench %s: %s, %ld online cores, GEMM kernel %s, load average %.2f at start\n", date, model,
           cores, nn_gemm_kernel_name(), loadavg());
    /* First, while this process is small: a child's peak RSS starts from its parent's RSS at the
     * spawn (Linux carries the parent's high-water mark into the child at exec). */
    if (want(only, n_only, "rss"))
        bench_rss(nnterm);
    /* The ceilings are needed by the sections that print shares of them. */
    if (want(only, n_only, "machine") || want(only, n_only, "train") || want(only, n_only, "profile"))
        bench_machine();
    if (want(only, n_only, "flops"))
        bench_flops();
    if (want(only, n_only, "gemm"))
        bench_gemm(rounds);
    if (want(only, n_only, "train"))
        bench_train(peer, use_peer, rounds);
    if (want(only, n_only, "profile"))
        bench_profile();
    if (want(only, n_only, "scaling"))
        bench_scaling();
    if (want(only, n_only, "iris"))
        bench_iris(nnterm, peer, use_peer);
    printf("\npeak RSS of nnterm-bench: %.1f MiB; load average %.2f at the end\n", peak_rss_mib(), loadavg());
    return 0;
}
