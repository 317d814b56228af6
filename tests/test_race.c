/* test_race.c — optimizer race entries: the table, ":LR" overrides, list parsing and its errors,
 * that a race entry trains exactly as the same optimizer set through the preset, and that race
 * trainers share one copy of the data (nn_trainer_init_shared) with the same numbers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "race.h"
#include "trainer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static nn_preset *iris(void)
{
    nn_preset *p = malloc(sizeof *p);
    nn_error err;
    assert_non_null(p);
    if (nn_preset_load(p, "iris", NULL, &err) != NN_OK)
        fail_msg("%s", err.msg);
    return p;
}

static void test_the_default_race_is_the_seed_projects_eight_optimizers(void **state)
{
    (void)state;
    static const char *const want[] = {"sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw", "adagrad",
                                       "adadelta"};
    assert_int_equal(nn_race_default_count(), 8);
    for (int i = 0; i < nn_race_default_count(); i++)
        assert_string_equal(nn_race_default_name(i), want[i]);
}

static void test_an_entry_sets_the_optimizer_and_keeps_everything_else(void **state)
{
    (void)state;
    nn_preset *p = iris(), *q = malloc(sizeof *q);
    nn_error err;
    *q = *p;
    assert_int_equal(nn_race_apply(q, "nesterov", &err), NN_OK);
    assert_int_equal(q->training.optimizer.kind, NN_OPT_SGD);
    assert_true(q->training.optimizer.nesterov);
    assert_true(q->training.optimizer.momentum == 0.9);
    assert_true(q->training.optimizer.lr == 0.01);
    assert_int_equal(nn_race_apply(q, "adam:0.02", &err), NN_OK);
    assert_int_equal(q->training.optimizer.kind, NN_OPT_ADAM);
    assert_true(q->training.optimizer.lr == 0.02);
    assert_true(q->training.optimizer.beta2 == 0.999); /* torch's default for the rest */
    assert_false(q->training.optimizer.nesterov);
    /* nothing but the optimizer changed */
    q->training.optimizer = p->training.optimizer;
    assert_memory_equal(p, q, sizeof *p);
    free(p);
    free(q);
}

static void test_bad_entries_are_errors_that_name_them(void **state)
{
    (void)state;
    nn_preset *p = iris();
    nn_error err;
    assert_int_equal(nn_race_apply(p, "adamm", &err), NN_EINVAL);
    assert_non_null(strstr(err.msg, "'adamm'"));
    assert_int_equal(nn_race_apply(p, "adam:-1", &err), NN_EINVAL);
    assert_non_null(strstr(err.msg, "adam:-1"));
    assert_int_equal(nn_race_apply(p, "adam:", &err), NN_EINVAL);
    assert_int_equal(nn_race_apply(p, ":0.1", &err), NN_EINVAL);
    free(p);
}

static void test_lists_parse_in_order_and_reject_empty_or_bad_ones(void **state)
{
    (void)state;
    nn_preset *p = iris();
    nn_error err;
    const char *names[NN_RACE_MAX];
    char a[] = "sgd, adam:0.01,,rmsprop";
    assert_int_equal(nn_race_parse_list(a, names, p, &err), 3);
    assert_string_equal(names[0], "sgd");
    assert_string_equal(names[1], "adam:0.01");
    assert_string_equal(names[2], "rmsprop");
    char b[] = " , ";
    assert_int_equal(nn_race_parse_list(b, names, p, &err), -1);
    assert_non_null(strstr(err.msg, "empty"));
    char c[] = "sgd,nope";
    assert_int_equal(nn_race_parse_list(c, names, p, &err), -1);
    assert_non_null(strstr(err.msg, "nope"));
    char d[256] = "";
    for (int i = 0; i < NN_RACE_MAX + 1; i++)
        strcat(d, "sgd,");
    assert_int_equal(nn_race_parse_list(d, names, p, &err), -1);
    assert_non_null(strstr(err.msg, "at most"));
    free(p);
}

static void run(nn_trainer *t, const nn_preset *p)
{
    nn_error err;
    if (nn_trainer_init(t, p, 1, &err) != NN_OK)
        fail_msg("%s", err.msg);
    while (!nn_trainer_finished(t))
        if (nn_trainer_step(t, &err) != NN_OK)
            fail_msg("%s", err.msg);
}

