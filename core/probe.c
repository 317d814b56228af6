/* probe.c — the views' predictions over the data (see probe.h).
 *
 * The trainer's data is normalised in place: features are denormalised (x * scale + shift) for the
 * range and the points, and the grid's or curve's rows are built in original units and normalised
 * with the trainer's statistics before the forward pass. */
#include "probe.h"

#include "activation.h"
#include "network.h"
#include "input_features.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void nn_probe_init(nn_probe *p, int grid_w, int grid_h, int curve_n, int fit_max, int max_features)
{
    memset(p, 0, sizeof *p);
    p->grid_w = grid_w;
    p->grid_h = grid_h;
    p->curve_n = curve_n;
    p->fit_max = fit_max;
    p->max_features = max_features;
    p->fy = -1;
}

void nn_probe_free(nn_probe *p)
{
    free(p->mean);
    free(p->in);
    free(p->out);
    free(p->fit_rows);
    free(p->fit_in);
    free(p->fit_out);
    nn_probe_init(p, p->grid_w, p->grid_h, p->curve_n, p->fit_max, p->max_features);
}

static void denorm_feature(const nn_norm *nm, int j, float *v)
{
    if (nm->shift && nm->scale && j < nm->n_features)
        *v = *v * nm->scale[j] + nm->shift[j];
}

static void expand_range(float *lo, float *hi)
{
    float span = *hi - *lo;
    if (!(span > 0.0f) || !isfinite(span)) {
        *lo -= 0.5f;
        *hi += 0.5f;
        return;
    }
    *lo -= 0.05f * span;
    *hi += 0.05f * span;
}

/* Every feature's mean over every row in original units (what the features off the axes are held
 * at), into a new array; NULL without memory. */
static float *feature_means(const nn_dataset *d, const nn_norm *nm)
{
    int nf = d->n_features;
    float *m = malloc((size_t)nf * sizeof *m);
    if (!m)
        return NULL;
    for (int j = 0; j < nf; j++) {
        double sum = 0.0;
        long cnt = 0;
        for (int i = 0; i < d->n; i++) {
            float v = nn_dataset_value(d, i, j);
            denorm_feature(nm, j, &v);
            if (isfinite(v)) {
                sum += (double)v;
                cnt++;
            }
        }
        m[j] = cnt > 0 ? (float)(sum / (double)cnt) : 0.0f;
    }
    return m;
}

/* The point of row i on the axes fx, fy (fy < 0: the first target), original units; for Playground
 * features (d->n_raw) the raw coordinates x1, x2. */
static void point_at(const nn_dataset *d, const nn_norm *nm, int fx, int fy, size_t i, float *a, float *b)
{
    if (d->n_raw == 2) {
        *a = d->raw[2 * i];
        *b = d->raw[2 * i + 1];
        return;
    }
    *a = nn_dataset_value(d, (int)i, fx);
    denorm_feature(nm, fx, a);
    if (fy < 0) {
        *b = d->y[i * (size_t)d->n_targets];
    } else {
        *b = nn_dataset_value(d, (int)i, fy);
        denorm_feature(nm, fy, b);
    }
}

