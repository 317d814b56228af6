/* test_presets.c — every shipped preset is valid and, trained to the end, reaches the figure its
 * description promises ("about 95% test accuracy", "R² about 0.97"); the claims of the xor and
 * spiral lessons hold; fashion-mnist is checked for validity and for a clear error when its files
 * are missing. The lesson-* presets show a failure on purpose (a learning rate too high, ...):
 * tests/test_lessons.c checks their stories; here they are trained and their figures printed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "pace.h"
#include "trainer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_lesson(const char *name)
{
    return strncmp(name, "lesson-", 7) == 0;
}

static void load(nn_preset *p, const char *name)
{
    nn_diags d = {0};
    nn_error e = {0};
    if (nn_preset_load(p, name, &d, &e) != NN_OK)
        fail_msg("%s: %s", name, e.msg);
}

/* The first "about X%" (or "about 0.97") of the description, as a fraction; -1 if none. */
static double promised(const char *description)
{
    const char *s = strstr(description, "about ");
    if (!s)
        return -1.0;
    char *end;
    double v = strtod(s + 6, &end);
    if (end == s + 6)
        return -1.0;
    return *end == '%' ? v / 100.0 : v;
}

/* Trains to the end (all epochs, or early stopping) and returns the last test accuracy (R² for regression). */
static double train(const nn_preset *p, int *epochs)
{
    nn_trainer t;
    memset(&t, 0, sizeof t);
    nn_error e = {0};
    if (nn_trainer_init(&t, p, 1, &e) != NN_OK)
        fail_msg("%s: %s", p->file, e.msg);
    while (!nn_trainer_finished(&t))
        if (nn_trainer_epoch(&t, &e) != NN_OK)
            fail_msg("%s: %s", p->file, e.msg);
    const nn_epoch_stats *s = nn_trainer_last(&t);
    assert_non_null(s);
    double acc = s->test_acc;
    if (epochs)
        *epochs = s->epoch;
    nn_trainer_free(&t);
    return acc;
}

static void test_every_shipped_preset_passes_validation(void **state)
{
    (void)state;
    assert_true(nn_preset_builtin_count() >= 10);
    for (int i = 0; i < nn_preset_builtin_count(); i++) {
        nn_preset p;
        load(&p, nn_preset_builtin_name(i));
        nn_diags d = {0};
        nn_error e = {0};
        if (nn_preset_validate(&p, &d, &e) != NN_OK)
            fail_msg("%s: %s", nn_preset_builtin_name(i), e.msg);
        assert_int_equal(d.count, 0);
        assert_true(strlen(p.name) > 0);
        if (!is_lesson(nn_preset_builtin_name(i)) && promised(p.description) <= 0.0)
            fail_msg("%s: the description promises no figure (\"about N%%\")", nn_preset_builtin_name(i));
    }
}

static void test_every_preset_reaches_the_accuracy_its_description_promises(void **state)
{
    (void)state;
    for (int i = 0; i < nn_preset_builtin_count(); i++) {
        const char *name = nn_preset_builtin_name(i);
        if (strcmp(name, "fashion-mnist") == 0)
            continue;   /* minutes of training; see the tests below */
        nn_preset p;
        load(&p, name);
        double want = promised(p.description);
        int epochs = 0;
        double got = train(&p, &epochs);
        char note[64];
        if (is_lesson(name))
            snprintf(note, sizeof note, "a lesson: see test_lessons");
        else
            snprintf(note, sizeof note, "description: about %g", want);
        print_message("%-20s %s %.4f after %d epochs (%s)\n", name,
                      strcmp(p.dataset.source, "sine") == 0 ? "test R2      " : "test accuracy", got, epochs, note);
        if (!is_lesson(name) && !(got >= want - 0.03))
            fail_msg("%s: %.4f after %d epochs, the description promises about %g", name, got, epochs, want);
    }
}

static void test_the_lessons_claims_hold(void **state)
{
    (void)state;
    nn_preset p;
    nn_error e = {0};
    /* xor: without the hidden layer, accuracy stays near chance */
    load(&p, "xor");
    assert_int_equal(nn_preset_set(&p, "model.layers.0", "null", &e), NN_OK);
    double xor_linear = train(&p, NULL);
    print_message("xor without a hidden layer: %.4f\n", xor_linear);
    assert_true(xor_linear < 0.65);
    /* spiral: one hidden layer cannot follow the arms */
    load(&p, "spiral");
    assert_int_equal(nn_preset_set(&p, "model.layers.0", "null", &e), NN_OK);
    assert_int_equal(nn_preset_set(&p, "model.layers.0", "null", &e), NN_OK);
    double spiral_shallow = train(&p, NULL);
    print_message("spiral with one hidden layer: %.4f\n", spiral_shallow);
    assert_true(spiral_shallow < 0.8);
}

