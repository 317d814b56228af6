/* test_report.c — the report by rendering: what a report holds after a run (history, the current
 * weights' confusion matrix, the boundary, the network), the same from a saved model, and the
 * figures themselves: PNGs decoded back with cairo to their size and checked for the colours they
 * must show (the three loss curves, a pinned run, every class of the boundary), SVG and PDF
 * headers, history.csv's columns, and the errors (a missing figure, a folder that is a file, a model
 * whose data changed). The SVGs are parsed as XML and report.pdf rasterised in tests/cli/report.sh. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "model_io.h"
#include "report.h"

#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../nn_tmp.h"

static nn_trainer *train(const char *name, int epochs, const char *key, const char *value)
{
    nn_preset p;
    nn_error err;
    if (nn_preset_load(&p, name, NULL, &err) != NN_OK)
        fail_msg("%s: %s", name, err.msg);
    if (key && nn_preset_set(&p, key, value, &err) != NN_OK)
        fail_msg("%s=%s: %s", key, value, err.msg);
    char ep[16];
    snprintf(ep, sizeof ep, "%d", epochs);
    if (nn_preset_set(&p, "training.epochs", ep, &err) != NN_OK)
        fail_msg("epochs: %s", err.msg);
    nn_trainer *t = calloc(1, sizeof *t);
    assert_non_null(t);
    if (nn_trainer_init(t, &p, 1, &err) != NN_OK)
        fail_msg("trainer: %s", err.msg);
    while (!nn_trainer_finished(t))
        if (nn_trainer_step(t, &err) != NN_OK)
            fail_msg("step: %s", err.msg);
    return t;
}

static void drop(nn_trainer *t)
{
    nn_trainer_free(t);
    free(t);
}

static void fill(nn_report *r, nn_trainer *t)
{
    nn_error err;
    nn_report_init(r);
    if (nn_report_from_trainer(r, t, -1, -1, "test", &err) != NN_OK)
        fail_msg("report: %s", err.msg);
}

// --- PNG decoding -------------------------------------------------------------------------------

typedef struct {
    const unsigned char *p;
    size_t left;
} png_src;

static cairo_status_t png_read(void *closure, unsigned char *data, unsigned int len)
{
    png_src *s = closure;
    if (len > s->left)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(data, s->p, len);
    s->p += len;
    s->left -= len;
    return CAIRO_STATUS_SUCCESS;
}

/* Renders figure f as PNG and decodes it (the caller destroys the surface). */
static cairo_surface_t *png(const nn_report *r, nn_report_fig f)
{
    nn_strbuf b = {0};
    nn_error err;
    if (nn_report_render(r, f, NN_REPORT_PNG, &b, &err) != NN_OK)
        fail_msg("render: %s", err.msg);
    assert_true(b.len > 8 && memcmp(b.s, "\x89PNG\r\n\x1a\n", 8) == 0);
    png_src src = {(const unsigned char *)b.s, b.len};
    cairo_surface_t *s = cairo_image_surface_create_from_png_stream(png_read, &src);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    int w, h;
    nn_report_size(r, f, &w, &h);
    assert_int_equal(cairo_image_surface_get_width(s), w);
    assert_int_equal(cairo_image_surface_get_height(s), h);
    free(b.s);
    return s;
}

/* Pixels of s within tol (each channel) of the colour (r, g, b). */
static long count_colour(cairo_surface_t *s, int r, int g, int b, int tol)
{
    cairo_surface_flush(s);
    const unsigned char *d = cairo_image_surface_get_data(s);
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    long n = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint32_t px;
            memcpy(&px, d + (size_t)y * (size_t)stride + (size_t)x * 4, 4);
            int pr = (int)(px >> 16 & 255), pg = (int)(px >> 8 & 255), pb = (int)(px & 255);
            if (abs(pr - r) <= tol && abs(pg - g) <= tol && abs(pb - b) <= tol)
                n++;
        }
    return n;
}

