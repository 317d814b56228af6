/* panel.c — the small helpers of the panel interface (panel.h). */
#include "panel.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

unsigned ui_intent_message(ui_intent *out, bool err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->text, sizeof out->text, fmt, ap);
    va_end(ap);
    out->kind = UI_INTENT_MESSAGE;
    out->err = err;
    return UI_REDRAW;
}

unsigned ui_intent_key(ui_intent *out, ui_intent_kind kind, const char *key, const char *text)
{
    out->kind = kind;
    snprintf(out->key, sizeof out->key, "%s", key);
    snprintf(out->text, sizeof out->text, "%s", text);
    return UI_REDRAW;
}

void ui_panel_draw(ui_panel *p, ui_grid *g, ui_rect r, const ui_model *m)
{
    if (p->cls->prepare)
        p->cls->prepare(p, m, r);
    p->cls->draw(p, g, r, m);
}

unsigned ui_panel_key(ui_panel *p, const ui_model *m, ui_cmd c, ui_intent *out)
{
    memset(out, 0, sizeof *out);
    return p->cls->key ? p->cls->key(p, m, c, out) : 0;
}
