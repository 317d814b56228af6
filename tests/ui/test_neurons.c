/* The Neurons view rasterised into a grid, no terminal: a unit's map on exact cells (half blocks in
 * the Boundary's colours, ASCII backgrounds, monochrome glyphs), the layers as columns with the
 * selected unit marked, its detail (bias, range, incoming weights), a click on a map, a layer too big
 * shown a page at a time, and the notes for data without a plane; the Network view's diagram (nodes,
 * edges by sign and strength, labels, a summarised layer, a click on a node); the Samples view
 * (pictures in grey levels, true and predicted classes, the mistakes only). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "input_features.h"
#include "views.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view_fixture.h"

static int setup(void **state)
{
    (void)state;
    return fixture_setup(120, 40);
}

#define G UI_UNIT_GRID

/* A 2-3-2 network (relu, softmax) over 2-D data with these maps:
 *   unit 0: -1 on the top-left quarter, +1 elsewhere;  unit 1: 0 everywhere;
 *   unit 2: from -1 (left) to +1 (right);  output 0: 1 everywhere;  output 1: 0 everywhere. */
static void neuron_snapshot(void)
{
    memset(&snap, 0, sizeof snap);
    snap.state = UI_RUN_PAUSED;
    snap.info.n_features = 2;
    snap.info.n_classes = 2;
    snap.info.k = 2;
    snprintf(snap.info.class_names[0], NN_NAME_MAX, "red");
    snprintf(snap.info.class_names[1], NN_NAME_MAX, "blue");
    snprintf(snap.info.feature_names[0], NN_NAME_MAX, "x1");
    snprintf(snap.info.feature_names[1], NN_NAME_MAX, "x2");
    snap.info.n_layers = 2;
    snap.info.layers[0] = (ui_layer_info){2, 3, NN_ACT_RELU};
    snap.info.layers[1] = (ui_layer_info){3, 2, NN_ACT_SOFTMAX};
    snap.boundary.kind = UI_VIEW_BOUNDARY;
    snap.boundary.epoch = 3;
    snap.net.valid = true;
    snap.net.rows[0] = 2; snap.net.cols[0] = 3;
    snap.net.rows[1] = 3; snap.net.cols[1] = 2;
    const float w0[6] = {1.0f, 0.5f, 0.0f, -0.25f, -0.5f, 0.05f};   /* W[input][unit] */
    memcpy(snap.net.w[0], w0, sizeof w0);
    snap.net.wmax[0] = 1.0f;
    snap.net.b[0][0] = 0.5f;
    ui_snap_units *u = &snap.units;
    u->valid = true;
    u->epoch = 3;
    u->layer = -1;
    u->n = 5;
    const int ul[5] = {0, 0, 0, 1, 1}, uu[5] = {0, 1, 2, 0, 1};
    for (int i = 0; i < 5; i++) {
        u->ulayer[i] = (int16_t)ul[i];
        u->uindex[i] = (int16_t)uu[i];
    }
    for (int r = 0; r < G; r++)
        for (int c = 0; c < G; c++) {
            u->map[0][r * G + c] = r < G / 2 && c < G / 2 ? -1.0f : 1.0f;
            u->map[1][r * G + c] = 0.0f;
            u->map[2][r * G + c] = -1.0f + 2.0f * (float)c / (float)(G - 1);
            u->map[3][r * G + c] = 1.0f;
            u->map[4][r * G + c] = 0.0f;
        }
    u->lo[0] = -1; u->hi[0] = 1;
    u->lo[2] = -1; u->hi[2] = 1;
    u->lo[3] = u->hi[3] = 1;
}

