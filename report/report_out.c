/* report_out.c — the handout page, rendering a figure to PNG, SVG or PDF in memory, history.csv, and
 * writing the report's files (each atomically, core/files.c). */
#include "report_draw.h"

#include "files.h"
#include "nn_config.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define A4_W 595.276
#define A4_H 841.890

bool nn_report_has(const nn_report *r, nn_report_fig f)
{
    switch (f) {
    case NN_REPORT_LOSS: return r->n_hist > 0 || r->n_curves > 0;
    case NN_REPORT_CONFUSION:
        return r->has_eval && (r->task == NN_TASK_CLASSIFICATION ? r->k > 0 && r->confusion : r->fit_n > 0);
    case NN_REPORT_BOUNDARY: return r->view != NN_PROBE_NONE;
    case NN_REPORT_NETWORK: return r->n_layers > 0;
    case NN_REPORT_PAGE: return true;
    case NN_REPORT_FIG_COUNT: break;
    }
    return false;
}

void nn_report_size(const nn_report *r, nn_report_fig f, int *w, int *h)
{
    switch (f) {
    case NN_REPORT_LOSS: *w = 900; *h = 520; return;
    case NN_REPORT_CONFUSION:
        if (r->task != NN_TASK_CLASSIFICATION) {
            *w = 660;
            *h = 640;
        } else {
            *w = 960;
            *h = r->k <= 12 ? 520 : 520 + (r->k - 12) * 22;
        }
        return;
    case NN_REPORT_BOUNDARY: *w = 840; *h = 680; return;
    case NN_REPORT_NETWORK: *w = 960; *h = 560; return;
    case NN_REPORT_PAGE: *w = 595; *h = 842; return;
    case NN_REPORT_FIG_COUNT: break;
    }
    *w = *h = 0;
}

/* The evaluation tile: the confusion matrix, or predicted against actual for regression. */
static void fig_eval(rp_pen *p, const nn_report *r, double w, double h, double fs)
{
    if (r->task == NN_TASK_CLASSIFICATION)
        rp_fig_confusion(p, r, w, h, fs);
    else
        rp_fig_fit(p, r, w, h, fs);
}

typedef void (*fig_fn)(rp_pen *p, const nn_report *r, double w, double h, double fs);

/* Draws fig into the box (x, y, w, h) of the page. */
static void tile(rp_pen *p, const nn_report *r, fig_fn fig, double x, double y, double w, double h, double fs)
{
    p->page = true;
    cairo_save(p->cr);
    cairo_translate(p->cr, x, y);
    cairo_rectangle(p->cr, 0, 0, w, h);
    cairo_clip(p->cr);
    fig(p, r, w, h, fs);
    cairo_restore(p->cr);
}

/* One A4 page: name, description, configuration, then the curves, the matrix and the boundary,
 * and the network in what is left. */
void rp_fig_page(rp_pen *p, const nn_report *r, double w, double h)
{
    const double m = 38, fs = 7.6, gap = 12;
    double cw = w - 2 * m, y = m - 4;
    y += rp_text_wrap(p, m, y, cw, r->name[0] ? r->name : "nnterm run", 17, true, rp_ink, 2) + 3;
    if (r->description[0])
        y += rp_text_wrap(p, m, y, cw, r->description, 8.6, false, rp_grey, 7) + 5;
    for (int i = 0; i < r->n_config; i++)
        y += rp_text_wrap(p, m, y, cw, r->config[i], 8, i == r->n_config - 1 && r->has_eval, rp_ink, 2) + 1.5;
    y += gap - 2;
    double bottom = h - m - 10;
    bool loss = nn_report_has(r, NN_REPORT_LOSS), eval = nn_report_has(r, NN_REPORT_CONFUSION);
    bool view = nn_report_has(r, NN_REPORT_BOUNDARY), net = nn_report_has(r, NN_REPORT_NETWORK);
    double avail = bottom - y;
    double net_h = net ? fmax(avail * 0.2, 100) : 0;
    double row_h = eval || view ? (avail - net_h - (net ? gap : 0)) * 0.56 : 0;
    double loss_h = avail - net_h - row_h - (net ? gap : 0) - (row_h > 0 ? gap : 0);
    if (loss) {
        tile(p, r, rp_fig_loss, m, y, cw, loss_h, fs);
    } else {
        double th = rp_text_wrap(p, m, y, cw, r->no_history[0] ? r->no_history : "no epochs trained", 9, false,
                                 rp_grey, 3);
        /* the space of the curves goes to the rest */
        row_h += (loss_h - th - 4) * (net ? 0.6 : 1);
        net_h += net ? (loss_h - th - 4) * 0.4 : 0;
        loss_h = th + 4 - gap;
    }
    y += loss_h + gap;
    bool wide_eval = r->task == NN_TASK_CLASSIFICATION && r->k > 6;
    if (eval && view && !wide_eval) {
        double half = (cw - gap) / 2;
        tile(p, r, fig_eval, m, y, half, row_h, fs);
        tile(p, r, rp_fig_boundary, m + half + gap, y, half, row_h, fs);
    } else if (eval && view) {
        /* many classes: the matrix across the page, the boundary beside the network */
        tile(p, r, fig_eval, m, y, cw, row_h, fs);
    } else if (eval) {
        tile(p, r, fig_eval, m, y, r->task == NN_TASK_CLASSIFICATION ? cw : cw * 0.6, row_h, fs);
    } else if (view) {
        tile(p, r, rp_fig_boundary, m, y, cw * 0.6, row_h, fs);
    }
    y += row_h + (row_h > 0 ? gap : 0);
    if (net) {
        if (eval && view && wide_eval) {
            double half = (cw - gap) / 2;
            tile(p, r, rp_fig_network, m, y, half, net_h, fs);
            tile(p, r, rp_fig_boundary, m + half + gap, y, half, net_h, fs);
        } else {
            tile(p, r, rp_fig_network, m, y, cw, net_h, fs);
        }
    }
    rp_colour(p->cr, rp_light);
    cairo_set_line_width(p->cr, 0.5);
    cairo_move_to(p->cr, m, h - m + 2);
    cairo_line_to(p->cr, w - m, h - m + 2);
    cairo_stroke(p->cr);
    rp_text(p, m, h - m + 5, r->origin[0] ? r->origin : "nnterm " NN_VERSION, 6.5, false, 0, 0, rp_grey, cw);
}

