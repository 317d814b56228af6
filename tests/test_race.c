/* test_race.c — optimizer race entries: the table, ":LR" overrides, list parsing and its errors,
 * that a race entry trains exactly as the same optimizer set through the preset, that race
 * trainers share one copy of the data (nn_trainer_init_shared) with the same numbers, and the
 * runner (nn_race): both schedules, reset, release, divergence and its errors. */
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

// --- the runner -------------------------------------------------------------------------------------

#define RUN_EPOCHS 3
#define RUN_N 3
static const char *const run_names[RUN_N] = {"sgd", "adam", "adadelta"};

/* What each entry of a race produced, epoch by epoch, and in which order the epochs came. */
typedef struct {
    nn_epoch_stats stats[RUN_N][RUN_EPOCHS];
    int epochs[RUN_N];
    int order[RUN_N * RUN_EPOCHS];   /* the entry of each epoch, in the order they ended */
    int n_order;
    int rounds;                      /* turns that began a new round */
} race_log;

static void run_race(nn_race *r, race_log *log)
{
    memset(log, 0, sizeof *log);
    nn_error err;
    int guard = 0;
    while (!nn_race_finished(r)) {
        nn_race_turn turn;
        if (nn_race_step(r, &turn, &err) != NN_OK)
            fail_msg("race step: %s", err.msg);
        assert_true(turn.entry >= 0 && turn.entry < RUN_N);
        assert_int_equal(turn.status, NN_OK);
        if (turn.epoch_ended) {
            int e = turn.entry;
            log->stats[e][log->epochs[e]++] = turn.stats;
            log->order[log->n_order++] = e;
        }
        log->rounds += turn.round_over;
        assert_true(++guard < 100000);
    }
}

/* Both schedules train every entry exactly as a trainer built alone with that optimizer; in turn
 * runs each entry to its end, round robin gives each one epoch per turn. The trainers borrow entry
 * 0's data and the race's one pool. */
static void test_the_runner_trains_each_entry_as_it_trains_alone(void **state)
{
    (void)state;
    nn_preset *p = iris();
    nn_error err;
    assert_int_equal(nn_preset_set(p, "training.epochs", "3", &err), NN_OK);
    race_log alone_log, turn_log, robin_log;
    memset(&alone_log, 0, sizeof alone_log);
    for (int e = 0; e < RUN_N; e++) {
        nn_preset *q = iris();
        *q = *p;
        assert_int_equal(nn_race_apply(q, run_names[e], &err), NN_OK);
        nn_trainer *t = calloc(1, sizeof *t);
        run(t, q);
        for (int k = 0; k < RUN_EPOCHS; k++)
            alone_log.stats[e][k] = t->history[k];
        nn_trainer_free(t);
        free(t);
        free(q);
    }

    nn_race *r = calloc(1, sizeof *r);
    assert_non_null(r);
    assert_int_equal(nn_race_init(r, p, "sgd,adam, adadelta", 2, NN_RACE_IN_TURN, &err), NN_OK);
    assert_int_equal(r->n, RUN_N);
    for (int e = 0; e < RUN_N; e++)
        assert_string_equal(r->racer[e].name, run_names[e]);
    run_race(r, &turn_log);
    for (int k = 0; k < RUN_N * RUN_EPOCHS; k++)
        assert_int_equal(turn_log.order[k], k / RUN_EPOCHS);
    for (int e = 0; e < RUN_N; e++)
        assert_true(r->racer[e].built && nn_trainer_finished(&r->racer[e].t));
    assert_non_null(r->pool);
    assert_ptr_equal(r->racer[2].t.pool, r->pool);
    assert_ptr_equal(r->racer[2].t.data.x, r->racer[0].t.data.x);
    nn_race_release(r, 2);   /* a finished entry goes; entry 0 stays: the others borrowed its data */
    nn_race_release(r, 0);
    assert_true(r->racer[2].released && !r->racer[2].built && nn_race_entry_finished(r, 2));
    assert_true(r->racer[0].built);
    nn_race_free(r);

    assert_int_equal(nn_race_init(r, p, "sgd,adam,adadelta", 1, NN_RACE_ROUND_ROBIN, &err), NN_OK);
    for (int e = 0; e < RUN_N; e++)
        assert_int_equal(nn_race_build(r, e, &err), NN_OK);
    assert_null(r->pool);
    run_race(r, &robin_log);
    for (int k = 0; k < RUN_N * RUN_EPOCHS; k++)
        assert_int_equal(robin_log.order[k], k % RUN_N);
    assert_int_equal(robin_log.rounds, RUN_EPOCHS - 1);

    for (int e = 0; e < RUN_N; e++)
        for (int k = 0; k < RUN_EPOCHS; k++) {
            const nn_epoch_stats *a = &alone_log.stats[e][k], *b = &turn_log.stats[e][k], *c = &robin_log.stats[e][k];
            assert_int_equal(b->epoch, k + 1);
            assert_true(a->train_loss == b->train_loss && a->train_loss == c->train_loss);
            assert_true(a->test_loss == b->test_loss && a->test_loss == c->test_loss);
            assert_true(a->val_acc == b->val_acc && a->val_acc == c->val_acc);
        }

    /* reset: every entry at epoch 0 from the same weights, the turn back at entry 0 */
    nn_race_reset(r, false, 0);
    assert_false(nn_race_finished(r));
    assert_int_equal(r->cur, 0);
    for (int e = 0; e < RUN_N; e++)
        assert_int_equal(r->racer[e].t.epoch, 0);
    run_race(r, &robin_log);
    assert_true(robin_log.stats[1][2].train_loss == alone_log.stats[1][2].train_loss);
    nn_race_free(r);
    nn_race_free(r);   /* idempotent */
    free(r);
    free(p);
}

