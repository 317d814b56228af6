/* unitstats.c — per-unit statistics of a network (see unitstats.h). */
#include "unitstats.h"

#include "activation.h"
#include "health.h"

#include <math.h>
#include <stdbool.h>

float nn_units_pool_weights(const nn_network *net, int l, int rows, int cols, float *w, float *b)
{
    const nn_layer *L = &net->layers[l];
    int in = L->in, out = L->out;
    const float *W = net->params + L->w_off, *B = net->params + L->b_off;
    for (int i = 0; i < rows * cols; i++)
        w[i] = 0.0f;
    float wmax = 0.0f;
    for (int i = 0; i < in; i++) {
        int r = (int)((long)i * rows / in);
        for (int j = 0; j < out; j++) {
            float v = W[(size_t)i * (size_t)out + (size_t)j];
            float m = fabsf(v);
            if (m > wmax)
                wmax = m;
            float *c = &w[r * cols + (int)((long)j * cols / out)];
            if (m > fabsf(*c))
                *c = v;
        }
    }
    for (int c = 0; c < cols; c++)
        b[c] = 0.0f;
    for (int j = 0; j < out; j++) {
        float *c = &b[(long)j * cols / out];
        if (fabsf(B[j]) > fabsf(*c))
            *c = B[j];
    }
    return wmax;
}

void nn_units_activation_stats(const nn_network *net, int l, int cols, float *mean, float *sd, float *active,
                               float *saturated)
{
    const nn_layer *L = &net->layers[l];
    int out = L->out, rows = net->last_rows;
    const nn_act_info *ar = &nn_act_table[L->act];
    for (int c = 0; c < cols; c++) {
        int j0 = (int)(((long)c * out + cols - 1) / cols), j1 = (int)(((long)(c + 1) * out + cols - 1) / cols);
        double act = 0.0, sat = 0.0, n = 0.0;
        for (int r = 0; r < rows; r++)
            for (int j = j0; j < j1 && j < out; j++) {
                double a = (double)L->a[(size_t)r * (size_t)out + (size_t)j];
                double z = (double)L->z[(size_t)r * (size_t)out + (size_t)j];
                act += z > 0.0;
                if (ar->saturates)
                    sat += a < ar->sat_lo || a > ar->sat_hi;
                n += 1.0;
            }
        double m, s;   /* two passes: a large common offset keeps the spread */
        nn_health_block_mean_std(L->a, rows, out, j0, j1 < out ? j1 : out, &m, &s);
        mean[c] = (float)m;
        sd[c] = (float)s;
        active[c] = n > 0.0 ? (float)(act / n) : 0.0f;
        saturated[c] = n > 0.0 ? (float)(sat / n) : 0.0f;
    }
}