static void test_unit_map_exact_cells(void **state)
{
    (void)state;
    neuron_snapshot();
    /* colour, UTF-8: a 4x2 map is 4x4 points, each the grid point at its centre (rows 3 and 9,
     * 15 and 21 of 24; columns 3, 9, 15, 21): the top-left quarter negative in class 0's deepest
     * colour (25), the rest positive in class 1's (166) */
    clear();
    ui_unit_map(&g, ui_rect_make(10, 5, 4, 2), &snap, 0, &th);
    assert_cell(10, 5, 0x2580, 25, 25);
    assert_cell(11, 5, 0x2580, 25, 25);
    assert_cell(12, 5, 0x2580, 166, 166);
    assert_cell(10, 6, 0x2580, 166, 166);
    assert_cell(14, 5, ' ', -1, -1);   /* nothing past the rectangle */
    /* a unit that is 0 everywhere is grey; a gradient goes from blue through grey to orange */
    ui_unit_map(&g, ui_rect_make(20, 5, 4, 2), &snap, 1, &th);
    assert_cell(20, 5, 0x2580, 237, 237);
    ui_unit_map(&g, ui_rect_make(30, 5, 4, 2), &snap, 2, &th);
    assert_cell(30, 5, 0x2580, ui_region_colour(&th, 0, 1.0 - 2.0 * 3 / 23, 1), ui_region_colour(&th, 0, 1.0 - 2.0 * 3 / 23, 1));
    assert_cell(33, 5, 0x2580, 166, 166);
    /* outputs: the class's probability in its colours (1: deepest class 0; 0: grey) */
    ui_unit_map(&g, ui_rect_make(40, 5, 4, 2), &snap, 3, &th);
    assert_cell(40, 5, 0x2580, 25, 25);
    ui_unit_map(&g, ui_rect_make(50, 5, 4, 2), &snap, 4, &th);
    assert_cell(50, 5, 0x2580, 237, 237);

    /* ASCII with colours: one point a cell, as the background of a space */
    ui_theme_init(&th, UI_COLOR_256, false);
    clear();
    ui_unit_map(&g, ui_rect_make(0, 0, 4, 4), &snap, 0, &th);
    assert_cell(0, 0, ' ', -1, 25);
    assert_cell(3, 0, ' ', -1, 166);
    assert_cell(0, 3, ' ', -1, 166);
    /* monochrome: glyphs by sign and strength (hidden), the ramp by probability (outputs) */
    ui_theme_init(&th, UI_COLOR_MONO, true);
    clear();
    ui_unit_map(&g, ui_rect_make(0, 0, 4, 4), &snap, 0, &th);
    assert_cell(0, 0, '=', -1, -1);
    assert_cell(3, 0, '#', -1, -1);
    ui_unit_map(&g, ui_rect_make(10, 0, 4, 4), &snap, 1, &th);
    assert_cell(10, 0, ' ', -1, -1);
    ui_unit_map(&g, ui_rect_make(20, 0, 4, 4), &snap, 3, &th);
    assert_cell(20, 0, '@', -1, -1);
    ui_unit_map(&g, ui_rect_make(30, 0, 4, 4), &snap, 4, &th);
    assert_cell(30, 0, ' ', -1, -1);
    /* not valid: nothing drawn */
    snap.units.valid = false;
    clear();
    ui_unit_map(&g, ui_rect_make(0, 0, 4, 4), &snap, 0, &th);
    assert_cell(0, 0, ' ', -1, -1);
    ui_theme_init(&th, UI_COLOR_256, true);
}