/* Pixels that differ between two surfaces of one size. */
static long count_diff(cairo_surface_t *a, cairo_surface_t *b)
{
    cairo_surface_flush(a);
    cairo_surface_flush(b);
    const unsigned char *da = cairo_image_surface_get_data(a), *db = cairo_image_surface_get_data(b);
    size_t n = (size_t)cairo_image_surface_get_stride(a) * (size_t)cairo_image_surface_get_height(a);
    long diff = 0;
    for (size_t i = 0; i < n; i += 4)
        diff += memcmp(da + i, db + i, 4) != 0;
    return diff;
}

static const int okabe[8][3] = {{0, 114, 178}, {230, 159, 0}, {0, 158, 115}, {240, 228, 66},
                                {213, 94, 0},  {204, 121, 167}, {86, 180, 233}, {0, 0, 0}};

// --- what a report holds ------------------------------------------------------------------------

static void test_report_of_a_run_holds_its_history_evaluation_boundary_and_network(void **state)
{
    (void)state;
    nn_trainer *t = train("xor", 4, NULL, NULL);
    nn_report r;
    fill(&r, t);
    int len;
    const nn_epoch_stats *h = nn_trainer_history(t, &len);
    assert_int_equal(r.n_hist, 4);
    assert_memory_equal(r.hist, h, sizeof *h * 4);
    assert_string_equal(r.name, nn_trainer_preset(t)->name);
    assert_true(r.has_eval);
    assert_string_equal(r.eval_split, "test");
    /* the trainer's last evaluation is of these very weights (the run is DONE) */
    int k;
    const int *cm = nn_trainer_confusion(t, &k);
    assert_int_equal(r.k, k);
    assert_memory_equal(r.confusion, cm, sizeof *cm * (size_t)(k * k));
    assert_true(r.metrics.accuracy == nn_trainer_metrics(t)->accuracy);
    assert_int_equal(r.view, NN_PROBE_BOUNDARY);
    assert_int_equal(r.grid_w, NN_REPORT_GRID);
    assert_true(r.n_points > 0);
    assert_int_equal(r.n_layers, nn_trainer_network(t)->n_layers);
    const nn_network *net = nn_trainer_network(t);
    assert_memory_equal(r.layers[0].w, net->params + net->layers[0].w_off, sizeof(float) * (size_t)net->layers[0].in *
                                                                               (size_t)net->layers[0].out);
    assert_true(r.n_config >= 4);
    assert_non_null(strstr(r.config[r.n_config - 1], "result: test accuracy"));
    for (int f = 0; f < NN_REPORT_FIG_COUNT; f++)
        assert_true(nn_report_has(&r, (nn_report_fig)f));
    nn_report_free(&r);
    nn_report_free(&r);   /* idempotent */
    drop(t);
}

static void test_data_with_more_features_get_a_boundary_only_when_two_are_chosen(void **state)
{
    (void)state;
    nn_trainer *t = train("iris", 2, NULL, NULL);
    nn_report r;
    fill(&r, t);
    assert_int_equal(r.view, NN_PROBE_NONE);
    assert_false(nn_report_has(&r, NN_REPORT_BOUNDARY));
    nn_error err;
    assert_int_equal(nn_report_from_trainer(&r, t, 2, 3, NULL, &err), NN_OK);
    assert_int_equal(r.view, NN_PROBE_BOUNDARY);
    assert_string_equal(r.axis[0], "petal_length");
    assert_string_equal(r.axis[1], "petal_width");
    assert_int_equal(r.n_input_names, 4);
    nn_report_free(&r);
    drop(t);
}

static void test_regression_gets_predicted_against_actual_and_a_curve(void **state)
{
    (void)state;
    nn_trainer *t = train("sine", 3, NULL, NULL);
    nn_report r;
    fill(&r, t);
    assert_int_equal(r.task, NN_TASK_REGRESSION);
    assert_int_equal(r.view, NN_PROBE_CURVE);
    assert_true(r.fit_n > 0 && r.fit_n == nn_trainer_split(t)->n_test);
    /* the report's R² is the trainer's own test R² of these weights */
    assert_true(fabs(r.reg.r2 - nn_trainer_reg_metrics(t)->r2) < 1e-9);
    assert_true(nn_report_has(&r, NN_REPORT_CONFUSION));
    cairo_surface_t *s = png(&r, NN_REPORT_CONFUSION);
    assert_true(count_colour(s, 0, 114, 178, 0) > 100);   /* the points */
    cairo_surface_destroy(s);
    s = png(&r, NN_REPORT_BOUNDARY);
    assert_true(count_colour(s, 0, 114, 178, 0) > 100);   /* the fitted curve */
    cairo_surface_destroy(s);
    nn_report_free(&r);
    drop(t);
}

