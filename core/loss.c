/* loss.c — loss values (accumulated in double) and their gradients dL/dyhat over a batch.
 * Every loss is the mean over rows of a per-sample sum over outputs, so every gradient carries
 * a 1/rows factor. The fused pairs' reported value comes from the pre-activations
 * (nn_loss_value_out); their gradient a - y needs no log at all. */
#include "loss.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

const nn_loss_info nn_loss_table[NN_LOSS_COUNT] = {
    {"mae", NN_LOSS_MAE, "mae = mean over samples of sum_j |yhat_j - y_j|"},
    {"mse", NN_LOSS_MSE, "mse = mean over samples of sum_j (yhat_j - y_j)^2"},
    {"rmse", NN_LOSS_RMSE, "rmse = sqrt(mse)"},
    {"binarycrossentropy", NN_LOSS_BCE,
     "binarycrossentropy = -mean over samples of sum_j [y_j log(p_j) + (1 - y_j) log(1 - p_j)]; "
     "sigmoid output: from z, mean of sum_j [max(z_j, 0) - y_j z_j + log(1 + exp(-|z_j|))]"},
    {"crossentropy", NN_LOSS_CE,
     "crossentropy = -mean over samples of sum_j y_j log(p_j); softmax output: from z, mean of "
     "sum_j y_j (logsumexp(z) - z_j)"},
};

int nn_loss_from_name(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < NN_LOSS_COUNT; i++)
        if (strcmp(name, nn_loss_table[i].name) == 0)
            return i;
    return -1;
}

const char *nn_loss_name(nn_loss l)
{
    if ((int)l < 0 || l >= NN_LOSS_COUNT)
        return "unknown";
    return nn_loss_table[l].name;
}

static inline double clamp_prob(float p)
{
    double q = (double)p;
    if (!(q >= NN_LOSS_EPS))   /* also maps NaN to eps; a NaN yhat is caught by the trainer */
        q = NN_LOSS_EPS;
    if (q > 1.0 - NN_LOSS_EPS)
        q = 1.0 - NN_LOSS_EPS;
    return q;
}

/* Sum over every element of (yhat - y)^2, in double. */
static double sum_sq(const float *yhat, const float *y, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = (double)yhat[i] - (double)y[i];
        s += d * d;
    }
    return s;
}

double nn_loss_value(nn_loss loss, const float *yhat, const float *y, int rows, int cols)
{
    if (rows <= 0 || cols <= 0)
        return 0.0;
    size_t n = (size_t)rows * (size_t)cols;
    double s = 0.0;
    switch (loss) {
    case NN_LOSS_MAE:
        for (size_t i = 0; i < n; i++)
            s += fabs((double)yhat[i] - (double)y[i]);
        return s / rows;
    case NN_LOSS_MSE:
        return sum_sq(yhat, y, n) / rows;
    case NN_LOSS_RMSE:
        return sqrt(sum_sq(yhat, y, n) / rows);
    case NN_LOSS_BCE:
        for (size_t i = 0; i < n; i++) {
            double p = clamp_prob(yhat[i]), t = (double)y[i];
            s -= t * log(p) + (1.0 - t) * log(1.0 - p);
        }
        return s / rows;
    case NN_LOSS_CE:
        for (size_t i = 0; i < n; i++)
            if (y[i] != 0.0f)
                s -= (double)y[i] * log(clamp_prob(yhat[i]));
        return s / rows;
    case NN_LOSS_COUNT:
        break;
    }
    return 0.0;
}