static void test_neurons_panel_columns_selection_and_detail(void **state)
{
    (void)state;
    neuron_snapshot();
    ui_views v;
    memset(&v, 0, sizeof v);
    ui_rect r = ui_rect_make(0, 0, 100, 20);
    clear();
    ui_neurons_panel(&g, r, &snap, &v, &th);
    assert_true(row_has(0, "epoch 3"));
    assert_true(row_has(0, "negative"));
    assert_true(row_has(0, "positive"));
    assert_true(row_has(0, "outputs: the class's probability"));
    /* the maps: 100 columns leave 59 for them (the detail takes 40 and a gap); 18 rows under the
     * labels hold three 8x4 maps with a row between them: layer 1 one column of three, the outputs
     * one of two */
    assert_true(row_has(1, "layer 1"));
    assert_true(row_has(1, "outputs"));
    int ox = -1;
    for (int x = 0; x < 59; x++)
        if (at(x, 1)->ch == 'o' && at(x + 1, 1)->ch == 'u')
            ox = x;
    assert_int_equal(ox, 10);                       /* layer 1: 9 columns (marker + 8) and a gap */
    assert_cell(1, 2, 0x2580, 25, 25);              /* unit 0's top-left point */
    assert_cell(1, 7, 0x2580, 237, 237);            /* unit 1, one row under unit 0's four */
    assert_cell(1, 12, 0x2580, 25, 25);             /* unit 2, its left edge */
    assert_cell(11, 2, 0x2580, 25, 25);             /* output 0 */
    assert_cell(11, 7, 0x2580, 237, 237);           /* output 1 */
    assert_cell(0, 3, 0x25B6, ui_st(&th, UI_R_WARN).fg, -1);   /* the marker left of unit 0 */
    /* each map's number in the row under it (the selected one in the marker's colour), so that the
     * blank rows between maps do not read as missing units */
    assert_cell(1, 6, '0', ui_st(&th, UI_R_WARN).fg, -1);
    assert_cell(1, 11, '1', ui_st(&th, UI_R_DIM).fg, -1);
    assert_cell(11, 6, '0', ui_st(&th, UI_R_DIM).fg, -1);   /* output 0 */
    /* the detail on the right: what, bias, range, the map, the weights largest first */
    int d = find_row("layer 1 unit 0 (relu)");
    assert_int_equal(d, 1);
    assert_true(row_has(2, "bias +0.5"));
    assert_true(row_has(2, "output -1..1"));
    int wr = find_row("x1 +1");
    assert_true(wr > 2);
    char row[256];
    ui_grid_row_text(&g, wr, 0, g.w, row, sizeof row);
    assert_true(strstr(row, "x1 +1") < strstr(row, "x2 -0.25"));

    /* a click on unit 2's map selects it; on the gap or the legend nothing */
    int hl = -1, hu = -1;
    assert_true(ui_neurons_hit(&snap, &v, r, 3, 12, &hl, &hu));
    assert_int_equal(hl, 0);
    assert_int_equal(hu, 2);
    assert_true(ui_neurons_hit(&snap, &v, r, 12, 7, &hl, &hu));
    assert_int_equal(hl, 1);
    assert_int_equal(hu, 1);
    assert_false(ui_neurons_hit(&snap, &v, r, 3, 6, &hl, &hu));   /* between two maps */
    assert_false(ui_neurons_hit(&snap, &v, r, 3, 0, &hl, &hu));   /* the header */

    /* the selection on output 1: its class named in the detail, the marker beside it */
    v.neu_layer = 1;
    v.neu_unit = 1;
    clear();
    ui_neurons_panel(&g, r, &snap, &v, &th);
    assert_true(find_row("output 1: blue (softmax)") == 1);
    assert_cell(10, 8, 0x25B6, ui_st(&th, UI_R_WARN).fg, -1);
    assert_cell(0, 3, ' ', -1, -1);

    /* Enter: the selected map alone, large, with its numbers beside it */
    v.neu_layer = 0;
    v.neu_unit = 0;
    v.neu_zoom = true;
    clear();
    ui_neurons_panel(&g, r, &snap, &v, &th);
    assert_true(row_has(0, "Enter: every unit"));
    assert_true(row_has(1, "layer 1 unit 0 (relu)"));
    assert_false(row_has(1, "outputs"));
    assert_cell(0, 2, 0x2580, 25, 25);              /* an 36x18 map from the left edge */
    assert_cell(35, 2, 0x2580, 166, 166);
    assert_cell(0, 19, 0x2580, 166, 166);
    assert_true(row_has(2, "bias +0.5"));
    assert_true(row_has(3, "output -1..1"));
    assert_true(row_has(4, "incoming weights"));
    assert_true(row_has(5, "x1 +1"));
    assert_true(row_has(6, "x2 -0.25"));
}

/* 2-D data: the inputs' column first, as in Playground, each map named under it; the layers move
 * right by its width and a click on an input selects nothing */
