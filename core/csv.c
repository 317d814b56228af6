/* csv.c — a one-pass RFC 4180 CSV reader: a header row of unique names, numeric features, a label
 * column (string or integer classes, or a regression target). Every problem is one line naming the
 * file, the line and the column. Never reads past len. */
#include "datasets.h"
#include "files.h"
#include "text.h"

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CELLS ((size_t)1 << 31)   /* same limit as nn_dataset_alloc */

// --- CSV
/* One pass: a byte loop splits records into fields (unquoting into a scratch row buffer, so a
 * field is always NUL-terminated and strtod never sees past it), and each record is converted
 * as soon as it ends. Features go straight into a float array that doubles when full; labels
 * are kept both as numbers and as string-class ids until the end decides the task:
 * any non-numeric label -> string classes; all integers -> classes sorted by value; else
 * regression. Lines are physical, 1-based, the header being line 1; a record that spans lines
 * (a quoted newline) is reported at its first line. Completely blank lines are skipped. */

typedef struct {
    char *b;        /* field text, each field NUL-terminated */
    size_t len, cap;
    size_t *off;    /* (nf) field start offsets into b */
    int nf, fcap;
} csv_row;

static int row_putc(csv_row *r, char c)
{
    if (r->len == r->cap) {
        size_t nc = r->cap ? r->cap * 2 : 256;
        char *nb = realloc(r->b, nc);
        if (!nb)
            return -1;
        r->b = nb;
        r->cap = nc;
    }
    r->b[r->len++] = c;
    return 0;
}

static int row_put(csv_row *r, const char *s, size_t n)
{
    if (n == 0)
        return 0;
    if (r->cap - r->len < n) {
        size_t nc = r->cap ? r->cap : 256;
        while (nc - r->len < n)
            nc *= 2;
        char *nb = realloc(r->b, nc);
        if (!nb)
            return -1;
        r->b = nb;
        r->cap = nc;
    }
    memcpy(r->b + r->len, s, n);
    r->len += n;
    return 0;
}

