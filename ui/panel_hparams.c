/* panel_hparams.c — the Hyperparameters panel: the keys of the preset key table (core/preset_schema.c)
 * marked for it, in the order their rows give (loss, optimizer and each of its parameters, learning
 * rate, schedule, batch size, epochs, regularisation, dropout, split, seed, early stopping, clip norm)
 * with the table's labels. Only the parameters the current optimizer and schedule take are listed. */
#include "panel.h"

#include <stdio.h>

int ui_hparams_items(const ui_model *m, ui_item *out, int max)
{
    return ui_items_from_table(m->draft, NN_PANEL_HPARAMS, out, max);
}

/* Collapsed: "sgd lr 0.03, batch 16, 20 epochs". */
static void summary(const ui_model *m, char *out, size_t n)
{
    const nn_preset *d = m->draft;
    char lr[32];
    ui_items_value(d, "training.optimizer.learning_rate", lr, sizeof lr);
    char opt[32];
    ui_items_value(d, "training.optimizer.name", opt, sizeof opt);
    if (d->training.epochs > 0)
        snprintf(out, n, "%s lr %s, batch %d, %d epochs", opt, lr, d->training.batch_size, d->training.epochs);
    else
        snprintf(out, n, "%s lr %s, batch %d, epochs forever", opt, lr, d->training.batch_size);
}

const ui_panel_class ui_hparams_class = {ui_list_prepare, ui_list_draw, ui_list_key, ui_list_click, summary};
