/* The teaching views rasterised into a grid, no terminal: region, class and weight colours, the
 * boundary heatmap (half blocks, points, ASCII and monochrome), the weight heatmap, sparklines,
 * text cut by display width, the race legend and the Boundary/Network/Health/Step/Lesson panels,
 * with exact cells. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "panel.h"
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
    return fixture_setup(100, 40);
}

// --- colours -------------------------------------------------------------------------------------

static void test_region_colours_deepen_with_confidence(void **state)
{
    (void)state;
    /* two classes: 0.5 is a coin toss (grey), 1.0 the deepest shade of the class */
    assert_int_equal(ui_region_colour(&th, 0, 0.5, 2), 237);
    assert_int_equal(ui_region_colour(&th, 0, 0.7, 2), 17);     /* frac 0.4 */
    assert_int_equal(ui_region_colour(&th, 0, 0.8, 2), 18);     /* frac 0.6 */
    assert_int_equal(ui_region_colour(&th, 0, 1.0, 2), 25);
    assert_int_equal(ui_region_colour(&th, 1, 0.95, 2), 166);   /* orange */
    /* three classes: 1/3 is the coin toss */
    assert_int_equal(ui_region_colour(&th, 2, 0.4, 3), 237);
    assert_int_equal(ui_region_colour(&th, 2, 1.0, 3), 29);     /* bluish green */
    /* classes past 8 wrap; NaN counts as unsure */
    assert_int_equal(ui_region_colour(&th, 9, 1.0, 10), 166);
    assert_int_equal(ui_region_colour(&th, 0, (double)NAN, 2), 237);
    assert_int_equal(ui_class_colour(&th, 1), th.cls[1]);
    /* colour-blind-safe order (Okabe-Ito): blue, orange, bluish green, yellow; no red-green pair */
    assert_int_equal(th.cls[0], 39);
    assert_int_equal(th.cls[1], 214);
    assert_int_equal(th.cls[2], 42);
    assert_int_equal(th.cls[3], 227);
    for (int c = 0; c < 8; c++)   /* the point stays visible over its own deepest region */
        assert_int_not_equal(ui_region_colour(&th, c, 1.0, 2), th.cls[c]);

    ui_theme t8, tm;
    ui_theme_init(&t8, UI_COLOR_8, true);
    ui_theme_init(&tm, UI_COLOR_MONO, true);
    assert_int_equal(ui_region_colour(&t8, 1, 1.0, 2), t8.cls[1]);
    assert_int_equal(t8.cls[0], 4);   /* blue, then yellow: not red against green */
    assert_int_equal(t8.cls[1], 3);
    assert_int_equal(ui_region_colour(&t8, 1, 0.5, 2), 0);
    assert_int_equal(ui_region_colour(&tm, 1, 1.0, 2), -1);
    assert_int_equal(ui_class_colour(&tm, 1), -1);
}

static void test_weight_colours_are_blue_and_orange(void **state)
{
    (void)state;
    assert_int_equal(ui_weight_colour(&th, -1.0, 1.0), 39);
    assert_int_equal(ui_weight_colour(&th, 1.0, 1.0), 214);
    assert_int_equal(ui_weight_colour(&th, 2.0, 1.0), 214);     /* clamped */
    assert_int_equal(ui_weight_colour(&th, 0.05, 1.0), 236);    /* near zero: grey */
    assert_int_equal(ui_weight_colour(&th, 0.5, 1.0), 130);
    assert_int_equal(ui_weight_colour(&th, -0.5, 1.0), 25);
    assert_int_equal(ui_weight_colour(&th, 0.5, 0.0), 236);     /* all-zero layer */
    ui_theme t8;
    ui_theme_init(&t8, UI_COLOR_8, false);
    assert_int_equal(ui_weight_colour(&t8, -1.0, 1.0), 4);
    assert_int_equal(ui_weight_colour(&t8, 1.0, 1.0), 3);
    assert_int_equal(ui_weight_colour(&t8, 0.1, 1.0), 0);
}

// --- boundary ------------------------------------------------------------------------------------

/* A 2 x 4 grid: row r predicts class r % 2 with the given confidence; points at two corners. */
static void boundary_snapshot(float conf)
{
    memset(&snap, 0, sizeof snap);
    snap.state = UI_RUN_PAUSED;
    snap.boundary.kind = UI_VIEW_BOUNDARY;
    snap.boundary.epoch = 3;
    snap.info.k = 2;
    snap.info.n_classes = 2;
    snap.info.n_features = 2;
    snprintf(snap.info.class_names[0], NN_NAME_MAX, "inner");
    snprintf(snap.info.class_names[1], NN_NAME_MAX, "outer");
    snprintf(snap.info.feature_names[0], NN_NAME_MAX, "x1");
    snprintf(snap.info.feature_names[1], NN_NAME_MAX, "x2");
    snap.boundary.x_min = 0; snap.boundary.x_max = 1; snap.boundary.y_min = 0; snap.boundary.y_max = 1;
    snap.boundary.grid_w = 2;
    snap.boundary.grid_h = 4;
    for (int r = 0; r < 4; r++)
        for (int c = 0; c < 2; c++) {
            snap.boundary.grid_class[r * 2 + c] = (uint8_t)(r % 2);
            snap.boundary.grid_conf[r * 2 + c] = c == 0 ? conf : 0.5f;
        }
    snap.boundary.n_points = 2;
    snap.boundary.points[0] = (ui_point){0.1f, 0.9f, 1, 0};   /* train, class 1, top left */
    snap.boundary.points[1] = (ui_point){0.9f, 0.1f, 0, 1};   /* test, class 0, bottom right */
}

/* The Boundary keeps the data's aspect ratio (a cell about twice as tall as wide) and centres the plot:
 * across in a wide area, down in a tall one (issue 14: the second view at 220x60 is tall). */
static void test_boundary_aspect_centres_the_plot(void **state)
{
    (void)state;
    snap.boundary.x_min = 0; snap.boundary.x_max = 3; snap.boundary.y_min = 0; snap.boundary.y_max = 1;
    ui_rect r = ui_boundary_aspect(ui_rect_make(8, 2, 72, 33), &snap);   /* 72 wide: 12 rows */
    assert_int_equal(r.x, 8);
    assert_int_equal(r.w, 72);
    assert_int_equal(r.h, 12);
    assert_int_equal(r.y, 2 + (33 - 12) / 2);
    r = ui_boundary_aspect(ui_rect_make(8, 2, 72, 10), &snap);          /* 10 rows: 60 columns */
    assert_int_equal(r.w, 60);
    assert_int_equal(r.x, 8 + 6);
    assert_int_equal(r.y, 2);
    assert_int_equal(r.h, 10);
    snap.boundary.x_min = 0; snap.boundary.x_max = 1; snap.boundary.y_min = 0; snap.boundary.y_max = 1;
}

static void test_boundary_half_blocks_and_points(void **state)
{
    (void)state;
    boundary_snapshot(1.0f);
    clear();
    ui_boundary_raster(&g, ui_rect_make(10, 5, 4, 2), &snap, &th, true);
    /* 4 x 4 pixels; top pixel row 0 = grid row 0 (class 0), bottom = grid row 1 (class 1) */
    assert_cell(11, 5, 0x2580, 25, 166);
    assert_cell(11, 6, 0x2580, 25, 166);
    /* right half: confidence 0.5 of 2 classes, grey */
    assert_cell(12, 5, 0x2580, 237, 237);
    /* the train point (class 1) at the top left, over the region's top pixel */
    assert_cell(10, 5, 0x25CF, th.cls[1], 25);
    /* the test point (class 0) at the bottom right: pixel row 3 = grid row 3 (class 1, unsure) */
    assert_cell(13, 6, 0x25CB, th.cls[0], 237);
    /* nothing outside the rectangle */
    assert_int_equal(at(14, 5)->ch, ' ');
    assert_int_equal(at(10, 7)->ch, ' ');
    assert_int_equal(at(9, 5)->ch, ' ');
}

static void test_boundary_points_can_be_hidden(void **state)
{
    (void)state;
    boundary_snapshot(1.0f);
    clear();
    ui_boundary_raster(&g, ui_rect_make(10, 5, 4, 2), &snap, &th, false);
    assert_cell(10, 5, 0x2580, 25, 166);      /* the region where the train point was */
    assert_cell(13, 6, 0x2580, 237, 237);
    ui_views v;
    memset(&v, 0, sizeof v);
    v.hide_points = true;
    clear();
    ui_boundary_panel(&g, ui_rect_make(0, 0, 60, 12), &snap, &v, &th);
    assert_true(row_has(0, "points hidden (Enter)"));
    assert_false(row_has(0, "train"));
}

static void test_boundary_ascii_and_mono(void **state)
{
    (void)state;
    boundary_snapshot(1.0f);
    ui_theme ta;
    ui_theme_init(&ta, UI_COLOR_256, false);
    clear();
    ui_boundary_raster(&g, ui_rect_make(0, 0, 4, 2), &snap, &ta, true);
    /* one pixel per cell: cell row 0 samples grid row 1 (class 1), row 1 samples grid row 3 */
    assert_cell(1, 0, ' ', -1, 166);
    assert_cell(0, 0, 'o', ta.cls[1], 166);
    assert_cell(3, 1, 'x', ta.cls[0], 237);

    ui_theme tm;
    ui_theme_init(&tm, UI_COLOR_MONO, true);
    clear();
    ui_boundary_raster(&g, ui_rect_make(0, 0, 4, 2), &snap, &tm, true);
    assert_int_equal(at(1, 0)->ch, ':');          /* class 1's glyph */
    assert_int_equal(at(1, 0)->attr, UI_A_DIM);
    assert_int_equal(at(2, 0)->ch, ' ');          /* unsure: blank */
    assert_int_equal(at(0, 0)->ch, '1');          /* train point: its class digit, bold */
    assert_int_equal(at(0, 0)->attr, UI_A_BOLD);
    assert_int_equal(at(3, 1)->ch, '0');          /* test point: reverse */
    assert_int_equal(at(3, 1)->attr, UI_A_REVERSE);
}

