/* panel_hparams.c — the Hyperparameters panel: the keys of the preset key table (core/preset_schema.c)
 * marked for it, in table order with the table's labels: seed, split, epochs, batch size, loss,
 * optimizer and each of its parameters, schedule, regularisation, dropout, early stopping, clip norm.
 * Only the parameters the current optimizer and schedule take are listed. */
#include "app.h"

int ui_hparams_items(ui_app *a, ui_item *out, int max)
{
    return ui_items_from_table(&a->draft, NN_PANEL_HPARAMS, out, max);
}
