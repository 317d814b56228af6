/* network.c — dense layers over one parameter buffer, batched forward and backward.
 * Shapes (B = rows of the batch, in/out = widths of a layer):
 *   x (B, n_inputs); W (in, out); b (out); z, a, h, delta, mask (B, out).
 * Forward  z = h_prev·W (GEMM NN), then per row: z += b, a = f(z) while the row is hot in cache.
 * Backward dW = h_prevᵀ·delta (TN), db = colsum(delta), delta_prev = (delta·Wᵀ) ⊙ mask ⊙ f'(z_prev)
 *          (NT); the first layer's dX is never computed.
 * Every buffer is allocated in nn_network_init; forward and backward allocate nothing. */
#include "network.h"

#include "matrix.h"
#include "optimizer.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *const nn_init_names[NN_INIT_COUNT] = {"auto", "he", "xavier"};
const char *const nn_dist_names[NN_DIST_COUNT] = {"normal", "uniform"};
const char *const nn_reg_names[NN_REG_COUNT] = {"none", "l1", "l2", "elasticnet"};

/* Loops in blocks of 8 then a tail, over restrict pointers: vectorised at -O2 as well as -O3
 * (the -O2 cost model refuses a loop that needs a scalar epilogue). */
#define EACH(n, i, stmt)                                   \
    do {                                                   \
        size_t b8_ = 0;                                    \
        for (; b8_ + 8 <= (size_t)(n); b8_ += 8)           \
            for (size_t i = b8_; i < b8_ + 8; i++)         \
                stmt;                                      \
        for (size_t i = b8_; i < (size_t)(n); i++)         \
            stmt;                                          \
    } while (0)

/* Small vector kernels; separate functions so each loop sees its restrict parameters. */
static void add_to(float *restrict y, const float *restrict x, size_t n) { EACH(n, i, y[i] += x[i]); }
static void mul_to(float *restrict y, const float *restrict x, size_t n) { EACH(n, i, y[i] *= x[i]); }
static void mul_into(float *restrict y, const float *restrict a, const float *restrict b, size_t n)
{
    EACH(n, i, y[i] = a[i] * b[i]);
}
static void scale_by(float *restrict y, float s, size_t n) { EACH(n, i, y[i] *= s); }
/* g += f1 sign(w) + f2 w, sign(0) = 0 */
static void add_penalty(float *restrict g, const float *restrict w, float f1, float f2, size_t n)
{
    EACH(n, i, g[i] += f1 * (float)((w[i] > 0.0f) - (w[i] < 0.0f)) + f2 * w[i]);
}

/* Floats of workspace for one layer: z, a, delta, and for hidden layers the dropout mask and h. */
static size_t layer_ws_floats(size_t rows_out, bool hidden)
{
    return rows_out * (hidden ? 5u : 3u);
}

void nn_network_free(nn_network *net)
{
    if (!net)
        return;
    free(net->params);
    free(net->grads);
    free(net->ws);
    memset(net, 0, sizeof *net);
}