/* d: hard class regions: every region in its class's full colour, the unsure ones too; in mono the
 * class glyph everywhere; the header says so. */
static void test_boundary_hard_regions(void **state)
{
    (void)state;
    boundary_snapshot(0.7f);
    clear();
    ui_boundary_raster(&g, ui_rect_make(10, 5, 4, 2), &snap, &th, UI_BD_HARD);
    assert_cell(11, 5, 0x2580, 25, 166);     /* conf 0.7: as deep as conf 1 */
    assert_cell(12, 5, 0x2580, 25, 166);     /* conf 0.5 of 2 classes: no longer grey */
    assert_cell(10, 5, 0x2580, 25, 166);     /* no points without UI_BD_POINTS */
    ui_theme tm;
    ui_theme_init(&tm, UI_COLOR_MONO, true);
    clear();
    ui_boundary_raster(&g, ui_rect_make(0, 0, 4, 2), &snap, &tm, UI_BD_HARD);
    assert_int_equal(at(2, 0)->ch, ':');     /* unsure, yet class 1's glyph */
    ui_views v;
    memset(&v, 0, sizeof v);
    v.hard_regions = true;
    clear();
    ui_boundary_panel(&g, ui_rect_make(0, 0, 90, 12), &snap, &v, &th);
    assert_true(row_has(0, "outer  hard regions (d)"));
    clear();   /* narrower: the short note, whole ("hard regi..." was cut at 80x24) */
    ui_boundary_panel(&g, ui_rect_make(0, 0, 52, 12), &snap, &v, &th);
    assert_true(row_has(0, "outer  hard (d)"));
    assert_false(row_has(0, "\xe2\x80\xa6"));
    clear();   /* no room even for that: none, rather than a cut word */
    ui_boundary_panel(&g, ui_rect_make(0, 0, 44, 12), &snap, &v, &th);
    assert_false(row_has(0, "hard"));
    assert_false(row_has(0, "\xe2\x80\xa6"));
    v.hard_regions = false;
    clear();
    ui_boundary_panel(&g, ui_rect_make(0, 0, 90, 12), &snap, &v, &th);
    assert_false(row_has(0, "hard"));
}

/* Playground features: the picture is over the raw x1, x2, and a line says the inputs come from them. */
static void test_boundary_over_x1_x2_with_features(void **state)
{
    (void)state;
    boundary_snapshot(1.0f);
    snap.info.n_raw = 2;
    snap.info.n_features = 5;
    snprintf(snap.boundary.names[0], NN_NAME_MAX, "x1");
    snprintf(snap.boundary.names[1], NN_NAME_MAX, "x2");
    clear();
    ui_boundary_panel(&g, ui_rect_make(0, 0, 90, 12), &snap, NULL, &th);
    assert_true(row_has(1, "x x1, y x2; the network's 5 inputs are computed from them (dataset.features)"));
    assert_false(row_has(1, "at their mean"));
}

/* A 3-class matrix with mistakes, and the worker's rows behind cell (1, 2). */
static void confusion_snapshot(void)
{
    memset(&snap, 0, sizeof snap);
    snap.state = UI_RUN_PAUSED;
    snap.has_last = true;
    snap.last.epoch = 4;
    snap.info.task = NN_TASK_CLASSIFICATION;
    snap.info.k = snap.info.n_classes = 3;
    snprintf(snap.info.class_names[0], NN_NAME_MAX, "setosa");
    snprintf(snap.info.class_names[1], NN_NAME_MAX, "versicolor");
    snprintf(snap.info.class_names[2], NN_NAME_MAX, "virginica");
    const int cm[9] = {10, 0, 0, 0, 6, 3, 0, 1, 10};
    memcpy(snap.eval.confusion, cm, sizeof cm);
    snap.eval.metrics.accuracy = 26.0 / 30;
    snap.eval.cell_a = 1;
    snap.eval.cell_p = 2;
    snap.eval.cell_n = 3;
    snap.eval.cell_shown = 3;
    snap.eval.cell_nv = 2;
    snap.eval.cell_xy = true;
    snprintf(snap.eval.cell_names[0], NN_NAME_MAX, "petal_length");
    snprintf(snap.eval.cell_names[1], NN_NAME_MAX, "petal_width");
    const float v[3][2] = {{4.9f, 1.5f}, {5.0f, 1.7f}, {4.5f, 1.7f}};
    for (int i = 0; i < 3; i++) {
        snap.eval.cell[i].row = (uint32_t)(70 + i);
        snap.eval.cell[i].v[0] = snap.eval.cell[i].x = v[i][0];
        snap.eval.cell[i].v[1] = snap.eval.cell[i].y = v[i][1];
    }
}

/* The Confusion view: the first arrow selects the commonest mistake (versicolor predicted as
 * virginica) and asks the worker for its rows; the cell is marked, its rows listed under the
 * matrix; arrows move it, Enter lets go; a click on a cell selects it. */
static void test_confusion_cell_lists_its_rows(void **state)
{
    (void)state;
    confusion_snapshot();
    ui_views v;
    memset(&v, 0, sizeof v);
    ui_model m;
    memset(&m, 0, sizeof m);
    m.th = &th;
    m.snap = &snap;
    m.views = &v;
    const ui_view_def *cv = ui_view(UI_V_CONFUSION);
    ui_intent in;
    memset(&in, 0, sizeof in);
    assert_int_equal(cv->key(&v, &m, (ui_cmd){UI_ACT_DOWN, 0}, &in), UI_REDRAW);
    assert_true(v.cell_on);
    assert_int_equal(in.kind, UI_INTENT_CELL);
    assert_int_equal(in.arg[0], 1);
    assert_int_equal(in.arg[1], 2);
    clear();
    cv->draw(&g, ui_rect_make(0, 0, 60, 14), &m);
    /* 14 rows >= 3 + 7 + 3: the epoch line, the summary, the head, then cells of two rows (setosa on
     * rows 3-4): the matrix as large as with no cell selected (a selection shrank it to one row a class) */
    assert_true(row_has(0, "test split after epoch 4"));
    assert_true(row_has(6, "versicolor      0           6      \xe2\x96\xb6    3"));   /* the selected cell pointed at */
    for (int yy = 5; yy <= 6; yy++) {   /* cell (1, 2): columns 35..46, rows 5 and 6 */
        assert_int_equal(at(35, yy)->attr & UI_A_REVERSE, UI_A_REVERSE);
        assert_int_equal(at(46, yy)->attr & UI_A_UNDERLINE, UI_A_UNDERLINE);
        assert_int_equal(at(46, yy)->attr & UI_A_REVERSE, UI_A_REVERSE);
        assert_int_equal(at(34, yy)->attr & UI_A_REVERSE, 0);
    }
    assert_int_equal(at(35, 7)->attr & UI_A_REVERSE, 0);
    assert_true(row_has(8, "virginica       0           1           10"));
    assert_false(row_has(9, "class"));   /* the metrics table gives its rows to the cell's */
    assert_true(row_has(10, "actual versicolor, predicted virginica: 3 test rows"));
    assert_false(row_has(10, "in th"));   /* the note does not fit whole in 60 columns: left out */
    assert_true(row_has(11, "   row petal_len petal_wid"));
    assert_true(row_has(12, "    71       4.9       1.5"));
    assert_true(row_has(13, "       and 2 more"));
    clear();
    cv->draw(&g, ui_rect_make(0, 0, 80, 14), &m);
    assert_true(row_has(10, "actual versicolor, predicted virginica: 3 test rows, \xe2\x97\x86 in the Boundary (6)"));
    clear();   /* taller: the whole list under the matrix */
    cv->draw(&g, ui_rect_make(0, 0, 60, 24), &m);
    assert_true(row_has(23, "    73       4.5       1.7"));
    /* Left: predicted versicolor; the worker has not answered yet, so no rows are listed */
    memset(&in, 0, sizeof in);
    cv->key(&v, &m, (ui_cmd){UI_ACT_LEFT, 0}, &in);
    assert_int_equal(in.kind, UI_INTENT_CELL);
    assert_int_equal(in.arg[1], 1);
    clear();
    cv->draw(&g, ui_rect_make(0, 0, 60, 14), &m);
    assert_int_equal(at(23, 6)->attr & UI_A_REVERSE, UI_A_REVERSE);
    assert_false(row_has(10, "actual"));
    /* Enter lets go: -1 to the worker */
    memset(&in, 0, sizeof in);
    cv->key(&v, &m, (ui_cmd){UI_ACT_EDIT, 0}, &in);
    assert_false(v.cell_on);
    assert_int_equal(in.arg[0], -1);
    /* a click on setosa's column of the virginica row selects (2, 0); sync sends it (nothing
     * selected, 13 rows leave room for cells of two rows: virginica's are rows 7 and 8) */
    cv->click(&v, &m, ui_rect_make(0, 0, 60, 14), 13, 5);
    assert_int_equal(v.cell_a, 1);
    v.cell_on = false;
    cv->click(&v, &m, ui_rect_make(0, 0, 60, 14), 13, 8);
    assert_true(v.cell_on);
    assert_int_equal(v.cell_a, 2);
    assert_int_equal(v.cell_p, 0);
    memset(&in, 0, sizeof in);
    cv->sync(&v, &m, &in);
    assert_int_equal(in.kind, UI_INTENT_CELL);
    assert_int_equal(in.arg[0], 2);
    assert_int_equal(in.arg[1], 0);
    memset(&in, 0, sizeof in);
    cv->sync(&v, &m, &in);   /* sent once */
    assert_int_equal(in.kind, UI_INTENT_NONE);
    /* image data: the row numbers */
    v.cell_a = 1;
    v.cell_p = 2;
    snap.eval.cell_nv = 0;
    snap.eval.cell_xy = false;
    snap.eval.cell_n = 40;
    clear();
    cv->draw(&g, ui_rect_make(0, 0, 60, 14), &m);
    assert_true(row_has(10, "actual versicolor, predicted virginica: 40 test rows"));
    assert_true(row_has(11, "rows 71 72 73 (+37)"));
}

