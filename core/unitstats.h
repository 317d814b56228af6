/* unitstats.h — per-unit statistics of a network for the Network view: each layer's weights pooled
 * to a small grid of blocks (the weight of largest magnitude in each block, sign kept), and per
 * unit (or per block of units) the mean and spread of its activation, the share of rows on which it
 * is active (z > 0) and the share on which it is saturated, over the rows of the last forward pass.
 * Reads the network only; call from the thread that owns it, between batches. */
#ifndef NN_UNITSTATS_H
#define NN_UNITSTATS_H

#include "network.h"

/* Layer l's W (in, out) pooled to rows x cols blocks (1 <= rows <= in, 1 <= cols <= out): cell
 * (r, c) at w[r * cols + c] holds the weight of largest magnitude (sign kept) among inputs
 * [r * in / rows, (r + 1) * in / rows) and units [c * out / cols, (c + 1) * out / cols); exact when
 * rows == in and cols == out. b[c]: the bias of largest magnitude of the block's units. Returns
 * max |W| over the whole layer. */
float nn_units_pool_weights(const nn_network *net, int l, int rows, int cols, float *w, float *b);

/* Per block c of cols blocks of layer l's units (as above), over the net->last_rows rows of the last
 * forward: the mean and (population) standard deviation of a (two passes, nn_health_block_mean_std),
 * the share of (row, unit) values with z > 0 (relu: 0 means dead), and the share saturated as the
 * activation's row defines it (sat_lo, sat_hi; 0 for activations that do not saturate). A block averages its
 * units. Each output has cols entries. */
void nn_units_activation_stats(const nn_network *net, int l, int cols, float *mean, float *sd, float *active,
                               float *saturated);

#endif
