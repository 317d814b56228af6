/* panel_hparams.c — the Hyperparameters panel: loss, optimizer and each of its parameters,
 * learning rate, schedule, batch size, epochs, regularisation, dropout, split, seed. Only the
 * parameters the preset uses are listed (nn_preset_get answers for them). */
#include "panel.h"

#include "loss.h"
#include "network.h"
#include "optimizer.h"

#include <stdio.h>
#include <string.h>

/* Adds key only if the preset uses it. */
static void add_if(const nn_preset *p, ui_item *out, int *n, int max, ui_item_kind kind, const char *label,
                   const char *key)
{
    char buf[256];
    if (ui_items_get(p, key, buf, sizeof buf))
        ui_item_add(out, n, max, kind, label, key);
}

int ui_hparams_items(const ui_model *m, ui_item *out, int max)
{
    const nn_preset *p = m->draft;
    int n = 0;
    ui_item *it = ui_item_add(out, &n, max, UI_ITEM_CHOICE, "loss", "training.loss");
    if (it)
        for (int i = 0; i < NN_LOSS_COUNT; i++)
            it->choices[it->n_choices++] = nn_loss_table[i].name;
    it = ui_item_add(out, &n, max, UI_ITEM_CHOICE, "optimizer", "training.optimizer.name");
    if (it)
        for (int i = 0; i < NN_OPT_COUNT; i++)
            it->choices[it->n_choices++] = nn_opt_table[i].name;
    ui_item_add(out, &n, max, UI_ITEM_NUMBER, "learning rate", "training.optimizer.learning_rate");
    static const struct { const char *label, *key; ui_item_kind kind; } opt[] = {
        {"  momentum", "training.optimizer.momentum", UI_ITEM_NUMBER},
        {"  dampening", "training.optimizer.dampening", UI_ITEM_NUMBER},
        {"  nesterov", "training.optimizer.nesterov", UI_ITEM_BOOL},
        {"  alpha", "training.optimizer.alpha", UI_ITEM_NUMBER},
        {"  centered", "training.optimizer.centered", UI_ITEM_BOOL},
        {"  beta1", "training.optimizer.beta1", UI_ITEM_NUMBER},
        {"  beta2", "training.optimizer.beta2", UI_ITEM_NUMBER},
        {"  amsgrad", "training.optimizer.amsgrad", UI_ITEM_BOOL},
        {"  rho", "training.optimizer.rho", UI_ITEM_NUMBER},
        {"  lr decay", "training.optimizer.lr_decay", UI_ITEM_NUMBER},
        {"  initial acc.", "training.optimizer.initial_accumulator_value", UI_ITEM_NUMBER},
        {"  epsilon", "training.optimizer.epsilon", UI_ITEM_NUMBER},
        {"  weight decay", "training.optimizer.weight_decay", UI_ITEM_NUMBER},
    };
    for (size_t i = 0; i < sizeof opt / sizeof opt[0]; i++)
        add_if(p, out, &n, max, opt[i].kind, opt[i].label, opt[i].key);
    it = ui_item_add(out, &n, max, UI_ITEM_CHOICE, "schedule", "training.schedule.name");
    if (it)
        for (int i = 0; i < NN_SCHED_COUNT; i++)
            it->choices[it->n_choices++] = nn_sched_table[i].name;
    add_if(p, out, &n, max, UI_ITEM_NUMBER, "  step size", "training.schedule.step_size");
    add_if(p, out, &n, max, UI_ITEM_NUMBER, "  gamma", "training.schedule.gamma");
    add_if(p, out, &n, max, UI_ITEM_NUMBER, "  t max", "training.schedule.t_max");
    add_if(p, out, &n, max, UI_ITEM_NUMBER, "  eta min", "training.schedule.eta_min");
    ui_item_add(out, &n, max, UI_ITEM_NUMBER, "batch size", "training.batch_size");
    ui_item_add(out, &n, max, UI_ITEM_NUMBER, "epochs", "training.epochs");
    it = ui_item_add(out, &n, max, UI_ITEM_CHOICE, "regularization", "training.regularization.method");
    if (it)
        for (int i = 0; i < NN_REG_COUNT; i++)
            it->choices[it->n_choices++] = nn_reg_names[i];
    ui_item_add(out, &n, max, UI_ITEM_NUMBER, "  lambda", "training.regularization.lambda");
    ui_item_add(out, &n, max, UI_ITEM_NUMBER, "  r (l1 share)", "training.regularization.r");
    ui_item_add(out, &n, max, UI_ITEM_NUMBER, "dropout", "training.regularization.dropout");
    ui_item_add(out, &n, max, UI_ITEM_TEXT, "split t/v/t", "dataset.split");
    ui_item_add(out, &n, max, UI_ITEM_NUMBER, "seed", "seed");
    add_if(p, out, &n, max, UI_ITEM_NUMBER, "early stop", "training.early_stopping.patience");
    add_if(p, out, &n, max, UI_ITEM_NUMBER, "clip norm", "training.clip_norm");
    return n;
}

/* Collapsed: "sgd lr 0.03, batch 16, 20 epochs". */
static void summary(const ui_model *m, char *out, size_t n)
{
    const nn_preset *d = m->draft;
    char lr[32];
    ui_items_value(d, "training.optimizer.learning_rate", lr, sizeof lr);
    char opt[32];
    ui_items_value(d, "training.optimizer.name", opt, sizeof opt);
    snprintf(out, n, "%s lr %s, batch %d, %d epochs", opt, lr, d->training.batch_size, d->training.epochs);
}

const ui_panel_class ui_hparams_class = {ui_list_prepare, ui_list_draw, ui_list_key, ui_list_click, summary};
