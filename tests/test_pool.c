/* test_pool.c — the thread pool: every part runs exactly once, jobs in a row, create/destroy
 * cycles, the thread count, and the inline path for a NULL pool. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#define MAX_PARTS 4096

typedef struct {
    atomic_int count[MAX_PARTS];
    atomic_long sum;
    pthread_t owner;
    atomic_int off_owner;   /* parts run on a thread other than the caller */
    atomic_int on_owner[MAX_PARTS];   /* 1: the part ran on the caller */
} job_state;

static void count_part(void *arg, int part)
{
    job_state *s = arg;
    atomic_fetch_add(&s->count[part], 1);
    atomic_fetch_add(&s->sum, part);
    if (!pthread_equal(pthread_self(), s->owner))
        atomic_fetch_add(&s->off_owner, 1);
    else
        atomic_store(&s->on_owner[part], 1);
    /* A little work so that parts overlap across threads. */
    volatile double x = 0.0;
    for (int i = 0; i < 200; i++)
        x = x + (double)i * 0.5;
}

static job_state *new_state(void)
{
    job_state *s = calloc(1, sizeof *s);
    assert_non_null(s);
    s->owner = pthread_self();
    return s;
}

static void expect_each_part_once(job_state *s, int nparts)
{
    for (int i = 0; i < nparts; i++)
        if (atomic_load(&s->count[i]) != 1)
            fail_msg("part %d of %d ran %d times", i, nparts, atomic_load(&s->count[i]));
    for (int i = nparts; i < MAX_PARTS; i++)
        if (atomic_load(&s->count[i]) != 0)
            fail_msg("part %d beyond %d ran", i, nparts);
    assert_int_equal(atomic_load(&s->sum), (long)nparts * (nparts - 1) / 2);
}

static void test_pool_runs_every_part_exactly_once(void **state)
{
    (void)state;
    static const int threads[] = {1, 2, 3, 4, 8};
    static const int parts[] = {1, 2, 3, 7, 16, 100, MAX_PARTS};
    for (int t = 0; t < 5; t++) {
        nn_error err;
        nn_pool *p = nn_pool_create(threads[t], &err);
        assert_non_null(p);
        assert_int_equal(nn_pool_threads(p), threads[t]);
        for (int n = 0; n < 7; n++) {
            job_state *s = new_state();
            nn_pool_run(p, count_part, s, parts[n]);
            expect_each_part_once(s, parts[n]);
            free(s);
        }
        nn_pool_destroy(p);
    }
}

static void test_pool_runs_many_jobs_in_a_row(void **state)
{
    (void)state;
    nn_error err;
    nn_pool *p = nn_pool_create(3, &err);
    assert_non_null(p);
    job_state *s = new_state();
    int off_owner = 0;
    for (int j = 0; j < 5000; j++) {
        int n = 1 + j % 37;
        for (int i = 0; i < 37; i++)
            atomic_store(&s->count[i], 0);
        atomic_store(&s->sum, 0);
        atomic_store(&s->off_owner, 0);
        nn_pool_run(p, count_part, s, n);
        expect_each_part_once(s, n);
        off_owner += atomic_load(&s->off_owner);
    }
    /* The workers did take part (on a machine with one core they still run, just interleaved). */
    assert_true(off_owner > 0);
    free(s);
    nn_pool_destroy(p);
}

/* The caller claims parts from the front and the workers from the back, so that each thread gets
 * the same half of a job step after step (pool.c): the caller's parts are always a prefix. */
static void test_pool_owner_runs_a_prefix_and_the_workers_the_rest(void **state)
{
    (void)state;
    nn_error err;
    nn_pool *p = nn_pool_create(2, &err);
    assert_non_null(p);
    job_state *s = new_state();
    int shared = 0;
    for (int j = 0; j < 2000; j++) {
        const int n = 64;
        for (int i = 0; i < n; i++) {
            atomic_store(&s->count[i], 0);
            atomic_store(&s->on_owner[i], 0);
        }
        atomic_store(&s->sum, 0);
        atomic_store(&s->off_owner, 0);
        nn_pool_run(p, count_part, s, n);
        expect_each_part_once(s, n);
        int k = 0;
        while (k < n && atomic_load(&s->on_owner[k]))
            k++;
        for (int i = k; i < n; i++)
            if (atomic_load(&s->on_owner[i]))
                fail_msg("job %d: the caller ran part %d after a worker ran part %d", j, i, k);
        shared += k > 0 && k < n;
    }
    assert_true(shared > 0);   /* both ran parts of some job */
    free(s);
    nn_pool_destroy(p);
}

static void test_pool_survives_many_create_destroy_cycles(void **state)
{
    (void)state;
    for (int c = 0; c < 200; c++) {
        nn_error err;
        nn_pool *p = nn_pool_create(1 + c % 4, &err);
        assert_non_null(p);
        if (c % 2) {
            job_state *s = new_state();
            nn_pool_run(p, count_part, s, 9);
            expect_each_part_once(s, 9);
            free(s);
        }
        nn_pool_destroy(p);
    }
}

static void test_pool_with_zero_or_negative_threads_uses_one_per_core(void **state)
{
    (void)state;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    assert_true(cores >= 1);
    for (int t = 0; t >= -1; t--) {
        nn_error err;
        nn_pool *p = nn_pool_create(t, &err);
        assert_non_null(p);
        assert_int_equal(nn_pool_threads(p), cores);
        job_state *s = new_state();
        nn_pool_run(p, count_part, s, 33);
        expect_each_part_once(s, 33);
        free(s);
        nn_pool_destroy(p);
    }
}

static void test_null_pool_runs_inline_on_the_calling_thread(void **state)
{
    (void)state;
    assert_int_equal(nn_pool_threads(NULL), 1);
    job_state *s = new_state();
    nn_pool_run(NULL, count_part, s, 50);
    expect_each_part_once(s, 50);
    assert_int_equal(atomic_load(&s->off_owner), 0);
    free(s);
    nn_pool_destroy(NULL);
}

static void test_pool_with_zero_parts_runs_nothing(void **state)
{
    (void)state;
    nn_error err;
    nn_pool *p = nn_pool_create(2, &err);
    assert_non_null(p);
    job_state *s = new_state();
    nn_pool_run(p, count_part, s, 0);
    expect_each_part_once(s, 0);
    free(s);
    nn_pool_destroy(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pool_runs_every_part_exactly_once),
        cmocka_unit_test(test_pool_runs_many_jobs_in_a_row),
        cmocka_unit_test(test_pool_owner_runs_a_prefix_and_the_workers_the_rest),
        cmocka_unit_test(test_pool_survives_many_create_destroy_cycles),
        cmocka_unit_test(test_pool_with_zero_or_negative_threads_uses_one_per_core),
        cmocka_unit_test(test_null_pool_runs_inline_on_the_calling_thread),
        cmocka_unit_test(test_pool_with_zero_parts_runs_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
