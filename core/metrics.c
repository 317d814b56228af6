/* metrics.c — classification metrics from a confusion matrix (rows actual, columns predicted)
 * and pooled regression metrics. Every ratio with a zero denominator is 0, never NaN. */
#include "metrics.h"

#include <string.h>

void nn_confusion_clear(int *cm, int k)
{
    memset(cm, 0, (size_t)k * (size_t)k * sizeof *cm);
}

void nn_confusion_add(int *cm, int k, int actual, int pred)
{
    if (actual >= 0 && actual < k && pred >= 0 && pred < k)
        cm[actual * k + pred]++;
}

static double ratio(double a, double b)
{
    return b > 0.0 ? a / b : 0.0;
}

void nn_metrics_from_confusion(nn_class_metrics *m, const int *cm, int k)
{
    memset(m, 0, sizeof *m);
    if (k > NN_MAX_CLASSES)
        k = NN_MAX_CLASSES;
    if (k < 1)
        return;
    m->k = k;
    for (int c = 0; c < k; c++) {
        long tp = cm[c * k + c], actual = 0, predicted = 0;
        for (int j = 0; j < k; j++) {
            actual += cm[c * k + j];
            predicted += cm[j * k + c];
        }
        m->total += actual;
        m->correct += tp;
        m->support[c] = actual;
        m->precision[c] = ratio((double)tp, (double)predicted);
        m->recall[c] = ratio((double)tp, (double)actual);
        double p = m->precision[c], r = m->recall[c];
        m->f1[c] = ratio(2.0 * p * r, p + r);
        m->macro_precision += p;
        m->macro_recall += r;
        m->macro_f1 += m->f1[c];
    }
    /* Macro averages over all k classes, absent ones included (as scikit-learn with labels=). */
    m->macro_precision /= k;
    m->macro_recall /= k;
    m->macro_f1 /= k;
    m->accuracy = ratio((double)m->correct, (double)m->total);
}

void nn_reg_metrics_clear(nn_reg_metrics *m)
{
    memset(m, 0, sizeof *m);
}

void nn_reg_metrics_add(nn_reg_metrics *m, const float *yhat, const float *y, int rows, int cols)
{
    size_t n = (size_t)rows * (size_t)cols;
    if (n == 0)
        return;
    /* this piece: mean, then squared deviations from it (two passes) */
    double sum = 0.0;
    for (size_t i = 0; i < n; i++) {
        double t = (double)y[i], e = (double)yhat[i] - t;
        m->sse += e * e;
        m->sae += e < 0.0 ? -e : e;
        sum += t;
    }
    double nb = (double)n, mean_b = sum / nb, sst_b = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = (double)y[i] - mean_b;
        sst_b += d * d;
    }
    /* merged with the pieces so far (Chan, Golub and LeVeque) */
    double na = (double)m->n, nt = na + nb, delta = mean_b - m->mean_y;
    m->mean_y += delta * (nb / nt);
    m->sst += sst_b + delta * delta * (na * nb / nt);
    m->n += (long)n;
}

void nn_reg_metrics_finish(nn_reg_metrics *m)
{
    if (m->n <= 0) {
        m->mse = m->mae = m->r2 = 0.0;
        return;
    }
    double n = (double)m->n;
    m->mse = m->sse / n;
    m->mae = m->sae / n;
    /* A constant target has no R²: SST is exactly 0 then (float targets, exact double sums), and a
     * spread below 1e-12 of the mean is no spread a float target can have. */
    m->r2 = (m->sst > 0.0 && m->sst > 1e-24 * n * m->mean_y * m->mean_y) ? 1.0 - m->sse / m->sst : 0.0;
}

int nn_predict_class(const float *row, int cols)
{
    if (cols == 1)
        return row[0] >= 0.5f ? 1 : 0;
    int best = 0;
    for (int j = 1; j < cols; j++)
        if (row[j] > row[best])
            best = j;
    return best;
}
