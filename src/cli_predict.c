/* cli_predict.c — `nnterm predict MODEL.json DATA.csv`: predictions as CSV on stdout.
 * Feature columns are found by their header names (other columns, a label among them, are
 * ignored); a model trained on Playground features (dataset.features) reads its two raw columns and
 * computes them; the model's stored normalisation is applied. */
#include "cli.h"

#include "datasets.h"
#include "files.h"
#include "metrics.h"
#include "model_io.h"

#include "strbuf.h"
#include "text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* CSV field: control characters escaped (a class name must not drive the terminal: ESC ] ... BEL),
 * then quoted when it holds a comma or a quote. prefix goes before s ("p_" for the header). */
static void csv_field(const char *prefix, const char *s)
{
    nn_strbuf b = {0};
    nn_strbuf_puts(&b, prefix);
    nn_text_escape(&b, s, strlen(s));
    const char *t = b.s && !b.oom ? b.s : "?";
    if (!strpbrk(t, ",\"")) {
        fputs(t, stdout);
    } else {
        putchar('"');
        for (; *t; t++) {
            if (*t == '"')
                putchar('"');
            putchar(*t);
        }
        putchar('"');
    }
    free(b.s);
}

int cli_predict(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "nnterm: predict: usage: nnterm predict MODEL.json DATA.csv\n");
        return EXIT_BAD_INPUT;
    }
    nn_model *m = calloc(1, sizeof *m);
    nn_dataset d = {0};
    char *buf = NULL;
    size_t len = 0;
    float *out = NULL;
    const char **names = NULL;
    nn_error err;
    int rc = EXIT_BAD_INPUT;
    if (!m) {
        fprintf(stderr, "nnterm: out of memory\n");
        return EXIT_RUN_FAILED;
    }
    if (nn_model_load(m, argv[1], &err) != NN_OK) {
        fprintf(stderr, "nnterm: %s\n", err.msg);
        goto out;
    }
    if (nn_file_read(argv[2], &buf, &len, &err) != NN_OK) {
        fprintf(stderr, "nnterm: %s\n", err.msg);
        goto out;
    }
    /* the columns to read: the features, or the two raw ones Playground features are computed from */
    int n_in = 0;
    char *const *in = nn_model_inputs(m, &n_in);
    names = calloc((size_t)n_in, sizeof *names);
    if (!names)
        goto oom;
    for (int i = 0; i < n_in; i++)
        names[i] = in[i];
    if (nn_data_csv_columns(&d, buf, len, argv[2], names, n_in, &err) != NN_OK) {
        fprintf(stderr, "nnterm: %s\n", err.msg);
        goto out;
    }
    int no = nn_network_outputs(&m->net);
    out = calloc((size_t)d.n * (size_t)no + 1, sizeof *out);
    if (!out)
        goto oom;
    if (nn_model_predict(m, d.x, d.n, out, &err) != NN_OK) {
        fprintf(stderr, "nnterm: %s\n", err.msg);
        rc = EXIT_RUN_FAILED;
        goto out;
    }
    /* a row the model cannot handle (values too large for it: rows of 3e38) gives NaN or infinity:
     * an error naming the line, before anything is printed */
    for (size_t i = 0; i < (size_t)d.n * (size_t)no; i++) {
        if (!isfinite(out[i])) {
            int r = (int)(i / (size_t)no);
            fprintf(stderr, "nnterm: %s: line %ld: the model's output for this row is not a finite number (NaN or "
                    "infinity): a value in it is too large for the model %s\n", argv[2],
                    d.row_line ? d.row_line[r] : (long)r + 2, argv[1]);
            goto out;
        }
    }
    bool cls = m->task == NN_TASK_CLASSIFICATION;
    printf("row,predicted");
    if (cls) {
        for (int c = 0; c < m->n_classes; c++) {
            printf(",");
            csv_field("p_", m->class_names[c]);
        }
    } else {
        for (int j = 1; j < no; j++)
            printf(",predicted_%d", j + 1);
    }
    printf("\n");
    /* a full disk or a closed pipe: stop at once (main reports it and exits 1) */
    for (int r = 0; r < d.n && !cli_stdout_failed(); r++) {
        const float *o = out + (size_t)r * no;
        printf("%d,", r + 1);
        if (cls) {
            int c = nn_predict_class(o, no);   /* < n_classes: the model file was checked */
            csv_field("", c >= 0 && c < m->n_classes ? m->class_names[c] : "?");
            if (no == 1) { /* a single sigmoid unit: p(class 1) */
                printf(",%.6g,%.6g", 1.0 - (double)o[0], (double)o[0]);
            } else {
                for (int j = 0; j < no; j++)
                    printf(",%.6g", (double)o[j]);
            }
        } else {
            for (int j = 0; j < no; j++)
                printf("%s%.9g", j ? "," : "", (double)o[j]);
        }
        printf("\n");
    }
    rc = 0;
    goto out;
oom:
    fprintf(stderr, "nnterm: out of memory\n");
    rc = EXIT_RUN_FAILED;
out:
    free(out);
    free(names);
    free(buf);
    nn_dataset_free(&d);
    nn_model_free(m);
    free(m);
    return rc;
}