nn_status nn_network_init(nn_network *net, int n_inputs, const nn_layer_spec *specs, int n_layers,
                          int max_batch, nn_error *err)
{
    memset(net, 0, sizeof *net);
    if (n_layers < 1 || n_layers > NN_MAX_LAYERS)
        return nn_error_set(err, NN_EINVAL, "model.layers: %d layers is out of range (1..%d)", n_layers,
                            NN_MAX_LAYERS);
    if (n_inputs < 1)
        return nn_error_set(err, NN_EINVAL, "model: %d inputs is out of range (>= 1)", n_inputs);
    if (max_batch < 1)
        return nn_error_set(err, NN_EINVAL, "training.batch_size: %d is out of range (>= 1)", max_batch);
    if (!specs)
        return nn_error_set(err, NN_EINVAL, "model.layers: missing layer list");

    /* Sizes first, in size_t, each product checked before it is formed. Every matrix must be
     * indexable by the int dims, and the parameters and the workspace are each capped at INT_MAX
     * floats (8 GiB): far beyond any MLP this trains, and refused before a huge allocation is tried. */
    const size_t limit = (size_t)INT_MAX;
    size_t n_params = 0, ws_floats = 0;
    int in = n_inputs, widest = 1; /* scratch spans layer outputs; the input is never copied */
    for (int l = 0; l < n_layers; l++) {
        const nn_layer_spec *s = &specs[l];
        int out = s->units;
        if (out < 1)
            return nn_error_set(err, NN_EINVAL, "model.layers.%d.units: %d is out of range (>= 1)", l, out);
        if ((int)s->act < 0 || s->act >= NN_ACT_COUNT)
            return nn_error_set(err, NN_EINVAL, "model.layers.%d.activation: unknown activation %d", l,
                                (int)s->act);
        if ((int)s->init < 0 || s->init >= NN_INIT_COUNT)
            return nn_error_set(err, NN_EINVAL, "model.layers.%d.init: unknown init %d", l, (int)s->init);
        if ((int)s->dist < 0 || s->dist >= NN_DIST_COUNT)
            return nn_error_set(err, NN_EINVAL, "model.layers.%d.distribution: unknown distribution %d", l,
                                (int)s->dist);
        if ((size_t)in > limit / (size_t)out)
            return nn_error_set(err, NN_ENOMEM, "model.layers.%d: %d x %d weights is too large", l, in, out);
        if ((size_t)max_batch > limit / (size_t)out)
            return nn_error_set(err, NN_ENOMEM,
                                "model.layers.%d: %d units x batch of %d rows is too large", l, out, max_batch);
        size_t w = (size_t)in * (size_t)out + (size_t)out;
        if (w > limit - n_params)   /* also keeps every size_t product far below SIZE_MAX */
            return nn_error_set(err, NN_ENOMEM,
                                "model.layers.%d: the network reaches %zu parameters, too large (max %zu)", l,
                                n_params + w, limit);
        nn_layer *L = &net->layers[l];
        L->in = in;
        L->out = out;
        L->act = s->act;
        L->alpha = isfinite(s->alpha) ? s->alpha : nn_act_table[s->act].default_alpha;   /* NaN: default */
        L->dist = s->dist;
        L->init = s->init == NN_INIT_AUTO ? (nn_act_table[s->act].relu_like ? NN_INIT_HE : NN_INIT_XAVIER)
                                          : s->init;
        L->w_off = n_params;
        L->b_off = n_params + (size_t)in * (size_t)out;
        n_params += w;
        size_t lw = layer_ws_floats((size_t)max_batch * (size_t)out, l < n_layers - 1);
        if (lw > limit - ws_floats)
            return nn_error_set(err, NN_ENOMEM,
                                "model.layers.%d: a batch of %d rows needs a workspace of more than %zu floats",
                                l, max_batch, limit);
        ws_floats += lw;
        if (out > widest)
            widest = out;
        in = out;
    }
    size_t scratch = (size_t)max_batch * (size_t)widest;
    if (scratch > limit - ws_floats)
        return nn_error_set(err, NN_ENOMEM, "model: a batch of %d rows needs a workspace of more than %zu floats",
                            max_batch, limit);
    ws_floats += scratch;

    /* Memory: params, grads and the workspace here, and a trainer keeps a few more copies of the
     * parameters (initial, last finite, best, optimizer moments). Refuse what would not fit in a
     * quarter of the machine's memory before allocating: a calloc that overcommit lets through
     * ends with the OOM killer once the weights are drawn, and ASan aborts on a failed one. */
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    if (pages > 0 && page > 0) {
        double phys = (double)pages * (double)page;
        double need = ((double)n_params * 2.0 + (double)ws_floats) * (double)sizeof(float);
        if (need > phys / 4.0)
            return nn_error_set(err, NN_ENOMEM,
                                "model: %zu parameters and a workspace of %zu floats need %.0f MB, more than "
                                "a quarter of this machine's %.0f MB",
                                n_params, ws_floats, need / 1048576.0, phys / 1048576.0);
    }

    net->n_inputs = n_inputs;
    net->n_layers = n_layers;
    net->max_batch = max_batch;
    net->n_params = n_params;
    net->params = calloc(n_params, sizeof(float));
    net->grads = calloc(n_params, sizeof(float));
    net->ws = calloc(ws_floats, sizeof(float));
    if (!net->params || !net->grads || !net->ws) {
        nn_network_free(net);
        return nn_error_set(err, NN_ENOMEM,
                            "model: cannot allocate %zu parameters and a workspace of %zu floats", n_params,
                            ws_floats);
    }
    float *p = net->ws;
    for (int l = 0; l < n_layers; l++) {
        nn_layer *L = &net->layers[l];
        size_t m = (size_t)max_batch * (size_t)L->out;
        L->z = p;
        L->a = p + m;
        L->delta = p + 2 * m;
        L->h = L->a;
        L->mask = NULL;
        p += 3 * m;
        if (l < n_layers - 1) {
            L->mask = p;   /* the dropout output h follows the mask: see dropout_buffer() */
            p += 2 * m;
        }
    }
    net->scratch = p;
    return NN_OK;
}