/* A mid-epoch report describes the weights of that moment, not the last evaluation's. */
static void test_confusion_describes_the_weights_now_even_mid_epoch(void **state)
{
    (void)state;
    nn_trainer *t = train("moons", 2, NULL, NULL);
    nn_error err;
    nn_trainer_reset(t, false, 0);
    assert_int_equal(nn_trainer_epoch(t, &err), NN_OK);
    for (int i = 0; i < 5; i++)   /* five batches into the second epoch */
        assert_int_equal(nn_trainer_step(t, &err), NN_OK);
    nn_report r;
    fill(&r, t);
    assert_int_equal(r.n_hist, 1);
    /* the counts of a fresh evaluation of the current weights, not the end of epoch 1's */
    int k, at_epoch[4];
    memcpy(at_epoch, nn_trainer_confusion(t, &k), sizeof at_epoch);
    nn_epoch_stats s;
    assert_int_equal(nn_trainer_evaluate(t, &s, &err), NN_OK);
    assert_memory_equal(r.confusion, nn_trainer_confusion(t, &k), sizeof(int) * 4);
    assert_int_equal(r.metrics.total, nn_trainer_split(t)->n_test);
    if (memcmp(at_epoch, r.confusion, sizeof at_epoch) == 0)
        print_message("note: the five batches did not change the confusion matrix\n");
    nn_report_free(&r);
    drop(t);
}

// --- a saved model ------------------------------------------------------------------------------

static void test_a_saved_model_gives_the_same_evaluation_boundary_and_network_but_no_history(void **state)
{
    (void)state;
    nn_trainer *t = train("circles", 3, NULL, NULL);
    char path[64];
    int fd = nn_tmp_file(path, sizeof path, "nnterm-report-model.");
    assert_true(fd >= 0);
    close(fd);
    nn_error err;
    assert_int_equal(nn_trainer_save_model(t, path, &err), NN_OK);
    nn_report a, b;
    fill(&a, t);
    nn_model m;
    memset(&m, 0, sizeof m);
    assert_int_equal(nn_model_load(&m, path, &err), NN_OK);
    nn_report_init(&b);
    if (nn_report_from_model(&b, &m, path, 1, NULL, &err) != NN_OK)
        fail_msg("from model: %s", err.msg);
    assert_int_equal(b.n_hist, 0);
    assert_false(nn_report_has(&b, NN_REPORT_LOSS));
    assert_non_null(strstr(b.no_history, "model file"));
    assert_int_equal(a.k, b.k);
    assert_memory_equal(a.confusion, b.confusion, sizeof(int) * (size_t)(a.k * a.k));
    assert_int_equal(a.grid_w * a.grid_h, b.grid_w * b.grid_h);
    assert_memory_equal(a.grid_cls, b.grid_cls, (size_t)(a.grid_w * a.grid_h));
    assert_memory_equal(a.grid_conf, b.grid_conf, sizeof(float) * (size_t)(a.grid_w * a.grid_h));
    assert_memory_equal(a.layers[1].w, b.layers[1].w, sizeof(float) * (size_t)(a.layers[1].in * a.layers[1].out));
    assert_non_null(strstr(b.config[b.n_config - 1], "the model's weights"));
    /* the page is drawn without curves */
    nn_strbuf pdf = {0};
    assert_int_equal(nn_report_render(&b, NN_REPORT_PAGE, NN_REPORT_PDF, &pdf, &err), NN_OK);
    assert_true(pdf.len > 1000 && memcmp(pdf.s, "%PDF-", 5) == 0);
    free(pdf.s);
    nn_report_free(&a);
    nn_report_free(&b);

    /* data that no longer give the model's normalisation: refused, naming the model */
    m.norm.shift[0] += 0.5f;
    nn_report_init(&b);
    assert_int_equal(nn_report_from_model(&b, &m, path, 1, NULL, &err), NN_EFORMAT);
    assert_non_null(strstr(err.msg, path));
    assert_non_null(strstr(err.msg, "normalisation"));
    assert_int_equal(b.n_layers, 0);
    nn_model_free(&m);
    unlink(path);
    drop(t);
}

