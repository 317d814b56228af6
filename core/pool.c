/* pool.c — a persistent fork-join thread pool: threads - 1 workers plus the owner.
 *
 * One 64-bit atomic word describes the current job: its generation and the range of parts not yet
 * claimed. The owner publishes a job by storing that word (under the mutex, then a broadcast);
 * every thread, the owner included, claims parts with a compare-and-swap that only succeeds while
 * the word still names the generation the thread saw, so a worker that wakes late can never claim
 * a part of a later job.
 *
 * The owner claims parts from the front, the workers from the back. With two threads running at
 * the same pace each one gets the same half of every job, step after step: the parts of a GEMM
 * write the same blocks of the output and the optimizer's parts update the same slices of the
 * parameters and moments, which then stay in that core's cache. Claiming from one end (parts went
 * to whichever thread came first) moved them between the cores: measured in one session on the
 * 2-core machine, quiet, `bench --only train --no-peer`, the two builds alternating, the batch-512
 * training rose from 187,239-200,514 to 224,701-236,319 samples/s (batch 128 and 32 within the
 * noise). Which thread runs a part never changes the part, so the results stay the same bits. The owner waits until all parts are done, not until all
 * workers have woken: a worker that is descheduled (a shared, noisy machine) holds nobody up
 * unless it holds a part.
 *
 * Waiting: a thread that is out of work polls the job word for at most SPIN_NS of wall time
 * (plain atomic loads, no PAUSE), then sleeps on a condition variable. Measured on the 2-core
 * KVM machine with the batch-128 training step of bench/ (`--only profile`), interleaved runs:
 * on a quiet machine the step took 1200 us without polling and 1095-1130 us with 20 us of
 * polling (50 us: 1070-1090 us, but slower under load); with other processes on the cores,
 * 20 us was within the noise of no polling (heavy load) or about 3% slower (one busy process). Counted PAUSE loops were worse (2000 rounds:
 * -15..-35% under load; 20000: -70%), as PAUSE loops make the hypervisor deschedule the vCPU.
 */
#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* Wall-time bound of a poll before sleeping (see above). */
#define SPIN_NS 20000

/* The job word: generation (24 bits) | end (20 bits) | front (20 bits). The parts not yet
 * claimed are [front, end): the owner claims from the front, the workers from the end. */
#define PART_BITS 20
#define MAX_PARTS ((1 << PART_BITS) - 1)
#define GEN_SHIFT (2 * PART_BITS)
#define WORD_GEN(w) ((w) >> GEN_SHIFT)
#define WORD_END(w) ((int)(((w) >> PART_BITS) & MAX_PARTS))
#define WORD_FRONT(w) ((int)((w) & MAX_PARTS))

struct nn_pool {
    int threads;                  /* owner + workers */
    int nworkers;                 /* workers started */
    pthread_t *tids;              /* (nworkers) */
    pthread_mutex_t mu;
    pthread_cond_t wake;          /* workers: a new job or quit */
    pthread_cond_t done_cv;       /* owner: the last part is done */
    _Atomic uint64_t job;         /* the job word; stored under mu */
    atomic_int done;              /* parts of the current job finished */
    atomic_int nparts;            /* parts of the current job */
    _Atomic(nn_pool_fn) fn;       /* the current job's function and argument */
    _Atomic(void *) arg;
    uint64_t gen;                 /* owner only: the last generation posted */
    bool quit;                    /* under mu */
};

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Claims a part of generation gen, the first one left (owner) or the last (workers); false
 * when none is left or the job changed. */
static bool claim(nn_pool *p, uint64_t gen, bool owner, int *part)
{
    uint64_t w = atomic_load_explicit(&p->job, memory_order_acquire);
    for (;;) {
        if (WORD_GEN(w) != gen || WORD_FRONT(w) >= WORD_END(w))
            return false;
        uint64_t next = owner ? w + 1 : w - (UINT64_C(1) << PART_BITS);
        if (atomic_compare_exchange_weak_explicit(&p->job, &w, next, memory_order_acq_rel,
                                                  memory_order_acquire)) {
            *part = owner ? WORD_FRONT(w) : WORD_END(w) - 1;
            return true;
        }
    }
}

/* Runs the parts of generation gen that this thread can claim. Returns true if it finished the
 * job's last part. */
static bool work(nn_pool *p, uint64_t gen, bool owner, nn_pool_fn fn, void *arg, int nparts)
{
    bool last = false;
    int part;
    while (claim(p, gen, owner, &part)) {
        fn(arg, part);
        if (atomic_fetch_add_explicit(&p->done, 1, memory_order_acq_rel) + 1 == nparts)
            last = true;
    }
    return last;
}