double nn_loss_value_out(nn_loss loss, nn_act out_act, const float *z, const float *a, const float *y, int rows,
                         int cols)
{
    if (!nn_loss_is_fused(loss, out_act))
        return nn_loss_value(loss, a, y, rows, cols);
    if (rows <= 0 || cols <= 0)
        return 0.0;
    double s = 0.0;
    if (loss == NN_LOSS_CE) {
        /* logsumexp(z) = m + log(sum_j exp(z_j - m)), m = max z; the softmax a = exp(z - m) / sum
         * already holds that sum, as 1 / a at the maximum (a value in [1/cols, 1]: no underflow), so
         * logsumexp(z) = m - log(a_max), one log per row, as exact as a float softmax allows. */
        for (int r = 0; r < rows; r++) {
            const float *zr = z + (size_t)r * (size_t)cols, *ar = a + (size_t)r * (size_t)cols;
            const float *yr = y + (size_t)r * (size_t)cols;
            int jm = 0;
            for (int j = 1; j < cols; j++)
                jm = zr[j] > zr[jm] ? j : jm;
            double lse = (double)zr[jm] - log((double)ar[jm]);
            for (int j = 0; j < cols; j++)
                if (yr[j] != 0.0f)
                    s += (double)yr[j] * (lse - (double)zr[j]);
        }
    } else {
        size_t n = (size_t)rows * (size_t)cols;
        for (size_t i = 0; i < n; i++) {
            double v = (double)z[i];
            s += (v > 0.0 ? v : 0.0) - (double)y[i] * v + log1p(exp(-fabs(v)));
        }
    }
    return s / rows;
}

void nn_loss_grad(nn_loss loss, float *dyhat, const float *yhat, const float *y, int rows, int cols)
{
    if (rows <= 0 || cols <= 0)
        return;
    size_t n = (size_t)rows * (size_t)cols;
    const double inv = 1.0 / rows;
    switch (loss) {
    case NN_LOSS_MAE: {
        const float g = (float)inv;
        for (size_t i = 0; i < n; i++) {
            float d = yhat[i] - y[i];
            dyhat[i] = d > 0.0f ? g : (d < 0.0f ? -g : 0.0f);
        }
        break;
    }
    case NN_LOSS_MSE: {
        const float g = (float)(2.0 * inv);
        for (size_t i = 0; i < n; i++)
            dyhat[i] = g * (yhat[i] - y[i]);
        break;
    }
    case NN_LOSS_RMSE: {
        /* d sqrt(m)/dyhat = (dm/dyhat) / (2 sqrt(m)) = (yhat - y) / (rows sqrt(m)); 0 when m = 0. */
        double rmse = sqrt(sum_sq(yhat, y, n) * inv);
        const float g = rmse > 0.0 ? (float)(inv / rmse) : 0.0f;
        for (size_t i = 0; i < n; i++)
            dyhat[i] = g * (yhat[i] - y[i]);
        break;
    }
    case NN_LOSS_BCE:
        /* d/dp -[y log p + (1-y) log(1-p)] = (p - y) / (p (1 - p)), p clamped. */
        for (size_t i = 0; i < n; i++) {
            double p = clamp_prob(yhat[i]);
            dyhat[i] = (float)((p - (double)y[i]) / (p * (1.0 - p)) * inv);
        }
        break;
    case NN_LOSS_CE:
        for (size_t i = 0; i < n; i++)
            dyhat[i] = (float)(-(double)y[i] / clamp_prob(yhat[i]) * inv);
        break;
    case NN_LOSS_COUNT:
        memset(dyhat, 0, n * sizeof *dyhat);
        break;
    }
}

bool nn_loss_is_fused(nn_loss loss, nn_act out_act)
{
    return (loss == NN_LOSS_CE && out_act == NN_ACT_SOFTMAX) ||
           (loss == NN_LOSS_BCE && out_act == NN_ACT_SIGMOID);
}

void nn_loss_fused_grad(float *dz, const float *a, const float *y, int rows, int cols)
{
    if (rows <= 0 || cols <= 0)
        return;
    size_t n = (size_t)rows * (size_t)cols;
    const float inv = 1.0f / (float)rows;
    for (size_t i = 0; i < n; i++)
        dz[i] = (a[i] - y[i]) * inv;
}