nn_status nn_probe_setup(nn_probe *p, const nn_trainer *t, bool chosen, int fx, int fy, nn_error *err)
{
    const nn_dataset *d = nn_trainer_data(t);
    const nn_norm *nm = nn_trainer_norm(t);
    int nf = d->n_features, outs = nn_network_outputs(nn_trainer_network(t));
    /* Playground features are drawn over their two raw coordinates */
    bool plane = nf == 2 || d->n_raw == 2 || (nf > 2 && nf <= p->max_features && chosen);
    nn_probe_kind kind = NN_PROBE_NONE;
    if (plane && d->task == NN_TASK_CLASSIFICATION)
        kind = NN_PROBE_BOUNDARY;
    else if (plane && d->task == NN_TASK_REGRESSION)
        kind = NN_PROBE_SURFACE;
    else if (nf == 1 && d->task == NN_TASK_REGRESSION && d->y)
        kind = NN_PROBE_CURVE;
    if (d->n <= 0)
        kind = NN_PROBE_NONE;
    if (kind == NN_PROBE_CURVE || d->n_raw == 2 || !(fx >= 0 && fy >= 0 && fx < nf && fy < nf && fx != fy)) {
        fx = 0;
        fy = 1;
    }
    if (kind == NN_PROBE_CURVE)
        fy = -1;

    float *mean = NULL;
    if (kind != NN_PROBE_NONE && kind != NN_PROBE_CURVE && nf > 2 && d->n_raw != 2) {
        mean = feature_means(d, nm);
        if (!mean)
            kind = NN_PROBE_NONE;   /* no memory for the means: no picture, as for unchosen axes */
    }
    size_t in_n = 0, out_n = 0;
    if (kind == NN_PROBE_CURVE) {
        in_n = (size_t)p->curve_n;
        out_n = (size_t)p->curve_n * (size_t)outs;
    } else if (kind != NN_PROBE_NONE) {
        in_n = (size_t)nf * (size_t)p->grid_w * (size_t)p->grid_h;
        out_n = (size_t)p->grid_w * (size_t)p->grid_h * (size_t)outs;
    }
    float *in = NULL, *out = NULL;
    if (in_n > 0) {
        in = malloc(in_n * sizeof *in);
        out = malloc(out_n * sizeof *out);
        if (!in || !out) {
            free(mean);
            free(in);
            free(out);
            if (!p->in)
                p->kind = NN_PROBE_NONE;
            return nn_error_set(err, NN_ENOMEM, "out of memory for the view's grid");
        }
    }

    /* regression: an even sample of the test rows (or the training rows), gathered once */
    uint32_t *fit_rows = NULL;
    float *fit_in = NULL, *fit_out = NULL;
    int fit_n = 0;
    if (d->task == NN_TASK_REGRESSION && p->fit_max > 0) {
        const nn_split *sp = nn_trainer_split(t);
        const uint32_t *rows = sp->n_test > 0 ? sp->test : sp->train;
        int n = sp->n_test > 0 ? sp->n_test : sp->n_train;
        int k = n < p->fit_max ? n : p->fit_max;
        fit_rows = malloc((size_t)p->fit_max * sizeof *fit_rows);
        fit_in = malloc(((size_t)k + 1) * (size_t)nf * sizeof *fit_in);
        fit_out = malloc(((size_t)k + 1) * (size_t)outs * sizeof *fit_out);
        if (fit_rows && fit_in && fit_out) {
            for (int i = 0; i < k; i++)
                fit_rows[i] = rows[(long)i * n / k];
            fit_n = k;
        }   /* without memory: no predicted-versus-actual, the rest works */
    }

    nn_probe_free(p);
    p->kind = kind;
    p->fx = fx;
    p->fy = fy;
    p->mean = mean;
    p->in = in;
    p->out = out;
    p->fit_rows = fit_rows;
    p->fit_in = fit_in;
    p->fit_out = fit_out;
    p->fit_n = fit_n;
    if (kind == NN_PROBE_NONE)
        return NN_OK;

    /* the data range in original units over every row */
    float xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
    for (int i = 0; i < d->n; i++) {
        float a, b;
        point_at(d, nm, fx, fy, (size_t)i, &a, &b);
        if (isfinite(a)) {
            xlo = fminf(xlo, a);
            xhi = fmaxf(xhi, a);
        }
        if (isfinite(b)) {
            ylo = fminf(ylo, b);
            yhi = fmaxf(yhi, b);
        }
    }
    if (!(xlo <= xhi))
        xlo = xhi = 0.0f;
    if (!(ylo <= yhi))
        ylo = yhi = 0.0f;
    expand_range(&xlo, &xhi);
    expand_range(&ylo, &yhi);
    p->x_min = xlo;
    p->x_max = xhi;
    p->y_min = ylo;
    p->y_max = yhi;
    return NN_OK;
}