nn_status nn_network_reserve_batch(nn_network *net, int max_batch, nn_error *err)
{
    if (max_batch <= net->max_batch)
        return NN_OK;
    /* the same layers with a larger workspace: nn_network_init sizes and checks it */
    nn_layer_spec specs[NN_MAX_LAYERS];
    for (int l = 0; l < net->n_layers; l++) {
        const nn_layer *L = &net->layers[l];
        specs[l] = (nn_layer_spec){L->out, L->act, L->alpha, L->init, L->dist};
    }
    nn_network big;
    nn_status st = nn_network_init(&big, net->n_inputs, specs, net->n_layers, max_batch, err);
    if (st != NN_OK)
        return st;
    free(big.params);
    free(big.grads);
    free(net->ws);
    net->ws = big.ws;
    net->scratch = big.scratch;
    net->max_batch = big.max_batch;
    for (int l = 0; l < net->n_layers; l++) {
        nn_layer *L = &net->layers[l], *B = &big.layers[l];
        L->z = B->z;
        L->a = B->a;
        L->h = B->h;
        L->mask = B->mask;
        L->delta = B->delta;
    }
    net->last_rows = 0;
    net->last_dropout = 0;
    return NN_OK;
}

/* The buffer h points to when dropout is applied (hidden layers only). */
static float *dropout_buffer(const nn_network *net, const nn_layer *L)
{
    return L->mask + (size_t)net->max_batch * (size_t)L->out;
}

void nn_network_init_weights(nn_network *net, nn_rng *rng)
{
    for (int l = 0; l < net->n_layers; l++) {
        nn_layer *L = &net->layers[l];
        double fan = L->init == NN_INIT_HE ? (double)L->in : (double)L->in + (double)L->out;
        float *w = net->params + L->w_off;
        size_t n = (size_t)L->in * (size_t)L->out;
        if (L->dist == NN_DIST_UNIFORM) {
            double bound = sqrt(6.0 / fan);
            for (size_t i = 0; i < n; i++)
                w[i] = (float)((2.0 * nn_rng_uniform(rng) - 1.0) * bound);
        } else {
            double sd = sqrt(2.0 / fan);
            for (size_t i = 0; i < n; i++)
                w[i] = (float)(nn_rng_normal(rng) * sd);
        }
        memset(net->params + L->b_off, 0, (size_t)L->out * sizeof(float));
    }
}

/* Forward epilogue: z += b, a = f(z), on a block of the layer's product as soon as it is final
 * (matrix.h), element by element as the unfused loops did: the same bits. */
typedef struct {
    const nn_layer *L;
    const float *b;
    bool act;          /* false: bias only (softmax, which needs whole rows, runs afterwards) */
} fwd_epi;

