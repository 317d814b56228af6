/* pace.c — the pace a preset opens at, and the steps of the pace keys (see pace.h). */
#include "pace.h"

const int nn_pace_steps[NN_PACE_STEPS] = {1, 2, 5, 10, 20, 50, 100, 200};

int nn_pace_default(const nn_preset *p, long n_train)
{
    if (p->ui.pace != NN_AUTO)
        return p->ui.pace;
    if (n_train > NN_PACE_LARGE_ROWS)
        return NN_PACE_MAX;
    if (p->training.epochs <= 0)
        return NN_PACE_FOREVER;
    for (int i = 0; i < NN_PACE_STEPS; i++)
        if ((long)p->training.epochs <= (long)NN_PACE_TARGET_S * nn_pace_steps[i])
            return nn_pace_steps[i];
    return NN_PACE_MAX;
}

int nn_pace_next(int pace, int dir)
{
    if (dir > 0) {
        if (pace <= NN_PACE_MAX)
            return NN_PACE_MAX;
        for (int i = 0; i < NN_PACE_STEPS; i++)
            if (nn_pace_steps[i] > pace)
                return nn_pace_steps[i];
        return NN_PACE_MAX;
    }
    if (pace <= NN_PACE_MAX)
        return nn_pace_steps[NN_PACE_STEPS - 1];
    for (int i = NN_PACE_STEPS - 1; i >= 0; i--)
        if (nn_pace_steps[i] < pace)
            return nn_pace_steps[i];
    return nn_pace_steps[0];
}