/* A diverging entry is out with its message; the others go on. Bad lists and an entry built before
 * entry 0 are errors. */
static void test_the_runner_drops_a_diverging_entry_and_refuses_bad_input(void **state)
{
    (void)state;
    nn_preset *p = iris();
    nn_error err;
    assert_int_equal(nn_preset_set(p, "training.epochs", "3", &err), NN_OK);
    nn_race *r = calloc(1, sizeof *r);
    assert_non_null(r);
    assert_int_equal(nn_race_init(r, p, "sgd:1e30,adam", 1, NN_RACE_ROUND_ROBIN, &err), NN_OK);
    assert_int_equal(nn_race_build(r, 1, &err), NN_EINVAL);
    assert_non_null(strstr(err.msg, "entry 0 is built first"));
    assert_int_equal(nn_race_build(r, 0, &err), NN_OK);
    assert_int_equal(nn_race_build(r, 1, &err), NN_OK);
    int diverged = 0, guard = 0;
    while (!nn_race_finished(r)) {
        nn_race_turn turn;
        assert_int_equal(nn_race_step(r, &turn, &err), NN_OK);
        if (turn.status == NN_EDIVERGED) {
            diverged++;
            assert_int_equal(turn.entry, 0);
            assert_true(turn.entry_done && turn.turn_over);
        }
        assert_true(++guard < 100000);
    }
    assert_int_equal(diverged, 1);
    assert_int_equal(r->racer[0].t.state, NN_TRAINER_DIVERGED);
    assert_non_null(strstr(r->racer[0].message, "diverged"));
    assert_int_equal(r->racer[1].t.state, NN_TRAINER_DONE);
    assert_int_equal(r->racer[1].t.epoch, 3);
    nn_race_turn turn;   /* a finished race trains nothing */
    assert_int_equal(nn_race_step(r, &turn, &err), NN_OK);
    assert_int_equal(turn.entry, -1);
    assert_true(turn.finished);
    nn_race_free(r);

    assert_int_equal(nn_race_init(r, p, "sgd,adamm", 1, NN_RACE_IN_TURN, &err), NN_EINVAL);
    assert_non_null(strstr(err.msg, "adamm"));
    assert_int_equal(nn_race_init(r, p, "", 1, NN_RACE_IN_TURN, &err), NN_EINVAL);
    assert_non_null(strstr(err.msg, "empty"));
    assert_int_equal(nn_race_init(r, p, NULL, 1, NN_RACE_IN_TURN, &err), NN_OK);
    assert_int_equal(r->n, nn_race_default_count());
    assert_string_equal(r->racer[7].name, "adadelta");
    nn_race_free(r);
    free(r);
    free(p);
}

static void test_the_best_entry_has_the_lowest_val_loss_and_ties_go_to_test_accuracy(void **state)
{
    (void)state;
    const double nan = (double)NAN;
    /* issue 13: sgd had the best accuracy, momentum the lower validation loss: momentum is best */
    double loss[] = {0.1417, 0.1401, 0.4574};
    double acc[] = {0.975, 0.9625, 0.9375};
    assert_int_equal(nn_race_best(loss, acc, 3), 1);
    /* equal to 6 significant digits: the higher test accuracy */
    double tl[] = {0.5, 0.5000001, 0.5000002};
    double ta[] = {0.90, 0.95, 0.92};
    assert_int_equal(nn_race_best(tl, ta, 3), 1);
    /* a full tie: the earlier entry */
    double fl[] = {0.3, 0.3};
    double fa[] = {0.8, 0.8};
    assert_int_equal(nn_race_best(fl, fa, 2), 0);
    /* a diverged (NaN) or not started entry is not ranked, however good its accuracy */
    double dl[] = {nan, 0.7, (double)INFINITY};
    double da[] = {1.0, 0.5, 1.0};
    assert_int_equal(nn_race_best(dl, da, 3), 1);
    double none[] = {nan, nan};
    assert_int_equal(nn_race_best(none, da, 2), -1);
    assert_int_equal(nn_race_best(none, da, 0), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_best_entry_has_the_lowest_val_loss_and_ties_go_to_test_accuracy),
        cmocka_unit_test(test_the_default_race_is_the_seed_projects_eight_optimizers),
        cmocka_unit_test(test_an_entry_sets_the_optimizer_and_keeps_everything_else),
        cmocka_unit_test(test_bad_entries_are_errors_that_name_them),
        cmocka_unit_test(test_lists_parse_in_order_and_reject_empty_or_bad_ones),
        cmocka_unit_test(test_a_race_entry_trains_as_the_same_optimizer_set_in_the_preset),
        cmocka_unit_test(test_race_trainers_share_the_first_ones_data),
        cmocka_unit_test(test_the_runner_trains_each_entry_as_it_trains_alone),
        cmocka_unit_test(test_the_runner_drops_a_diverging_entry_and_refuses_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
