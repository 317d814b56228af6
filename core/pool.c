/* pool.c — a persistent fork-join thread pool: threads - 1 workers plus the owner.
 *
 * A job is posted by bumping a generation counter under the mutex and broadcasting; the owner
 * and the workers then claim parts from an atomic counter until none is left. Each worker
 * checks in once it has finished with the job, and nn_pool_run returns only after every worker
 * has checked in, so no worker ever touches a job descriptor after its run (no stale claims).
 *
 * Waiting: a worker first polls the generation for a bounded time (SPIN_ROUNDS pause
 * instructions, tens of microseconds) because a training loop posts jobs back to back, then
 * sleeps on the condition variable. The owner waits for check-ins the same way.
 */
#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

/* Polls before sleeping. About 20-40 us on a 3 GHz x86 (pause is tens of cycles). */
#define SPIN_ROUNDS 2000

struct nn_pool {
    int threads;                  /* owner + workers */
    int nworkers;                 /* workers started */
    pthread_t *tids;              /* (nworkers) */
    pthread_mutex_t mu;
    pthread_cond_t wake;          /* workers: a new generation or quit */
    pthread_cond_t done;          /* owner: the last worker checked in */
    atomic_uint gen;              /* job generation; written under mu */
    atomic_int next;              /* next part to claim */
    atomic_int left;              /* workers yet to check in for the current job */
    bool quit;                    /* under mu */
    nn_pool_fn fn;                /* the current job; read by workers after gen (acquire) */
    void *arg;
    int nparts;
};

static inline void cpu_relax(void)
{
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
    __builtin_ia32_pause();
#elif defined(__GNUC__) && defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

static void claim_parts(nn_pool *p)
{
    nn_pool_fn fn = p->fn;
    void *arg = p->arg;
    int n = p->nparts;
    for (;;) {
        int i = atomic_fetch_add_explicit(&p->next, 1, memory_order_relaxed);
        if (i >= n)
            break;
        fn(arg, i);
    }
}

static void *worker_main(void *vp)
{
    nn_pool *p = vp;
    unsigned seen = 0;
    for (;;) {
        unsigned g = atomic_load_explicit(&p->gen, memory_order_acquire);
        for (int s = 0; s < SPIN_ROUNDS && g == seen; s++) {
            cpu_relax();
            g = atomic_load_explicit(&p->gen, memory_order_acquire);
        }
        if (g == seen) {
            pthread_mutex_lock(&p->mu);
            while ((g = atomic_load_explicit(&p->gen, memory_order_acquire)) == seen && !p->quit)
                pthread_cond_wait(&p->wake, &p->mu);
            bool quit = p->quit;
            pthread_mutex_unlock(&p->mu);
            if (quit && g == seen)
                return NULL;
        }
        seen = g;
        claim_parts(p);
        if (atomic_fetch_sub_explicit(&p->left, 1, memory_order_acq_rel) == 1) {
            pthread_mutex_lock(&p->mu);
            pthread_cond_signal(&p->done);
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
    atomic_init(&p->gen, 0);
    atomic_init(&p->next, 0);
    atomic_init(&p->left, 0);
    if (pthread_mutex_init(&p->mu, NULL) != 0) {
        free(p);
        nn_error_set(err, NN_ENOMEM, "thread pool: cannot create a mutex");
        return NULL;
    }
    pthread_cond_init(&p->wake, NULL);
    pthread_cond_init(&p->done, NULL);
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
    pthread_cond_destroy(&p->done);
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
    p->fn = fn;
    p->arg = arg;
    p->nparts = nparts;
    atomic_store_explicit(&p->next, 0, memory_order_relaxed);
    atomic_store_explicit(&p->left, p->nworkers, memory_order_relaxed);
    pthread_mutex_lock(&p->mu);
    atomic_fetch_add_explicit(&p->gen, 1, memory_order_release);
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->mu);

    claim_parts(p);

    for (int s = 0; s < SPIN_ROUNDS; s++) {
        if (atomic_load_explicit(&p->left, memory_order_acquire) == 0)
            return;
        cpu_relax();
    }
    pthread_mutex_lock(&p->mu);
    while (atomic_load_explicit(&p->left, memory_order_acquire) > 0)
        pthread_cond_wait(&p->done, &p->mu);
    pthread_mutex_unlock(&p->mu);
}