static void forward_epilogue(void *ctx, float *c, int ldc, int r0, int rows, int c0, int cols)
{
    const fwd_epi *e = ctx;
    if (e->act) {
        nn_act_bias_forward_block(e->L->act, e->L->alpha, e->L->a + (size_t)r0 * ldc + c0, (size_t)ldc, c,
                                  (size_t)ldc, e->b + c0, rows, cols);
        return;
    }
    for (int r = 0; r < rows; r++)
        add_to(c + (size_t)r * ldc, e->b + c0, (size_t)cols);
}

const float *nn_network_forward(nn_network *net, nn_pool *pool, const float *x, int rows,
                                float dropout, nn_rng *rng)
{
    if (rows < 1 || rows > net->max_batch || net->n_layers < 1)
        return NULL;
    const bool drop = dropout > 0.0f && rng != NULL;
    const float *in = x;
    for (int l = 0; l < net->n_layers; l++) {
        nn_layer *L = &net->layers[l];
        const int out = L->out;
        /* z = in W, then in the product's epilogue z += b and a = f(z) while each block is in L1 */
        fwd_epi e = {L, net->params + L->b_off, nn_act_table[L->act].elementwise};
        nn_gemm_args g = {.m = rows, .n = out, .k = L->in, .alpha = 1.0f, .a = in, .lda = L->in,
                          .b = net->params + L->w_off, .ldb = out, .c = L->z, .ldc = out,
                          .epilogue = forward_epilogue, .ctx = &e};
        nn_gemm_run(pool, &g, 1);
        if (!e.act)
            nn_act_forward(L->act, L->alpha, L->a, L->z, rows, out);
        L->h = L->a;
        if (drop && L->mask) {
            /* inverted dropout: keep with probability 1 - p and scale by 1/(1 - p) */
            const size_t n = (size_t)rows * (size_t)out;
            const double p = (double)dropout;
            const float scale = p < 1.0 ? (float)(1.0 / (1.0 - p)) : 0.0f;
            float *restrict mask = L->mask;
            float *restrict h = dropout_buffer(net, L);
            const float *restrict a = L->a;
            nn_rng_mask(rng, mask, n, p, scale);   /* mask[i] = uniform >= p ? scale : 0 */
            mul_into(h, a, mask, n);
            L->h = h;
        }
        in = L->h;
    }
    net->last_rows = rows;
    net->last_dropout = drop ? 1 : 0;
    return net->layers[net->n_layers - 1].a;
}

/* Weight-gradient epilogue: db = the column sums of delta, by the block at the top of each column
 * panel of dW (each column exactly once), rows added in order as the unfused loop did. */
typedef struct {
    const float *delta;
    float *db;
    int out, rows;
} wgrad_epi;

/* db[j] = the sum over rows of d[r][j], rows in order from zero (ld: d's row stride): the sums of
 * 32 columns at a time stay in registers. */
static void column_sums(float *restrict db, const float *restrict d, size_t ld, int rows, size_t cols)
{
    size_t j0 = 0;
    for (; j0 + 32 <= cols; j0 += 32) {
        float acc[32] = {0};
        for (int r = 0; r < rows; r++) {
            const float *restrict dr = d + (size_t)r * ld + j0;
            for (int j = 0; j < 32; j++)
                acc[j] += dr[j];
        }
        memcpy(db + j0, acc, sizeof acc);
    }
    if (j0 < cols) {
        memset(db + j0, 0, (cols - j0) * sizeof *db);
        for (int r = 0; r < rows; r++)
            add_to(db + j0, d + (size_t)r * ld + j0, cols - j0);
    }
}

static void wgrad_epilogue(void *ctx, float *c, int ldc, int r0, int rows, int c0, int cols)
{
    (void)c;
    (void)ldc;
    (void)rows;
    const wgrad_epi *e = ctx;
    if (r0 == 0)
        column_sums(e->db + c0, e->delta + c0, (size_t)e->out, e->rows, (size_t)cols);
}