// --- rendering ----------------------------------------------------------------------------------

static cairo_status_t sink(void *closure, const unsigned char *data, unsigned int len)
{
    nn_strbuf *b = closure;
    nn_strbuf_put(b, (const char *)data, len);
    return b->oom ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

static void draw_fig(rp_pen *p, const nn_report *r, nn_report_fig f, double w, double h)
{
    /* a white ground: viewers with a dark background show the figures as printed */
    rp_colour(p->cr, rp_white);
    cairo_paint(p->cr);
    const double fs = 15;
    if (f != NN_REPORT_PAGE)
        cairo_translate(p->cr, 8, 6);   /* a margin */
    switch (f) {
    case NN_REPORT_LOSS: rp_fig_loss(p, r, w - 16, h - 12, fs); break;
    case NN_REPORT_CONFUSION: fig_eval(p, r, w - 16, h - 12, fs); break;
    case NN_REPORT_BOUNDARY: rp_fig_boundary(p, r, w - 16, h - 12, fs); break;
    case NN_REPORT_NETWORK: rp_fig_network(p, r, w - 16, h - 12, 14); break;
    case NN_REPORT_PAGE: rp_fig_page(p, r, w, h); break;
    case NN_REPORT_FIG_COUNT: break;
    }
}

static nn_status cairo_failed(cairo_status_t s, nn_error *err)
{
    return nn_error_set(err, s == CAIRO_STATUS_NO_MEMORY ? NN_ENOMEM : NN_EIO, "cairo: %s",
                        cairo_status_to_string(s));
}

nn_status nn_report_render(const nn_report *r, nn_report_fig f, nn_report_format fmt, nn_strbuf *out, nn_error *err)
{
    if (f < 0 || f >= NN_REPORT_FIG_COUNT || !nn_report_has(r, f))
        return nn_error_set(err, NN_EINVAL, "report: nothing to draw for this figure");
    int w, h;
    nn_report_size(r, f, &w, &h);
    double dw = f == NN_REPORT_PAGE ? A4_W : w, dh = f == NN_REPORT_PAGE ? A4_H : h;
    cairo_surface_t *s;
    switch (fmt) {
    case NN_REPORT_PNG: s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h); break;
    case NN_REPORT_SVG: s = cairo_svg_surface_create_for_stream(sink, out, dw, dh); break;
    case NN_REPORT_PDF: s = cairo_pdf_surface_create_for_stream(sink, out, dw, dh); break;
    default: return nn_error_set(err, NN_EINVAL, "report: unknown format");
    }
    if (fmt == NN_REPORT_PDF) {
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, r->name[0] ? r->name : "nnterm report");
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "nnterm " NN_VERSION);
    }
    cairo_t *cr = cairo_create(s);
    rp_pen pen;
    nn_status st = cairo_status(cr) != CAIRO_STATUS_SUCCESS ? cairo_failed(cairo_status(cr), err)
                                                            : rp_pen_open(&pen, cr, err);
    if (st == NN_OK) {
        draw_fig(&pen, r, f, dw, dh);
        rp_pen_close(&pen);
        if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
            st = cairo_failed(cairo_status(cr), err);
    }
    cairo_destroy(cr);
    if (st == NN_OK && fmt == NN_REPORT_PNG) {
        cairo_status_t cs = cairo_surface_write_to_png_stream(s, sink, out);
        if (cs != CAIRO_STATUS_SUCCESS)
            st = cairo_failed(cs, err);
    }
    cairo_surface_finish(s);
    if (st == NN_OK && cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
        st = cairo_failed(cairo_surface_status(s), err);
    cairo_surface_destroy(s);
    if (st == NN_OK && out->oom)
        st = nn_error_set(err, NN_ENOMEM, "report: out of memory");
    return st;
}

