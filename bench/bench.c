/* bench.c — nnterm-bench: how fast the engine is, printed in one run.
 *
 *   GEMM GFLOP/s at the shapes of the 784-256-128-10 MLP with batch 128 (forward NN, weight
 *   gradient TN, input gradient NT) and at 1024^3, on 1 and 2 threads, with the kernel's name;
 *   training samples/s on Fashion-MNIST (Adam, batch 32, 128, 512) and evaluation samples/s;
 *   peak RSS; the whole-process time of `nnterm train iris`; and, where python3-torch is
 *   installed, the PyTorch peer (bench/README: --threads 1 --blas-threads 2) alternating with
 *   nnterm epochs, and the ratio of the medians.
 *
 * Usage: nnterm-bench [--nnterm PATH] [--peer PATH] [--rounds N] [--only gemm|train|profile|iris|peer]...
 * bench/run.sh builds a release tree and runs this. Timings are wall clock (CLOCK_MONOTONIC);
 * each figure is the median of several runs, because the machine is shared and noisy. */
#include "matrix.h"
#include "pool.h"
#include "preset.h"
#include "trainer.h"

#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define MAX_RUNS 16

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

static double median(double *v, int n)
{
    if (n <= 0)
        return NAN;
    double s[MAX_RUNS];
    memcpy(s, v, (size_t)n * sizeof *s);
    qsort(s, (size_t)n, sizeof *s, cmp_double);
    return n % 2 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

static double peak_rss_mib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

/* ---------------------------------------------------------------------------------------- */
/* GEMM                                                                                      */

typedef struct {
    const char *what;
    bool ta, tb;
    int m, n, k;
} shape;

static const shape shapes[] = {
    {"L1 forward   X.W1      NN", false, false, 128, 256, 784},
    {"L1 weights   Xt.dZ1    TN", true, false, 784, 256, 128},
    {"L1 input     dZ1.W1t   NT", false, true, 128, 784, 256},
    {"L2 forward   H1.W2     NN", false, false, 128, 128, 256},
    {"L2 weights   H1t.dZ2   TN", true, false, 256, 128, 128},
    {"L2 input     dZ2.W2t   NT", false, true, 128, 256, 128},
    {"L3 forward   H2.W3     NN", false, false, 128, 10, 128},
    {"L3 weights   H2t.dZ3   TN", true, false, 128, 10, 128},
    {"L3 input     dZ3.W3t   NT", false, true, 128, 128, 10},
    {"square 1024^3          NN", false, false, 1024, 1024, 1024},
};
#define N_SHAPES (int)(sizeof shapes / sizeof shapes[0])

static void fill(float *v, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1664525u + 1013904223u;
        v[i] = (float)((seed >> 8) & 0xffff) / 65536.0f - 0.5f;
    }
}

/* Seconds per product: the median over runs of (time of reps products) / reps. */
static double time_gemm(nn_pool *pool, const shape *s, float *a, float *b, float *c, int runs)
{
    int lda = s->ta ? s->m : s->k, ldb = s->tb ? s->k : s->n;
    double flops = 2.0 * s->m * s->n * s->k;
    int reps = (int)(2e7 / flops) + 1;      /* about 0.2-0.4 ms of work per run at 50-100 GFLOP/s */
    double t[MAX_RUNS];
    for (int w = 0; w < reps; w++)
        nn_gemm(pool, s->ta, s->tb, s->m, s->n, s->k, 1.0f, a, lda, b, ldb, 0.0f, c, s->n);
    for (int r = 0; r < runs; r++) {
        double t0 = now();
        for (int i = 0; i < reps; i++)
            nn_gemm(pool, s->ta, s->tb, s->m, s->n, s->k, 1.0f, a, lda, b, ldb, 0.0f, c, s->n);
        t[r] = (now() - t0) / reps;
    }
    return median(t, runs);
}