static void test_a_race_entry_trains_as_the_same_optimizer_set_in_the_preset(void **state)
{
    (void)state;
    nn_preset *p = iris(), *q = iris();
    nn_error err;
    assert_int_equal(nn_race_apply(p, "momentum", &err), NN_OK);
    assert_int_equal(nn_preset_set(q, "training.optimizer", "{\"name\":\"sgd\",\"learning_rate\":0.01,\"momentum\":0.9}",
                                   &err),
                     NN_OK);
    nn_trainer *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    run(a, p);
    run(b, q);
    assert_memory_equal(a->init_params, b->init_params, a->net.n_params * sizeof(float));
    assert_memory_equal(a->net.params, b->net.params, a->net.n_params * sizeof(float));
    assert_true(a->final_stats.test_loss == b->final_stats.test_loss);
    /* and a different optimizer from the same initial weights ends elsewhere */
    nn_trainer *c = calloc(1, sizeof *c);
    assert_int_equal(nn_race_apply(p, "adagrad", &err), NN_OK);
    run(c, p);
    assert_memory_equal(a->init_params, c->init_params, a->net.n_params * sizeof(float));
    assert_true(memcmp(a->net.params, c->net.params, a->net.n_params * sizeof(float)) != 0);
    nn_trainer_free(a);
    nn_trainer_free(b);
    nn_trainer_free(c);
    free(a);
    free(b);
    free(c);
    free(p);
    free(q);
}

/* A race's later trainers borrow the first one's data: the same pointers, and the same numbers as a
 * trainer that loaded its own copy; the borrower is freed first and the owner's data is intact. */
static void test_race_trainers_share_the_first_ones_data(void **state)
{
    (void)state;
    nn_preset *p = iris(), *q = iris();
    nn_error err;
    assert_int_equal(nn_preset_set(p, "dataset.normalize", "zscore", &err), NN_OK);
    assert_int_equal(nn_preset_set(q, "dataset.normalize", "zscore", &err), NN_OK);
    assert_int_equal(nn_race_apply(p, "sgd", &err), NN_OK);
    assert_int_equal(nn_race_apply(q, "adam", &err), NN_OK);
    nn_trainer *owner = calloc(1, sizeof *owner), *shared = calloc(1, sizeof *shared),
               *alone = calloc(1, sizeof *alone);
    run(owner, p);
    float first = owner->data.x[0];
    assert_int_equal(nn_trainer_init_shared(shared, q, owner, 1, &err), NN_OK);
    assert_true(shared->shared_data);
    assert_ptr_equal(shared->data.x, owner->data.x);
    assert_ptr_equal(shared->split.train, owner->split.train);
    while (!nn_trainer_finished(shared))
        assert_int_equal(nn_trainer_step(shared, &err), NN_OK);
    run(alone, q);
    assert_false(alone->shared_data);
    assert_true(alone->data.x != owner->data.x);
    assert_memory_equal(shared->net.params, alone->net.params, alone->net.n_params * sizeof(float));
    assert_true(shared->final_stats.test_loss == alone->final_stats.test_loss);
    for (int e = 0; e < alone->history_len; e++)
        assert_true(shared->history[e].train_loss == alone->history[e].train_loss);
    nn_trainer_free(shared);
    assert_null(shared->data.x);
    assert_true(owner->data.x[0] == first);   /* not freed, not normalised twice */
    assert_int_equal(owner->data.n, 150);

    /* another seed draws another split: no sharing, its own copy */
    assert_int_equal(nn_preset_set(q, "seed", "7", &err), NN_OK);
    assert_int_equal(nn_trainer_init_shared(shared, q, owner, 1, &err), NN_OK);
    assert_false(shared->shared_data);
    assert_true(shared->data.x != owner->data.x);
    nn_trainer_free(shared);
    /* no donor: a plain init */
    assert_int_equal(nn_trainer_init_shared(shared, q, NULL, 1, &err), NN_OK);
    assert_false(shared->shared_data);
    nn_trainer_free(shared);
    nn_trainer_free(owner);
    nn_trainer_free(alone);
    free(owner);
    free(shared);
    free(alone);
    free(p);
    free(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_default_race_is_the_seed_projects_eight_optimizers),
        cmocka_unit_test(test_an_entry_sets_the_optimizer_and_keeps_everything_else),
        cmocka_unit_test(test_bad_entries_are_errors_that_name_them),
        cmocka_unit_test(test_lists_parse_in_order_and_reject_empty_or_bad_ones),
        cmocka_unit_test(test_a_race_entry_trains_as_the_same_optimizer_set_in_the_preset),
        cmocka_unit_test(test_race_trainers_share_the_first_ones_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
