/* field.h — a one-line text field being edited: UTF-8 bytes, a cursor that moves by code
 * points, and drawing with horizontal scrolling. Pure. */
#ifndef UI_FIELD_H
#define UI_FIELD_H

#include "grid.h"

#define UI_FIELD_MAX 1024

typedef struct {
    char buf[UI_FIELD_MAX];
    int len;      /* bytes */
    int cur;      /* byte offset of the cursor, on a code point boundary */
    bool fresh;   /* the whole text selected (ui_field_select): the first byte typed replaces it */
} ui_field;

void ui_field_set(ui_field *f, const char *text);    /* cursor at the end */
/* Selects the whole text, as a dialog does with a value it offers: the first byte typed replaces
 * it; a move or a deletion keeps it and ends the selection. */
void ui_field_select(ui_field *f);
void ui_field_insert(ui_field *f, int byte);         /* ignored when full */
void ui_field_backspace(ui_field *f);
void ui_field_delete(ui_field *f);
void ui_field_left(ui_field *f);
void ui_field_right(ui_field *f);
void ui_field_home(ui_field *f);
void ui_field_end(ui_field *f);
void ui_field_kill_start(ui_field *f);   /* Ctrl-U: delete from the start to the cursor */
void ui_field_kill_end(ui_field *f);     /* Ctrl-K: delete from the cursor to the end */
void ui_field_kill_word(ui_field *f);    /* Ctrl-W: delete the word before the cursor (and the
                                            spaces after it), as a shell does */
/* Draws the text in w cells at (x, y), scrolled so that the cursor shows; the cursor cell gets
 * cursor_style. */
void ui_field_draw(const ui_field *f, ui_grid *g, int x, int y, int w, ui_style s, ui_style cursor_style);

#endif