// --- the figures --------------------------------------------------------------------------------

static void test_loss_png_shows_train_val_and_test_in_their_colours(void **state)
{
    (void)state;
    nn_trainer *t = train("iris", 6, NULL, NULL);
    nn_report r;
    fill(&r, t);
    cairo_surface_t *s = png(&r, NN_REPORT_LOSS);
    assert_true(count_colour(s, 0, 114, 178, 0) > 150);    /* train: blue */
    assert_true(count_colour(s, 230, 159, 0, 0) > 100);    /* validation: orange */
    assert_true(count_colour(s, 204, 121, 167, 0) > 50);   /* test: reddish purple */
    assert_true(count_colour(s, 255, 255, 255, 0) > 900 * 520 / 2);   /* a white ground */
    /* a pinned run in its own colour (bluish green), and a live change marker */
    double other[6] = {1.2, 0.9, 0.8, NAN, 0.6, 0.5};
    nn_error err;
    assert_int_equal(nn_report_add_curve(&r, "lr 0.1", other, 6, &err), NN_OK);
    cairo_surface_t *s2 = png(&r, NN_REPORT_LOSS);
    assert_int_equal(count_colour(s, 0, 158, 115, 0), 0);
    assert_true(count_colour(s2, 0, 158, 115, 0) > 50);
    nn_report_add_event(&r, 2.5, "lr 0.03 -> 0.06");
    cairo_surface_t *s3 = png(&r, NN_REPORT_LOSS);
    assert_true(count_diff(s2, s3) > 100);
    cairo_surface_destroy(s);
    cairo_surface_destroy(s2);
    cairo_surface_destroy(s3);
    nn_report_free(&r);
    drop(t);
}

/* Luminance (ITU-R BT.601, as a greyscale print or conversion) of pixel (x, y). */
static double grey_at(cairo_surface_t *s, int x, int y)
{
    const unsigned char *d = cairo_image_surface_get_data(s);
    uint32_t px;
    memcpy(&px, d + (size_t)y * (size_t)cairo_image_surface_get_stride(s) + (size_t)x * 4, 4);
    return 0.299 * (double)(px >> 16 & 255) + 0.587 * (double)(px >> 8 & 255) + 0.114 * (double)(px & 255);
}

/* What a greyscale copy shows of the horizontal line in colour c: its row is found in colour (the row
 * with the most pixels of c), then read in grey only, over x0..x1: the ink's mean grey, how much of
 * the row is ink, and the mean length of its runs (a dash pattern). */
typedef struct {
    double grey, ink, run;
} grey_line;

static grey_line read_line(cairo_surface_t *s, const int c[3], int x0, int x1)
{
    cairo_surface_flush(s);
    const unsigned char *d = cairo_image_surface_get_data(s);
    int h = cairo_image_surface_get_height(s), stride = cairo_image_surface_get_stride(s);
    int best = -1, best_n = 0;
    for (int y = 0; y < h; y++) {
        int n = 0;
        for (int x = x0; x < x1; x++) {
            uint32_t px;
            memcpy(&px, d + (size_t)y * (size_t)stride + (size_t)x * 4, 4);
            n += (int)(px >> 16 & 255) == c[0] && (int)(px >> 8 & 255) == c[1] && (int)(px & 255) == c[2];
        }
        if (n > best_n) {
            best_n = n;
            best = y;
        }
    }
    assert_true(best >= 0);
    grey_line g = {0, 0, 0};
    int ink = 0, runs = 0;
    bool in = false;
    for (int x = x0; x < x1; x++) {
        double v = grey_at(s, x, best);
        bool dark = v < 215;   /* the ground is white, grid lines lighter than this */
        if (dark) {
            g.grey += v;
            ink++;
            runs += !in;
        }
        in = dark;
    }
    g.grey = ink ? g.grey / ink : 255;
    g.ink = (double)ink / (x1 - x0);
    g.run = runs ? (double)ink / runs : 0;
    return g;
}