/* Per class, beside the metrics table, precision, recall and F1 over the epochs as sparklines
 * from 0 to 1; with enough epochs a line says which. */
static void test_confusion_class_metrics_over_epochs(void **state)
{
    (void)state;
    confusion_snapshot();
    snap.eval.cls_len = 3;
    snap.eval.cls_last = 4;
    const float p0[3] = {0.0f, 0.5f, 1.0f};
    for (int i = 0; i < 3; i++) {
        snap.eval.cls_p[0][i] = p0[i];
        snap.eval.cls_r[0][i] = 1.0f;
        snap.eval.cls_f[2][i] = 0.0f;
    }
    ui_views v;
    memset(&v, 0, sizeof v);
    ui_model m;
    memset(&m, 0, sizeof m);
    m.th = &th;
    m.snap = &snap;
    m.views = &v;
    clear();
    ui_view(UI_V_CONFUSION)->draw(&g, ui_rect_make(0, 0, 80, 20), &m);
    /* 19 rows under the epoch line: cells of 3 rows (rows 3..11), a blank line, the table's head on row
     * 13; its numbers end at column 10 + 30; three sparklines of 3 epochs from column 42, 2 apart */
    assert_true(row_has(13, "class      precision    recall        F1  P    R    F1"));
    assert_int_equal(at(42, 14)->ch, 0x2581);
    assert_int_equal(at(43, 14)->ch, 0x2585);
    assert_int_equal(at(44, 14)->ch, 0x2588);
    assert_int_equal(at(47, 14)->ch, 0x2588);   /* class 0's recall: 1 */
    assert_int_equal(at(52, 16)->ch, 0x2581);  /* class 2's F1: 0 */
    assert_int_equal(at(45, 14)->ch, ' ');
    assert_false(row_has(17, "epochs"));       /* "epochs 2-4, 0 to 1" does not fit in 3 x 3 + 4 */
    /* 12 epochs: 11 shown, and the line under them */
    snap.eval.cls_len = 12;
    snap.eval.cls_last = 13;
    clear();
    ui_view(UI_V_CONFUSION)->draw(&g, ui_rect_make(0, 0, 80, 20), &m);
    assert_true(row_has(13, "F1  precision    recall       F1"));
    assert_true(row_has(17, "epochs 3-13, 0 to 1"));
    /* one epoch: no sparklines; a selected cell: its rows instead */
    snap.eval.cls_len = 1;
    clear();
    ui_view(UI_V_CONFUSION)->draw(&g, ui_rect_make(0, 0, 80, 20), &m);
    assert_int_equal(at(42, 14)->ch, ' ');
}

/* The Boundary marks the selected cell's rows with diamonds (ASCII *) and says which cell. */
static void test_boundary_marks_the_cells_rows(void **state)
{
    (void)state;
    confusion_snapshot();
    snap.boundary.kind = UI_VIEW_BOUNDARY;
    snap.boundary.epoch = 4;
    snap.boundary.x_min = 4.0f; snap.boundary.x_max = 6.0f; snap.boundary.y_min = 1.0f; snap.boundary.y_max = 2.0f;
    snap.boundary.grid_w = 2;
    snap.boundary.grid_h = 2;
    snap.info.n_features = 2;
    clear();
    ui_boundary_raster(&g, ui_rect_make(0, 0, 8, 4), &snap, &th, UI_BD_POINTS | UI_BD_CELL);
    /* (4.9, 1.5): column floor(0.45 * 8) = 3, pixel row floor(0.5 * 8) = 4, cell row 2 */
    assert_int_equal(at(3, 2)->ch, 0x25C6);
    assert_int_equal(at(4, 1)->ch, 0x25C6);   /* (5.0, 1.7): pixel row 2 */
    assert_int_equal(at(2, 1)->ch, 0x25C6);   /* (4.5, 1.7): column 2 */
    ui_views v;
    memset(&v, 0, sizeof v);
    v.cell_on = true;
    clear();
    ui_boundary_panel(&g, ui_rect_make(0, 0, 90, 12), &snap, &v, &th);
    assert_true(row_has(0, "\xe2\x97\x86 3 test rows: actual versicolor, predicted virginica (5)"));
    v.cell_on = false;
    clear();
    ui_boundary_panel(&g, ui_rect_make(0, 0, 90, 12), &snap, &v, &th);
    assert_false(row_has(0, "test rows"));
}

static void test_boundary_changes_with_the_grid(void **state)
{
    (void)state;
    boundary_snapshot(0.7f);
    clear();
    ui_boundary_raster(&g, ui_rect_make(0, 0, 4, 2), &snap, &th, true);
    assert_cell(1, 1, 0x2580, 17, 94);     /* conf 0.7 = frac 0.4: the lightest shades */
    snap.boundary.grid_class[2] = 0;                 /* grid row 1, column 0 flips to class 0 */
    clear();
    ui_boundary_raster(&g, ui_rect_make(0, 0, 4, 2), &snap, &th, true);
    assert_cell(1, 0, 0x2580, 17, 17);
}

static void test_boundary_surface_uses_the_heat_ramp(void **state)
{
    (void)state;
    boundary_snapshot(1.0f);
    snap.boundary.kind = UI_VIEW_SURFACE;
    for (int i = 0; i < 8; i++)
        snap.boundary.grid_conf[i] = i < 4 ? 0.0f : 1.0f;   /* rows 0-1 low, rows 2-3 high */
    snap.boundary.n_points = 0;
    clear();
    ui_boundary_raster(&g, ui_rect_make(0, 0, 2, 2), &snap, &th, true);
    assert_cell(0, 0, 0x2580, th.heat_bg[0], th.heat_bg[0]);
    assert_cell(0, 1, 0x2580, th.heat_bg[th.heat_n - 1], th.heat_bg[th.heat_n - 1]);
}