static void test_fashion_mnist_is_valid_and_says_which_package_is_missing(void **state)
{
    (void)state;
    nn_preset p;
    load(&p, "fashion-mnist");
    assert_string_equal(p.dataset.source, "idx");
    assert_int_equal(p.n_layers, 3);
    assert_int_equal(p.layers[0].units, 256);
    assert_int_equal(p.layers[1].units, 128);
    assert_int_equal(p.training.batch_size, 128);
    assert_int_equal(p.training.epochs, 3);
    assert_int_equal(p.training.optimizer.kind, NN_OPT_ADAM);
    assert_true(p.training.optimizer.lr == 1e-3);
    nn_error e = {0};
    const char *missing = "/usr/share/datasets/fashion-mnist/missing-train-images-idx3-ubyte.gz";
    assert_int_equal(nn_preset_set(&p, "dataset.images", missing, &e), NN_OK);
    nn_trainer t;
    memset(&t, 0, sizeof t);
    assert_int_not_equal(nn_trainer_init(&t, &p, 1, &e), NN_OK);
    nn_trainer_free(&t);
    print_message("missing file: %s\n", e.msg);
    assert_non_null(strstr(e.msg, missing));
    assert_non_null(strstr(e.msg, "dataset-fashion-mnist"));
}

/* The pace each preset opens at in the trainer (ui.pace auto, core/pace.h): a small preset's run
 * lasts 8 to 20 seconds at it, fashion-mnist (54000 training rows) trains at max. The steps of the
 * pace keys go 1 .. 200, then max, and back. */
static void test_every_preset_opens_at_a_pace_its_run_lasts_8_to_20_seconds_at(void **state)
{
    (void)state;
    for (int i = 0; i < nn_preset_builtin_count(); i++) {
        const char *name = nn_preset_builtin_name(i);
        nn_preset p;
        load(&p, name);
        nn_trainer t;
        memset(&t, 0, sizeof t);
        nn_error e = {0};
        if (nn_trainer_init(&t, &p, 1, &e) != NN_OK) {
            print_message("%-20s cannot load (%s): skipped\n", name, e.msg);
            nn_trainer_free(&t);
            continue;
        }
        long n_train = nn_trainer_split(&t)->n_train;
        nn_trainer_free(&t);
        int pace = nn_pace_default(&p, n_train);
        if (pace == NN_PACE_MAX) {
            print_message("%-20s %6ld training rows, %4d epochs: pace max\n", name, n_train, p.training.epochs);
            assert_true(n_train > NN_PACE_LARGE_ROWS);
            continue;
        }
        double secs = (double)p.training.epochs / pace;
        print_message("%-20s %6ld training rows, %4d epochs: pace %3d/s, the run lasts %4.1f s\n", name, n_train,
                      p.training.epochs, pace, secs);
        assert_true(n_train <= NN_PACE_LARGE_ROWS);
        if (!(secs >= 8.0 && secs <= NN_PACE_TARGET_S))
            fail_msg("%s: %d epochs at %d/s last %.1f s", name, p.training.epochs, pace, secs);
    }
    nn_preset p;
    load(&p, "xor");
    p.ui.pace = 50;
    assert_int_equal(nn_pace_default(&p, 100), 50);          /* the preset's own */
    p.ui.pace = NN_PACE_MAX;
    assert_int_equal(nn_pace_default(&p, 100), NN_PACE_MAX);
    p.ui.pace = NN_AUTO;
    p.training.epochs = 0;                                   /* forever */
    assert_int_equal(nn_pace_default(&p, 100), NN_PACE_FOREVER);
    p.training.epochs = 5000;                                /* 25 s even at 200/s */
    assert_int_equal(nn_pace_default(&p, 100), NN_PACE_MAX);
    int pace = 1, n = 0;
    while (pace != NN_PACE_MAX && n < 20) {
        pace = nn_pace_next(pace, 1);
        n++;
    }
    assert_int_equal(n, NN_PACE_STEPS);
    assert_int_equal(nn_pace_next(NN_PACE_MAX, 1), NN_PACE_MAX);
    assert_int_equal(nn_pace_next(NN_PACE_MAX, -1), 200);
    assert_int_equal(nn_pace_next(1, -1), 1);
    assert_int_equal(nn_pace_next(7, -1), 5);
    assert_int_equal(nn_pace_next(7, 1), 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_shipped_preset_passes_validation),
        cmocka_unit_test(test_every_preset_reaches_the_accuracy_its_description_promises),
        cmocka_unit_test(test_the_lessons_claims_hold),
        cmocka_unit_test(test_fashion_mnist_is_valid_and_says_which_package_is_missing),
        cmocka_unit_test(test_every_preset_opens_at_a_pace_its_run_lasts_8_to_20_seconds_at),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