/* The figures must read in greyscale print: loss.png's three curves, turned grey, differ by their
 * grey level or their dash pattern, not by hue alone. Flat lines at 1, 2 and 3 over 60 epochs (no
 * markers past 40 epochs: the dash patterns alone must tell them apart). */
static void test_loss_png_curves_are_told_apart_in_greyscale(void **state)
{
    (void)state;
    nn_report r;
    nn_report_init(&r);
    snprintf(r.name, sizeof r.name, "greyscale");
    r.task = NN_TASK_CLASSIFICATION;
    r.n_hist = 60;
    r.hist = calloc((size_t)r.n_hist, sizeof *r.hist);
    assert_non_null(r.hist);
    for (int i = 0; i < r.n_hist; i++) {
        r.hist[i].epoch = i + 1;
        r.hist[i].train_loss = 1.0;
        r.hist[i].val_loss = 2.0;
        r.hist[i].test_loss = 3.0;
        r.hist[i].train_acc = r.hist[i].val_acc = r.hist[i].test_acc = 0.5;
    }
    cairo_surface_t *s = png(&r, NN_REPORT_LOSS);
    int w = cairo_image_surface_get_width(s);
    /* left of the legend (top right), right of the y axis */
    int x0 = w * 15 / 100, x1 = w * 60 / 100;
    static const int colour[3][3] = {{0, 114, 178}, {230, 159, 0}, {204, 121, 167}};
    static const char *const name[3] = {"train", "validation", "test"};
    grey_line g[3];
    for (int i = 0; i < 3; i++) {
        g[i] = read_line(s, colour[i], x0, x1);
        print_message("%-10s grey %5.1f  ink %.2f of the row  runs of %5.1f px\n", name[i], g[i].grey, g[i].ink,
                      g[i].run);
        assert_true(g[i].ink > 0.3);   /* the line is there, in grey too */
    }
    for (int a = 0; a < 3; a++)
        for (int b = a + 1; b < 3; b++) {
            double longer = fmax(g[a].run, g[b].run), shorter = fmin(g[a].run, g[b].run);
            bool by_grey = fabs(g[a].grey - g[b].grey) >= 40;
            bool by_dash = longer >= 1.8 * shorter && fabs(g[a].ink - g[b].ink) >= 0.1;
            if (!by_grey && !by_dash)
                fail_msg("%s and %s look alike in greyscale: grey %.0f and %.0f, runs of %.1f and %.1f px", name[a],
                         name[b], g[a].grey, g[b].grey, g[a].run, g[b].run);
        }
    cairo_surface_destroy(s);
    nn_report_free(&r);
}

static void test_boundary_png_shows_every_class_in_its_colour(void **state)
{
    (void)state;
    nn_trainer *t = train("gaussians", 5, NULL, NULL);
    nn_report r;
    fill(&r, t);
    assert_int_equal(r.k, 3);
    cairo_surface_t *s = png(&r, NN_REPORT_BOUNDARY);
    for (int c = 0; c < r.k; c++)   /* the filled training points, in the class's colour */
        assert_true(count_colour(s, okabe[c][0], okabe[c][1], okabe[c][2], 0) > 40);
    assert_int_equal(count_colour(s, okabe[4][0], okabe[4][1], okabe[4][2], 0), 0);
    cairo_surface_destroy(s);
    nn_report_free(&r);
    drop(t);
}