bool nn_probe_best_pair(const nn_trainer *t, int *fx, int *fy)
{
    const nn_dataset *d = nn_trainer_data(t);
    const nn_split *sp = nn_trainer_split(t);
    int nf = d->n_features, n = sp->n_train;
    *fx = 0;
    *fy = 1;
    if (nf < 3 || n < 1 || (d->task == NN_TASK_CLASSIFICATION && (!d->label || d->n_classes < 1)) ||
        (d->task == NN_TASK_REGRESSION && !d->y))
        return false;
    bool cls = d->task == NN_TASK_CLASSIFICATION;
    int k = cls ? d->n_classes : 0;
    double *sum = calloc((size_t)k + 1, sizeof *sum);
    long *cnt = calloc((size_t)k + 1, sizeof *cnt);
    if (!sum || !cnt) {
        free(sum);
        free(cnt);
        return false;
    }
    /* target statistics (regression), once */
    double ymean = 0.0, yvar = 0.0;
    for (int i = 0; !cls && i < n; i++)
        ymean += (double)d->y[(size_t)sp->train[i] * (size_t)d->n_targets];
    ymean /= n;
    for (int i = 0; !cls && i < n; i++) {
        double e = (double)d->y[(size_t)sp->train[i] * (size_t)d->n_targets] - ymean;
        yvar += e * e;
    }
    double best[2] = {-1.0, -1.0};
    int at[2] = {0, 1};
    for (int j = 0; j < nf; j++) {
        double mean = 0.0, score = 0.0;
        for (int i = 0; i < n; i++)
            mean += (double)nn_dataset_value(d, (int)sp->train[i], j);
        mean /= n;
        if (cls) {
            /* between = sum_c n_c (mean_c - mean)^2, within = sum_i (x_i - mean_{c_i})^2 */
            memset(sum, 0, (size_t)k * sizeof *sum);
            memset(cnt, 0, (size_t)k * sizeof *cnt);
            for (int i = 0; i < n; i++) {
                int c = d->label[sp->train[i]];
                if (c >= 0 && c < k) {
                    sum[c] += (double)nn_dataset_value(d, (int)sp->train[i], j);
                    cnt[c]++;
                }
            }
            double between = 0.0, within = 0.0;
            for (int c = 0; c < k; c++)
                if (cnt[c] > 0) {
                    sum[c] /= (double)cnt[c];   /* now the class mean */
                    between += (double)cnt[c] * (sum[c] - mean) * (sum[c] - mean);
                }
            for (int i = 0; i < n; i++) {
                int c = d->label[sp->train[i]];
                if (c >= 0 && c < k) {
                    double e = (double)nn_dataset_value(d, (int)sp->train[i], j) - sum[c];
                    within += e * e;
                }
            }
            score = within > 0.0 ? between / within : between > 0.0 ? HUGE_VAL : 0.0;
        } else {
            double sxy = 0.0, sxx = 0.0;
            for (int i = 0; i < n; i++) {
                double e = (double)nn_dataset_value(d, (int)sp->train[i], j) - mean;
                sxy += e * ((double)d->y[(size_t)sp->train[i] * (size_t)d->n_targets] - ymean);
                sxx += e * e;
            }
            score = sxx > 0.0 && yvar > 0.0 ? fabs(sxy) / sqrt(sxx * yvar) : 0.0;
        }
        if (!(score >= 0.0))
            score = 0.0;   /* NaN from non-finite values */
        if (score > best[0]) {
            best[1] = best[0];
            at[1] = at[0];
            best[0] = score;
            at[0] = j;
        } else if (score > best[1]) {
            best[1] = score;
            at[1] = j;
        }
    }
    free(sum);
    free(cnt);
    if (at[0] == at[1])   /* every score 0: the first two */
        at[1] = at[0] == 0 ? 1 : 0;
    *fx = at[0];
    *fy = at[1];
    return true;
}

void nn_probe_point_of(const nn_probe *p, const nn_trainer *t, int row, float *x, float *y)
{
    point_at(nn_trainer_data(t), nn_trainer_norm(t), p->fx, p->fy, (size_t)row, x, y);
}

int nn_probe_points(const nn_probe *p, const nn_trainer *t, nn_probe_point *out, int max)
{
    if (p->kind == NN_PROBE_NONE)
        return 0;
    const nn_dataset *d = nn_trainer_data(t);
    const nn_split *sp = nn_trainer_split(t);
    long total = (long)sp->n_train + (long)sp->n_test;
    int want = total < max ? (int)total : max;
    for (int i = 0; i < want; i++) {
        long pos = (long)((double)i * (double)total / (double)want);
        bool is_test = pos >= sp->n_train;
        uint32_t row = is_test ? sp->test[pos - sp->n_train] : sp->train[pos];
        nn_probe_point *pt = &out[i];
        point_at(d, nn_trainer_norm(t), p->fx, p->fy, row, &pt->x, &pt->y);
        pt->cls = (int16_t)(d->task == NN_TASK_CLASSIFICATION && d->label ? d->label[row] : 0);
        pt->is_test = is_test ? 1 : 0;
    }
    return want;
}