static void test_neurons_inputs_column(void **state)
{
    (void)state;
    neuron_snapshot();
    ui_snap_units *u = &snap.units;
    /* the worker puts the two input maps first */
    for (int i = 4; i >= 0; i--) {
        u->ulayer[i + 2] = u->ulayer[i];
        u->uindex[i + 2] = u->uindex[i];
        memcpy(u->map[i + 2], u->map[i], sizeof u->map[0]);
        u->lo[i + 2] = u->lo[i];
        u->hi[i + 2] = u->hi[i];
    }
    for (int j = 0; j < 2; j++) {
        u->ulayer[j] = -1;
        u->uindex[j] = (int16_t)j;
        for (int k = 0; k < G * G; k++)
            u->map[j][k] = j == 0 ? (k % G < G / 2 ? -1.0f : 1.0f) : (k / G < G / 2 ? 1.0f : -1.0f);
        u->lo[j] = -1;
        u->hi[j] = 1;
    }
    u->n = 7;
    u->n_in = 2;
    snap.info.n_raw = 2;   /* Playground features: x1 and sin(x1) */
    snap.info.feature_of[0] = NN_FEAT_X1;
    snap.info.feature_of[1] = NN_FEAT_SIN_X1;
    ui_views v;
    memset(&v, 0, sizeof v);
    ui_rect r = ui_rect_make(0, 0, 100, 20);
    clear();
    ui_neurons_panel(&g, r, &snap, &v, &th);
    assert_true(row_has(0, "inputs, hidden"));   /* the legend covers the inputs too */
    /* without colour the outputs' ramp is in the legend (its characters were never explained) */
    ui_theme mono;
    ui_theme_init(&mono, UI_COLOR_MONO, true);
    clear();
    ui_neurons_panel(&g, r, &snap, &v, &mono);
    assert_true(row_has(0, "inputs, hidden: - negative + positive"));
    assert_true(row_has(0, "out: prob. .:-=+*#%@") || row_has(0, "outputs: probability, low .:-=+*#%@ high"));
    clear();
    ui_neurons_panel(&g, r, &snap, &v, &th);
    assert_true(row_has(1, "inputs"));
    assert_true(row_has(1, "layer 1"));
    assert_cell(1, 2, 0x2580, 25, 25);       /* x1: negative on the left */
    assert_cell(8, 2, 0x2580, 166, 166);     /* ... positive on the right */
    assert_true(row_has(6, "x1"));           /* the names under the maps, in the gap's column too */
    assert_true(row_has(11, "sin(x1)"));
    /* layer 1 starts after the inputs' column (9) and a blank column: its unit 0 at column 11 */
    assert_cell(10, 3, 0x25B6, ui_st(&th, UI_R_WARN).fg, -1);
    assert_cell(11, 2, 0x2580, 25, 25);
    int hl = -1, hu = -1;
    assert_false(ui_neurons_hit(&snap, &v, r, 3, 3, &hl, &hu));   /* an input map */
    assert_true(ui_neurons_hit(&snap, &v, r, 13, 12, &hl, &hu));
    assert_int_equal(hl, 0);
    assert_int_equal(hu, 2);
    /* the detail names the inputs by the features */
    assert_true(find_row("sin(x1)") >= 0);
}

static void test_neurons_pages_a_layer_too_big(void **state)
{
    (void)state;
    neuron_snapshot();
    /* 2-40-2: the worker sends a page of layer 1 (units 0..39) */
    snap.info.layers[0] = (ui_layer_info){2, 40, NN_ACT_TANH};
    snap.info.layers[1] = (ui_layer_info){40, 2, NN_ACT_SOFTMAX};
    ui_snap_units *u = &snap.units;
    u->layer = 0;
    u->first = 0;
    u->n = 40;
    for (int i = 0; i < 40; i++) {
        u->ulayer[i] = 0;
        u->uindex[i] = (int16_t)i;
        for (int k = 0; k < G * G; k++)
            u->map[i][k] = i % 2 ? 1.0f : -1.0f;
        u->lo[i] = -1;
        u->hi[i] = 1;
    }
    ui_views v;
    memset(&v, 0, sizeof v);
    v.neu_unit = 30;
    ui_rect r = ui_rect_make(0, 0, 44, 10);   /* the slot at 80x24: no detail beside */
    clear();
    ui_neurons_panel(&g, r, &snap, &v, &th);
    /* 9 rows under the header: 7x... two maps of 3 rows a column, 6 columns of 7: 12 a page; unit 30
     * is on the third page (24..35) */
    assert_true(row_has(1, "layer 1 units 24-35 of 40 (PgUp PgDn)"));
    assert_true(row_has(0, "Enter: large"));
    assert_cell(1, 2, 0x2580, 25, 25);              /* unit 24: negative */
    assert_cell(1, 6, 0x2580, 166, 166);            /* unit 25: positive */
    assert_cell(21, 3, 0x25B6, ui_st(&th, UI_R_WARN).fg, -1);   /* unit 30: column 3, row 0 */
    int hl, hu;
    assert_true(ui_neurons_hit(&snap, &v, r, 30, 6, &hl, &hu));
    assert_int_equal(hl, 0);
    assert_int_equal(hu, 33);
    /* a map the worker has not sent yet shows dots */
    u->n = 30;
    clear();
    ui_neurons_panel(&g, r, &snap, &v, &th);
    assert_cell(22, 2, '.', ui_st(&th, UI_R_DIM).fg, -1);
    /* the slot at 80x24 now (44x11): maps of 3 rows, so that the second row of maps keeps its unit
     * numbers under it (maps of 4 rows left no row for them) */
    u->n = 40;
    clear();
    ui_neurons_panel(&g, ui_rect_make(0, 0, 44, 11), &snap, &v, &th);
    assert_true(row_has(1, "layer 1 units 24-35 of 40 (PgUp PgDn)"));
    assert_true(row_has(5, "24") && row_has(5, "34"));
    assert_true(row_has(9, "25") && row_has(9, "35"));
    /* the last page offers only PgUp, the first only PgDn */
    v.neu_unit = 38;
    clear();
    ui_neurons_panel(&g, ui_rect_make(0, 0, 44, 11), &snap, &v, &th);
    assert_true(row_has(1, "units 36-39 of 40") && row_has(1, "PgUp") && !row_has(1, "PgDn"));
    v.neu_unit = 3;
    clear();
    ui_neurons_panel(&g, ui_rect_make(0, 0, 44, 11), &snap, &v, &th);
    assert_true(row_has(1, "units 0-11 of 40") && row_has(1, "PgDn") && !row_has(1, "PgUp"));
}

