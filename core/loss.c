/* loss.c — loss values (accumulated in double) and their gradients dL/dyhat over a batch, one row
 * per loss. Every loss is the mean over rows of a per-sample sum over outputs, so every gradient
 * carries a 1/rows factor. The fused pairs' reported value comes from the pre-activations
 * (nn_loss_value_out); their gradient a - y needs no log at all. Each row also has a double
 * reference for one sample (the Step view's trace), written apart from the float engine. */
#include "loss.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

static inline double clamp_prob(float p)
{
    double q = (double)p;
    if (!(q >= NN_LOSS_EPS))   /* also maps NaN to eps; a NaN yhat is caught by the trainer */
        q = NN_LOSS_EPS;
    if (q > 1.0 - NN_LOSS_EPS)
        q = 1.0 - NN_LOSS_EPS;
    return q;
}

static double clamp_d(double p)
{
    if (!(p >= NN_LOSS_EPS))
        p = NN_LOSS_EPS;
    if (p > 1.0 - NN_LOSS_EPS)
        p = 1.0 - NN_LOSS_EPS;
    return p;
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

// --- mae ----------------------------------------------------------------------------------------------

static double mae_value(const float *yhat, const float *y, int rows, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += fabs((double)yhat[i] - (double)y[i]);
    return s / rows;
}

static void mae_grad(float *dyhat, const float *yhat, const float *y, int rows, size_t n)
{
    const float g = (float)(1.0 / rows);
    for (size_t i = 0; i < n; i++) {
        float d = yhat[i] - y[i];
        dyhat[i] = d > 0.0f ? g : (d < 0.0f ? -g : 0.0f);
    }
}

static double mae_ref(double *g, const double *yhat, const double *y, int n)
{
    double s = 0.0;
    for (int j = 0; j < n; j++) {
        double d = yhat[j] - y[j];
        s += fabs(d);
        g[j] = d > 0.0 ? 1.0 : (d < 0.0 ? -1.0 : 0.0);
    }
    return s;
}

// --- mse and rmse -----------------------------------------------------------------------------------

static double mse_value(const float *yhat, const float *y, int rows, size_t n) { return sum_sq(yhat, y, n) / rows; }

static void mse_grad(float *dyhat, const float *yhat, const float *y, int rows, size_t n)
{
    const float g = (float)(2.0 * (1.0 / rows));
    for (size_t i = 0; i < n; i++)
        dyhat[i] = g * (yhat[i] - y[i]);
}

static double mse_ref(double *g, const double *yhat, const double *y, int n)
{
    double s = 0.0;
    for (int j = 0; j < n; j++) {
        double d = yhat[j] - y[j];
        s += d * d;
        g[j] = 2.0 * d;
    }
    return s;
}

static double rmse_value(const float *yhat, const float *y, int rows, size_t n)
{
    return sqrt(sum_sq(yhat, y, n) / rows);
}

static void rmse_grad(float *dyhat, const float *yhat, const float *y, int rows, size_t n)
{
    /* d sqrt(m)/dyhat = (dm/dyhat) / (2 sqrt(m)) = (yhat - y) / (rows sqrt(m)); 0 when m = 0. */
    const double inv = 1.0 / rows;
    double rmse = sqrt(sum_sq(yhat, y, n) * inv);
    const float g = rmse > 0.0 ? (float)(inv / rmse) : 0.0f;
    for (size_t i = 0; i < n; i++)
        dyhat[i] = g * (yhat[i] - y[i]);
}

static double rmse_ref(double *g, const double *yhat, const double *y, int n)
{
    double s = mse_ref(g, yhat, y, n);
    /* d sqrt(m) = dm / (2 sqrt(m)); 0 when m = 0 */
    for (int j = 0; j < n; j++)
        g[j] = s > 0.0 ? g[j] / (2.0 * sqrt(s)) : 0.0;
    return sqrt(s);
}

// --- binary cross-entropy -----------------------------------------------------------------------------

static double bce_value(const float *yhat, const float *y, int rows, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++) {
        double p = clamp_prob(yhat[i]), t = (double)y[i];
        s -= t * log(p) + (1.0 - t) * log(1.0 - p);
    }
    return s / rows;
}

static void bce_grad(float *dyhat, const float *yhat, const float *y, int rows, size_t n)
{
    /* d/dp -[y log p + (1-y) log(1-p)] = (p - y) / (p (1 - p)), p clamped. */
    const double inv = 1.0 / rows;
    for (size_t i = 0; i < n; i++) {
        double p = clamp_prob(yhat[i]);
        dyhat[i] = (float)((p - (double)y[i]) / (p * (1.0 - p)) * inv);
    }
}

static double bce_ref(double *g, const double *yhat, const double *y, int n)
{
    double s = 0.0;
    for (int j = 0; j < n; j++) {
        double p = clamp_d(yhat[j]);
        s -= y[j] * log(p) + (1.0 - y[j]) * log(1.0 - p);
        g[j] = (p - y[j]) / (p * (1.0 - p));
    }
    return s;
}

/* With a sigmoid output, from z: per element max(z, 0) - y z + log(1 + exp(-|z|)). */
static double bce_fused_value(const float *z, const float *a, const float *y, int rows, int cols)
{
    double s = 0.0;
    size_t n = (size_t)rows * (size_t)cols;
    for (size_t i = 0; i < n; i++) {
        double v = (double)z[i];
        s += (v > 0.0 ? v : 0.0) - (double)y[i] * v + log1p(exp(-fabs(v)));
    }
    return s / rows;
}

