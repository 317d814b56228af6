/* pool.c — thread pool (inline placeholder until the pthread pool lands). */
#include "pool.h"

#include <stdlib.h>

struct nn_pool {
    int threads;
};

nn_pool *nn_pool_create(int threads, nn_error *err)
{
    nn_pool *p = calloc(1, sizeof *p);
    if (!p) {
        nn_error_set(err, NN_ENOMEM, "thread pool: out of memory");
        return NULL;
    }
    p->threads = threads > 0 ? threads : 1;
    return p;
}

void nn_pool_destroy(nn_pool *p) { free(p); }
int nn_pool_threads(const nn_pool *p) { return p ? p->threads : 1; }

void nn_pool_run(nn_pool *p, nn_pool_fn fn, void *arg, int nparts)
{
    (void)p;
    for (int i = 0; i < nparts; i++)
        fn(arg, i);
}
