/* nn_assert.h — assertions the core tests share (include after cmocka.h and math.h). */
#ifndef NN_ASSERT_H
#define NN_ASSERT_H

/* |a - b| <= eps, printing both expressions and values when it fails (NaN fails). */
#define ASSERT_NEAR(a, b, eps)                                                                 \
    do {                                                                                       \
        double a_ = (a), b_ = (b), e_ = (eps);                                                 \
        if (!(fabs(a_ - b_) <= e_)) {                                                          \
            print_error("%s = %.10g, expected %s = %.10g (tolerance %g)\n", #a, a_, #b, b_, e_); \
            fail();                                                                            \
        }                                                                                      \
    } while (0)

#endif