static void test_confusion_and_network_figures_render_in_every_format(void **state)
{
    (void)state;
    nn_trainer *t = train("iris", 3, NULL, NULL);
    nn_report r;
    fill(&r, t);
    cairo_surface_t *s = png(&r, NN_REPORT_CONFUSION);
    assert_true(count_colour(s, 0, 114, 178, 8) > 500);   /* the diagonal's deep cells */
    cairo_surface_destroy(s);
    nn_error err;
    for (int f = 0; f < NN_REPORT_FIG_COUNT; f++) {
        if (!nn_report_has(&r, (nn_report_fig)f))
            continue;
        nn_strbuf svg = {0}, pdf = {0};
        assert_int_equal(nn_report_render(&r, (nn_report_fig)f, NN_REPORT_SVG, &svg, &err), NN_OK);
        assert_non_null(strstr(svg.s, "<svg"));
        assert_non_null(strstr(svg.s, "</svg>"));
        assert_int_equal(nn_report_render(&r, (nn_report_fig)f, NN_REPORT_PDF, &pdf, &err), NN_OK);
        assert_true(memcmp(pdf.s, "%PDF-", 5) == 0);
        free(svg.s);
        free(pdf.s);
    }
    /* a figure the report lacks is refused */
    nn_strbuf b = {0};
    assert_int_equal(nn_report_render(&r, NN_REPORT_BOUNDARY, NN_REPORT_PNG, &b, &err), NN_EINVAL);
    assert_int_equal(b.len, 0);
    nn_report_free(&r);
    drop(t);
}

/* Names from a CSV may hold anything: they are drawn escaped, never as markup or control bytes. */
static void test_hostile_names_are_drawn_escaped(void **state)
{
    (void)state;
    nn_trainer *t = train("xor", 2, NULL, NULL);
    nn_report r;
    fill(&r, t);
    snprintf(r.class_names[0], sizeof r.class_names[0], "<b>\x1b[31mred</b>&amp;");
    snprintf(r.class_names[1], sizeof r.class_names[1], "bad \xff\xfe utf-8 \xe2\x82");
    memset(r.name, 'W', sizeof r.name - 1);   /* wider than any title: cut with an ellipsis */
    r.name[sizeof r.name - 1] = '\0';
    nn_error err;
    for (int f = 0; f < NN_REPORT_FIG_COUNT; f++) {
        nn_strbuf b = {0};
        assert_int_equal(nn_report_render(&r, (nn_report_fig)f, f == NN_REPORT_PAGE ? NN_REPORT_PDF : NN_REPORT_SVG, &b,
                                          &err), NN_OK);
        if (f != NN_REPORT_PAGE)
            assert_null(strstr(b.s, "\x1b"));
        free(b.s);
    }
    nn_report_free(&r);
    drop(t);
}

static void test_history_csv_has_the_json_epoch_fields(void **state)
{
    (void)state;
    nn_trainer *t = train("xor", 3, "training.regularization.method", "l2");
    nn_report r;
    fill(&r, t);
    nn_strbuf b = {0};
    nn_report_history_csv(&r, &b);
    const char *head = "epoch,train_loss,val_loss,test_loss,train_accuracy,val_accuracy,test_accuracy,lr,penalty,"
                       "seconds,eval_seconds\n";
    assert_true(strncmp(b.s, head, strlen(head)) == 0);
    char row[256];
    snprintf(row, sizeof row, "\n2,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6f,%.6f\n", r.hist[1].train_loss,
             r.hist[1].val_loss, r.hist[1].test_loss, r.hist[1].train_acc, r.hist[1].val_acc, r.hist[1].test_acc,
             r.hist[1].lr, r.hist[1].penalty, r.hist[1].seconds, r.hist[1].eval_seconds);
    assert_non_null(strstr(b.s, row));
    int lines = 0;
    for (const char *p = b.s; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 4);
    free(b.s);
    /* regression: R² columns; a missing value is an empty cell */
    r.task = NN_TASK_REGRESSION;
    r.has_penalty = false;
    r.hist[0].val_loss = NAN;
    b = (nn_strbuf){0};
    nn_report_history_csv(&r, &b);
    const char *rhead = "epoch,train_loss,val_loss,test_loss,train_r2,val_r2,test_r2,lr,seconds,eval_seconds\n";
    assert_true(strncmp(b.s, rhead, strlen(rhead)) == 0);
    char start[64];
    snprintf(start, sizeof start, "\n1,%.6g,,", r.hist[0].train_loss);
    assert_non_null(strstr(b.s, start));
    free(b.s);
    nn_report_free(&r);
    drop(t);
}