static void test_neurons_notes(void **state)
{
    (void)state;
    neuron_snapshot();
    ui_views v;
    memset(&v, 0, sizeof v);
    ui_rect r = ui_rect_make(0, 0, 120, 6);
    snap.boundary.kind = UI_VIEW_CURVE;
    clear();
    ui_neurons_panel(&g, r, &snap, &v, &th);
    assert_true(find_row("this data has one") >= 0);
    snap.boundary.kind = UI_VIEW_NONE;
    snap.info.n_features = 4;
    clear();
    ui_neurons_panel(&g, r, &snap, &v, &th);
    assert_true(find_row("choosing two features") >= 0);
    snap.info.n_features = 784;
    clear();
    ui_neurons_panel(&g, r, &snap, &v, &th);
    assert_true(find_row("Network view (7)") >= 0);
    snap.boundary.kind = UI_VIEW_BOUNDARY;
    snap.units.valid = false;
    clear();
    ui_neurons_panel(&g, r, &snap, &v, &th);
    assert_true(row_has(0, "computing the maps ..."));
    snap.race.on = true;
    clear();
    ui_neurons_panel(&g, r, &snap, &v, &th);
    assert_true(find_row("during a race") >= 0);
}

// --- the Network view's diagram ---------------------------------------------------------------------

static void diagram_snapshot(void)
{
    neuron_snapshot();
    snap.net.epoch = 4;
    const float w1[6] = {0.1f, -0.9f, 0.3f, 0.6f, -0.2f, 0.0f};
    memcpy(snap.net.w[1], w1, sizeof w1);
    snap.net.wmax[1] = 0.9f;
}