void nn_probe_grid(nn_probe *p, nn_trainer *t, uint8_t *cls, float *conf, float *vmin, float *vmax)
{
    if ((p->kind != NN_PROBE_BOUNDARY && p->kind != NN_PROBE_SURFACE) || !p->in || !p->out)
        return;
    int outs = nn_network_outputs(nn_trainer_network(t));
    int gw = p->grid_w, gh = p->grid_h, cells = gw * gh;
    float dx = (p->x_max - p->x_min) / (float)gw, dy = (p->y_max - p->y_min) / (float)gh;
    const nn_dataset *d = nn_trainer_data(t);
    int nf = d->n_features, fx = p->fx, fy = p->fy;
    for (int r = 0; r < gh; r++)
        for (int c = 0; c < gw; c++) {
            float *row = &p->in[(size_t)nf * (size_t)(r * gw + c)];
            if (d->n_raw == 2) {   /* Playground features of the cell's x1, x2 */
                nn_features_row(d->feature_of, nf, p->x_min + ((float)c + 0.5f) * dx,
                                p->y_max - ((float)r + 0.5f) * dy, row);
                continue;
            }
            if (nf > 2 && p->mean)
                memcpy(row, p->mean, (size_t)nf * sizeof *row);   /* the other features at their mean */
            row[fx] = p->x_min + ((float)c + 0.5f) * dx;
            row[fy] = p->y_max - ((float)r + 0.5f) * dy;
        }
    nn_norm_apply(nn_trainer_norm(t), p->in, cells);
    nn_trainer_predict(t, p->in, cells, p->out);
    if (p->kind == NN_PROBE_BOUNDARY) {
        for (int i = 0; i < cells; i++) {
            const float *row = &p->out[(size_t)i * (size_t)outs];
            int k = nn_predict_class(row, outs);
            float pk = outs == 1 ? (k == 1 ? row[0] : 1.0f - row[0]) : row[k];
            if (!(pk >= 0.0f))
                pk = 0.0f;
            if (pk > 1.0f)
                pk = 1.0f;
            cls[i] = (uint8_t)(k < 0 ? 0 : k > 255 ? 255 : k);
            conf[i] = pk;
        }
        return;
    }
    float lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < cells; i++) {
        float v = p->out[(size_t)i * (size_t)outs];
        if (isfinite(v)) {
            lo = fminf(lo, v);
            hi = fmaxf(hi, v);
        }
    }
    if (!(lo <= hi))
        lo = hi = 0.0f;
    float span = hi - lo;
    for (int i = 0; i < cells; i++) {
        float v = p->out[(size_t)i * (size_t)outs];
        float u = span > 0.0f && isfinite(v) ? (v - lo) / span : 0.5f;
        cls[i] = 0;
        conf[i] = u < 0.0f ? 0.0f : u > 1.0f ? 1.0f : u;
    }
    *vmin = lo;
    *vmax = hi;
}

void nn_probe_curve(nn_probe *p, nn_trainer *t, float *x, float *y)
{
    if (p->kind != NN_PROBE_CURVE || !p->in || !p->out)
        return;
    int outs = nn_network_outputs(nn_trainer_network(t)), n = p->curve_n;
    for (int i = 0; i < n; i++) {
        float xi = p->x_min + (p->x_max - p->x_min) * (float)i / (float)(n - 1);
        x[i] = xi;
        p->in[i] = xi;
    }
    nn_norm_apply(nn_trainer_norm(t), p->in, n);
    nn_trainer_predict(t, p->in, n, p->out);
    for (int i = 0; i < n; i++)
        y[i] = p->out[(size_t)i * (size_t)outs];
}

int nn_probe_fit(nn_probe *p, nn_trainer *t, float *actual, float *pred)
{
    if (p->fit_n <= 0 || !p->fit_in || !p->fit_out)
        return 0;
    const nn_dataset *d = nn_trainer_data(t);
    int nf = d->n_features, k = p->fit_n, outs = nn_network_outputs(nn_trainer_network(t));
    for (int i = 0; i < k; i++)   /* the dataset's features normalised (in place, or as bytes are read) */
        nn_dataset_row(d, (int)p->fit_rows[i], &p->fit_in[(size_t)i * nf]);
    nn_trainer_predict(t, p->fit_in, k, p->fit_out);
    for (int i = 0; i < k; i++) {
        pred[i] = p->fit_out[(size_t)i * (size_t)outs];
        actual[i] = d->y[(size_t)p->fit_rows[i] * (size_t)d->n_targets];
    }
    return k;
}

