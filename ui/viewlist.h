/* viewlist.h — the views of the lower right slot (UI_P_CONFUSION), in tab order, one row each:
 *   X(ID, name, key, label, help)
 *     ID     UI_V_<ID> in ui_view_id
 *     name   its definition ui_<name>_view (title, tab, the snapshot sections it reads, draw, keys),
 *            in panel_<name>.c (views.h: ui_view_def)
 *     key    the getch() value that shows it, label how the help writes it, help its line there
 *            (keys.c makes the key-table rows from these, so dispatch, help and README follow).
 * A new view: its file, a row here, its name in ui/meson.build. Pure. */
#ifndef UI_VIEWLIST_H
#define UI_VIEWLIST_H

#define UI_VIEW_ROWS(X)                                                                              \
    X(CONFUSION, confusion, '5', "5", "Confusion: the test confusion matrix (or the fit)")          \
    X(BOUNDARY, boundary, '6', "6", "Boundary: predicted classes and the data points")              \
    X(NEURONS, neurons, 'n', "n", "Neurons: each unit's map over the plane, by layer")              \
    X(NETWORK, network, '7', "7", "Network: weights of every layer, one neuron")                    \
    X(SAMPLES, samples, 'p', "p", "Samples: pictures, true and predicted (image data)")             \
    X(HEALTH, health, '8', "8", "Health: gradients, updates, dead units, warnings")                 \
    X(STEP, step, '9', "9", "Step: a sample's z, a, delta; a weight's update")                      \
    X(RACE, race, '0', "0", "Race: the optimizers from the same initial weights")                   \
    X(COMPARE, compare, 'c', "c", "Compare: the pinned runs (P), side by side")                   \
    X(LESSON, lesson, 'i', "i", "Lesson: the lesson of a lesson preset")

#define UI_VIEW_ENUM_(id, name, key, label, help) UI_V_##id,
typedef enum { UI_VIEW_ROWS(UI_VIEW_ENUM_) UI_V_COUNT } ui_view_id;
#undef UI_VIEW_ENUM_

/* "Confusion", "Boundary", ...: the view's title; "?" out of range. */
const char *ui_view_title(int v);
/* The key that shows it: "5" .. "9", "0", "i"; "" out of range. */
const char *ui_view_key(int v);

#endif
