/* preset_open.c — what a user names as PRESET: a built-in or JSON preset, a CSV file (the defaults on
 * that data) or a saved model (the preset it was trained with). The command line and the trainer
 * open every name through here; nn_preset_load stays the reader of preset files alone. */
#include "preset.h"

#include "model_io.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define HEAD_BYTES 512   /* a model file names its format in its first line or two */

static bool ends_with_csv(const char *s)
{
    size_t n = strlen(s);
    return n > 4 && strcasecmp(s + n - 4, ".csv") == 0;
}

/* The first bytes say "format": "nnterm-model" (our writer puts it first). */
static bool looks_like_model(const char *head)
{
    const char *p = head;
    if ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF)
        p += 3;
    while (isspace((unsigned char)*p))
        p++;
    return *p == '{' && strstr(p, "\"format\"") && strstr(p, "\"" NN_MODEL_FORMAT "\"");
}

/* The defaults on the CSV file path (checked to be a readable regular file first). */
static nn_status open_csv(nn_preset *p, const char *path, nn_diags *diags, nn_error *err)
{
    char head[8];
    size_t n;
    nn_error e;
    if (nn_file_read_head(path, head, sizeof head, &n, &e) != NN_OK) {
        if (diags)
            nn_diags_add(diags, "%s", e.msg);
        if (err)
            *err = e;
        return e.code;
    }
    nn_preset_defaults(p);
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    snprintf(p->file, sizeof p->file, "%s", path);
    nn_path_dir(p->base_dir, sizeof p->base_dir, path);
    snprintf(p->dataset.source, sizeof p->dataset.source, "csv");
    snprintf(p->dataset.path, sizeof p->dataset.path, "%s", base);
    snprintf(p->name, sizeof p->name, "%.100s", base);
    snprintf(p->description, sizeof p->description,
             "%.100s with nnterm's defaults: the last column is the label (text or whole-number labels are "
             "classes, other numbers a regression), split 70/10/20, features z-scored on the training split, "
             "one hidden layer of 40 relu units, sgd at 0.03, batches of 16, 20 epochs.", base);
    return nn_preset_validate(p, diags, err);
}

static nn_status open_model(nn_preset *p, const char *path, nn_diags *diags, nn_error *err)
{
    nn_model *m = calloc(1, sizeof *m);
    if (!m)
        return nn_error_set(err, NN_ENOMEM, "%s: out of memory", path);
    nn_error e;
    nn_error_clear(&e);
    nn_status st = nn_model_load(m, path, &e);
    if (st == NN_OK)
        *p = m->preset;
    nn_model_free(m);
    free(m);
    if (st != NN_OK) {
        if (diags)
            nn_diags_add(diags, "%s", e.msg);
        if (err)
            *err = e;
        return st;
    }
    nn_error_clear(err);
    return NN_OK;
}

nn_status nn_preset_open(nn_preset *p, const char *name_or_path, nn_preset_origin *origin, nn_diags *diags,
                         nn_error *err)
{
    nn_preset_origin o = NN_ORIGIN_PRESET;
    nn_status st;
    if (ends_with_csv(name_or_path)) {
        o = NN_ORIGIN_CSV;
        st = open_csv(p, name_or_path, diags, err);
    } else {
        /* a model is a file (a built-in name never is one); anything else is read as a preset */
        char head[HEAD_BYTES];
        size_t n = 0;
        if (access(name_or_path, F_OK) == 0 && nn_file_read_head(name_or_path, head, sizeof head, &n, NULL) == NN_OK &&
            looks_like_model(head))
            o = NN_ORIGIN_MODEL;
        st = o == NN_ORIGIN_MODEL ? open_model(p, name_or_path, diags, err)
                                  : nn_preset_load(p, name_or_path, diags, err);
    }
    if (origin)
        *origin = o;
    return st;
}