static void test_boundary_panel_axes_legend_and_notes(void **state)
{
    (void)state;
    boundary_snapshot(1.0f);
    snap.boundary.x_min = -2.5f; snap.boundary.x_max = 3.0f; snap.boundary.y_min = -1.0f; snap.boundary.y_max = 4.0f;
    clear();
    ui_boundary_panel(&g, ui_rect_make(0, 0, 60, 12), &snap, NULL, &th);
    assert_true(row_has(0, "epoch 3"));
    assert_true(row_has(0, "\xe2\x97\x8f train \xe2\x97\x8b test"));
    assert_true(row_has(0, "inner"));
    assert_true(row_has(0, "outer"));
    assert_true(row_has(1, "    4.0 "));                 /* y_max, right-aligned in 7 columns, */
    assert_true(row_has(10, "   -1.0 "));                /* y_min on the plot's last row: one decimal each */
    assert_true(row_has(11, "-2.5"));                    /* x_min under the plot */
    assert_true(row_has(11, "3.0"));
    assert_true(row_has(11, "x1"));
    /* the aspect ratio kept: x 5.5 by y 5 units in 10 rows is 2 * 10 * 5.5 / 5 = 22 columns (a cell
     * is about twice as tall as wide), centred in the 52 columns right of the labels: 23..44 */
    assert_int_equal(at(23, 1)->ch, 0x2580);
    assert_int_equal(at(44, 10)->ch, 0x2580);
    assert_int_equal(at(22, 5)->ch, ' ');
    assert_int_equal(at(45, 5)->ch, ' ');
    assert_true(row_has(1, "    4.0 \xe2\x96\x80"));   /* y_max right beside the plot */
    /* ranges more than 3 times apart (different units): the whole area */
    snap.boundary.x_max = 30.0f;
    clear();
    ui_boundary_panel(&g, ui_rect_make(0, 0, 60, 12), &snap, NULL, &th);
    assert_int_equal(at(8, 1)->ch, 0x2580);
    assert_int_equal(at(59, 10)->ch, 0x2580);
    /* a range wider than the area allows: the height shrinks (x 14 by y 5 units would need 56 columns
     * for 10 rows; 52 columns give 52 * 5 / (2 * 14) = 9.3, so 9 rows: 1..9, the x labels on row 10) */
    snap.boundary.x_min = 40.0f;
    snap.boundary.x_max = 54.0f;
    clear();
    ui_boundary_panel(&g, ui_rect_make(0, 0, 60, 12), &snap, NULL, &th);
    assert_int_equal(at(8, 1)->ch, 0x2580);
    assert_int_equal(at(59, 9)->ch, 0x2580);
    assert_int_equal(at(59, 10)->ch, '4');     /* "54", x_max, right under the plot */
    assert_true(row_has(10, "40"));
    snap.boundary.x_min = -2.5f; snap.boundary.x_max = 3.0f; snap.boundary.y_max = 4.0f;

    /* 4 features: two chosen, the note says so and the plot starts a row lower */
    snap.info.n_features = 4;
    snap.boundary.fx = 2;
    snap.boundary.fy = 3;
    snprintf(snap.boundary.names[0], NN_NAME_MAX, "petal_length");
    snprintf(snap.boundary.names[1], NN_NAME_MAX, "petal_width");
    clear();
    ui_boundary_panel(&g, ui_rect_make(0, 0, 90, 12), &snap, NULL, &th);
    assert_true(row_has(1, "x petal_length, y petal_width; 2 other features at their mean"));
    assert_true(row_has(2, "    4.0 "));
    assert_int_equal(at(0, 1)->ch, 'x');
    assert_int_equal(at(2, 1)->ch, 'p');
    assert_int_equal(at(39, 2)->ch, 0x2580);   /* 9 rows: 20 columns, centred in 82 */
    assert_true(row_has(11, "petal_length"));
    assert_true(row_has(6, "petal_\xe2\x80\xa6"));   /* a name longer than the label column ends in an ellipsis */

    snap.boundary.kind = UI_VIEW_NONE;
    clear();
    ui_boundary_panel(&g, ui_rect_make(0, 0, 60, 12), &snap, NULL, &th);
    assert_true(row_has(0, "Boundary needs 2 features (this dataset has 4): drawing"));
    assert_true(row_has(1, "the others at their mean"));
    snap.info.n_features = 784;
    clear();
    ui_boundary_panel(&g, ui_rect_make(0, 0, 60, 12), &snap, NULL, &th);
    assert_true(row_has(0, "Boundary needs 2 features (this dataset has 784, too many"));
    assert_false(row_has(0, "drawing"));
    /* images: what to look at instead, the same words as everywhere (ui_boundary_instead) */
    assert_true(find_row("Confusion") > 0);
    assert_true(find_row("Network view") > 0);
    assert_non_null(strstr(ui_boundary_instead, "Confusion view"));

    snap.boundary.kind = UI_VIEW_BOUNDARY;
    snap.race.on = true;
    clear();
    ui_boundary_panel(&g, ui_rect_make(0, 0, 60, 12), &snap, NULL, &th);
    assert_true(row_has(0, "no boundary during a race"));
}

static void test_boundary_panel_curve(void **state)
{
    (void)state;
    memset(&snap, 0, sizeof snap);
    snap.state = UI_RUN_DONE;
    snap.boundary.kind = UI_VIEW_CURVE;
    snap.boundary.epoch = 5;
    snap.boundary.x_min = 0; snap.boundary.x_max = 1; snap.boundary.y_min = -1; snap.boundary.y_max = 1;
    snap.boundary.curve_n = 2;
    snap.boundary.curve_x[0] = 0; snap.boundary.curve_y[0] = -1;
    snap.boundary.curve_x[1] = 1; snap.boundary.curve_y[1] = 1;
    clear();
    ui_boundary_panel(&g, ui_rect_make(0, 0, 30, 6), &snap, NULL, &th);
    assert_true(row_has(0, "fit"));
    /* a rising line: bottom left to top right of the 22 x 4 plot */
    assert_int_equal(at(8, 4)->ch & 0xFF00, 0x2800);
    assert_int_equal(at(29, 1)->ch & 0xFF00, 0x2800);
    assert_int_equal(at(29, 1)->fg, ui_st(&th, UI_R_TRAIN).fg);
    assert_int_equal(at(8, 1)->ch, ' ');
}

// --- network -------------------------------------------------------------------------------------

static void test_weights_raster_exact_cells(void **state)
{
    (void)state;
    /* 2 inputs x 3 neurons in 6 columns: each neuron 2 cells wide, both inputs in one cell */
    const float w[6] = {-1.0f, 0.5f, 0.0f, 1.0f, -0.5f, 0.05f};
    clear();
    ui_weights_raster(&g, ui_rect_make(2, 3, 6, 1), w, 2, 3, 1.0, &th);
    assert_cell(2, 3, 0x2580, 39, 214);
    assert_cell(3, 3, 0x2580, 39, 214);
    assert_cell(4, 3, 0x2580, 130, 25);
    assert_cell(6, 3, 0x2580, 236, 236);
    assert_int_equal(at(8, 3)->ch, ' ');
    assert_int_equal(at(2, 4)->ch, ' ');     /* two rows need one cell */
    /* more rows than inputs: each input the same whole number of pixel rows (2 in 3 cells: 3 each) */
    clear();
    ui_weights_raster(&g, ui_rect_make(2, 3, 6, 3), w, 2, 3, 1.0, &th);
    assert_cell(2, 3, 0x2580, 39, 39);
    assert_cell(2, 4, 0x2580, 39, 214);
    assert_cell(2, 5, 0x2580, 214, 214);

    /* 4 inputs in one cell row: sampled to rows 0 and 2 */
    const float w4[4] = {1.0f, -1.0f, -1.0f, 1.0f};
    clear();
    ui_weights_raster(&g, ui_rect_make(0, 0, 1, 1), w4, 4, 1, 1.0, &th);
    assert_cell(0, 0, 0x2580, 214, 39);

    /* 3 inputs: the last cell has only its top half */
    const float w3[3] = {1.0f, 1.0f, -1.0f};
    clear();
    ui_weights_raster(&g, ui_rect_make(0, 0, 1, 2), w3, 3, 1, 1.0, &th);
    assert_cell(0, 1, 0x2580, 39, -1);

    /* monochrome: signs as glyphs */
    ui_theme tm;
    ui_theme_init(&tm, UI_COLOR_MONO, true);
    clear();
    ui_weights_raster(&g, ui_rect_make(0, 0, 3, 2), w, 2, 3, 1.0, &tm);
    assert_int_equal(at(0, 0)->ch, '=');      /* -1 */
    assert_int_equal(at(0, 1)->ch, '#');      /* +1 */
    assert_int_equal(at(1, 0)->ch, '+');      /* 0.5 */
    assert_int_equal(at(2, 1)->ch, ' ');      /* 0.05 */
}

static void network_snapshot(void)
{
    memset(&snap, 0, sizeof snap);
    snap.state = UI_RUN_PAUSED;
    snap.net.valid = true;
    snap.net.epoch = 2;
    snap.info.n_features = 2;
    snap.info.n_layers = 2;
    snap.info.layers[0] = (ui_layer_info){2, 3, NN_ACT_RELU};
    snap.info.layers[1] = (ui_layer_info){3, 2, NN_ACT_SOFTMAX};
    snprintf(snap.info.feature_names[0], NN_NAME_MAX, "x1");
    snprintf(snap.info.feature_names[1], NN_NAME_MAX, "x2");
    snap.net.rows[0] = 2; snap.net.cols[0] = 3;
    snap.net.rows[1] = 3; snap.net.cols[1] = 2;
    const float w0[6] = {-1.0f, 0.5f, 0.0f, 1.0f, -0.5f, 0.05f};
    memcpy(snap.net.w[0], w0, sizeof w0);
    for (int i = 0; i < 6; i++)
        snap.net.w[1][i] = (float)(i - 3) / 3.0f;
    snap.net.wmax[0] = 1.0f;
    snap.net.wmax[1] = 1.0f;
    snap.net.b[0][1] = 0.25f;
    snap.net.act_rows = 32;
    snap.net.amean[0][1] = 0.0f;
    snap.net.active[0][1] = 0.0f;
}

