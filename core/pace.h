/* pace.h — how fast the interactive trainer shows a run: epochs per second, in steps, or "max" (as
 * fast as it trains). A preset opens at its ui.pace; "auto" (the default) is a rule on the run's
 * length and the data's size, so that a small preset's run lasts 8 to 20 seconds and a large one
 * trains at full speed. Pace never changes the numbers: it only waits between epochs. */
#ifndef NN_PACE_H
#define NN_PACE_H

#include "preset.h"

#define NN_PACE_MAX 0                 /* "max": no waiting */
#define NN_PACE_STEPS 8
#define NN_PACE_TARGET_S 20           /* auto: the longest a run lasts at its pace */
#define NN_PACE_LARGE_ROWS 10000      /* auto: more training rows than this train at max */
#define NN_PACE_FOREVER 10            /* auto: the pace of a run with no end (training.epochs forever) */

/* The steps, slowest first: 1, 2, 5, 10, 20, 50, 100, 200 epochs per second. */
extern const int nn_pace_steps[NN_PACE_STEPS];

/* The pace p opens at with n_train training rows: its ui.pace when set (0 = max); auto: max above
 * NN_PACE_LARGE_ROWS rows; NN_PACE_FOREVER for a run with no end; else the slowest step at which its
 * training.epochs last at most NN_PACE_TARGET_S seconds, and max when even the fastest is longer. */
int nn_pace_default(const nn_preset *p, long n_train);

/* The next step from pace (0 = max) one way: dir > 0 faster (200 -> max; max stays), dir < 0
 * slower (max -> 200; 1 stays). A pace between steps goes to the next step that way. */
int nn_pace_next(int pace, int dir);

#endif