static void *worker_main(void *vp)
{
    nn_pool *p = vp;
    uint64_t seen = 0;
    for (;;) {
        /* Poll for the next job for at most SPIN_NS, then sleep. */
        uint64_t w = atomic_load_explicit(&p->job, memory_order_acquire);
        int64_t t0 = now_ns();
        for (int i = 1; WORD_GEN(w) == seen; i++) {
            if (i % 64 == 0 && now_ns() - t0 > SPIN_NS)
                break;
            w = atomic_load_explicit(&p->job, memory_order_acquire);
        }
        if (WORD_GEN(w) == seen) {
            pthread_mutex_lock(&p->mu);
            while (WORD_GEN(w = atomic_load_explicit(&p->job, memory_order_acquire)) == seen &&
                   !p->quit)
                pthread_cond_wait(&p->wake, &p->mu);
            bool quit = p->quit;
            pthread_mutex_unlock(&p->mu);
            if (quit)
                return NULL;
        }
        seen = WORD_GEN(w);
        /* fn and arg were stored before the job word; if a later job has replaced them, the
         * generation check in claim() fails and they are not used. */
        nn_pool_fn fn = atomic_load_explicit(&p->fn, memory_order_relaxed);
        void *arg = atomic_load_explicit(&p->arg, memory_order_relaxed);
        int nparts = atomic_load_explicit(&p->nparts, memory_order_relaxed);
        if (work(p, seen, false, fn, arg, nparts)) {
            pthread_mutex_lock(&p->mu);
            pthread_cond_signal(&p->done_cv);
            pthread_mutex_unlock(&p->mu);
        }
    }
}

nn_pool *nn_pool_create(int threads, nn_error *err)
{
    if (threads <= 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (int)(n < 256 ? n : 256) : 1;
    }
    nn_pool *p = calloc(1, sizeof *p);
    if (!p) {
        nn_error_set(err, NN_ENOMEM, "thread pool: out of memory");
        return NULL;
    }
    p->threads = threads;
    atomic_init(&p->job, 0);
    atomic_init(&p->done, 0);
    atomic_init(&p->nparts, 0);
    atomic_init(&p->fn, NULL);
    atomic_init(&p->arg, NULL);
    if (pthread_mutex_init(&p->mu, NULL) != 0) {
        free(p);
        nn_error_set(err, NN_ENOMEM, "thread pool: cannot create a mutex");
        return NULL;
    }
    pthread_cond_init(&p->wake, NULL);
    pthread_cond_init(&p->done_cv, NULL);
    if (threads > 1) {
        p->tids = calloc((size_t)threads - 1, sizeof *p->tids);
        if (!p->tids) {
            nn_pool_destroy(p);
            nn_error_set(err, NN_ENOMEM, "thread pool: out of memory");
            return NULL;
        }
        for (int i = 0; i < threads - 1; i++) {
            if (pthread_create(&p->tids[i], NULL, worker_main, p) != 0) {
                nn_pool_destroy(p);
                nn_error_set(err, NN_ENOMEM, "thread pool: cannot start thread %d of %d", i + 2,
                             threads);
                return NULL;
            }
            p->nworkers++;
        }
    }
    return p;
}

void nn_pool_destroy(nn_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->quit = true;
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->nworkers; i++)
        pthread_join(p->tids[i], NULL);
    free(p->tids);
    pthread_cond_destroy(&p->wake);
    pthread_cond_destroy(&p->done_cv);
    pthread_mutex_destroy(&p->mu);
    free(p);
}

int nn_pool_threads(const nn_pool *p) { return p ? p->threads : 1; }

void nn_pool_run(nn_pool *p, nn_pool_fn fn, void *arg, int nparts)
{
    if (nparts <= 0)
        return;
    if (!p || p->nworkers == 0 || nparts == 1) {
        for (int i = 0; i < nparts; i++)
            fn(arg, i);
        return;
    }
    /* More parts than the job word holds: consecutive jobs of at most MAX_PARTS each would
     * renumber the parts, so run those inline (no caller comes near a million parts). */
    if (nparts > MAX_PARTS) {
        for (int i = 0; i < nparts; i++)
            fn(arg, i);
        return;
    }
    uint64_t gen = ++p->gen & ((UINT64_C(1) << (64 - GEN_SHIFT)) - 1);
    if (gen == 0)                          /* 0 is the workers' "seen nothing yet" */
        gen = p->gen = 1;
    atomic_store_explicit(&p->fn, fn, memory_order_relaxed);
    atomic_store_explicit(&p->arg, arg, memory_order_relaxed);
    atomic_store_explicit(&p->done, 0, memory_order_relaxed);
    atomic_store_explicit(&p->nparts, nparts, memory_order_relaxed);
    pthread_mutex_lock(&p->mu);
    atomic_store_explicit(&p->job, gen << GEN_SHIFT | (uint64_t)nparts << PART_BITS,
                          memory_order_release);
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->mu);

    if (work(p, gen, true, fn, arg, nparts))
        return;
    int64_t t0 = now_ns();
    for (int i = 1; atomic_load_explicit(&p->done, memory_order_acquire) < nparts; i++)
        if (i % 64 == 0 && now_ns() - t0 > SPIN_NS)
            break;
    pthread_mutex_lock(&p->mu);
    while (atomic_load_explicit(&p->done, memory_order_acquire) < nparts)
        pthread_cond_wait(&p->done_cv, &p->mu);
    pthread_mutex_unlock(&p->mu);
}