static void test_network_panel_layers_and_the_selected_neuron(void **state)
{
    (void)state;
    network_snapshot();
    ui_views v;
    memset(&v, 0, sizeof v);
    v.net_layer = 0;
    v.net_unit = 1;
    clear();
    ui_network_panel(&g, ui_rect_make(0, 0, 70, 14), &snap, &v, &th);
    assert_true(row_has(0, "negative"));
    assert_true(row_has(0, "positive"));
    assert_true(row_has(1, ">1 2\xe2\x86\x92" "3"));
    assert_true(row_has(1, "2 3\xe2\x86\x92" "2"));
    /* a small network in 70x14 is drawn 4 times larger (it filled 3 of 7 rows): a neuron 8 columns, an
     * input 4 half-block pixels (2 rows) in both layers. Layer 1: 3 neurons in 24 columns from
     * column 0, row 2; input 0 on rows 2-3, input 1 on rows 4-5 */
    assert_cell(0, 2, 0x2580, 39, 39);
    assert_cell(7, 3, 0x2580, 39, 39);
    assert_cell(0, 4, 0x2580, 214, 214);
    assert_cell(8, 2, 0x2580, 130, 130);
    assert_cell(8, 4, 0x2580, 25, 25);
    assert_int_equal(at(0, 6)->ch, ' ');   /* 2 inputs: 4 rows */
    assert_int_equal(at(24, 2)->ch, ' ');  /* the gap */
    /* the marker under neuron 1 (columns 8-15) */
    int mr = -1;
    for (int y = 2; y < 10; y++)
        if (at(11, y)->ch == 0x25B2)
            mr = y;
    assert_int_equal(mr, 6);   /* right under its heatmap (rows 2-5), not at the area's bottom */
    /* the detail */
    int d = find_row("layer 1 neuron 1");
    assert_true(d >= 0);
    assert_true(row_has(d, "bias +0.25"));
    assert_true(row_has(d + 1, "active on 0% of rows (dead)"));
    assert_true(row_has(d + 3, "x1 +0.5"));
    assert_true(row_has(d + 3, "x2 -0.5"));

    /* a click: layer 1's heatmap is columns 0-23 (8 a neuron), layer 2's from column 25 */
    int hl = -1, hu = -1;
    assert_true(ui_network_hit(&snap, &v, ui_rect_make(0, 0, 70, 14), 20, 2, &hl, &hu));
    assert_int_equal(hl, 0);
    assert_int_equal(hu, 2);
    assert_true(ui_network_hit(&snap, &v, ui_rect_make(0, 0, 70, 14), 25, 1, &hl, &hu));   /* its label */
    assert_int_equal(hl, 1);
    assert_int_equal(hu, 0);
    assert_false(ui_network_hit(&snap, &v, ui_rect_make(0, 0, 70, 14), 24, 2, &hl, &hu));  /* the gap */
    assert_false(ui_network_hit(&snap, &v, ui_rect_make(0, 0, 70, 14), 1, 0, &hl, &hu));  /* the legend */
    /* layer 2 (3 inputs, each 4 pixels too): W2[0][0] on rows 2-3, W2[1][0] on rows 4-5 */
    assert_cell(25, 2, 0x2580, ui_weight_colour(&th, -1.0, 1.0), ui_weight_colour(&th, -1.0, 1.0));
    assert_cell(25, 4, 0x2580, ui_weight_colour(&th, -1.0 / 3, 1.0), ui_weight_colour(&th, -1.0 / 3, 1.0));
    assert_int_equal(at(25, 8)->ch, ' ');   /* 3 inputs: 6 rows */

    /* no room to grow (2 heatmap rows for 3 inputs): 2 columns a neuron and 2 inputs a row as before */
    clear();
    ui_network_panel(&g, ui_rect_make(0, 0, 44, 5), &snap, &v, &th);
    assert_cell(0, 2, 0x2580, 39, 214);
    assert_cell(2, 2, 0x2580, 130, 25);
    assert_cell(9, 2, 0x2580, ui_weight_colour(&th, -1.0, 1.0), ui_weight_colour(&th, -1.0 / 3, 1.0));

    /* the selection moves to layer 2 */
    v.net_layer = 1;
    v.net_unit = 0;
    clear();
    ui_network_panel(&g, ui_rect_make(0, 0, 70, 14), &snap, &v, &th);
    assert_true(row_has(1, ">2 3"));
    assert_true(find_row("layer 2 neuron 0 (softmax, 3 inputs)") >= 0);
}

static void test_network_scrolls_to_the_selected_layer(void **state)
{
    (void)state;
    network_snapshot();
    /* eight layers of 16 neurons: only about four fit in 40 columns */
    snap.info.n_layers = 8;
    for (int l = 0; l < 8; l++) {
        snap.info.layers[l] = (ui_layer_info){16, 16, NN_ACT_SIGMOID};
        snap.net.rows[l] = 16;
        snap.net.cols[l] = 16;
        snap.net.wmax[l] = 1.0f;
    }
    ui_views v;
    memset(&v, 0, sizeof v);
    clear();
    ui_network_panel(&g, ui_rect_make(0, 0, 40, 12), &snap, &v, &th);
    assert_true(row_has(1, ">1 16"));
    assert_false(row_has(1, "8 16"));
    v.net_layer = 7;
    clear();
    ui_network_panel(&g, ui_rect_make(0, 0, 40, 12), &snap, &v, &th);
    assert_true(row_has(1, ">8 16"));
    assert_false(row_has(1, "1 16"));
    assert_int_equal(at(0, 2)->ch, '<');
    /* 40 columns: the bias is shown whole, the activation and fan-in give way */
    assert_true(find_row("layer 8 neuron 0  bias ") >= 0);
}

/* [ and ] pick the selected neuron's bias and incoming weights (shown in the detail, the header says
 * what Enter does), Enter opens the editor on the picked weight's value, Esc drops the pick (and Enter
 * goes back to switching to the diagram), a click on the strip picks that input, a pooled layer
 * refuses; mono and ASCII forms. */
static void test_network_picks_a_weight_and_enter_edits_it(void **state)
{
    (void)state;
    network_snapshot();
    ui_views v;
    memset(&v, 0, sizeof v);
    v.net_layer = 0;
    v.net_unit = 1;
    ui_model m;
    memset(&m, 0, sizeof m);
    m.th = &th;
    m.snap = &snap;
    m.views = &v;
    ui_intent in;
    ui_rect r = ui_rect_make(0, 0, 70, 14);
    memset(&in, 0, sizeof in);
    assert_int_equal(ui_network_view.key(&v, &m, (ui_cmd){UI_ACT_NEXT_SAMPLE, 0}, &in), UI_REDRAW);
    assert_true(v.net_picked);
    assert_int_equal(v.net_input, -1);   /* ]: the bias first */
    clear();
    ui_network_panel(&g, r, &snap, &v, &th);
    assert_true(row_has(0, "Enter: edit b1[1]"));
    int d = find_row("layer 1 neuron 1");
    assert_true(d > 0);
    /* "layer 1 neuron 1 (relu, 2 inputs)  bias +0.25": the value reversed */
    char t[128];
    row(d, 0, 70, t, sizeof t);
    int bx = (int)(strstr(t, "+0.25") - t);
    assert_int_equal(at(bx, d)->ch, '+');
    assert_true(at(bx, d)->attr & UI_A_REVERSE);
    assert_true(row_has(d + 1, "\xe2\x96\xb6 b1[1] bias of 1  +0.25   Enter: new value  [ ]: next  Esc: done"));
    assert_int_equal(at(0, d + 1)->fg, ui_st(&th, UI_R_WARN).fg);

    /* ]: input 0 (x1 -> neuron 1, W[0][1] = 0.5) */
    ui_network_view.key(&v, &m, (ui_cmd){UI_ACT_NEXT_SAMPLE, 0}, &in);
    assert_int_equal(v.net_input, 0);
    clear();
    ui_network_panel(&g, r, &snap, &v, &th);
    assert_true(row_has(0, "Enter: edit W1[0][1]"));
    assert_true(row_has(d + 1, "\xe2\x96\xb6 W1[0][1] x1\xe2\x86\x92" "1  +0.5   Enter: new value"));
    /* the value, reversed: "▶ W1[0][1] x1→1 " is 16 cells, then " +0.5 " */
    assert_int_equal(at(17, d + 1)->ch, '+');
    assert_true(at(17, d + 1)->attr & UI_A_REVERSE);
    assert_false(at(bx, d)->attr & UI_A_REVERSE);   /* the bias no longer */
    /* the 80x24 view is 44 columns: the keys stay ([ ] and Esc were missing); narrower, "x1->1" gives way */
    clear();
    ui_network_panel(&g, ui_rect_make(0, 0, 44, 11), &snap, &v, &th);
    int dn = find_row("layer 1 neuron 1");
    assert_true(dn > 0);
    assert_true(row_has(dn + 1, "\xe2\x96\xb6 W1[0][1] x1\xe2\x86\x92" "1  +0.5   Enter edit  [ ] Esc"));
    clear();
    ui_network_panel(&g, ui_rect_make(0, 0, 38, 11), &snap, &v, &th);
    assert_true(row_has(dn + 1, "\xe2\x96\xb6 W1[0][1]  +0.5   Enter edit  [ ] Esc"));
    clear();
    ui_network_panel(&g, r, &snap, &v, &th);
    /* the strip: "incoming " then one cell per input; the picked one holds a pointer over its colour */
    assert_true(row_has(d + 2, "incoming "));
    assert_cell(9, d + 2, 0x25BC, ui_st(&th, UI_R_WARN).fg, ui_weight_colour(&th, 0.5, 1.0));
    assert_cell(10, d + 2, ' ', -1, ui_weight_colour(&th, -0.5, 1.0));
    /* and in the list by magnitude */
    row(d + 3, 0, 70, t, sizeof t);
    int wx = (int)(strstr(t, "x1 +0.5") - t) + 3;
    assert_true(at(wx, d + 3)->attr & UI_A_REVERSE);

    /* [ twice: back over the bias to the last input; ] from there wraps to the bias */
    ui_network_view.key(&v, &m, (ui_cmd){UI_ACT_PREV_SAMPLE, 0}, &in);
    ui_network_view.key(&v, &m, (ui_cmd){UI_ACT_PREV_SAMPLE, 0}, &in);
    assert_int_equal(v.net_input, 1);
    ui_network_view.key(&v, &m, (ui_cmd){UI_ACT_NEXT_SAMPLE, 0}, &in);
    assert_int_equal(v.net_input, -1);
    ui_network_view.key(&v, &m, (ui_cmd){UI_ACT_NEXT_SAMPLE, 0}, &in);

    /* Enter: the editor on W1[0][1] with its value */
    memset(&in, 0, sizeof in);
    ui_network_view.key(&v, &m, (ui_cmd){UI_ACT_EDIT, 0}, &in);
    assert_int_equal(in.kind, UI_INTENT_EDIT);
    assert_int_equal(in.edit, UI_EDIT_WEIGHT);
    assert_int_equal(in.arg[0], 0);
    assert_int_equal(in.arg[1], 0);
    assert_int_equal(in.arg[2], 1);
    assert_string_equal(in.text, "0.5");
    assert_string_equal(in.key, "W1[0][1], from x1 into neuron 1, layer 1");
    assert_false(v.net_diagram);

    /* Right: the next neuron keeps the input picked */
    ui_network_view.key(&v, &m, (ui_cmd){UI_ACT_RIGHT, 0}, &in);
    assert_int_equal(v.net_unit, 2);
    assert_true(v.net_picked);
    assert_int_equal(v.net_input, 0);

    /* Esc drops the pick; Enter switches to the diagram again */
    assert_int_equal(ui_network_view.key(&v, &m, (ui_cmd){UI_ACT_CANCEL, 0}, &in), UI_REDRAW);
    assert_false(v.net_picked);
    assert_int_equal(ui_network_view.key(&v, &m, (ui_cmd){UI_ACT_CANCEL, 0}, &in), 0u);
    memset(&in, 0, sizeof in);
    ui_network_view.key(&v, &m, (ui_cmd){UI_ACT_EDIT, 0}, &in);
    assert_true(v.net_diagram);
    assert_int_not_equal(in.kind, UI_INTENT_EDIT);
    v.net_diagram = false;
    clear();
    ui_network_panel(&g, r, &snap, &v, &th);
    assert_false(row_has(0, "Enter: edit"));
    assert_true(row_has(0, "rows: inputs, columns: neurons"));

    /* a click on the strip picks that input of the selected neuron */
    v.net_unit = 1;
    int i = -5;
    assert_true(ui_network_strip_hit(&snap, &v, r, 10, d + 2, &i));
    assert_int_equal(i, 1);
    assert_false(ui_network_strip_hit(&snap, &v, r, 11, d + 2, &i));   /* past the 2 inputs */
    assert_false(ui_network_strip_hit(&snap, &v, r, 10, d + 1, &i));
    ui_network_view.click(&v, &m, r, 10, d + 2);
    assert_true(v.net_picked);
    assert_int_equal(v.net_input, 1);

    /* the diagram: the picked weight and its value in the header, its input's node marked */
    clear();
    ui_net_diagram(&g, ui_rect_make(0, 0, 70, 14), &snap, 0, 1, 1, &th);
    assert_true(row_has(0, " W1[1][1] = -0.5   Enter: edit"));

    /* monochrome ASCII: the same words, the value reversed */
    ui_theme mono;
    ui_theme_init(&mono, UI_COLOR_MONO, false);
    v.net_input = 0;
    clear();
    ui_network_panel(&g, r, &snap, &v, &mono);
    assert_true(row_has(d + 1, "> W1[0][1] x1->1  +0.5   Enter: new value"));
    assert_true(at(17, d + 1)->attr & UI_A_REVERSE);
    /* the legend names all four glyphs: - + small, = # large */
    assert_true(row_has(0, "(= # large)"));
    assert_int_equal(at(9, d + 2)->ch, 'v');

    /* a layer drawn pooled has no single weights to pick */
    v.net_picked = false;
    snap.net.rows[0] = 1;
    memset(&in, 0, sizeof in);
    ui_network_view.key(&v, &m, (ui_cmd){UI_ACT_NEXT_SAMPLE, 0}, &in);
    assert_false(v.net_picked);
    assert_int_equal(in.kind, UI_INTENT_MESSAGE);
    assert_true(in.err);
    assert_non_null(strstr(in.text, "drawn pooled"));
}

