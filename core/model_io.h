/* model_io.h — the trained model file (docs/design.md, "Contracts" > "Model file"): JSON with
 * format "nnterm-model", version 1, the preset, the normalisation statistics, class and feature
 * names (and, for Playground features, the raw features they are computed from: "raw_features"),
 * and per layer its activation, weights and biases (floats printed with 9 significant digits, so
 * they round-trip exactly), and optionally the run's state for resuming (trainer_state.h). Saved
 * atomically. Loading checks format, version and every shape. */
#ifndef NN_MODEL_IO_H
#define NN_MODEL_IO_H

#include "data.h"
#include "input_features.h"
#include "network.h"
#include "preset.h"
#include "trainer_state.h"
#include "trainer.h"

#define NN_MODEL_FORMAT "nnterm-model"
#define NN_MODEL_VERSION 1

typedef struct {
    nn_preset preset;
    nn_task task;
    int n_features;
    char **feature_names;                 /* (n_features) whole names, each malloc'd */
    int n_classes;                        /* classification: >= 2; 0 for regression */
    char **class_names;                   /* (n_classes) whole names, each malloc'd, or NULL */
    nn_norm norm;
    nn_network net;                       /* workspace for a small batch */
    nn_train_state state;                 /* what resuming needs; state.present false in older files */
    int n_raw;                            /* the network's inputs are Playground features (dataset.features) of
                                             n_raw = 2 raw ones: predict reads those; else 0 */
    char **raw_names;                     /* (n_raw) their names ("x1", "x2", or a CSV's columns), malloc'd */
    int feat[NN_FEAT_COUNT];              /* (n_features) with n_raw: the feature of each input (nn_feature) */
} nn_model;

/* Saves a trained network with what predicting needs. d gives the names and the task. Refused
 * (nothing written) over the preset p or its data files (nn_model_check_save). The preset inside is p
 * with its relative data paths rewritten for the model's folder (nn_preset_rebase). */
nn_status nn_model_save(const char *path, const nn_preset *p, const nn_network *net, const nn_norm *nm,
                        const nn_dataset *d, nn_error *err);
/* The checks nn_model_save makes before it writes: path is not a FIFO, device, socket or folder
 * (links followed), nor the preset p or one of its data files. */
nn_status nn_model_check_save(const char *path, const nn_preset *p, nn_error *err);
/* The same JSON as text (malloc'd), for tests. */
char *nn_model_to_json(const nn_preset *p, const nn_network *net, const nn_norm *nm, const nn_dataset *d);
/* nn_model_save and nn_model_to_json with the run's state (s NULL: none), for resuming. */
nn_status nn_model_save_state(const char *path, const nn_preset *p, const nn_network *net, const nn_norm *nm,
                              const nn_dataset *d, const nn_train_state *s, nn_error *err);
char *nn_model_to_json_state(const nn_preset *p, const nn_network *net, const nn_norm *nm, const nn_dataset *d,
                             const nn_train_state *s);

/* Checks everything predict relies on: UTF-8 JSON, format and version, every shape (the layers
 * chain from the features to the outputs; the arrays have the sizes the shapes say, checked
 * before anything is allocated for them), at least 2 classes for classification and as many as
 * the outputs (or 2 for one sigmoid output), finite numbers, positive normal scales. */
nn_status nn_model_parse(nn_model *m, const char *buf, size_t len, const char *filename, nn_error *err);
nn_status nn_model_load(nn_model *m, const char *path, nn_error *err);
void nn_model_free(nn_model *m);

/* Gives trainer t (built from m's preset, or one like it) m's weights, which reset returns to
 * (nn_trainer_set_weights). Refused, with t unchanged, when t's network differs from m's (layers,
 * units, activations: "the model's network 4-40-3 does not match the preset's 4-32-3") or when t's
 * data is normalised differently (the data changed since the model was saved: the weights would not
 * mean what they meant); file names the model in the messages. */
nn_status nn_model_apply(const nn_model *m, const char *file, nn_trainer *t, nn_error *err);

/* The columns predict reads, in order: the raw features with n_raw, else the features. *n receives
 * how many. */
char *const *nn_model_inputs(const nn_model *m, int *n);
/* x (rows, inputs) raw values of nn_model_inputs' columns -> out (rows, outputs): probabilities, or
 * values in original units for regression. Expands Playground features (n_raw) and normalises a copy
 * internally; any rows. */
nn_status nn_model_predict(nn_model *m, const float *x, int rows, float *out, nn_error *err);

#endif