nn_status nn_probe_units(const nn_probe *p, const nn_trainer *t, int gw, int gh, const int *layer, const int *unit,
                         int n, float *maps, nn_error *err)
{
    if ((p->kind != NN_PROBE_BOUNDARY && p->kind != NN_PROBE_SURFACE) || gw < 1 || gh < 1 || n < 0)
        return nn_error_set(err, NN_EINVAL, "unit maps: the data has no plane to draw them over");
    const nn_network *net = nn_trainer_network(t);
    int nf = nn_trainer_data(t)->n_features, deepest = -1;
    bool inputs = false;
    for (int i = 0; i < n; i++) {
        if (layer[i] == -1 && unit[i] >= 0 && unit[i] < nf) {
            inputs = true;
            continue;
        }
        if (layer[i] < 0 || layer[i] >= net->n_layers || unit[i] < 0 || unit[i] >= net->layers[layer[i]].out)
            return nn_error_set(err, NN_EINVAL, "unit maps: layer %d unit %d is not in the network", layer[i] + 1,
                                unit[i]);
        if (layer[i] > deepest)
            deepest = layer[i];
    }
    if (deepest < 0 && !inputs)
        return NN_OK;
    int rows = gw * gh, widest = nf;
    for (int l = 0; l <= deepest; l++)
        if (net->layers[l].out > widest)
            widest = net->layers[l].out;
    float *buf = malloc(3 * (size_t)rows * (size_t)widest * sizeof *buf);
    if (!buf)
        return nn_error_set(err, NN_ENOMEM, "unit maps: out of memory");
    float *in = buf, *z = buf + (size_t)rows * widest, *a = z + (size_t)rows * widest;
    float dx = (p->x_max - p->x_min) / (float)gw, dy = (p->y_max - p->y_min) / (float)gh;
    const nn_dataset *d = nn_trainer_data(t);
    for (int r = 0; r < gh; r++)
        for (int c = 0; c < gw; c++) {
            float *row = &in[(size_t)nf * (size_t)(r * gw + c)];
            if (d->n_raw == 2) {   /* Playground features of the cell's x1, x2, as nn_probe_grid */
                nn_features_row(d->feature_of, nf, p->x_min + ((float)c + 0.5f) * dx,
                                p->y_max - ((float)r + 0.5f) * dy, row);
                continue;
            }
            if (nf > 2 && p->mean)
                memcpy(row, p->mean, (size_t)nf * sizeof *row);   /* the other features at their mean */
            else
                memset(row, 0, (size_t)nf * sizeof *row);
            row[p->fx] = p->x_min + ((float)c + 0.5f) * dx;
            row[p->fy] = p->y_max - ((float)r + 0.5f) * dy;
        }
    nn_norm_apply(nn_trainer_norm(t), in, rows);
    for (int k = 0; k < n; k++)   /* the inputs as the network sees them: normalised */
        if (layer[k] == -1)
            for (int r = 0; r < rows; r++)
                maps[(size_t)k * rows + r] = in[(size_t)r * nf + unit[k]];
    /* the forward pass in double sums, one layer at a time; each layer's a is copied out for the
     * units asked of it, then becomes the next layer's input */
    for (int l = 0; l <= deepest; l++) {
        const nn_layer *L = &net->layers[l];
        const float *W = net->params + L->w_off, *b = net->params + L->b_off;
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < L->out; j++) {
                double s = (double)b[j];
                for (int i = 0; i < L->in; i++)
                    s += (double)in[(size_t)r * L->in + i] * (double)W[(size_t)i * L->out + j];
                z[(size_t)r * L->out + j] = (float)s;
            }
        nn_act_forward(L->act, L->alpha, a, z, rows, L->out);
        for (int k = 0; k < n; k++)
            if (layer[k] == l)
                for (int r = 0; r < rows; r++)
                    maps[(size_t)k * rows + r] = a[(size_t)r * L->out + unit[k]];
        float *tmp = in;
        in = a;
        a = tmp;
    }
    free(buf);
    return NN_OK;
}

int nn_probe_image_side(const nn_trainer *t)
{
    const nn_dataset *d = nn_trainer_data(t);
    if (!d->x8 || d->n_features < 4)
        return 0;
    int side = (int)lround(sqrt((double)d->n_features));
    return side * side == d->n_features ? side : 0;
}

int nn_probe_predict_rows(nn_trainer *t, int max, uint32_t *rows, int *pred)
{
    const nn_dataset *d = nn_trainer_data(t);
    const nn_split *sp = nn_trainer_split(t);
    const uint32_t *from = sp->n_test > 0 ? sp->test : sp->train;
    int n = sp->n_test > 0 ? sp->n_test : sp->n_train;
    int k = n < max ? n : max, nf = d->n_features, outs = nn_network_outputs(nn_trainer_network(t));
    if (k <= 0)
        return 0;
    float *in = malloc((size_t)k * (size_t)nf * sizeof *in), *out = malloc((size_t)k * (size_t)outs * sizeof *out);
    if (!in || !out) {
        free(in);
        free(out);
        return 0;
    }
    for (int i = 0; i < k; i++) {
        rows[i] = from[(long)i * n / k];
        nn_dataset_row(d, (int)rows[i], &in[(size_t)i * nf]);
    }
    nn_trainer_predict(t, in, k, out);
    for (int i = 0; i < k; i++)
        pred[i] = d->task == NN_TASK_CLASSIFICATION ? nn_predict_class(&out[(size_t)i * outs], outs) : -1;
    free(in);
    free(out);
    return k;
}
