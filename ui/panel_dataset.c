/* panel_dataset.c — the Dataset panel: the keys of the preset key table marked for it (source, the
 * keys the current source takes: a CSV path and label, IDX files, samples and noise for synthetic
 * sources; normalisation, shuffle), and what the worker loaded (rows per split, features, classes). */
#include "panel.h"

#include "datasets.h"

#include <stdio.h>
#include <string.h>

int ui_dataset_items(const ui_model *m, ui_item *out, int max)
{
    /* the keys of the table for this panel: source, the current source's keys, normalize, shuffle */
    int n = ui_items_from_table(m->draft, NN_PANEL_DATASET, out, max);
    ui_item *it;
    const ui_snapshot *s = m->snap;
    it = ui_item_add(out, &n, max, UI_ITEM_INFO, " loaded", "");
    if (!it)
        return n;
    if (s->state == UI_RUN_LOADING) {
        snprintf(it->info, sizeof it->info, "loading...");
    } else if (s->state == UI_RUN_ERROR) {
        snprintf(it->info, sizeof it->info, "error (see the status bar)");
    } else {
        snprintf(it->info, sizeof it->info, "%s, %d rows", s->info.source,
                 s->info.n_train + s->info.n_val + s->info.n_test);
        /* "samples" is the generator's key; t/v/t as the Hyperparameters' split, so it fits 80 columns */
        it = ui_item_add(out, &n, max, UI_ITEM_INFO, " rows t/v/t", "");
        if (it)
            snprintf(it->info, sizeof it->info, "%d/%d/%d", s->info.n_train, s->info.n_val, s->info.n_test);
        it = ui_item_add(out, &n, max, UI_ITEM_INFO, " features", "");
        if (it)
            snprintf(it->info, sizeof it->info, s->info.n_raw ? "%d, from %s, %s" : "%d", s->info.n_features,
                     s->info.feature_names[0], s->info.feature_names[1]);
        it = ui_item_add(out, &n, max, UI_ITEM_INFO, s->info.n_classes ? " classes" : " targets", "");
        if (it) {
            if (s->info.n_classes) {
                int len = snprintf(it->info, sizeof it->info, "%d:", s->info.n_classes);
                for (int i = 0; i < s->info.n_classes && i < NN_MAX_CLASSES && len < (int)sizeof it->info - 2; i++)
                    len += snprintf(it->info + len, sizeof it->info - (size_t)len, " %s", s->info.class_names[i]);
            } else {
                snprintf(it->info, sizeof it->info, "%d (regression)", s->info.n_targets);
            }
        }
    }
    return n;
}

/* Collapsed: "iris, 150 rows". */
static void summary(const ui_model *m, char *out, size_t n)
{
    const ui_snap_info *in = &m->snap->info;
    snprintf(out, n, "%s, %d rows", m->draft->dataset.source, in->n_train + in->n_val + in->n_test);
}

const ui_panel_class ui_dataset_class = {ui_list_prepare, ui_list_draw, ui_list_key, ui_list_click, summary};
