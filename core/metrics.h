/* metrics.h — confusion matrix (rows actual, columns predicted, as in the seed), accuracy,
 * per-class precision, recall and F1 with macro averages, and R²/MSE for regression. Pure. */
#ifndef NN_METRICS_H
#define NN_METRICS_H

#include "data.h"

typedef struct {
    int k;                                  /* classes */
    long total, correct;
    double accuracy;
    double precision[NN_MAX_CLASSES];       /* 0 for a class never predicted (never NaN) */
    double recall[NN_MAX_CLASSES];          /* 0 for a class never present */
    double f1[NN_MAX_CLASSES];              /* 0 when precision + recall == 0 */
    long support[NN_MAX_CLASSES];           /* actual count per class */
    double macro_precision, macro_recall, macro_f1;
} nn_class_metrics;

/* cm is (k, k) ints, cm[actual*k + pred]. */
void nn_confusion_clear(int *cm, int k);
void nn_confusion_add(int *cm, int k, int actual, int pred);
void nn_metrics_from_confusion(nn_class_metrics *m, const int *cm, int k);

/* Regression: pooled over all target columns. SST is kept as the mean and the sum of squared
 * deviations from it (each piece in two passes, pieces merged by Chan's formula), never as
 * sum(y^2) - sum(y)^2/n, which loses the variance of targets far from 0 (mean 1e6, sd 0.5). */
typedef struct {
    long n;
    double sse, sae;
    double mean_y, sst;     /* mean of the targets, sum of (y - mean_y)^2 */
    double mse, mae, r2;    /* r2 = 1 - SSE/SST; 0 for a constant target (SST 0) */
} nn_reg_metrics;
void nn_reg_metrics_clear(nn_reg_metrics *m);
/* yhat and y (rows, cols), original units. */
void nn_reg_metrics_add(nn_reg_metrics *m, const float *yhat, const float *y, int rows, int cols);
void nn_reg_metrics_finish(nn_reg_metrics *m);

/* Index of the predicted class for one output row: argmax, or (cols == 1) p >= 0.5. */
int nn_predict_class(const float *row, int cols);

#endif