static double bce_fused_ref(const double *z, const double *y, int n)
{
    double s = 0.0;
    for (int j = 0; j < n; j++)
        s += (z[j] > 0.0 ? z[j] : 0.0) - y[j] * z[j] + log1p(exp(-fabs(z[j])));
    return s;
}

// --- cross-entropy ----------------------------------------------------------------------------------

static double ce_value(const float *yhat, const float *y, int rows, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        if (y[i] != 0.0f)
            s -= (double)y[i] * log(clamp_prob(yhat[i]));
    return s / rows;
}

static void ce_grad(float *dyhat, const float *yhat, const float *y, int rows, size_t n)
{
    const double inv = 1.0 / rows;
    for (size_t i = 0; i < n; i++)
        dyhat[i] = (float)(-(double)y[i] / clamp_prob(yhat[i]) * inv);
}

static double ce_ref(double *g, const double *yhat, const double *y, int n)
{
    double s = 0.0;
    for (int j = 0; j < n; j++) {
        double p = clamp_d(yhat[j]);
        if (y[j] != 0.0)
            s -= y[j] * log(p);
        g[j] = -y[j] / p;
    }
    return s;
}

/* With a softmax output, from z: per row sum_j y_j (logsumexp(z) - z_j). */
static double ce_fused_value(const float *z, const float *a, const float *y, int rows, int cols)
{
    double s = 0.0;
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
    return s / rows;
}

static double ce_fused_ref(const double *z, const double *y, int n)
{
    double s = 0.0, m = z[0], e = 0.0;
    for (int j = 1; j < n; j++)
        m = z[j] > m ? z[j] : m;
    for (int j = 0; j < n; j++)
        e += exp(z[j] - m);
    double lse = m + log(e);
    for (int j = 0; j < n; j++)
        if (y[j] != 0.0)
            s += y[j] * (lse - z[j]);
    return s;
}

// --- the table ----------------------------------------------------------------------------------------

const nn_loss_info nn_loss_table[NN_LOSS_COUNT] = {
    [NN_LOSS_MAE] = {"mae", NN_LOSS_MAE, "`mae = mean over samples of sum_j |yhat_j - y_j|`", .fused_act = -1,
                     .value = mae_value, .grad = mae_grad, .ref = mae_ref},
    [NN_LOSS_MSE] = {"mse", NN_LOSS_MSE, "`mse = mean over samples of sum_j (yhat_j - y_j)^2`", .fused_act = -1,
                     .value = mse_value, .grad = mse_grad, .ref = mse_ref},
    [NN_LOSS_RMSE] = {"rmse", NN_LOSS_RMSE,
                      "`rmse = sqrt(mse)`, the root of the mse over the whole batch or split (never a mean of roots)",
                      .fused_act = -1, .root_of_mse = true, .value = rmse_value, .grad = rmse_grad, .ref = rmse_ref},
    [NN_LOSS_BCE] = {"binarycrossentropy", NN_LOSS_BCE,
                     "with a sigmoid output, from z: `mean over samples of sum_j [max(z_j, 0) - y_j z_j + "
                     "log(1 + exp(-|z_j|))]` (torch's `binary_cross_entropy_with_logits`); with any other output "
                     "activation `-mean over samples of sum_j [y_j log(p_j) + (1 - y_j) log(1 - p_j)]`, `p_j = yhat_j` "
                     "clamped to [1e-7, 1 − 1e-7]",
                     .classification = true, .fused_act = NN_ACT_SIGMOID, .value = bce_value, .grad = bce_grad,
                     .ref = bce_ref, .fused_value = bce_fused_value, .fused_ref = bce_fused_ref},
    [NN_LOSS_CE] = {"crossentropy", NN_LOSS_CE,
                    "with a softmax output, from z: `mean over samples of sum_j y_j (logsumexp(z) - z_j)` (torch's "
                    "`cross_entropy`); with any other output activation `-mean over samples of sum_j y_j log(p_j)`, "
                    "`p_j = yhat_j` clamped to [1e-7, 1 − 1e-7]",
                    .classification = true, .fused_act = NN_ACT_SOFTMAX, .value = ce_value, .grad = ce_grad,
                    .ref = ce_ref, .fused_value = ce_fused_value, .fused_ref = ce_fused_ref},
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

double nn_loss_value(nn_loss loss, const float *yhat, const float *y, int rows, int cols)
{
    if (rows <= 0 || cols <= 0 || (int)loss < 0 || loss >= NN_LOSS_COUNT)
        return 0.0;
    return nn_loss_table[loss].value(yhat, y, rows, (size_t)rows * (size_t)cols);
}

double nn_loss_value_out(nn_loss loss, nn_act out_act, const float *z, const float *a, const float *y, int rows,
                         int cols)
{
    if (!nn_loss_is_fused(loss, out_act))
        return nn_loss_value(loss, a, y, rows, cols);
    if (rows <= 0 || cols <= 0)
        return 0.0;
    return nn_loss_table[loss].fused_value(z, a, y, rows, cols);
}

void nn_loss_grad(nn_loss loss, float *dyhat, const float *yhat, const float *y, int rows, int cols)
{
    if (rows <= 0 || cols <= 0)
        return;
    size_t n = (size_t)rows * (size_t)cols;
    if ((int)loss < 0 || loss >= NN_LOSS_COUNT)
        memset(dyhat, 0, n * sizeof *dyhat);
    else
        nn_loss_table[loss].grad(dyhat, yhat, y, rows, n);
}

bool nn_loss_is_fused(nn_loss loss, nn_act out_act)
{
    return (int)loss >= 0 && loss < NN_LOSS_COUNT && nn_loss_table[loss].fused_act >= 0 &&
           nn_loss_table[loss].fused_act == (int)out_act;
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