static void test_diagram_nodes_edges_and_labels(void **state)
{
    (void)state;
    diagram_snapshot();
    ui_rect r = ui_rect_make(0, 0, 60, 12);
    clear();
    ui_net_diagram(&g, r, &snap, 0, 1, UI_NET_NO_PICK, &th);
    assert_true(row_has(0, "epoch 4"));
    assert_true(row_has(0, "negative"));
    assert_true(row_has(0, "positive"));
    /* rows 1..11: labels 2 columns left ("x1"), 4 right ("blue"); node columns 3, 28 and 54;
     * 2 inputs at rows 3 and 9, 3 hidden units at 2, 6 and 10, 2 outputs at 3 and 9 */
    assert_true(row_has(3, "x1"));
    assert_true(row_has(9, "x2"));
    assert_cell(3, 3, 0x25CF, ui_st(&th, UI_R_LABEL).fg, -1);
    assert_cell(28, 2, 0x25CF, ui_st(&th, UI_R_TEXT).fg, -1);
    assert_cell(28, 6, 0x25C9, ui_st(&th, UI_R_WARN).fg, -1);   /* the selected unit: layer 1, unit 1 */
    assert_cell(28, 10, 0x25CF, ui_st(&th, UI_R_TEXT).fg, -1);
    assert_cell(54, 3, 0x25CF, ui_st(&th, UI_R_TEXT).fg, -1);
    assert_true(row_has(3, "red"));
    assert_true(row_has(9, "blue"));
    /* the edges: next to x1 the strongest, x1 -> unit 0 (w +1), in the deepest orange; next to x2
     * x2 -> unit 1 (w -0.5) drawn after the weaker x2 -> unit 0 (-0.25): blue; x1 -> unit 2 (w 0)
     * is not drawn */
    const ui_cell *c = at(4, 3);
    assert_true(c->ch > 0x2800 && c->ch <= 0x28FF);
    assert_int_equal(c->fg, ui_weight_colour(&th, 1.0, 1.0));
    c = at(4, 9);
    assert_true(c->ch > 0x2800 && c->ch <= 0x28FF);
    assert_int_equal(c->fg, ui_weight_colour(&th, -0.5, 1.0));
    /* a click on a node selects its unit; an input or empty space does not */
    int hl = -1, hu = -1;
    assert_true(ui_diagram_hit(&snap, r, 0, 1, 28, 10, &hl, &hu));
    assert_int_equal(hl, 0);
    assert_int_equal(hu, 2);
    assert_true(ui_diagram_hit(&snap, r, 0, 1, 55, 9, &hl, &hu));
    assert_int_equal(hl, 1);
    assert_int_equal(hu, 1);
    assert_false(ui_diagram_hit(&snap, r, 0, 1, 3, 3, &hl, &hu));
    assert_false(ui_diagram_hit(&snap, r, 0, 1, 40, 5, &hl, &hu));

    /* a layer of 20 units: its first 6, "+13" and its last */
    snap.info.layers[0].out = 20;
    snap.info.layers[1].in = 20;
    snap.net.cols[0] = 20;
    snap.net.rows[1] = 20;
    clear();
    ui_net_diagram(&g, r, &snap, 0, 19, UI_NET_NO_PICK, &th);
    int y13 = -1;
    for (int y = 1; y < 12; y++)
        if (row_has(y, "+13"))
            y13 = y;
    assert_true(y13 > 1);
    int nodes = 0;
    for (int y = 1; y < 12; y++)
        nodes += at(28, y)->ch == 0x25CF || at(28, y)->ch == 0x25C9;
    assert_int_equal(nodes, 7);
    assert_cell(28, 11, 0x25C9, ui_st(&th, UI_R_WARN).fg, -1);   /* unit 19, the last, selected */
    /* unit 12 selected: it takes a row before the last, the first 5 stay, "+13" the 13 others */
    clear();
    ui_net_diagram(&g, r, &snap, 0, 12, UI_NET_NO_PICK, &th);
    y13 = -1;
    for (int y = 1; y < 12; y++)
        if (row_has(y, "+13"))
            y13 = y;
    assert_true(y13 > 1);
    assert_true(ui_diagram_hit(&snap, r, 0, 12, 28, 9, &hl, &hu));
    assert_int_equal(hu, 12);
    assert_cell(28, 9, 0x25C9, ui_st(&th, UI_R_WARN).fg, -1);

    /* monochrome: the legend says negative edges are dotted; ASCII: 'o' nodes and '*' edges */
    diagram_snapshot();
    ui_theme_init(&th, UI_COLOR_MONO, true);
    clear();
    ui_net_diagram(&g, r, &snap, 0, 1, UI_NET_NO_PICK, &th);
    assert_true(row_has(0, "dotted negative"));
    assert_cell(28, 2, 0x25CF, -1, -1);
    ui_theme_init(&th, UI_COLOR_MONO, false);
    clear();
    ui_net_diagram(&g, r, &snap, 0, 1, UI_NET_NO_PICK, &th);
    assert_true(row_has(0, "dotted negative"));
    assert_cell(28, 2, 'o', -1, -1);
    assert_cell(28, 6, '@', -1, -1);
    assert_int_equal(at(4, 3)->ch, '*');
    /* the 80x24 view (44 columns) after epoch 10: the short legend, whole ("dotted negat..." was cut) */
    snap.net.epoch = 12;
    ui_rect narrow = ui_rect_make(0, 0, 44, 11);
    for (int u = 0; u < 2; u++) {
        ui_theme_init(&th, UI_COLOR_MONO, u == 0);
        clear();
        ui_net_diagram(&g, narrow, &snap, 0, 1, UI_NET_NO_PICK, &th);
        assert_true(row_has(0, u == 0 ? "epoch 12  \xe2\xa3\xbf positive  \xe2\xa1\x81 negative"
                                      : "epoch 12  edges: solid +, dotted -"));
        for (int x = 0; x < 44; x++)
            assert_true(at(x, 0)->ch != 0x2026 && (u == 0 || x < 41 || at(x, 0)->ch != '>'));
    }
    ui_theme_init(&th, UI_COLOR_256, true);
}