static void test_views_clamp(void **state)
{
    (void)state;
    network_snapshot();
    ui_views v;
    memset(&v, 0, sizeof v);
    v.net_layer = 5;
    v.net_unit = 9;
    ui_views_clamp(&v, &snap);
    assert_int_equal(v.net_layer, 1);
    assert_int_equal(v.net_unit, 1);
    v.net_layer = -1;
    v.net_unit = -3;
    ui_views_clamp(&v, &snap);
    assert_int_equal(v.net_layer, 0);
    assert_int_equal(v.net_unit, 0);
}

// --- sparkline, text -------------------------------------------------------------------------------

static void test_sparkline(void **state)
{
    (void)state;
    const float v[4] = {0.0f, 0.5f, 1.0f, NAN};
    clear();
    ui_sparkline(&g, 0, 0, 10, v, 4, 0.0, 1.0, false, ui_st(&th, UI_R_TRAIN), false);
    assert_int_equal(at(0, 0)->ch, 0x2581);
    assert_int_equal(at(1, 0)->ch, 0x2585);
    assert_int_equal(at(2, 0)->ch, 0x2588);
    assert_int_equal(at(3, 0)->ch, ' ');
    /* log scale, only the last 2 of 3 fit */
    const float lg[3] = {1e-6f, 1e-4f, 1e-2f};
    clear();
    ui_sparkline(&g, 0, 0, 2, lg, 3, 1e-6, 1e-2, true, ui_st(&th, UI_R_TRAIN), true);
    assert_int_equal(at(0, 0)->ch, '-');     /* 1e-4: the middle of 1e-6..1e-2 */
    assert_int_equal(at(1, 0)->ch, '^');
    assert_int_equal(at(2, 0)->ch, ' ');
}

static void test_text_by_display_width(void **state)
{
    (void)state;
    char a[128];
    ui_ascii_fold("m\xcc\x82 \xe2\x86\x90 \xce\xb2" "1\xc2\xb7m + (1\xe2\x88\x92\xce\xb2" "1)\xc2\xb7g\xc2\xb2 \xe2\x88\x9a\xce\xb5 \xe4\xb8\x80", a, sizeof a);
    assert_string_equal(a, "m^ <- b1*m + (1-b1)*g^2 sqrteps ?");
    ui_ascii_fold("abcdef", a, 4);
    assert_string_equal(a, "abc");
    /* "m̂ = 1": m + U+0302 takes one column */
    assert_int_equal(ui_text_width("m\xcc\x82 = 1"), 5);
    clear();
    assert_int_equal(ui_text_cols(&g, 0, 0, 10, "m\xcc\x82 = 1", ui_st(&th, UI_R_TEXT)), 5);
    assert_int_equal(at(0, 0)->ch, 'm');
    assert_int_equal(at(0, 0)->comb, 0x302);
    assert_int_equal(at(1, 0)->ch, ' ');
    assert_int_equal(at(1, 0)->comb, 0);
    char row[64];
    ui_grid_row_text(&g, 0, 0, 5, row, sizeof row);
    assert_string_equal(row, "m\xcc\x82 = 1");
    /* a cell written over loses the mark */
    ui_grid_put(&g, 0, 0, 'v', ui_st(&th, UI_R_TEXT));
    assert_int_equal(at(0, 0)->comb, 0);
    assert_int_equal(at(2, 0)->ch, '=');
    assert_int_equal(at(4, 0)->ch, '1');
    clear();
    assert_int_equal(ui_text_cols(&g, 0, 0, 3, "w \xe2\x86\x90 w", ui_st(&th, UI_R_TEXT)), 3);
    assert_int_equal(at(2, 0)->ch, 0x2026);   /* cut: the ellipsis */
    assert_int_equal(at(3, 0)->ch, ' ');
}

// --- race ----------------------------------------------------------------------------------------

static void race_snapshot(void)
{
    memset(&snap, 0, sizeof snap);
    snap.race.on = true;
    snap.state = UI_RUN_DONE;
    snap.epochs = 4;
    snap.race.n = 2;
    snap.race.loss_is_val = true;
    const char *names[2] = {"sgd", "adam"};
    for (int i = 0; i < 2; i++) {
        ui_race_entry *e = &snap.race.entries[i];
        snprintf(e->name, sizeof e->name, "%s", names[i]);
        e->lr = i ? 0.001 : 0.03;
        e->state = UI_RUN_DONE;
        e->epoch = 4;
        e->hist_len = 4;
        e->hist_step = 1;
        for (int p = 0; p < 4; p++)
            e->loss[p] = i ? 1.0f / (float)(p + 1) : 1.0f - 0.1f * (float)p;
        e->test_acc = i ? 0.9 : 0.6;
        e->final_test_acc = e->test_acc;
        e->final_test_loss = (double)e->loss[3];
    }
}