static void test_write_makes_the_folder_and_refuses_a_file(void **state)
{
    (void)state;
    nn_trainer *t = train("moons", 2, NULL, NULL);
    nn_report r;
    fill(&r, t);
    char dir[64];
    assert_non_null(nn_tmp_dir(dir, sizeof dir, "nnterm-report-dir."));
    char sub[128], file[160], written[256];
    snprintf(sub, sizeof sub, "%s/out", dir);
    nn_error err;
    assert_int_equal(nn_report_write(&r, sub, written, sizeof written, &err), NN_OK);
    assert_string_equal(written, "history.csv, loss.svg, loss.png, confusion.svg, confusion.png, boundary.png, "
                                 "network.svg, report.pdf");
    static const char *const names[] = {"history.csv", "loss.svg", "loss.png", "confusion.svg", "confusion.png",
                                        "boundary.png", "network.svg", "report.pdf"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(file, sizeof file, "%s/%s", sub, names[i]);
        assert_int_equal(access(file, F_OK), 0);
        unlink(file);
    }
    rmdir(sub);
    /* a path that is a file */
    snprintf(file, sizeof file, "%s/plain", dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(nn_report_write(&r, file, written, sizeof written, &err), NN_EIO);
    assert_non_null(strstr(err.msg, "not a folder"));
    unlink(file);
    /* a folder whose parent is missing */
    snprintf(file, sizeof file, "%s/no/such", dir);
    assert_int_equal(nn_report_write(&r, file, written, sizeof written, &err), NN_EIO);
    assert_non_null(strstr(err.msg, file));
    rmdir(dir);
    nn_report_free(&r);
    drop(t);
}

static void test_events_beyond_the_limit_drop_the_oldest(void **state)
{
    (void)state;
    nn_report r;
    nn_report_init(&r);
    char what[32];
    for (int i = 0; i < NN_REPORT_MAX_EVENTS + 3; i++) {
        snprintf(what, sizeof what, "change %d", i);
        nn_report_add_event(&r, i, what);
    }
    assert_int_equal(r.n_events, NN_REPORT_MAX_EVENTS);
    assert_string_equal(r.events[0].what, "change 3");
    double v = 1;
    nn_error err;
    for (int i = 0; i < NN_REPORT_MAX_CURVES; i++)
        assert_int_equal(nn_report_add_curve(&r, "x", &v, 1, &err), NN_OK);
    assert_int_equal(nn_report_add_curve(&r, "x", &v, 1, &err), NN_EINVAL);
    /* nothing to draw but the page */
    assert_false(nn_report_has(&r, NN_REPORT_CONFUSION));
    assert_true(nn_report_has(&r, NN_REPORT_LOSS));
    nn_report_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_of_a_run_holds_its_history_evaluation_boundary_and_network),
        cmocka_unit_test(test_data_with_more_features_get_a_boundary_only_when_two_are_chosen),
        cmocka_unit_test(test_regression_gets_predicted_against_actual_and_a_curve),
        cmocka_unit_test(test_confusion_describes_the_weights_now_even_mid_epoch),
        cmocka_unit_test(test_a_saved_model_gives_the_same_evaluation_boundary_and_network_but_no_history),
        cmocka_unit_test(test_loss_png_shows_train_val_and_test_in_their_colours),
        cmocka_unit_test(test_loss_png_curves_are_told_apart_in_greyscale),
        cmocka_unit_test(test_boundary_png_shows_every_class_in_its_colour),
        cmocka_unit_test(test_confusion_and_network_figures_render_in_every_format),
        cmocka_unit_test(test_hostile_names_are_drawn_escaped),
        cmocka_unit_test(test_history_csv_has_the_json_epoch_fields),
        cmocka_unit_test(test_write_makes_the_folder_and_refuses_a_file),
        cmocka_unit_test(test_events_beyond_the_limit_drop_the_oldest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