// --- history.csv --------------------------------------------------------------------------------

/* ",v" as --json writes it (%.6g, seconds %.6f), "," alone where --json has null */
static void csv_num(nn_strbuf *b, double v, bool seconds)
{
    nn_strbuf_put(b, ",", 1);
    if (isfinite(v) && seconds)
        nn_strbuf_printf(b, "%.6f", v);
    else if (isfinite(v))
        nn_strbuf_printf(b, "%.6g", v);
}

void nn_report_history_csv(const nn_report *r, nn_strbuf *out)
{
    bool cls = r->task == NN_TASK_CLASSIFICATION;
    nn_strbuf_printf(out, "epoch,train_loss,val_loss,test_loss,%s,%s,%s,lr%s,seconds,eval_seconds\n",
                     cls ? "train_accuracy" : "train_r2", cls ? "val_accuracy" : "val_r2",
                     cls ? "test_accuracy" : "test_r2", r->has_penalty ? ",penalty" : "");
    for (int i = 0; i < r->n_hist; i++) {
        const nn_epoch_stats *s = &r->hist[i];
        nn_strbuf_printf(out, "%d", s->epoch);
        csv_num(out, s->train_loss, false);
        csv_num(out, s->val_loss, false);
        csv_num(out, s->test_loss, false);
        csv_num(out, s->train_acc, false);
        csv_num(out, s->val_acc, false);
        csv_num(out, s->test_acc, false);
        csv_num(out, s->lr, false);
        if (r->has_penalty)
            csv_num(out, s->penalty, false);
        csv_num(out, s->seconds, true);
        csv_num(out, s->eval_seconds, true);
        nn_strbuf_put(out, "\n", 1);
    }
}

// --- the files ----------------------------------------------------------------------------------

static nn_status make_dir(const char *dir, nn_error *err)
{
    struct stat sb;
    if (stat(dir, &sb) == 0) {
        if (!S_ISDIR(sb.st_mode))
            return nn_error_set(err, NN_EIO, "%s: not a folder (the report is a folder of files)", dir);
        return NN_OK;
    }
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return nn_error_set(err, NN_EIO, "%s: cannot create the folder: %s", dir, strerror(errno));
    return NN_OK;
}

static nn_status put_file(const char *dir, const char *name, const nn_strbuf *b, char *written, size_t cap,
                          nn_error *err)
{
    char path[NN_PATH_MAX];
    if (nn_path_join(path, sizeof path, dir, name) != 0)
        return nn_error_set(err, NN_EINVAL, "%s/%s: path too long", dir, name);
    if (b->oom)
        return nn_error_set(err, NN_ENOMEM, "%s: out of memory", path);
    nn_status st = nn_file_write_atomic(path, b->s ? b->s : "", b->len, err);
    if (st == NN_OK && written) {
        size_t n = strlen(written);
        snprintf(written + n, cap > n ? cap - n : 0, "%s%s", n ? ", " : "", name);
    }
    return st;
}

nn_status nn_report_write(const nn_report *r, const char *dir, char *written, size_t cap, nn_error *err)
{
    if (written && cap)
        written[0] = '\0';
    nn_status st = make_dir(dir, err);
    if (st != NN_OK)
        return st;
    static const struct {
        nn_report_fig fig;
        nn_report_format fmt;
        const char *name, *regression_name;
    } files[] = {
        {NN_REPORT_LOSS, NN_REPORT_SVG, "loss.svg", NULL},
        {NN_REPORT_LOSS, NN_REPORT_PNG, "loss.png", NULL},
        {NN_REPORT_CONFUSION, NN_REPORT_SVG, "confusion.svg", "fit.svg"},
        {NN_REPORT_CONFUSION, NN_REPORT_PNG, "confusion.png", "fit.png"},
        {NN_REPORT_BOUNDARY, NN_REPORT_PNG, "boundary.png", NULL},
        {NN_REPORT_NETWORK, NN_REPORT_SVG, "network.svg", NULL},
        {NN_REPORT_PAGE, NN_REPORT_PDF, "report.pdf", NULL},
    };
    if (r->n_hist > 0) {
        nn_strbuf b = {0};
        nn_report_history_csv(r, &b);
        st = put_file(dir, "history.csv", &b, written, cap, err);
        free(b.s);
        if (st != NN_OK)
            return st;
    }
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        if (!nn_report_has(r, files[i].fig))
            continue;
        const char *name = r->task != NN_TASK_CLASSIFICATION && files[i].regression_name ? files[i].regression_name
                                                                                           : files[i].name;
        nn_strbuf b = {0};
        nn_error e;
        st = nn_report_render(r, files[i].fig, files[i].fmt, &b, &e);
        if (st != NN_OK)
            nn_error_set(err, st, "%s/%s: %s", dir, name, e.msg);
        else
            st = put_file(dir, name, &b, written, cap, err);
        free(b.s);
        if (st != NN_OK)
            return st;
    }
    return NN_OK;
}