static int row_start_field(csv_row *r)
{
    if (r->nf == r->fcap) {
        if (r->fcap > INT_MAX / 2)
            return -1;
        int nc = r->fcap ? r->fcap * 2 : 32;
        size_t *no = realloc(r->off, (size_t)nc * sizeof *no);
        if (!no)
            return -1;
        r->off = no;
        r->fcap = nc;
    }
    r->off[r->nf++] = r->len;
    return 0;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

/* A cell or name quoted in a message: at most NN_EXCERPT bytes, control characters escaped. */
#define EXCERPT_CAP (NN_EXCERPT * 4 + 8)
static const char *excerpt(char *out, const char *s)
{
    return nn_text_excerpt(out, EXCERPT_CAP, s, NN_EXCERPT);
}

/* Parses the whole (trimmed) cell as a finite double; 0 on success. */
static int parse_number(const char *s, double *v)
{
    if (!*s)
        return -1;
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (end == s || *end != '\0' || !isfinite(x))
        return -1;
    if (errno == ERANGE && fabs(x) > 1.0)    /* overflow (underflow to 0 or a denormal is fine) */
        return -1;
    *v = x;
    return 0;
}

typedef struct {
    const char *file;
    int mode_columns;               /* nn_data_csv_columns: no label */
    const char *label_arg;
    const char *const *names;       /* mode_columns: the wanted features */
    int n_names;
    int task;                       /* -1 auto */

    int header_done;
    int ncols, label_col, nfeat;
    int *col_feat;                  /* (ncols) feature index of each column, or -1 */
    char **feat_names;              /* (nfeat) whole names, malloc'd */
    char *label_name;               /* the label column's name, malloc'd */

    int n, cap;                     /* data rows */
    float *x;                       /* (cap, nfeat) */
    long *line;                     /* (cap) the line each row starts on */
    double *val;                    /* (cap) numeric label, NAN if not a number */
    int32_t *sid;                   /* (cap) string class id, -1 after the table overflowed */
    char **sclass;                  /* (NN_MAX_CLASSES) string classes in order of appearance, whole */
    int n_sclass;
    long overflow_line;             /* first line with a 65th distinct label string, or 0 */
    long first_text_line;           /* first line with a non-numeric label, or 0 */
    char first_text[EXCERPT_CAP];
    long first_frac_line;           /* first line with a non-integer numeric label, or 0 */
    char first_frac[EXCERPT_CAP];
    long first_big_line;            /* first line with an integer label beyond int range, or 0 */
    char first_big[EXCERPT_CAP];
} csv_state;

static void csv_state_free(csv_state *s)
{
    free(s->col_feat);
    nn_names_free(s->feat_names, s->nfeat);
    free(s->label_name);
    free(s->x);
    free(s->line);
    free(s->val);
    free(s->sid);
    nn_names_free(s->sclass, NN_MAX_CLASSES);
}

static char *dup_str(const char *src)
{
    size_t n = strlen(src);
    char *d = malloc(n + 1);
    if (d)
        memcpy(d, src, n + 1);
    return d;
}

/* A header of one column that holds ';' or tabs: a CSV from a spreadsheet in a locale that
 * separates with semicolons, or a TSV file. */
static nn_status check_separator(csv_state *s, int ncols, const char *first, nn_error *err)
{
    if (ncols != 1)
        return NN_OK;
    const char *kind = strchr(first, ';') ? "semicolon" : strchr(first, '\t') ? "tab" : NULL;
    if (!kind)
        return NN_OK;
    return nn_error_set(err, NN_EINVAL, "%s: line 1: the header has no commas but looks %s-separated: nnterm reads "
                        "comma-separated CSV (save the file with commas as separators)", s->file, kind);
}

/* Every header name is non-empty and unique (after trimming), so that a model trained on this file
 * can find its columns by name in the same file again. Columns are counted from 1 here. */
static nn_status check_names(csv_state *s, char **names, nn_error *err)
{
    for (int j = 0; j < s->ncols; j++)
        if (!names[j][0])
            return nn_error_set(err, NN_EINVAL, "%s: line 1: column %d has no name in the header (every column "
                                "needs a name: predict finds the features by their names)", s->file, j + 1);
    /* duplicates: sort the column numbers by name (O(n log n): headers can have a million columns) */
    int *ord = malloc((size_t)s->ncols * sizeof *ord);
    if (!ord)
        return nn_error_set(err, NN_ENOMEM, "%s: out of memory for the header", s->file);
    for (int j = 0; j < s->ncols; j++)
        ord[j] = j;
    /* a merge sort by (name, column): stable and without a global for qsort's comparator */
    int *tmp = malloc((size_t)s->ncols * sizeof *tmp);
    if (!tmp) {
        free(ord);
        return nn_error_set(err, NN_ENOMEM, "%s: out of memory for the header", s->file);
    }
    for (int w = 1; w < s->ncols; w *= 2) {
        for (int lo = 0; lo < s->ncols; lo += 2 * w) {
            int mid = lo + w < s->ncols ? lo + w : s->ncols;
            int hi = lo + 2 * w < s->ncols ? lo + 2 * w : s->ncols;
            int a = lo, b = mid, k = lo;
            while (a < mid && b < hi)
                tmp[k++] = strcmp(names[ord[a]], names[ord[b]]) <= 0 ? ord[a++] : ord[b++];
            while (a < mid)
                tmp[k++] = ord[a++];
            while (b < hi)
                tmp[k++] = ord[b++];
        }
        memcpy(ord, tmp, (size_t)s->ncols * sizeof *ord);
    }
    free(tmp);
    int first = -1, second = -1;
    for (int k = 1; k < s->ncols; k++) {
        if (strcmp(names[ord[k - 1]], names[ord[k]]) != 0)
            continue;
        int a = ord[k - 1] < ord[k] ? ord[k - 1] : ord[k], b = ord[k - 1] < ord[k] ? ord[k] : ord[k - 1];
        if (first < 0 || b < second) {   /* report the pair whose later column comes first */
            first = a;
            second = b;
        }
    }
    free(ord);
    if (first >= 0) {
        char ex[EXCERPT_CAP];
        return nn_error_set(err, NN_EINVAL, "%s: line 1: columns %d and %d are both named '%s' (header names must "
                            "be unique: predict finds the features by their names)", s->file, first + 1, second + 1,
                            excerpt(ex, names[first]));
    }
    return NN_OK;
}

static nn_status csv_header(csv_state *s, csv_row *r, nn_error *err)
{
    s->ncols = r->nf;
    s->col_feat = malloc((size_t)s->ncols * sizeof *s->col_feat);
    if (!s->col_feat)
        return nn_error_set(err, NN_ENOMEM, "%s: out of memory for the header", s->file);
    char **names = malloc((size_t)s->ncols * sizeof *names);
    if (!names)
        return nn_error_set(err, NN_ENOMEM, "%s: out of memory for the header", s->file);
    for (int j = 0; j < s->ncols; j++)
        names[j] = trim(r->b + r->off[j]);

    char ex[EXCERPT_CAP];
    nn_status st = check_separator(s, s->ncols, names[0], err);
    if (!st)
        st = check_names(s, names, err);
    if (!st && s->mode_columns) {
        s->label_col = -1;
        for (int j = 0; j < s->ncols; j++)
            s->col_feat[j] = -1;
        for (int k = 0; k < s->n_names && !st; k++) {
            int found = -1;
            for (int j = 0; j < s->ncols && found < 0; j++)
                if (strcmp(names[j], s->names[k]) == 0)
                    found = j;
            if (found < 0)
                st = nn_error_set(err, NN_EINVAL, "%s: line 1: no column named '%s' in the header (the model needs it)",
                                  s->file, excerpt(ex, s->names[k]));
            else if (s->col_feat[found] >= 0)
                st = nn_error_set(err, NN_EINVAL, "%s: line 1: column '%s' is asked for twice", s->file,
                                  excerpt(ex, s->names[k]));
            else
                s->col_feat[found] = k;
        }
        if (!st)
            s->nfeat = s->n_names;
    } else if (!st) {
        /* The label: a header name first, else a 0-based index, else the last column. */
        s->label_col = -1;
        const char *lab = s->label_arg;
        if (!lab || !*lab) {
            s->label_col = s->ncols - 1;
        } else {
            for (int j = 0; j < s->ncols && s->label_col < 0; j++)
                if (strcmp(names[j], lab) == 0)
                    s->label_col = j;
            if (s->label_col < 0 && strspn(lab, "0123456789") == strlen(lab) && strlen(lab) < 10) {
                long k = strtol(lab, NULL, 10);
                if (k >= s->ncols)
                    st = nn_error_set(err, NN_EINVAL,
                                      "%s: label column %ld is out of range (the header has %d columns, 0..%d)",
                                      s->file, k, s->ncols, s->ncols - 1);
                else
                    s->label_col = (int)k;
            } else if (s->label_col < 0) {
                st = nn_error_set(err, NN_EINVAL, "%s: line 1: no column named '%s' in the header (give a name or a "
                                  "0-based index)", s->file, excerpt(ex, lab));
            }
        }
        if (!st && s->ncols < 2)
            st = nn_error_set(err, NN_EINVAL, "%s: line 1: the header has one column, '%s' (expected feature columns "
                              "and a label column, separated by commas)", s->file, excerpt(ex, names[0]));
        if (!st) {
            int k = 0;
            for (int j = 0; j < s->ncols; j++)
                s->col_feat[j] = j == s->label_col ? -1 : k++;
            s->label_name = dup_str(names[s->label_col]);
            if (!s->label_name)
                st = nn_error_set(err, NN_ENOMEM, "%s: out of memory for the header", s->file);
            else
                s->nfeat = s->ncols - 1;
        }
    }
    if (!st) {
        s->feat_names = calloc((size_t)s->nfeat, sizeof *s->feat_names);
        if (!s->feat_names) {
            s->nfeat = 0;
            st = nn_error_set(err, NN_ENOMEM, "%s: out of memory for the header", s->file);
        }
        for (int j = 0; j < s->ncols && !st; j++) {
            int f = s->col_feat[j];
            if (f >= 0 && !(s->feat_names[f] = dup_str(names[j])))
                st = nn_error_set(err, NN_ENOMEM, "%s: out of memory for the header", s->file);
        }
    } else {
        s->nfeat = 0;
    }
    free(names);
    s->header_done = 1;
    return st;
}

static nn_status csv_grow(csv_state *s, nn_error *err)
{
    if (s->cap > INT_MAX / 2)
        return nn_error_set(err, NN_ENOMEM, "%s: too many rows", s->file);
    /* start small for wide files: memory grows with the data read, never rows x fields up front */
    int first = s->nfeat <= 256 ? 1024 : (int)(262144 / (size_t)s->nfeat);
    int nc = s->cap ? s->cap * 2 : (first > 4 ? first : 4);
    if ((size_t)nc > MAX_CELLS / (size_t)s->nfeat) {
        nc = (int)(MAX_CELLS / (size_t)s->nfeat);
        if (nc <= s->cap)
            return nn_error_set(err, NN_ENOMEM, "%s: more than %zu values: too large", s->file, MAX_CELLS);
    }
    float *x = realloc(s->x, (size_t)nc * (size_t)s->nfeat * sizeof *x);
    if (x)
        s->x = x;
    long *ln = realloc(s->line, (size_t)nc * sizeof *ln);
    if (ln)
        s->line = ln;
    if (!ln)
        x = NULL;
    if (!s->mode_columns) {
        double *v = realloc(s->val, (size_t)nc * sizeof *v);
        if (v)
            s->val = v;
        int32_t *id = realloc(s->sid, (size_t)nc * sizeof *id);
        if (id)
            s->sid = id;
        if (!v || !id)
            x = NULL;
    }
    if (!x)
        return nn_error_set(err, NN_ENOMEM, "%s: out of memory at %d rows", s->file, s->cap);
    s->cap = nc;
    return NN_OK;
}

static nn_status csv_label(csv_state *s, char *cell, long line, nn_error *err)
{
    int i = s->n;
    double v;
    if (parse_number(cell, &v) == 0) {
        s->val[i] = v;
        if (!s->first_frac_line && v != trunc(v)) {
            s->first_frac_line = line;
            excerpt(s->first_frac, cell);
        } else if (!s->first_big_line && v == trunc(v) && fabs(v) > (double)INT_MAX) {
            s->first_big_line = line;
            excerpt(s->first_big, cell);
        }
    } else {
        s->val[i] = (double)NAN;
        if (!s->first_text_line) {
            s->first_text_line = line;
            excerpt(s->first_text, cell);
        }
    }
    /* String classes in order of first appearance, while there are at most NN_MAX_CLASSES. */
    s->sid[i] = -1;
    if (s->overflow_line)
        return NN_OK;
    for (int c = s->n_sclass - 1; c >= 0; c--)
        if (strcmp(s->sclass[c], cell) == 0) {
            s->sid[i] = c;
            return NN_OK;
        }
    if (s->n_sclass == NN_MAX_CLASSES) {
        s->overflow_line = line;
        return NN_OK;
    }
    if (!(s->sclass[s->n_sclass] = dup_str(cell)))
        return nn_error_set(err, NN_ENOMEM, "%s: out of memory at line %ld", s->file, line);
    s->sid[i] = s->n_sclass++;
    return NN_OK;
}

static nn_status csv_record(csv_state *s, csv_row *r, long line, nn_error *err)
{
    if (!s->header_done)
        return csv_header(s, r, err);
    if (r->nf != s->ncols)
        return nn_error_set(err, NN_EINVAL, "%s: line %ld has %d field%s, the header has %d", s->file, line, r->nf,
                            r->nf == 1 ? "" : "s", s->ncols);
    if (s->n == s->cap) {
        nn_status st = csv_grow(s, err);
        if (st)
            return st;
    }
    float *x = s->x + (size_t)s->n * (size_t)s->nfeat;
    char ex[EXCERPT_CAP], ex2[EXCERPT_CAP];
    for (int j = 0; j < s->ncols; j++) {
        char *cell = trim(r->b + r->off[j]);
        int f = s->col_feat[j];
        if (j == s->label_col) {
            if (!*cell)
                return nn_error_set(err, NN_EINVAL, "%s: line %ld, column '%s': empty label", s->file, line,
                                    excerpt(ex, s->label_name));
            nn_status st = csv_label(s, cell, line, err);
            if (st)
                return st;
        } else if (f >= 0) {
            double v;
            if (!*cell)
                return nn_error_set(err, NN_EINVAL, "%s: line %ld, column '%s': empty cell (expected a finite number)",
                                    s->file, line, excerpt(ex, s->feat_names[f]));
            if (parse_number(cell, &v) != 0)
                return nn_error_set(err, NN_EINVAL, "%s: line %ld, column '%s': '%s' is not a finite number",
                                    s->file, line, excerpt(ex, s->feat_names[f]), excerpt(ex2, cell));
            if (!isfinite((float)v))
                return nn_error_set(err, NN_EINVAL, "%s: line %ld, column '%s': %s is beyond the float range "
                                    "(about -3.4e38..3.4e38)", s->file, line, excerpt(ex, s->feat_names[f]),
                                    excerpt(ex2, cell));
            x[f] = (float)v;
        }
    }
    s->line[s->n] = line;
    s->n++;
    return NN_OK;
}

/* The tokenizer: calls csv_record for every non-blank record. */
static nn_status csv_scan(csv_state *s, const char *buf, size_t len, nn_error *err)
{
    csv_row r = {0};
    nn_status st = NN_OK;
    size_t i = 0;
    long line = 1;
    if (len >= 3 && (unsigned char)buf[0] == 0xEF && (unsigned char)buf[1] == 0xBB && (unsigned char)buf[2] == 0xBF)
        i = 3;
    while (i < len && !st) {
        long rec_line = line;
        int quoted_any = 0;
        r.len = 0;
        r.nf = 0;
        for (;;) {
            if (row_start_field(&r) != 0)
                goto oom;
            if (i < len && buf[i] == '"') {
                quoted_any = 1;
                long qline = line;
                i++;
                for (;;) {
                    if (i >= len) {
                        st = nn_error_set(err, NN_EINVAL, "%s: line %ld: a quoted field is never closed", s->file,
                                          qline);
                        goto done;
                    }
                    char c = buf[i];
                    if (c == '"') {
                        if (i + 1 < len && buf[i + 1] == '"') {
                            if (row_putc(&r, '"') != 0)
                                goto oom;
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    if (c == '\n' || (c == '\r' && !(i + 1 < len && buf[i + 1] == '\n')))
                        line++;
                    if (row_putc(&r, c) != 0)
                        goto oom;
                    i++;
                }
                while (i < len && (buf[i] == ' ' || buf[i] == '\t'))
                    i++;
                if (i < len && buf[i] != ',' && buf[i] != '\n' && buf[i] != '\r') {
                    char c4[5] = {0}, ex[EXCERPT_CAP];
                    size_t k = nn_utf8_len(buf + i, len - i);
                    memcpy(c4, buf + i, k ? k : 1);
                    st = nn_error_set(err, NN_EINVAL, "%s: line %ld: unexpected '%s' after a closing quote (expected "
                                      "a comma or the end of the line)", s->file, line, excerpt(ex, c4));
                    goto done;
                }
            } else {
                size_t a = i;
                while (i < len && buf[i] != ',' && buf[i] != '\n' && buf[i] != '\r')
                    i++;
                if (row_put(&r, buf + a, i - a) != 0)
                    goto oom;
            }
            if (row_putc(&r, '\0') != 0)
                goto oom;
            if (i >= len)
                break;
            if (buf[i] == ',') {
                i++;
                continue;
            }
            if (buf[i] == '\r' && i + 1 < len && buf[i + 1] == '\n')
                i++;
            i++;
            line++;
            break;
        }
        int blank = r.nf == 1 && !quoted_any && r.b[0] == '\0';
        if (!blank)
            st = csv_record(s, &r, rec_line, err);
    }
    goto done;
oom:
    st = nn_error_set(err, NN_ENOMEM, "%s: out of memory at line %ld", s->file, line);
done:
    free(r.b);
    free(r.off);
    return st;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Classification needs two classes at least: one class would train a one-unit network to say
 * "yes" to everything, and predict would read a second class name that does not exist. */
static nn_status check_classes(csv_state *s, int k, const char *only, nn_error *err)
{
    if (k >= 2)
        return NN_OK;
    char ex[EXCERPT_CAP], ex2[EXCERPT_CAP];
    return nn_error_set(err, NN_EINVAL, "%s: column '%s': every row has the label '%s': classification needs at "
                        "least 2 classes (for a numeric target set dataset.task to \"regression\")", s->file,
                        excerpt(ex, s->label_name), excerpt(ex2, only));
}

/* Classes from integer labels: the distinct values sorted, each row mapped by binary search. */
static nn_status integer_classes(csv_state *s, nn_dataset *d, nn_error *err)
{
    double vals[NN_MAX_CLASSES] = {0};
    int k = 0;
    char ex[EXCERPT_CAP];
    for (int i = 0; i < s->n; i++) {
        double v = s->val[i];
        int lo = 0, hi = k;
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (vals[mid] < v)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < k && vals[lo] == v)
            continue;
        if (k == NN_MAX_CLASSES)
            return nn_error_set(err, NN_EINVAL, "%s: line %ld, column '%s': more than %d distinct integer labels "
                                "(the limit is %d classes; use task regression for a numeric target)", s->file,
                                d->row_line[i], excerpt(ex, s->label_name), NN_MAX_CLASSES, NN_MAX_CLASSES);
        memmove(vals + lo + 1, vals + lo, (size_t)(k - lo) * sizeof *vals);
        vals[lo] = v;
        k++;
    }
    char one[32];
    snprintf(one, sizeof one, "%.0f", vals[0]);
    nn_status st = check_classes(s, k, one, err);
    if (st)
        return st;
    d->n_classes = k;
    d->label = malloc((size_t)s->n * sizeof *d->label);
    d->class_names = calloc((size_t)k, sizeof *d->class_names);
    if (!d->label || !d->class_names)
        return nn_error_set(err, NN_ENOMEM, "%s: out of memory", s->file);
    for (int c = 0; c < k; c++) {
        snprintf(one, sizeof one, "%.0f", vals[c]);
        if ((st = nn_dataset_set_class_name(d, c, one, NULL)) != NN_OK)
            return nn_error_set(err, st, "%s: out of memory for the class names", s->file);
    }
    for (int i = 0; i < s->n; i++) {
        double *p = bsearch(&s->val[i], vals, (size_t)k, sizeof *vals, cmp_double);
        d->label[i] = (int32_t)(p - vals);
    }
    return NN_OK;
}

/* Decides the task from the labels seen and moves everything into d. */
static nn_status csv_finish(csv_state *s, nn_dataset *d, nn_error *err)
{
    if (s->n == 0)
        return nn_error_set(err, NN_EINVAL, "%s: no data rows after the header", s->file);
    d->n = s->n;
    d->n_features = s->nfeat;
    d->feature_names = s->feat_names;
    s->feat_names = NULL;
    float *x = realloc(s->x, (size_t)s->n * (size_t)s->nfeat * sizeof *x);   /* shrink to fit */
    if (x)
        s->x = x;       /* if the shrink failed, the old block is still good */
    d->x = s->x;
    s->x = NULL;
    d->row_line = s->line;
    s->line = NULL;
    if (s->mode_columns) {
        d->task = NN_TASK_REGRESSION;
        return NN_OK;
    }
    char ex[EXCERPT_CAP];
    int task = s->task;
    if (task == NN_TASK_REGRESSION || (task < 0 && !s->first_text_line && (s->first_frac_line || s->first_big_line))) {
        if (s->first_text_line)
            return nn_error_set(err, NN_EINVAL, "%s: line %ld, column '%s': '%s' is not a finite number (the task "
                                "is regression)", s->file, s->first_text_line, excerpt(ex, s->label_name),
                                s->first_text);
        d->task = NN_TASK_REGRESSION;
        d->n_targets = 1;
        d->y = malloc((size_t)s->n * sizeof *d->y);
        if (!d->y)
            return nn_error_set(err, NN_ENOMEM, "%s: out of memory", s->file);
        for (int i = 0; i < s->n; i++) {
            d->y[i] = (float)s->val[i];
            if (!isfinite(d->y[i]))
                return nn_error_set(err, NN_EINVAL, "%s: line %ld, column '%s': label %g is beyond the float range "
                                    "(about -3.4e38..3.4e38)", s->file, d->row_line[i], excerpt(ex, s->label_name),
                                    s->val[i]);
        }
        return NN_OK;
    }
    d->task = NN_TASK_CLASSIFICATION;
    if (!s->first_text_line) {
        if (s->first_frac_line)
            return nn_error_set(err, NN_EINVAL, "%s: line %ld, column '%s': label %s is not an integer class (the "
                                "task is classification)", s->file, s->first_frac_line, excerpt(ex, s->label_name),
                                s->first_frac);
        if (s->first_big_line)
            return nn_error_set(err, NN_EINVAL, "%s: line %ld, column '%s': label %s is too large for an integer "
                                "class (integer classes lie in -%d..%d; for a numeric target set dataset.task to "
                                "\"regression\")", s->file, s->first_big_line, excerpt(ex, s->label_name),
                                s->first_big, INT_MAX, INT_MAX);
        return integer_classes(s, d, err);
    }
    if (s->overflow_line)
        return nn_error_set(err, NN_EINVAL, "%s: line %ld, column '%s': more than %d distinct labels (the limit is %d "
                            "classes)", s->file, s->overflow_line, excerpt(ex, s->label_name), NN_MAX_CLASSES,
                            NN_MAX_CLASSES);
    nn_status st = check_classes(s, s->n_sclass, s->sclass[0], err);
    if (st)
        return st;
    d->n_classes = s->n_sclass;
    d->label = malloc((size_t)s->n * sizeof *d->label);
    d->class_names = calloc((size_t)s->n_sclass, sizeof *d->class_names);
    if (!d->label || !d->class_names)
        return nn_error_set(err, NN_ENOMEM, "%s: out of memory", s->file);
    memcpy(d->label, s->sid, (size_t)s->n * sizeof *d->label);
    for (int c = 0; c < s->n_sclass; c++) {   /* hand the names over */
        d->class_names[c] = s->sclass[c];
        s->sclass[c] = NULL;
    }
    return NN_OK;
}

/* The line (1-based, counted as csv_scan counts: \n, \r\n or a lone \r) of offset off. */
static long line_at(const char *buf, size_t off)
{
    long line = 1;
    for (size_t i = 0; i < off; i++)
        if (buf[i] == '\n' || (buf[i] == '\r' && !(i + 1 <= off && buf[i + 1] == '\n')))
            line++;
    return line;
}

/* nnterm reads CSV as UTF-8 (a UTF-8 byte order mark is skipped). A UTF-16 file, a NUL byte (UTF-16
 * without a byte order mark, or a binary file) or bytes that are not UTF-8 (a Windows-1252 or
 * Latin-1 export) are refused with the line, so that names are never garbled and everything
 * nnterm writes (--json, model files, predictions) stays valid UTF-8. */
static nn_status csv_check_text(const csv_state *s, const char *buf, size_t len, nn_error *err)
{
    const unsigned char *u = (const unsigned char *)buf;
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
        return nn_error_set(err, NN_EINVAL, "%s: the file is UTF-16 (it starts with a UTF-16 %s byte order mark): "
                            "nnterm reads CSV as UTF-8 (save the file as UTF-8 or \"CSV UTF-8\")", s->file,
                            u[0] == 0xFF ? "little-endian" : "big-endian");
    const char *nul = memchr(buf, '\0', len);
    size_t bad = nn_utf8_check(buf, nul ? (size_t)(nul - buf) : len);
    if (nul && bad == (size_t)(nul - buf))
        return nn_error_set(err, NN_EINVAL, "%s: line %ld: a NUL byte: this is not a text file (UTF-16 without a "
                            "byte order mark, or binary data?); nnterm reads CSV as UTF-8", s->file,
                            line_at(buf, bad));
    if (bad < (nul ? (size_t)(nul - buf) : len))
        return nn_error_set(err, NN_EINVAL, "%s: line %ld: byte 0x%02X is not UTF-8 (a Windows-1252 or Latin-1 "
                            "file?): nnterm reads CSV as UTF-8 (save the file as UTF-8 or \"CSV UTF-8\")", s->file,
                            line_at(buf, bad), (unsigned)u[bad]);
    return NN_OK;
}

/* Runs the scan in the C numeric locale (the UI may have set LC_ALL for UTF-8, and strtod would
 * then want a decimal comma); uselocale is per thread, so other threads are not affected. */
static nn_status csv_run(csv_state *s, nn_dataset *d, const char *buf, size_t len, nn_error *err)
{
    memset(d, 0, sizeof *d);
    nn_status st = csv_check_text(s, buf, len, err);
    if (st)
        return st;
    locale_t c_loc = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    locale_t old = c_loc ? uselocale(c_loc) : (locale_t)0;
    if (!s->mode_columns) {
        s->sclass = calloc(NN_MAX_CLASSES, sizeof *s->sclass);
        if (!s->sclass)
            st = nn_error_set(err, NN_ENOMEM, "%s: out of memory", s->file);
    }
    if (!st)
        st = csv_scan(s, buf, len, err);
    if (!st && !s->header_done)
        st = nn_error_set(err, NN_EINVAL, "%s: empty file (expected a header row)", s->file);
    if (!st)
        st = csv_finish(s, d, err);
    if (c_loc) {
        uselocale(old);
        freelocale(c_loc);
    }
    csv_state_free(s);
    if (st)
        nn_dataset_free(d);
    return st;
}

nn_status nn_data_csv(nn_dataset *d, const char *buf, size_t len, const char *filename,
                      const char *label, int task, nn_error *err)
{
    csv_state s = {0};
    s.file = filename ? filename : "(csv)";
    s.label_arg = label;
    s.task = task;
    if (task != -1 && task != NN_TASK_CLASSIFICATION && task != NN_TASK_REGRESSION) {
        memset(d, 0, sizeof *d);
        return nn_error_set(err, NN_EINVAL, "%s: unknown task %d", s.file, task);
    }
    return csv_run(&s, d, buf, len, err);
}

nn_status nn_data_csv_file(nn_dataset *d, const char *path, const char *label, int task, nn_error *err)
{
    char *buf;
    size_t len;
    memset(d, 0, sizeof *d);
    nn_status st = nn_file_read(path, &buf, &len, err);
    if (st)
        return st;
    st = nn_data_csv(d, buf, len, path, label, task, err);
    free(buf);
    return st;
}

nn_status nn_data_csv_columns(nn_dataset *d, const char *buf, size_t len, const char *filename,
                              const char *const *names, int n, nn_error *err)
{
    csv_state s = {0};
    s.file = filename ? filename : "(csv)";
    s.mode_columns = 1;
    s.names = names;
    s.n_names = n;
    if (n < 1 || !names) {
        memset(d, 0, sizeof *d);
        return nn_error_set(err, NN_EINVAL, "%s: no feature columns asked for", s.file);
    }
    return csv_run(&s, d, buf, len, err);
}