static void bench_gemm(int rounds)
{
    nn_error err;
    nn_pool *p2 = nn_pool_create(2, &err);
    if (!p2) {
        fprintf(stderr, "nnterm-bench: %s\n", err.msg);
        return;
    }
    size_t maxa = 0, maxb = 0, maxc = 0;
    for (int i = 0; i < N_SHAPES; i++) {
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
    printf("== GEMM (kernel %s), GFLOP/s, median of %d runs; 1 thread | 2 threads ==\n",
           nn_gemm_kernel_name(), 7 * rounds > MAX_RUNS ? MAX_RUNS : 7 * rounds);
    printf("%-28s %5s %5s %5s %9s %9s %7s\n", "product", "m", "n", "k", "1 thread", "2 threads",
           "x");
    double step1 = 0.0, step2 = 0.0;   /* one training step's GEMMs (dX1 excluded) */
    for (int i = 0; i < N_SHAPES; i++) {
        const shape *s = &shapes[i];
        double flops = 2.0 * s->m * s->n * s->k;
        int runs = 7 * rounds > MAX_RUNS ? MAX_RUNS : 7 * rounds;
        double t1 = time_gemm(NULL, s, a, b, c, runs);
        double t2 = time_gemm(p2, s, a, b, c, runs);
        printf("%-28s %5d %5d %5d %9.1f %9.1f %7.2f\n", s->what, s->m, s->n, s->k,
               flops / t1 * 1e-9, flops / t2 * 1e-9, t1 / t2);
        if (i < 9 && i != 2) {
            step1 += t1;
            step2 += t2;
        }
    }
    printf("one batch-128 step's 8 GEMMs (no input gradient for layer 1): "
           "%.0f us on 1 thread, %.0f us on 2 -> GEMM-only ceiling %.0f samples/s\n",
           step1 * 1e6, step2 * 1e6, 128.0 / step2);
out:
    free(a);
    free(b);
    free(c);
    nn_pool_destroy(p2);
}

/* ---------------------------------------------------------------------------------------- */
/* Training and evaluation                                                                   */

#define FMNIST "/usr/share/datasets/fashion-mnist"

static int setup_fmnist(nn_preset *p, int batch, int epochs, nn_error *err)
{
    nn_preset_defaults(p);
    snprintf(p->name, sizeof p->name, "bench fashion-mnist");
    snprintf(p->dataset.source, sizeof p->dataset.source, "idx");
    snprintf(p->dataset.images, sizeof p->dataset.images, FMNIST "/train-images-idx3-ubyte.gz");
    snprintf(p->dataset.labels, sizeof p->dataset.labels, FMNIST "/train-labels-idx1-ubyte.gz");
    snprintf(p->dataset.test_images, sizeof p->dataset.test_images, FMNIST "/t10k-images-idx3-ubyte.gz");
    snprintf(p->dataset.test_labels, sizeof p->dataset.test_labels, FMNIST "/t10k-labels-idx1-ubyte.gz");
    p->dataset.normalize = NN_NORM_MINMAX;      /* pixels / 255, as the peer */
    p->n_layers = 3;
    int units[3] = {256, 128, 0};
    for (int i = 0; i < 3; i++) {
        p->layers[i].units = units[i];
        p->layers[i].act = NN_AUTO;             /* relu, relu, softmax */
    }
    p->training.epochs = epochs;
    p->training.batch_size = batch;
    nn_opt_defaults(&p->training.optimizer, NN_OPT_ADAM);
    p->training.optimizer.lr = 1e-3;
    /* All 60000 training images train, as in the peer; the test split is the t10k file. */
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

typedef struct {
    nn_trainer t;
    bool ok;
    double init_seconds;     /* nn_trainer_init: read the IDX files, split, normalise, build */
} fm_run;

static int fm_open(fm_run *r, int batch, nn_error *err)
{
    nn_preset p;
    memset(r, 0, sizeof *r);
    if (access(FMNIST "/train-images-idx3-ubyte.gz", R_OK) != 0) {
        nn_error_set(err, NN_EIO, "%s: not found (apt-get install dataset-fashion-mnist)", FMNIST);
        return -1;
    }
    if (setup_fmnist(&p, batch, 1000, err) != 0)
        return -1;
    double t0 = now();
    if (nn_trainer_init(&r->t, &p, 0, err) != NN_OK)
        return -1;
    r->init_seconds = now() - t0;
    r->ok = true;
    return 0;
}

/* One epoch; returns training samples/s from the trainer's own timing (training work only). */
static double fm_epoch(fm_run *r, double *acc)
{
    nn_error err;
    if (nn_trainer_epoch(&r->t, &err) != NN_OK) {
        fprintf(stderr, "nnterm-bench: %s\n", err.msg);
        return NAN;
    }
    const nn_epoch_stats *s = nn_trainer_last(&r->t);
    if (!s)
        return NAN;
    if (acc)
        *acc = s->test_acc;
    return r->t.split.n_train / s->seconds;
}

/* Where one training step's time goes: the phases of nn_trainer_step, timed apart over the
 * same batches on the trainer's own buffers (batch 128, threads = cores). */
static void bench_profile(void)
{
    nn_error err;
    fm_run r;
    printf("\n== one training step, batch 128, by phase (us per batch, median of 5 x 100 batches) ==\n");
    if (fm_open(&r, 128, &err) != 0) {
        printf("skipped: %s\n", err.msg);
        return;
    }
    nn_trainer *t = &r.t;
    enum { P_GATHER, P_FORWARD, P_LOSS, P_BACKWARD, P_NORM, P_STEP, P_N };
    static const char *names[P_N] = {"gather + normalise", "forward (3 GEMM + bias/act)",
                                     "loss value", "backward (5 GEMM + act')",
                                     "(norm: in the step)", "Adam step + gradient norm"};
    double tm[P_N][MAX_RUNS];
    const int rows = 128, nb = 100;
    for (int run = 0; run < 5; run++) {
        double acc[P_N] = {0};
        for (int b = 0; b < nb; b++) {
            const uint32_t *idx = t->order + (size_t)((run * nb + b) * rows % (t->split.n_train - rows));
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
            /* no clipping: the norm comes from the step's pass (nn_trainer_step) */
            double t5 = now();
            double ss;
            nn_optimizer_step_pool_sumsq(&t->opt, t->pool, t->net.params, t->net.grads, 1e-3, &ss);
            volatile double norm = sqrt(ss);
            (void)norm;
            double t6 = now();
            acc[P_GATHER] += t1 - t0;
            acc[P_FORWARD] += t2 - t1;
            acc[P_LOSS] += t3 - t2;
            acc[P_BACKWARD] += t4 - t3;
            acc[P_NORM] += t5 - t4;
            acc[P_STEP] += t6 - t5;
        }
        for (int i = 0; i < P_N; i++)
            tm[i][run] = acc[i] / nb;
    }
    double total = 0.0;
    for (int i = 0; i < P_N; i++)
        total += median(tm[i], 5);
    for (int i = 0; i < P_N; i++) {
        double m = median(tm[i], 5);
        printf("%-30s %8.1f us  %5.1f%%\n", names[i], m * 1e6, 100.0 * m / total);
    }
    printf("%-30s %8.1f us  -> %.0f samples/s\n", "total", total * 1e6, rows / total);
    nn_trainer_free(t);
}

static void bench_train(int rounds)
{
    static const int batches[] = {32, 128, 512};
    printf("\n== training, Fashion-MNIST 784-256-128-10, ReLU, softmax+CE, Adam 1e-3, "
           "threads = cores (median of %d epochs after a warm-up epoch) ==\n", rounds + 1);
    for (int bi = 0; bi < 3; bi++) {
        nn_error err;
        fm_run r;
        if (fm_open(&r, batches[bi], &err) != 0) {
            printf("training: skipped: %s\n", err.msg);
            return;
        }
        double acc = NAN, sps[MAX_RUNS];
        int n = rounds + 1 > MAX_RUNS ? MAX_RUNS : rounds + 1;
        fm_epoch(&r, &acc);
        for (int i = 0; i < n; i++)
            sps[i] = fm_epoch(&r, &acc);
        double m = median(sps, n);
        printf("batch %4d: %8.0f samples/s  (%5.1f GFLOP/s at 1.41 MFLOP/sample), "
               "test accuracy after %d epochs %.4f, %d training rows\n",
               batches[bi], m, m * 1.41e-3, n + 1, acc, r.t.split.n_train);
        if (batches[bi] == 128) {
            /* Evaluation: forward passes over the test images, in the trainer's chunks. */
            int rows = r.t.split.n_test;
            int nf = r.t.data.n_features;
            float *x = malloc((size_t)rows * nf * sizeof *x);
            float *out = malloc((size_t)rows * r.t.outputs * sizeof *out);
            if (x && out) {
                for (int i = 0; i < rows; i++)
                    memcpy(x + (size_t)i * nf, r.t.data.x + (size_t)r.t.split.test[i] * nf,
                           (size_t)nf * sizeof *x);
                double ev[MAX_RUNS];
                for (int i = 0; i < 5; i++) {
                    double t0 = now();
                    nn_trainer_predict(&r.t, x, rows, out);
                    ev[i] = rows / (now() - t0);
                }
                printf("evaluation (forward, %d test rows): %.0f samples/s\n", rows, median(ev, 5));
                printf("trainer init (read IDX .gz, split, normalise, build): %.2f s\n",
                       r.init_seconds);
            }
            free(x);
            free(out);
        }
        nn_trainer_free(&r.t);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Child processes                                                                           */

/* Runs argv with stdout to out_path (or /dev/null), returns wall seconds or NAN. */
static double run_process(char *const argv[], const char *out_path)
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
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return NAN;
    return now() - t0;
}

static void bench_iris(const char *nnterm)
{
    printf("\n== `nnterm train iris` whole process (%s), median of 5 ==\n", nnterm);
    if (access(nnterm, X_OK) != 0) {
        printf("skipped: %s is not an executable\n", nnterm);
        return;
    }
    char *argv[] = {(char *)nnterm, "train", "iris", NULL};
    double t[5];
    for (int i = 0; i < 5; i++) {
        t[i] = run_process(argv, NULL);
        if (isnan(t[i])) {
            printf("failed: `%s train iris` did not exit 0\n", nnterm);
            return;
        }
    }
    printf("nnterm train iris: %.3f s\n", median(t, 5));
}

/* A number field ("samples_per_s") of the last line of file path that has it. */
static double json_field(const char *path, const char *field)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NAN;
    char line[4096], key[64];
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

/* The peer's training samples/s, fastest setting (bench/README). */
static double peer_run(const char *peer, const char *tmp)
{
    char *argv[] = {"/usr/bin/python3", (char *)peer, "--epochs", "2", "--threads", "1",
                    "--blas-threads", "2", NULL};
    if (isnan(run_process(argv, tmp)))
        return NAN;
    return json_field(tmp, "samples_per_s");
}

/* The peer's iris workload: whole-process wall seconds as it reports them. */
static double peer_iris(const char *peer, const char *tmp)
{
    char *argv[] = {"/usr/bin/python3", (char *)peer, "--workload", "iris", NULL};
    if (isnan(run_process(argv, tmp)))
        return NAN;
    return json_field(tmp, "wall_s");
}

static void bench_peer(const char *peer, int rounds)
{
    printf("\n== PyTorch peer (%s --threads 1 --blas-threads 2, 2 epochs) alternating with nnterm, "
           "batch 128, %d rounds ==\n", peer, rounds);
    char *probe[] = {"/usr/bin/python3", "-c", "import torch", NULL};
    if (access(peer, R_OK) != 0 || isnan(run_process(probe, NULL))) {
        printf("skipped: needs %s and /usr/bin/python3 with torch\n", peer);
        return;
    }
    nn_error err;
    fm_run r;
    if (fm_open(&r, 128, &err) != 0) {
        printf("skipped: %s\n", err.msg);
        return;
    }
    char tmp[] = "/tmp/nnterm-bench-peer-XXXXXX";
    int fd = mkstemp(tmp);
    if (fd < 0) {
        nn_trainer_free(&r.t);
        return;
    }
    close(fd);
    fm_epoch(&r, NULL);
    double pt[MAX_RUNS], nt[MAX_RUNS];
    int n = rounds > MAX_RUNS ? MAX_RUNS : rounds;
    for (int i = 0; i < n; i++) {
        pt[i] = peer_run(peer, tmp);
        double a = fm_epoch(&r, NULL), b = fm_epoch(&r, NULL);
        nt[i] = 0.5 * (a + b);
        printf("round %d: pytorch %8.0f samples/s   nnterm %8.0f samples/s   ratio %.2f\n", i + 1,
               pt[i], nt[i], nt[i] / pt[i]);
        fflush(stdout);
    }
    double mp = median(pt, n), mn = median(nt, n);
    printf("median: pytorch %.0f samples/s, nnterm %.0f samples/s: nnterm/pytorch = %.2f\n", mp,
           mn, mn / mp);
    double iw = peer_iris(peer, tmp);
    if (!isnan(iw))
        printf("pytorch iris workload (4-40-3, 20 epochs), whole process: %.3f s\n", iw);
    unlink(tmp);
    nn_trainer_free(&r.t);
}

/* ---------------------------------------------------------------------------------------- */

/* The 1-minute load average, to show how busy the machine was (other processes move the
 * absolute numbers; ratios measured side by side in one run much less). */
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

static bool want(const char *only[], int n_only, const char *what)
{
    if (n_only == 0)
        return true;
    for (int i = 0; i < n_only; i++)
        if (strcmp(only[i], what) == 0)
            return true;
    return false;
}

int main(int argc, char **argv)
{
    const char *nnterm = NN_BENCH_BUILD_ROOT "/src/nnterm";
    const char *peer = NN_BENCH_SOURCE_ROOT "/../shared/bench/peer_torch.py";
    const char *only[8];
    int n_only = 0, rounds = 3;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--nnterm") == 0 && i + 1 < argc) {
            nnterm = argv[++i];
        } else if (strcmp(argv[i], "--peer") == 0 && i + 1 < argc) {
            peer = argv[++i];
        } else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
            rounds = atoi(argv[++i]);
            if (rounds < 1 || rounds > MAX_RUNS)
                rounds = 3;
        } else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc && n_only < 8) {
            only[n_only++] = argv[++i];
        } else {
            fprintf(stderr, "usage: nnterm-bench [--nnterm PATH] [--peer PATH] [--rounds N] "
                            "[--only gemm|train|profile|iris|peer]...\n");
            return 2;
        }
    }
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    printf("nnterm-bench: %ld online cores, kernel %s, load average %.2f at start\n", cores,
           nn_gemm_kernel_name(), loadavg());
    if (want(only, n_only, "gemm"))
        bench_gemm(rounds);
    if (want(only, n_only, "train"))
        bench_train(rounds);
    if (want(only, n_only, "profile"))
        bench_profile();
    if (want(only, n_only, "iris"))
        bench_iris(nnterm);
    if (want(only, n_only, "peer"))
        bench_peer(peer, rounds);
    printf("\npeak RSS of nnterm-bench: %.1f MiB; load average %.2f at the end\n", peak_rss_mib(),
           loadavg());
    return 0;
}