/* Input-gradient epilogue: the previous layer's delta (delta W^T) times its dropout mask and its
 * activation's derivative, element by element as the unfused loops did. */
typedef struct {
    const nn_layer *P;
    bool mask;
} igrad_epi;

static void igrad_epilogue(void *ctx, float *c, int ldc, int r0, int rows, int c0, int cols)
{
    const igrad_epi *e = ctx;
    const nn_layer *P = e->P;
    const size_t off = (size_t)r0 * ldc + c0;
    nn_act_backward_block(P->act, P->alpha, c, (size_t)ldc, e->mask ? P->mask + off : NULL, P->z + off,
                          P->a + off, (size_t)ldc, rows, cols);
}

void nn_network_backward(nn_network *net, nn_pool *pool, const float *x, const float *y, int rows,
                         nn_loss loss)
{
    if (rows < 1 || rows > net->max_batch || net->n_layers < 1)
        return;
    nn_layer *top = &net->layers[net->n_layers - 1];
    if (nn_loss_is_fused(loss, top->act)) {
        nn_loss_fused_grad(top->delta, top->a, y, rows, top->out);
    } else {
        nn_loss_grad(loss, top->delta, top->a, y, rows, top->out);
        nn_act_backward(top->act, top->alpha, top->delta, top->delta, top->z, top->a, rows, top->out);
    }
    for (int l = net->n_layers - 1; l >= 0; l--) {
        nn_layer *L = &net->layers[l];
        const int out = L->out, in = L->in;
        const float *hprev = l == 0 ? x : net->layers[l - 1].h;
        /* The layer's two products are independent: one pool job (or both inline when small).
         * dW = hprev^T delta (TN), db in its epilogue; the previous layer's delta = delta W^T (NT)
         * with the mask and f'(z) in its epilogue. The first layer's dX is never needed. */
        wgrad_epi we = {L->delta, net->grads + L->b_off, out, rows};
        nn_gemm_args g[2] = {
            {.trans_a = true, .m = in, .n = out, .k = rows, .alpha = 1.0f, .a = hprev, .lda = in,
             .b = L->delta, .ldb = out, .c = net->grads + L->w_off, .ldc = out,
             .epilogue = wgrad_epilogue, .ctx = &we},
        };
        if (l == 0) {
            nn_gemm_run(pool, g, 1);
            break;
        }
        nn_layer *P = &net->layers[l - 1];
        igrad_epi ie = {P, net->last_dropout && P->mask};
        const bool fused = nn_act_table[P->act].elementwise;   /* softmax needs whole rows */
        g[1] = (nn_gemm_args){.trans_b = true, .m = rows, .n = in, .k = out, .alpha = 1.0f, .a = L->delta,
                              .lda = out, .b = net->params + L->w_off, .ldb = out, .c = P->delta, .ldc = in,
                              .epilogue = fused ? igrad_epilogue : NULL, .ctx = &ie};
        nn_gemm_run(pool, g, 2);
        if (!fused) {
            if (ie.mask)
                mul_to(P->delta, P->mask, (size_t)rows * (size_t)in);
            nn_act_backward(P->act, P->alpha, P->delta, P->delta, P->z, P->a, rows, in);
        }
    }
}

double nn_network_penalty(const nn_network *net, nn_reg reg, double lambda, double r)
{
    if (reg == NN_REG_NONE || lambda == 0.0)
        return 0.0;
    double l1 = 0.0, l2 = 0.0;
    for (int l = 0; l < net->n_layers; l++) {
        const nn_layer *L = &net->layers[l];
        const float *w = net->params + L->w_off;
        size_t n = (size_t)L->in * (size_t)L->out;
        for (size_t i = 0; i < n; i++) {
            double v = (double)w[i];
            l1 += fabs(v);
            l2 += v * v;
        }
    }
    switch (reg) {
    case NN_REG_L1:
        return lambda * l1;
    case NN_REG_L2:
        return lambda * 0.5 * l2;
    case NN_REG_ELASTICNET:
        return lambda * (r * l1 + (1.0 - r) * 0.5 * l2);
    case NN_REG_NONE:
    case NN_REG_COUNT:
        break;
    }
    return 0.0;
}