static void test_race_legend_and_chart(void **state)
{
    (void)state;
    race_snapshot();
    clear();
    ui_race_legend(&g, ui_rect_make(0, 0, 90, 3), &snap, &th);
    assert_true(row_has(0, "val loss"));
    assert_true(row_has(1, "sgd"));
    assert_true(row_has(1, "60.0%"));
    assert_true(row_has(2, "adam"));
    assert_true(row_has(2, "90.0%"));
    assert_true(row_has(2, "*best"));
    assert_false(row_has(1, "*best"));
    assert_true(row_has(2, "final"));
    assert_true(row_has(0, "*best: lowest val loss, then test acc"));
    /* best is the lowest val loss, not the best accuracy (issue 13: sgd marked although momentum had
     * the lower val loss) */
    snap.race.entries[0].final_test_acc = 0.95;
    clear();
    ui_race_legend(&g, ui_rect_make(0, 0, 90, 3), &snap, &th);
    assert_true(row_has(2, "*best"));
    assert_false(row_has(1, "*best"));
    snap.race.entries[0].final_test_acc = 0.6;
    clear();
    ui_race_legend(&g, ui_rect_make(0, 0, 90, 3), &snap, &th);
    assert_cell(0, 1, 0x2501, th.cls[0], -1);
    assert_cell(0, 2, 0x2501, th.cls[1], -1);

    /* narrower than 64: two entries a row, the best marked */
    assert_int_equal(ui_race_legend_rows(&snap, 90), 3);
    assert_int_equal(ui_race_legend_rows(&snap, 60), 2);   /* + how best is chosen */
    assert_int_equal(ui_race_legend_rows(&snap, 30), 3);
    clear();
    ui_race_panel(&g, ui_rect_make(0, 0, 60, 14), &snap, &th, false);
    assert_true(row_has(0, "\xe2\x94\x81 sgd        0.7 60%  \xe2\x94\x81 adam      0.25 90%*"));
    assert_cell(0, 0, 0x2501, th.cls[0], -1);
    assert_cell(22, 0, 0x2501, th.cls[1], -1);
    assert_int_equal(at(39, 0)->fg, ui_st(&th, UI_R_VALUE).fg);   /* the best accuracy stands out */
    assert_int_equal(at(17, 0)->fg, ui_st(&th, UI_R_TEXT).fg);
    assert_true(row_has(1, "*best: lowest val loss, then test acc"));
    /* the curves: both start at loss 1 (top left); adam ends lowest (bottom right) */
    int colours[2] = {0, 0};
    for (int y = 3; y < 14; y++)
        for (int x = 8; x < 60; x++) {
            const ui_cell *c = at(x, y);
            if ((c->ch & 0xFF00) == 0x2800 && c->ch != 0x2800) {
                if (c->fg == th.cls[0]) colours[0]++;
                if (c->fg == th.cls[1]) colours[1]++;
            }
        }
    assert_true(colours[0] > 0);
    assert_true(colours[1] > 0);
    assert_true(find_row("epoch") >= 0);

    snap.race.on = false;
    clear();
    ui_race_panel(&g, ui_rect_make(0, 0, 60, 14), &snap, &th, false);
    assert_true(find_row("Optimizer race: Enter") == 0);
}

// --- health --------------------------------------------------------------------------------------

static void health_snapshot(void)
{
    memset(&snap, 0, sizeof snap);
    snap.state = UI_RUN_PAUSED;
    snap.health.valid = true;
    snap.health.epoch = 3;
    snap.health.batch = 7;
    nn_health *h = &snap.health.last;
    h->n_layers = 2;
    h->rows = 16;
    h->layer[0] = (nn_health_layer){2, 16, NN_ACT_RELU, 0.5, 3.0, 2e-2, 0.8, (double)NAN, 0.3, 0.2};
    h->layer[1] = (nn_health_layer){16, 2, NN_ACT_SOFTMAX, 0.25, 1.5, 1e-2, (double)NAN, (double)NAN, 0.5, 0.4};
    snap.health.n_warnings = 1;
    snprintf(snap.health.warnings[0], NN_HEALTH_WARN_LEN, "layer 1: 80%% of ReLUs are dead: lower the learning rate");
    for (int e = 1; e <= 3; e++)
        nn_health_history_push(&snap.health.hist, h, e);
    snap.health.hist.rows[0].grad_norm[0] = 1e-3f;
    snap.health.hist.rows[0].weight_norm[0] = 0.3f;
}

static void test_health_panel_table_warnings_history(void **state)
{
    (void)state;
    health_snapshot();

    clear();
    ui_health_panel(&g, ui_rect_make(0, 0, 90, 20), &snap, &th);
    assert_true(row_has(0, "batch 7 of epoch 3 (16 rows)"));
    assert_true(row_has(1, "layer"));
    assert_true(row_has(1, "dead"));
    assert_true(row_has(2, "relu"));
    assert_true(row_has(2, "80%"));
    assert_true(row_has(3, "2 out"));
    assert_true(row_has(3, "softmax"));
    /* the dead share is a warning colour */
    int y = 2, x = -1;
    char row[1024];
    ui_grid_row_text(&g, y, 0, g.w, row, sizeof row);
    const char *p = strstr(row, "80%");
    assert_non_null(p);
    x = (int)(p - row);   /* ASCII up to here */
    assert_int_equal(at(x, y)->fg, ui_st(&th, UI_R_WARN).fg);
    assert_true(row_has(4, "! layer 1: 80% of ReLUs are dead"));
    int hr = find_row("gradient norm per layer over epochs (log scale), epochs 1-3");
    assert_true(hr > 4);
    /* layer 1's sparkline: 1e-3 then 0.5, 0.5: lowest bar, then the highest */
    assert_int_equal(at(13, hr + 1)->ch, 0x2581);
    assert_int_equal(at(15, hr + 1)->ch, 0x2588);
    /* then the dead share over epochs: 80% each epoch for the relu layer */
    int dr = find_row("dead or saturated share (0..100%), epochs 1-3");
    assert_int_equal(dr, hr + 3);
    assert_true(row_has(dr + 1, "  1      80% "));
    assert_int_equal(at(13, dr + 1)->ch, 0x2587);
    assert_int_equal(at(15, dr + 1)->ch, 0x2587);
    /* then the weight norms: layer 1 grew from 0.3 to 3 (lowest bar, then the highest), layer 2 at
     * 1.5 throughout, between them on the shared log scale */
    int wr = find_row("weight norm |W| (log scale), epochs 1-3");
    assert_int_equal(wr, dr + 3);
    assert_true(row_has(wr + 1, "  1        3 "));
    assert_int_equal(at(13, wr + 1)->ch, 0x2581);
    assert_int_equal(at(15, wr + 1)->ch, 0x2588);
    assert_true(at(13, wr + 2)->ch > 0x2581 && at(13, wr + 2)->ch < 0x2588);
    /* and the update ratio last */
    assert_int_equal(find_row("update/weight ratio (log scale), epochs 1-3"), wr + 3);

    snap.health.n_warnings = 0;
    clear();
    ui_health_panel(&g, ui_rect_make(0, 0, 90, 20), &snap, &th);
    assert_true(row_has(4, "healthy: no warnings"));

    snap.health.valid = false;
    clear();
    ui_health_panel(&g, ui_rect_make(0, 0, 90, 20), &snap, &th);
    assert_true(row_has(0, "no measurement yet"));
}

// --- step-through --------------------------------------------------------------------------------

static void step_snapshot(void)
{
    memset(&snap, 0, sizeof snap);
    snap.state = UI_RUN_PAUSED;
    snap.info.k = 2;
    snprintf(snap.info.class_names[1], NN_NAME_MAX, "outer");
    ui_trace *t = &snap.trace;
    t->valid = true;
    t->index = 4; t->row = 17; t->label = 1;
    t->layer = 1; t->i = 2; t->j = 0;
    t->epoch = 1; t->batch = 3;
    t->n_inputs = 2; t->n_layers = 2;
    t->in[0] = 2; t->out[0] = 3; t->act[0] = NN_ACT_RELU;
    t->in[1] = 3; t->out[1] = 2; t->act[1] = NN_ACT_SOFTMAX;
    t->loss_value = 0.25;
    t->x[0] = 0.5f; t->x[1] = -1.0f;
    t->a[0][2] = 0.75f;
    t->delta[1][0] = -0.5f;
    t->a_prev_i = 0.75; t->delta_j = -0.5; t->grad = -0.375;
    t->batch_grad = -0.25;
    t->step.kind = NN_OPT_SGD;
    t->step.t = 4;
    t->step.lr = 0.1;
    t->step.n_lines = 1;
    snprintf(t->step.lines[0], NN_HEALTH_LINE, "w \xe2\x86\x90 w \xe2\x88\x92 lr\xc2\xb7g = 0.3 \xe2\x88\x92 0.1 \xc3\x97 -0.375 = 0.3375");
}

static void test_step_panel_shows_the_chain_rule(void **state)
{
    (void)state;
    step_snapshot();
    ui_views v;
    memset(&v, 0, sizeof v);
    v.step_on = true;
    clear();
    ui_step_panel(&g, ui_rect_make(0, 0, 90, 14), &snap, &v, &th);
    assert_true(row_has(0, "sample 4 (row 17)  class outer  loss 0.25"));
    assert_true(row_has(1, "x [0.5 -1]"));
    assert_true(row_has(2, "z1 ["));
    assert_true(row_has(3, "a1=relu [0 0 0.75]"));
    assert_true(row_has(4, "\xce\xb4" "1 ["));
    assert_true(find_row("\xe2\x88\x82L/\xe2\x88\x82W2[2][0] = a1[2] \xc2\xb7 \xce\xb4" "2[0] = 0.75 \xc3\x97 -0.5 = -0.375") >= 0);
    assert_true(find_row("real step: the last batch's mean gradient -0.25 (S shows") >= 0);
    assert_true(find_row("what-if, this sample alone as the batch: sgd step 4, lr 0.1:") >= 0);
    assert_true(find_row("  w \xe2\x86\x90 w \xe2\x88\x92 lr\xc2\xb7g = 0.3") >= 0);
    /* the selected a1[2] is marked */
    int y = 3;
    char row[1024];
    ui_grid_row_text(&g, y, 0, g.w, row, sizeof row);
    const char *p = strstr(row, "0.75");
    assert_non_null(p);
    assert_int_equal(at((int)(p - row), y)->fg, ui_st(&th, UI_R_WARN).fg);

    /* a narrow panel: the formula is cut with an ellipsis */
    clear();
    ui_step_panel(&g, ui_rect_make(0, 0, 30, 14), &snap, &v, &th);
    int fr = find_row("  w \xe2\x86\x90 w");
    assert_true(fr >= 0);
    assert_int_equal(at(29, fr)->ch, 0x2026);
    assert_int_equal(at(30, fr)->ch, ' ');

    v.step_on = false;
    clear();
    ui_step_panel(&g, ui_rect_make(0, 0, 90, 14), &snap, &v, &th);
    assert_true(row_has(0, "Step-through: Enter picks"));
}

