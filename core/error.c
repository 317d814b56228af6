/* error.c — nn_error and nn_diags. Messages quote file names, cells and names from files: control
 * characters in them are escaped here, once for every message (nn_text_excerpt), so that printing a
 * message can never drive a terminal, and a message cut to fit stays valid UTF-8. */
#include "error.h"
#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

nn_status nn_error_set(nn_error *err, nn_status code, const char *fmt, ...)
{
    if (err) {
        char raw[NN_ERRMSG * 2];
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        vsnprintf(raw, sizeof raw, fmt, ap);
        va_end(ap);
        nn_text_excerpt(err->msg, sizeof err->msg, raw, sizeof raw);
    }
    return code;
}

void nn_error_clear(nn_error *err)
{
    if (err) {
        err->code = NN_OK;
        err->msg[0] = '\0';
    }
}

const char *nn_status_name(nn_status code)
{
    switch (code) {
    case NN_OK: return "ok";
    case NN_EINVAL: return "invalid input";
    case NN_ENOMEM: return "out of memory";
    case NN_EIO: return "i/o error";
    case NN_EFORMAT: return "bad format";
    case NN_EDIVERGED: return "diverged";
    case NN_ESTOPPED: return "stopped";
    }
    return "unknown error";
}

void nn_diags_clear(nn_diags *d)
{
    d->count = 0;
    d->dropped = 0;
}

void nn_diags_add(nn_diags *d, const char *fmt, ...)
{
    if (d->count >= NN_MAX_DIAGS) {
        d->dropped++;
        return;
    }
    char raw[NN_ERRMSG * 2];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    nn_text_excerpt(d->msg[d->count], NN_ERRMSG, raw, sizeof raw);
    d->count++;
}