void nn_network_add_penalty_grad(nn_network *net, nn_reg reg, double lambda, double r)
{
    if (reg == NN_REG_NONE || reg >= NN_REG_COUNT || lambda == 0.0)
        return;
    /* d/dw: l1 lambda*sign(w); l2 lambda*w; elasticnet lambda*(r*sign(w) + (1-r)*w) */
    double c1 = 0.0, c2 = 0.0;
    if (reg == NN_REG_L1)
        c1 = lambda;
    else if (reg == NN_REG_L2)
        c2 = lambda;
    else {
        c1 = lambda * r;
        c2 = lambda * (1.0 - r);
    }
    const float f1 = (float)c1, f2 = (float)c2;
    for (int l = 0; l < net->n_layers; l++) {
        const nn_layer *L = &net->layers[l];
        const float *restrict w = net->params + L->w_off;
        float *restrict g = net->grads + L->w_off;
        size_t n = (size_t)L->in * (size_t)L->out;
        add_penalty(g, w, f1, f2, n);
    }
}

/* Sum of squares: NN_SUMSQ_BLOCK-float blocks (eight float lanes each, no long dependency chain),
 * the block sums added in double, in block order (optimizer.h). Pooled: parts of SS_PART_BLOCKS
 * blocks write their blocks' sums, which the caller adds in block order, so the same double as
 * nn_sumsq for any thread count. */
enum { SS_BLOCK = NN_SUMSQ_BLOCK, SS_PART_BLOCKS = 32, SS_MAX_BLOCKS = 4096 };
typedef struct {
    const float *g;
    size_t n;
    double *sums;
} ss_job;

static void ss_part(void *arg, int part)
{
    const ss_job *j = arg;
    for (size_t b = (size_t)part * SS_PART_BLOCKS; b < (size_t)(part + 1) * SS_PART_BLOCKS; b++) {
        size_t i0 = b * SS_BLOCK;
        if (i0 >= j->n)
            break;
        j->sums[b] = nn_sumsq_block(j->g + i0, j->n - i0 < SS_BLOCK ? j->n - i0 : SS_BLOCK);
    }
}

static double sum_squares_pool(nn_pool *pool, const float *g, size_t n)
{
    const size_t blocks = (n + SS_BLOCK - 1) / SS_BLOCK;
    if (!pool || nn_pool_threads(pool) < 2 || blocks <= SS_PART_BLOCKS || blocks > SS_MAX_BLOCKS)
        return nn_sumsq(g, n);
    double sums[SS_MAX_BLOCKS];
    ss_job j = {g, n, sums};
    nn_pool_run(pool, ss_part, &j, (int)((blocks + SS_PART_BLOCKS - 1) / SS_PART_BLOCKS));
    double ss = 0.0;
    for (size_t b = 0; b < blocks; b++)
        ss += sums[b];
    return ss;
}

double nn_network_clip_grads(nn_network *net, double max_norm)
{
    return nn_network_clip_grads_pool(net, NULL, max_norm);
}

double nn_network_clip_grads_pool(nn_network *net, nn_pool *pool, double max_norm)
{
    double norm = sqrt(sum_squares_pool(pool, net->grads, net->n_params));
    /* torch.nn.utils.clip_grad_norm_'s coefficient, max_norm / (norm + 1e-6), applied when below 1 */
    const double coef = max_norm / (norm + 1e-6);
    if (max_norm > 0.0 && coef < 1.0)
        scale_by(net->grads, (float)coef, net->n_params);
    return norm;
}

int nn_network_outputs(const nn_network *net)
{
    return net->n_layers > 0 ? net->layers[net->n_layers - 1].out : 0;
}