// --- the Samples view ------------------------------------------------------------------------------

/* Three 4x4 pictures: 0 white on the left half, black on the right (a coat, predicted right);
 * 1 the same (a shirt predicted a coat); 2 mid grey (a shirt, right). */
static void samples_snapshot(void)
{
    neuron_snapshot();
    snap.info.n_features = 16;
    snprintf(snap.info.class_names[0], NN_NAME_MAX, "Coat");
    snprintf(snap.info.class_names[1], NN_NAME_MAX, "Shirt");
    ui_snap_samples *s = &snap.samples;
    s->valid = true;
    s->epoch = 2;
    s->side = 4;
    s->n = 3;
    const int lab[3] = {0, 1, 1}, pred[3] = {0, 0, 1};
    for (int i = 0; i < 3; i++) {
        s->label[i] = (int16_t)lab[i];
        s->pred[i] = (int16_t)pred[i];
        for (int p = 0; p < 16; p++)
            s->pix[i][p] = i == 2 ? 128 : (p % 4 < 2 ? 255 : 0);
    }
}

static void test_samples_pictures_and_classes(void **state)
{
    (void)state;
    samples_snapshot();
    /* a picture: UTF-8 256 colours two grey levels a cell (white 255, black 232) */
    clear();
    ui_picture(&g, ui_rect_make(0, 0, 4, 2), &snap, 0, &th);
    assert_cell(0, 0, 0x2580, 255, 255);
    assert_cell(1, 1, 0x2580, 255, 255);
    assert_cell(2, 0, 0x2580, 232, 232);
    assert_cell(3, 1, 0x2580, 232, 232);
    ui_picture(&g, ui_rect_make(10, 0, 4, 2), &snap, 2, &th);
    assert_cell(10, 0, 0x2580, 232 + (128 * 23 + 127) / 255, 232 + (128 * 23 + 127) / 255);
    /* ASCII: one grey a cell as the background; monochrome: the ramp */
    ui_theme_init(&th, UI_COLOR_256, false);
    clear();
    ui_picture(&g, ui_rect_make(0, 0, 4, 2), &snap, 0, &th);
    assert_cell(0, 0, ' ', -1, 255);
    assert_cell(3, 1, ' ', -1, 232);
    ui_theme_init(&th, UI_COLOR_MONO, true);
    clear();
    ui_picture(&g, ui_rect_make(0, 0, 4, 2), &snap, 0, &th);
    assert_cell(0, 0, '@', -1, -1);
    assert_cell(3, 0, ' ', -1, -1);
    ui_picture(&g, ui_rect_make(10, 0, 4, 2), &snap, 2, &th);
    assert_cell(10, 0, '+', -1, -1);   /* 128 of 255: level 5 of 9 */
    ui_theme_init(&th, UI_COLOR_256, true);

    /* the view: 6x2 pictures (the narrowest) in a row, the true class under each, then the predicted
     * one, green with a check when right, red with a cross when wrong */
    ui_views v;
    memset(&v, 0, sizeof v);
    ui_rect r = ui_rect_make(0, 0, 80, 12);
    clear();
    ui_samples_panel(&g, r, &snap, &v, &th);
    assert_true(row_has(0, "epoch 2  2 of 3 test pictures right"));
    assert_true(row_has(0, "Enter: mistakes"));
    assert_cell(0, 1, 0x2580, 255, 255);
    assert_cell(5, 2, 0x2580, 232, 232);
    assert_cell(6, 1, ' ', -1, -1);   /* the gap */
    assert_cell(7, 1, 0x2580, 255, 255);
    assert_true(row_has(3, "Coat   Shirt  Shirt"));
    assert_true(row_has(4, "\xe2\x9c\x93" "Coat  \xe2\x9c\x97" "Coat  \xe2\x9c\x93" "Shirt"));
    assert_int_equal(at(0, 4)->fg, ui_st(&th, UI_R_OK).fg);
    assert_int_equal(at(7, 4)->fg, ui_st(&th, UI_R_ERROR).fg);
    /* Enter: the mistakes only */
    v.samp_wrong = true;
    clear();
    ui_samples_panel(&g, r, &snap, &v, &th);
    assert_true(row_has(0, "mistakes 1-1 of 1"));
    assert_true(row_has(3, "Shirt"));
    assert_false(row_has(3, "Coat"));
    /* names too long for the cell end in an ellipsis */
    snprintf(snap.info.class_names[1], NN_NAME_MAX, "Ankle boot");
    v.samp_wrong = false;
    clear();
    ui_samples_panel(&g, r, &snap, &v, &th);
    assert_true(row_has(3, "Coat   Ankle\xe2\x80\xa6 Ankle\xe2\x80\xa6"));
    /* data that is not pictures: the note */
    snap.samples.valid = false;
    clear();
    ui_samples_panel(&g, r, &snap, &v, &th);
    assert_true(find_row("Samples shows the pictures of image data") == 0);
}

