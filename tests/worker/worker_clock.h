/* worker_clock.h — the clock, sleep and watchdog the worker tests share. Include after cmocka.h and
 * the feature-test macros (clock_gettime, nanosleep). */
#ifndef WORKER_CLOCK_H
#define WORKER_CLOCK_H

#include <time.h>
#include <unistd.h>

#define ALARM_S 120   /* watchdog for one test */

static inline double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline void sleep_us(long us)
{
    struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
    nanosleep(&ts, NULL);
}

/* setup/teardown of a cmocka test: a test that hangs is killed after ALARM_S seconds */
static inline int watchdog(void **state)
{
    (void)state;
    alarm(ALARM_S);
    return 0;
}

static inline int watchdog_off(void **state)
{
    (void)state;
    alarm(0);
    return 0;
}

#endif
