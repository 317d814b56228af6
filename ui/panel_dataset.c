/* panel_dataset.c — the Dataset panel: source (built-in, synthetic, CSV or IDX path), samples and
 * noise for synthetic sources, normalisation, and what the worker loaded (rows per split,
 * features, classes). */
#include "panel.h"

#include "datasets.h"

#include <stdio.h>
#include <string.h>

int ui_dataset_items(const ui_model *m, ui_item *out, int max)
{
    int n = 0;
    const nn_preset_dataset *d = &m->draft->dataset;
    ui_item *it = ui_item_add(out, &n, max, UI_ITEM_CHOICE, "source", "dataset.source");
    if (it)
        for (int i = 0; i < nn_source_count && i < 24; i++)
            it->choices[it->n_choices++] = nn_source_table[i].name;
    const nn_source_info *src = nn_source_find(d->source);
    if (strcmp(d->source, "csv") == 0) {
        ui_item_add(out, &n, max, UI_ITEM_TEXT, "path", "dataset.path");
        ui_item_add(out, &n, max, UI_ITEM_TEXT, "label column", "dataset.label");
    } else if (strcmp(d->source, "idx") == 0) {
        ui_item_add(out, &n, max, UI_ITEM_TEXT, "images", "dataset.images");
        ui_item_add(out, &n, max, UI_ITEM_TEXT, "labels", "dataset.labels");
        ui_item_add(out, &n, max, UI_ITEM_TEXT, "test images", "dataset.test_images");
        ui_item_add(out, &n, max, UI_ITEM_TEXT, "test labels", "dataset.test_labels");
    }
    if (src && src->synthetic) {
        ui_item_add(out, &n, max, UI_ITEM_NUMBER, "samples", "dataset.samples");
        ui_item_add(out, &n, max, UI_ITEM_NUMBER, "noise", "dataset.noise");
    }
    it = ui_item_add(out, &n, max, UI_ITEM_CHOICE, "normalize", "dataset.normalize");
    if (it)
        for (int i = 0; i < NN_NORM_COUNT; i++)
            it->choices[it->n_choices++] = nn_norm_names[i];
    ui_item_add(out, &n, max, UI_ITEM_BOOL, "shuffle", "dataset.shuffle");

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
        it = ui_item_add(out, &n, max, UI_ITEM_INFO, " samples", "");
        if (it)
            snprintf(it->info, sizeof it->info, "train %d  val %d  test %d", s->info.n_train, s->info.n_val,
                     s->info.n_test);
        it = ui_item_add(out, &n, max, UI_ITEM_INFO, " features", "");
        if (it)
            snprintf(it->info, sizeof it->info, "%d", s->info.n_features);
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