/* A first-layer unit's weights as a picture: +1 on the left half, -0.5 on the right */
static void test_weight_picture(void **state)
{
    (void)state;
    memset(&snap, 0, sizeof snap);
    ui_snap_picture *p = &snap.picture;
    p->valid = true;
    p->unit = 3;
    p->side = 4;
    p->wmax = 1.0f;
    for (int i = 0; i < 16; i++)
        p->w[i] = i % 4 < 2 ? 1.0f : -0.5f;
    clear();
    ui_weight_picture(&g, ui_rect_make(2, 1, 4, 2), &snap, &th);
    assert_cell(2, 1, 0x2580, ui_weight_colour(&th, 1.0, 1.0), ui_weight_colour(&th, 1.0, 1.0));
    assert_cell(3, 2, 0x2580, 214, 214);
    assert_cell(4, 1, 0x2580, ui_weight_colour(&th, -0.5, 1.0), ui_weight_colour(&th, -0.5, 1.0));
    assert_cell(6, 1, ' ', -1, -1);
    /* two pixels a cell sideways: the mean of +1 and -0.5 */
    clear();
    ui_weight_picture(&g, ui_rect_make(0, 0, 2, 2), &snap, &th);
    assert_cell(0, 0, 0x2580, 214, 214);
    assert_cell(1, 0, 0x2580, ui_weight_colour(&th, -0.5, 1.0), ui_weight_colour(&th, -0.5, 1.0));
    ui_theme_init(&th, UI_COLOR_MONO, true);
    clear();
    ui_weight_picture(&g, ui_rect_make(0, 0, 4, 4), &snap, &th);
    assert_int_equal(at(0, 0)->ch, '#');
    assert_int_equal(at(3, 3)->ch, '-');
    ui_theme_init(&th, UI_COLOR_256, true);
    p->valid = false;
    clear();
    ui_weight_picture(&g, ui_rect_make(0, 0, 4, 4), &snap, &th);
    assert_cell(0, 0, ' ', -1, -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_unit_map_exact_cells, setup, teardown),
        cmocka_unit_test_setup_teardown(test_neurons_panel_columns_selection_and_detail, setup, teardown),
        cmocka_unit_test_setup_teardown(test_neurons_inputs_column, setup, teardown),
        cmocka_unit_test_setup_teardown(test_neurons_pages_a_layer_too_big, setup, teardown),
        cmocka_unit_test_setup_teardown(test_neurons_notes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_diagram_nodes_edges_and_labels, setup, teardown),
        cmocka_unit_test_setup_teardown(test_samples_pictures_and_classes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_weight_picture, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