// --- lesson --------------------------------------------------------------------------------------

static void test_lesson_panel(void **state)
{
    (void)state;
    static nn_preset p;
    nn_error err;
    assert_int_equal(nn_preset_load(&p, "lesson-learning-rate", NULL, &err), NN_OK);
    ui_views v;
    memset(&v, 0, sizeof v);
    clear();
    ui_lesson_panel(&g, ui_rect_make(0, 0, 60, 20), &p, &v, &th, true);
    assert_true(row_has(0, "A learning rate that is too high"));
    assert_true(row_has(1, "The learning rate is the size of each step down the"));
    assert_true(find_row("locked by the lesson") >= 0);
    int total = ui_lesson_lines(&p, 59);
    assert_true(total > 17);
    /* 16 rows of text (the title, the locked keys and a line saying more take the rest): under them
     * what is left and the key (issue 14: at 80x24 the text stopped mid-sentence, only the mark said so) */
    char more[64];
    snprintf(more, sizeof more, "\xe2\x96\xbe %d more lines: PgDn", total - 16);
    assert_int_equal(find_row(more), 17);
    clear();
    ui_lesson_panel(&g, ui_rect_make(0, 0, 60, 20), &p, &v, &th, false);   /* another panel has the keys */
    snprintf(more, sizeof more, "\xe2\x96\xbe %d more lines: i, then PgDn", total - 16);
    assert_int_equal(find_row(more), 17);
    /* scrolled to the end: the last paragraph's words are on screen, nothing more */
    v.lesson_scroll = 1000;
    clear();
    ui_lesson_panel(&g, ui_rect_make(0, 0, 60, 20), &p, &v, &th, true);
    assert_true(find_row("first, by 3 to 10 times at a time.") >= 0);
    assert_int_equal(at(59, 1 + 16 - 1)->ch, 0x2590);   /* scroll mark at the bottom */
    assert_true(find_row("more line") < 0);

    static nn_preset q;
    assert_int_equal(nn_preset_load(&q, "iris", NULL, &err), NN_OK);
    clear();
    ui_lesson_panel(&g, ui_rect_make(0, 0, 60, 20), &q, &v, &th, true);
    assert_true(row_has(0, "This preset has no lesson"));
    /* it lists every preset that has a lesson, xor and spiral included (issue 13: only the lesson-*) */
    assert_string_equal(ui_lesson_presets(),
                        "lesson-features, lesson-learning-rate, lesson-overfitting, lesson-vanishing, spiral, xor");
    char text[1200] = "";
    for (int y = 0; y < 20; y++) {
        char row[128];
        ui_grid_row_text(&g, y, 0, 60, row, sizeof row);
        for (size_t k = strlen(row); k > 0 && row[k - 1] == ' '; k--)
            row[k - 1] = 0;
        strncat(text, row, sizeof text - strlen(text) - 2);
        strcat(text, " ");
    }
    assert_non_null(strstr(text, "The presets with a lesson: lesson-features, lesson-learning-rate, "
                                 "lesson-overfitting, lesson-vanishing, spiral, xor. Open one with l."));
}

/* Every cell outside r is still the blank the grid was cleared to. */
static void assert_inside(ui_rect r, const char *what)
{
    for (int y = 0; y < g.h; y++)
        for (int x = 0; x < g.w; x++) {
            if (ui_rect_has(r, x, y))
                continue;
            const ui_cell *c = at(x, y);
            if (c->ch != ' ' || c->bg != ui_st(&th, UI_R_TEXT).bg)
                fail_msg("%s drew U+%04X at (%d,%d), outside %dx%d at (%d,%d)", what, c->ch, x, y, r.w, r.h, r.x, r.y);
        }
}

static void test_views_stay_inside_their_rectangle(void **state)
{
    (void)state;
    static nn_preset p;
    nn_error err;
    assert_int_equal(nn_preset_load(&p, "lesson-vanishing", NULL, &err), NN_OK);
    ui_views v;
    memset(&v, 0, sizeof v);
    v.step_on = true;
    const ui_rect rs[] = {{10, 5, 44, 9}, {10, 5, 44, 18}, {3, 2, 20, 6}, {0, 0, 100, 40}, {30, 30, 70, 3}};
    for (size_t i = 0; i < sizeof rs / sizeof rs[0]; i++) {
        ui_rect r = rs[i];
        for (int k = 0; k < 6; k++) {
            clear();
            switch (k) {
            case 0: boundary_snapshot(0.9f); ui_boundary_panel(&g, r, &snap, NULL, &th); break;
            case 1: network_snapshot(); ui_network_panel(&g, r, &snap, &v, &th); break;
            case 2: health_snapshot(); ui_health_panel(&g, r, &snap, &th); break;
            case 3: step_snapshot(); ui_step_panel(&g, r, &snap, &v, &th); break;
            case 4: race_snapshot(); ui_race_panel(&g, r, &snap, &th, true); break;
            default: ui_lesson_panel(&g, r, &p, &v, &th, true); break;
            }
            static const char *const names[] = {"boundary", "network", "health", "step", "race", "lesson"};
            assert_inside(r, names[k]);
        }
    }
}

/* One name per input for every view (Network, its diagram, Neurons): iris's views named the same weight
 * "x3" in one and "petal_width" in the other, and Playground inputs "x1^2" where the Dataset panel says
 * "x1²". */
static void test_input_names_are_one_for_every_view(void **state)
{
    (void)state;
    ui_snapshot *s = calloc(1, sizeof *s);
    assert_non_null(s);
    s->info.n_features = 4;
    const char *iris[4] = {"sepal_length", "sepal_width", "petal_length", "petal_width"};
    for (int j = 0; j < 4; j++)
        snprintf(s->info.input_names[j], sizeof s->info.input_names[j], "%s", iris[j]);
    char b[32];
    ui_input_name(s, 3, true, b, sizeof b);
    assert_string_equal(b, "petal_width");
    ui_input_name(s, 0, false, b, sizeof b);
    assert_string_equal(b, "sepal_length");
    ui_input_name(s, 70, true, b, sizeof b);   /* past the names kept: x and the 1-based index */
    assert_string_equal(b, "x71");
    s->info.n_raw = 2;
    s->info.n_features = 3;
    s->info.feature_of[0] = NN_FEAT_X1_SQ;
    s->info.feature_of[1] = NN_FEAT_X1_X2;
    s->info.feature_of[2] = NN_FEAT_SIN_X2;
    ui_input_name(s, 0, true, b, sizeof b);
    assert_string_equal(b, "x1\xc2\xb2");
    ui_input_name(s, 0, false, b, sizeof b);
    assert_string_equal(b, "x1^2");
    ui_input_name(s, 1, true, b, sizeof b);
    assert_string_equal(b, "x1\xc2\xb7x2");
    ui_input_name(s, 2, true, b, sizeof b);
    assert_string_equal(b, "sin(x2)");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_input_names_are_one_for_every_view),
        cmocka_unit_test_setup_teardown(test_region_colours_deepen_with_confidence, setup, teardown),
        cmocka_unit_test_setup_teardown(test_weight_colours_are_blue_and_orange, setup, teardown),
        cmocka_unit_test_setup_teardown(test_boundary_aspect_centres_the_plot, setup, teardown),
        cmocka_unit_test_setup_teardown(test_boundary_half_blocks_and_points, setup, teardown),
        cmocka_unit_test_setup_teardown(test_boundary_points_can_be_hidden, setup, teardown),
        cmocka_unit_test_setup_teardown(test_boundary_ascii_and_mono, setup, teardown),
        cmocka_unit_test_setup_teardown(test_boundary_changes_with_the_grid, setup, teardown),
        cmocka_unit_test_setup_teardown(test_confusion_cell_lists_its_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_confusion_class_metrics_over_epochs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_boundary_marks_the_cells_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_boundary_hard_regions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_boundary_over_x1_x2_with_features, setup, teardown),
        cmocka_unit_test_setup_teardown(test_boundary_surface_uses_the_heat_ramp, setup, teardown),
        cmocka_unit_test_setup_teardown(test_boundary_panel_axes_legend_and_notes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_boundary_panel_curve, setup, teardown),
        cmocka_unit_test_setup_teardown(test_weights_raster_exact_cells, setup, teardown),
        cmocka_unit_test_setup_teardown(test_network_panel_layers_and_the_selected_neuron, setup, teardown),
        cmocka_unit_test_setup_teardown(test_network_picks_a_weight_and_enter_edits_it, setup, teardown),
        cmocka_unit_test_setup_teardown(test_network_scrolls_to_the_selected_layer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_views_clamp, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sparkline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_by_display_width, setup, teardown),
        cmocka_unit_test_setup_teardown(test_race_legend_and_chart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_health_panel_table_warnings_history, setup, teardown),
        cmocka_unit_test_setup_teardown(test_step_panel_shows_the_chain_rule, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lesson_panel, setup, teardown),
        cmocka_unit_test_setup_teardown(test_views_stay_inside_their_rectangle, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
