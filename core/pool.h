/* pool.h — a persistent pthread pool for splitting work into fixed parts.
 * The partition of any job depends only on its size and on nothing else,
 * so results do not depend on the number of threads.
 * One thread (the owner) submits jobs; the pool is not re-entrant. */
#ifndef NN_POOL_H
#define NN_POOL_H

#include "error.h"

typedef struct nn_pool nn_pool;

/* A job: fn(arg, part) is called once for every part in [0, nparts). */
typedef void (*nn_pool_fn)(void *arg, int part);

/* threads <= 0 means one per online core. Returns NULL and fills err on failure. */
nn_pool *nn_pool_create(int threads, nn_error *err);
void nn_pool_destroy(nn_pool *p);          /* NULL is fine */
int nn_pool_threads(const nn_pool *p);     /* 1 for NULL */
/* Runs fn over every part and returns when all are done. With p == NULL, runs inline. */
void nn_pool_run(nn_pool *p, nn_pool_fn fn, void *arg, int nparts);

#endif
