/* test_network.c — end-to-end gradient checks of the MLP against central differences, penalties,
 * dropout, initialisation statistics, batch sizes and size checks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "matrix.h"
#include "network.h"
#include "pool.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nn_assert.h"

static nn_layer_spec spec(int units, nn_act act)
{
    nn_layer_spec s = {units, act, nn_act_table[act].default_alpha, NN_INIT_AUTO, NN_DIST_NORMAL};
    return s;
}

/* Targets that suit the loss: one-hot rows for crossentropy, 0/1 for bce, reals otherwise. */
static void fill_targets(float *y, int rows, int cols, nn_loss loss, nn_rng *rng)
{
    for (int r = 0; r < rows; r++) {
        int hot = (int)nn_rng_below(rng, (uint64_t)cols);
        for (int j = 0; j < cols; j++) {
            float *t = &y[r * cols + j];
            if (loss == NN_LOSS_CE)
                *t = j == hot ? 1.0f : 0.0f;
            else if (loss == NN_LOSS_BCE)
                *t = (float)nn_rng_below(rng, 2);
            else
                *t = (float)nn_rng_normal(rng);
        }
    }
}

static bool has_kink(nn_act a)
{
    return a == NN_ACT_RELU || a == NN_ACT_LEAKY_RELU || a == NN_ACT_ELU;
}

/* Sign pattern of every pre-activation of a layer with a kink, to detect a finite difference
 * that crossed one (the derivative is not defined there, so that parameter is skipped). */
static size_t kink_signature(const nn_network *net, int rows, unsigned char *sig)
{
    size_t k = 0;
    for (int l = 0; l < net->n_layers; l++) {
        const nn_layer *L = &net->layers[l];
        if (!has_kink(L->act))
            continue;
        for (size_t i = 0; i < (size_t)rows * (size_t)L->out; i++)
            sig[k++] = L->z[i] > 0.0f;
    }
    return k;
}

static double loss_at(nn_network *net, const float *x, const float *y, int rows, nn_loss loss,
                      float dropout, uint64_t drop_seed)
{
    nn_rng rng;
    nn_rng_seed(&rng, drop_seed);   /* the same seed gives the same dropout mask every time */
    const float *out = nn_network_forward(net, NULL, x, rows, dropout, dropout > 0 ? &rng : NULL);
    return nn_loss_value(loss, out, y, rows, nn_network_outputs(net));
}

/* Builds the network, runs backward once and compares EVERY parameter's gradient (weights and
 * biases) with a central difference of the loss, evaluated in double over the float forward. */
static void gradient_check(const char *what, int n_inputs, const nn_layer_spec *specs, int n_layers,
                           nn_loss loss, float dropout, uint64_t seed)
{
    enum { ROWS = 4 };
    nn_network net;
    nn_error err;
    assert_int_equal(nn_network_init(&net, n_inputs, specs, n_layers, ROWS, &err), NN_OK);
    nn_rng rng;
    nn_rng_seed(&rng, seed);
    nn_network_init_weights(&net, &rng);
    /* non-zero biases, so their gradients and the bias path are exercised */
    for (int l = 0; l < n_layers; l++)
        for (int j = 0; j < net.layers[l].out; j++)
            net.params[net.layers[l].b_off + (size_t)j] = (float)(0.2 * nn_rng_normal(&rng));
    int outs = nn_network_outputs(&net);
    float *x = malloc(sizeof(float) * ROWS * (size_t)n_inputs);
    float *y = malloc(sizeof(float) * ROWS * (size_t)outs);
    assert_non_null(x);
    assert_non_null(y);
    for (int i = 0; i < ROWS * n_inputs; i++)
        x[i] = (float)nn_rng_normal(&rng);
    fill_targets(y, ROWS, outs, loss, &rng);

    const uint64_t drop_seed = seed + 1000;
    (void)loss_at(&net, x, y, ROWS, loss, dropout, drop_seed);
    nn_network_backward(&net, NULL, x, y, ROWS, loss);
    float *ana = malloc(sizeof(float) * net.n_params);
    assert_non_null(ana);
    memcpy(ana, net.grads, sizeof(float) * net.n_params);
    unsigned char sig0[4096], sig1[4096];
    size_t nsig = kink_signature(&net, ROWS, sig0);
    assert_true(nsig <= sizeof sig0);

    double gmax = 0.0;
    for (size_t i = 0; i < net.n_params; i++)
        gmax = fmax(gmax, fabs((double)ana[i]));
    if (!(gmax > 1e-3)) {
        print_error("%s: gradient is (nearly) all zero (max %g)\n", what, gmax);
        fail();
    }

    const float h = 1e-2f;
    double worst = 0.0;
    size_t skipped = 0, bias_checked = 0;
    for (size_t i = 0; i < net.n_params; i++) {
        /* five-point stencil: (8 (L(w+h) - L(w-h)) - (L(w+2h) - L(w-2h))) / 12h, error O(h^4) */
        const float w0 = net.params[i];
        const float steps[4] = {h, -h, 2.0f * h, -2.0f * h};
        double lv[4];
        bool crossed = false;
        for (int k = 0; k < 4; k++) {
            net.params[i] = w0 + steps[k];
            lv[k] = loss_at(&net, x, y, ROWS, loss, dropout, drop_seed);
            crossed = crossed || (kink_signature(&net, ROWS, sig1) && memcmp(sig0, sig1, nsig) != 0);
        }
        net.params[i] = w0;
        if (crossed) {
            skipped++;
            continue;
        }
        double num = (8.0 * (lv[0] - lv[1]) - (lv[2] - lv[3])) / (12.0 * (double)h);
        /* relative error, with a floor of 1% of the largest gradient for near-zero entries */
        double e = fabs(num - (double)ana[i]) / fmax(fmax(fabs(num), fabs((double)ana[i])), 1e-2 * gmax);
        if (e > 1e-2)
            print_error("%s: param %zu: analytic %.8g numeric %.8g\n", what, i, (double)ana[i], num);
        worst = fmax(worst, e);
        for (int l = 0; l < n_layers; l++)
            if (i >= net.layers[l].b_off && i < net.layers[l].b_off + (size_t)net.layers[l].out)
                bias_checked++;
    }
    if (getenv("NN_TEST_VERBOSE"))
        fprintf(stderr, "%s: worst relative error %.3g, %zu of %zu skipped at kinks\n", what, worst, skipped, net.n_params);
    if (worst > 1e-2) {
        print_error("%s: worst relative error %g\n", what, worst);
        fail();
    }
    if (skipped * 4 > net.n_params) {
        print_error("%s: %zu of %zu parameters skipped at kinks\n", what, skipped, net.n_params);
        fail();
    }
    assert_true(bias_checked > 0);
    free(ana);
    free(x);
    free(y);
    nn_network_free(&net);
}

static void test_gradients_match_central_differences_for_tanh_sigmoid_softmax_crossentropy(void **state)
{
    (void)state;
    nn_layer_spec s[3] = {spec(7, NN_ACT_TANH), spec(6, NN_ACT_SIGMOID), spec(3, NN_ACT_SOFTMAX)};
    gradient_check("5-7-6-3 tanh/sigmoid/softmax + crossentropy", 5, s, 3, NN_LOSS_CE, 0.0f, 1);
    gradient_check("5-7-6-3 tanh/sigmoid/softmax + crossentropy", 5, s, 3, NN_LOSS_CE, 0.0f, 2);
    /* softmax + mse goes through the general chain rule */
    gradient_check("5-7-6-3 tanh/sigmoid/softmax + mse", 5, s, 3, NN_LOSS_MSE, 0.0f, 3);
}

static void test_gradients_match_central_differences_for_relu_family_hidden_layers_and_mse(void **state)
{
    (void)state;
    const nn_act hidden[][2] = {{NN_ACT_RELU, NN_ACT_LEAKY_RELU},
                                {NN_ACT_ELU, NN_ACT_GELU},
                                {NN_ACT_SWISH, NN_ACT_SOFTPLUS},
                                {NN_ACT_GELU, NN_ACT_RELU}};
    for (size_t k = 0; k < sizeof hidden / sizeof *hidden; k++) {
        nn_layer_spec s[3] = {spec(7, hidden[k][0]), spec(6, hidden[k][1]), spec(3, NN_ACT_LINEAR)};
        char what[96];
        snprintf(what, sizeof what, "5-7-6-3 %s/%s/linear + mse", nn_act_name(hidden[k][0]),
                 nn_act_name(hidden[k][1]));
        gradient_check(what, 5, s, 3, NN_LOSS_MSE, 0.0f, 10 + k);
    }
    nn_layer_spec s[3] = {spec(7, NN_ACT_RELU), spec(6, NN_ACT_TANH), spec(3, NN_ACT_LINEAR)};
    gradient_check("5-7-6-3 relu/tanh/linear + mae", 5, s, 3, NN_LOSS_MAE, 0.0f, 20);
    gradient_check("5-7-6-3 relu/tanh/linear + rmse", 5, s, 3, NN_LOSS_RMSE, 0.0f, 21);
}

static void test_gradients_match_central_differences_for_sigmoid_bce(void **state)
{
    (void)state;
    nn_layer_spec s[3] = {spec(7, NN_ACT_TANH), spec(6, NN_ACT_ELU), spec(2, NN_ACT_SIGMOID)};
    gradient_check("5-7-6-2 tanh/elu/sigmoid + bce", 5, s, 3, NN_LOSS_BCE, 0.0f, 30);
    nn_layer_spec one[1] = {spec(1, NN_ACT_SIGMOID)};
    gradient_check("3-1 sigmoid + bce (single layer)", 3, one, 1, NN_LOSS_BCE, 0.0f, 31);
}

static void test_gradients_match_central_differences_with_dropout_masks(void **state)
{
    (void)state;
    nn_layer_spec s[3] = {spec(9, NN_ACT_TANH), spec(8, NN_ACT_SOFTPLUS), spec(3, NN_ACT_SOFTMAX)};
    gradient_check("5-9-8-3 with dropout 0.3", 5, s, 3, NN_LOSS_CE, 0.3f, 40);
}

/* --- number for number against PyTorch ---------------------------------------------------------
 * Reference values from PyTorch 1.13 (Debian python3-torch) in float64, for 5-7-6-3 networks with
 * parameters params[i] = (float)(0.5 sin(0.37 i + 0.1)) in our layout (W (in, out) row-major, then
 * b, per layer), inputs x[r][c] = (float)cos(0.7 r + 1.3 c), 4 rows, one-hot targets y[r][r % 3];
 * z = h W + b with torch.tanh/sigmoid/softmax/relu/gelu/elu, and the losses written as ours:
 * ce = -(y log a).sum(1).mean(), mse = ((a - y)^2).sum(1).mean(),
 * bce = -(y log a + (1 - y) log(1 - a)).sum(1).mean(); gradients from loss.backward(). */
static const double torch_tanh_sigmoid_softmax_ce_loss = 1.0702832987886808;
static const double torch_tanh_sigmoid_softmax_ce_out[12] = {
        0.38188720723551267, 0.33537695091982073, 0.28273584184466649, 0.38193650340201279,
        0.33537310404355536, 0.28269039255443185, 0.38195567611508074, 0.33537345033873478,
        0.28267087354618448, 0.38192938651203612, 0.33537813170223668, 0.28269248178572726,
};
static const double torch_tanh_sigmoid_softmax_ce_grad[111] = {
        -0.0012699766693174913, 0.0016979611323477699, -0.00072015481712896961, -0.00065919752803110553,
        0.0013001021666147379, -0.00089588053760524271, -0.00014525676459954109, -0.0027063713415003245,
        0.0034733158381913603, -0.0014753657611675935, -0.001192624545676713, 0.0026101188645144117,
        -0.0020601556385118412, -0.00020218085917086511, -0.00017792538114260991, 0.00016025433251948184,
        -6.9162232076750368e-05, 2.1146307311139857e-05, 9.630500128041747e-05, -0.00020629762820682448,
        3.7090478235709096e-05, 0.0026111814928081673, -0.0033875799043558289, 0.0014383640201606146,
        0.001203937688953568, -0.0025585957134502215, 0.0019497867184808692, 0.00022202417081847333,
        0.001574901354911062, -0.0019726016497334633, 0.0008386836234423314, 0.00062295752905640539,
        -0.0014651477134205368, 0.0012494289601362677, 8.1691922530974898e-05, -0.0037794775034249769,
        0.0050820046225723428, -0.0024729579566904253, -0.0017492723197616291, 0.004695873087201069,
        -0.0041639514045101189, -1.1685176774831095e-05, -0.00088724520826856347, -0.0014632643015343376,
        -0.00040678701576211018, 0.001073115386099181, 0.0013333514569142451, 0.00012869350192488361,
        -0.0014112992187357502, -0.0022851712870199329, -0.000609736901861492, 0.0016974113702571004,
        0.0020761192167718825, 0.00017466844859908719, -0.0017363468834373675, -0.0027841909227359291,
        -0.00072612187043063277, 0.0020822915255060337, 0.002525531957620359, 0.00019552965328252818,
        -0.001845397356469177, -0.0029400504604392662, -0.00075498634638963022, 0.002208846324054884,
        0.0026641299023900437, 0.00019432852075707612, -0.0017314033082570129, -0.0027442198779005439,
        -0.00069582990278440119, 0.0020691746085395933, 0.002484509043327547, 0.00017225135930813536,
        -0.0013894123812592609, -0.0021877298428759264, -0.00054567511201846994, 0.0016571134248562951,
        0.0019783878200527313, 0.00012800985182433608, -0.00083568565756704787, -0.0012942135663854936,
        -0.00030916385374365839, 0.0009917039500986003, 0.0011669375616801092, 6.1685024114448587e-05,
        -0.0042766423495912941, -0.0066918423722831851, -0.0016422760169551608, 0.0050943473719165149,
        0.0060486113584194597, 0.00036351271491606989, -0.054905594942427624, 0.039636868449328913,
        0.015268726493098695, -0.059602979424392431, 0.042985630782109999, 0.016617348642282433,
        -0.064217080996491469, 0.046290670698649103, 0.017926410297842376, -0.068083077474982712,
        0.049075732805818416, 0.019007344669164289, -0.070690245489897066, 0.050971361703801191,
        0.019718883786095872, -0.071735860359898193, 0.051755697865814673, 0.01998016249408352,
        -0.11807280668383942, 0.085375409251086914, 0.032697397432752517,
};

static const double torch_relu_gelu_linear_mse_loss = 0.65360297016220981;
static const double torch_relu_gelu_linear_mse_out[12] = {
        0.35694921205394542, 0.28116847134513628, 0.16733288455260187, 0.35733963296120891,
        0.28081070212791298, 0.16627534757360851, 0.35798059382959491, 0.28116196944079896,
        0.16628937890711812, 0.35857562826531958, 0.28205852579970914, 0.16736611245168384,
};
static const double torch_relu_gelu_linear_mse_grad[111] = {
        0.010640028516116054, -0.025428018209783972, 0.020105104269734046, 0.0011188466671081569,
        -0.021457904742333903, 0.024826005086946309, -0.0085593298514278441, -0.043072939545196393,
        0.058715653873407887, -0.027920424624836862, -0.02495694200462354, 0.058095975800710645,
        -0.045287166067438024, -0.0033390582854462133, -0.033683947348351784, 0.056840751979977247,
        -0.035042464721754672, -0.014470750261697189, 0.052539112070274285, -0.049054530368246717,
        0.0067729421279882013, 0.025052104650051924, -0.028305982388218819, 0.0091727872424879741,
        0.017215123206482601, -0.029987671493872332, 0.019043105607942777, 0.0069625659982302662,
        0.047086764599424777, -0.07198438626839726, 0.039949884482524511, 0.02368080077960721,
        -0.068582446060662286, 0.059242547315781671, -0.0030479857088793047, 0.022511940553300844,
        -0.059846576588353573, 0.049848828229915459, -0.00042586450321513078, -0.049333907997343496,
        0.060075721198104767, -0.02330391701739765, -0.010374957816273929, 0.002179114709248,
        0.019385863652109592, 0.016830669792982467, -0.0080728874966353361, -0.026257006693892086,
        -0.019147533372014854, 0.0061551897466183827, 0.038124696410715246, 0.030412467199543561,
        -0.018471797729508875, -0.050992067557207581, -0.02532858012938333, 0.0092981901850871882,
        0.051703531996401597, 0.039878079438564216, -0.026370639237017171, -0.068825593078860131,
        -0.028081522803105045, 0.011182724107819998, 0.058284537654850095, 0.043946381429580059,
        -0.030700338454546311, -0.077343898286548932, -0.027033762207826249, 0.011553728430242084,
        0.056977002715087245, 0.04206674545802877, -0.030874889910338127, -0.075394067242546686,
        -0.022327110317815983, 0.010360989393922972, 0.047957899907356792, 0.034493575643425929,
        -0.026870669850925857, -0.063240006021034509, -0.014598586962781497, 0.0077659388347619011,
        0.032447917105236063, 0.022251859175978609, -0.019229629542619763, -0.042526702248255964,
        -0.055306181160815107, 0.018624581692025275, 0.11104665260218252, 0.087554684316947559,
        -0.054795464994594485, -0.14824196036198836, 0.017729281513312569, -0.0041569292784643325,
        0.010453226249065509, -0.0027721831046237364, 0.00022459669458878382, -0.0011278642970116702,
        -0.028544287568323879, 0.0058098874791315666, -0.015695103713707751, -0.054640501560057654,
        0.011559529648050713, -0.030510871990953425, -0.074651495406477336, 0.016078386797132586,
        -0.041985379396686742, -0.08323940500036256, 0.018166355488660576, -0.047082123030355562,
        -0.28457746644496551, 0.062599834356778655, -0.1663681382574938,
};

static const double torch_elu_sigmoid_bce_loss = 2.2244878681127078;
static const double torch_elu_sigmoid_bce_out[12] = {
        0.60631073189489149, 0.57490585981386233, 0.53272825481339581, 0.60635925684533176,
        0.57491588987694475, 0.53269669888845128, 0.60640245188072073, 0.57496015238800757,
        0.5327357188815981, 0.60642001539583135, 0.57501789752844767, 0.53282708015225344,
};
static const double torch_elu_sigmoid_bce_grad[111] = {
        -0.0039146242283901031, 0.01268953245915513, -0.011428347289115846, 0.0011285336160224229,
        0.010063831154259477, -0.013296758379005772, 0.0060133393665727534, 0.0013286514438534099,
        -0.012360865886214881, 0.01361692794794217, -0.0041034225062145571, -0.0086554593299930978,
        0.014568779348688625, -0.0089597171355982452, 0.0046254497825033106, -0.019302566599840979,
        0.018713371514466608, -0.0033238547997205977, -0.014694481587308399, 0.021091020918327194,
        -0.01080676673463719, 0.0011459532658166305, 0.0020340378289506809, -0.0036053177624899256,
        0.0023251678011841342, 0.00079394605087052905, -0.0032851323272363891, 0.0031781220139702857,
        -0.004012367474245917, 0.020390772052022277, -0.020642208041298016, 0.0045678141111706334,
        0.015119240852776073, -0.022848558988074346, 0.01250705454313546, -0.01177841782510335,
        0.03724008313453929, -0.033248736367808659, 0.0029611134955028137, 0.029668437708336,
        -0.03883335854725041, 0.017285151276807589, 0.0097979694622056836, -0.0065745048764248052,
        -0.015576170629285556, -0.0072131106498572921, 0.0087800499265757795, 0.014797515969715696,
        0.019103293436173077, -0.012158590886857007, -0.029785384174683863, -0.014197725104452276,
        0.016434682937296215, 0.028378978277311579, 0.025823077138186965, -0.016097068783741418,
        -0.039963286686275315, -0.019260744811221763, 0.021864959017123386, 0.038119480000642296,
        0.029047828777269569, -0.017856884185246651, -0.04473234632703503, -0.021716913262927923,
        0.024335915783274254, 0.042700689405815166, 0.02834109217491354, -0.017199853536030298,
        -0.043447091375428626, -0.021233798721305455, 0.023513119768998721, 0.041502559514330489,
        0.02379852263502364, -0.014214904277330092, -0.03628147813218937, -0.017876789770982556,
        0.019507934395452901, 0.034687254479299844, 0.016034933153852869, -0.0093060333113805776,
        -0.024205334516133898, -0.012100240063062753, 0.012862440169222018, 0.023177189897327147,
        0.055024296494954716, -0.034802877511081576, -0.085596161732938381, -0.040937166487813995,
        0.047107643808963595, 0.081581517338690179, 0.049531923763247505, 0.15109884875424934,
        0.13160442235481412, 0.053663402188607427, 0.16389902282005339, 0.14279809682437108,
        0.057725094338610228, 0.17649021050942038, 0.1537826072715528, 0.0611332188424695,
        0.18705932814636597, 0.16297671907954286, 0.063436686325809011, 0.19420793143242374,
        0.16916636091425458, 0.064365788371560942, 0.19710245190849313, 0.17163220252118619,
        0.10637311400419384, 0.32494994990181558, 0.2827469381839246,
};

static void compare_with_torch(const char *what, const nn_act acts[3], nn_loss loss, double want_loss,
                               const double *want_out, const double *want_grad)
{
    enum { R = 4 };
    nn_layer_spec s[3] = {spec(7, acts[0]), spec(6, acts[1]), spec(3, acts[2])};
    nn_network net;
    assert_int_equal(nn_network_init(&net, 5, s, 3, R, NULL), NN_OK);
    assert_int_equal(net.n_params, 111);
    for (size_t i = 0; i < net.n_params; i++)
        net.params[i] = (float)(0.5 * sin(0.37 * (double)i + 0.1));
    float x[R * 5], y[R * 3];
    for (int r = 0; r < R; r++) {
        for (int c = 0; c < 5; c++)
            x[r * 5 + c] = (float)cos(0.7 * r + 1.3 * c);
        for (int j = 0; j < 3; j++)
            y[r * 3 + j] = j == r % 3 ? 1.0f : 0.0f;
    }
    const float *out = nn_network_forward(&net, NULL, x, R, 0.0f, NULL);
    assert_non_null(out);
    for (int i = 0; i < R * 3; i++)
        ASSERT_NEAR(out[i], want_out[i], 2e-6 * fmax(1.0, fabs(want_out[i])));
    ASSERT_NEAR(nn_loss_value(loss, out, y, R, 3), want_loss, 2e-6 * want_loss);
    nn_network_backward(&net, NULL, x, y, R, loss);
    double gmax = 0.0;
    for (size_t i = 0; i < net.n_params; i++)
        gmax = fmax(gmax, fabs(want_grad[i]));
    assert_true(gmax > 1e-3);
    double worst = 0.0;
    for (size_t i = 0; i < net.n_params; i++) {
        double d = fabs((double)net.grads[i] - want_grad[i]);
        worst = fmax(worst, d / gmax);
        if (!(d <= 1e-5 * gmax + 1e-5 * fabs(want_grad[i]))) {
            print_error("%s: gradient %zu = %.9g, PyTorch %.9g\n", what, i, (double)net.grads[i], want_grad[i]);
            fail();
        }
    }
    if (getenv("NN_TEST_VERBOSE"))
        fprintf(stderr, "%s: largest gradient difference from PyTorch %.3g of the largest gradient\n", what, worst);
    nn_network_free(&net);
}

static void test_outputs_loss_and_every_gradient_match_pytorch(void **state)
{
    (void)state;
    const nn_act a1[3] = {NN_ACT_TANH, NN_ACT_SIGMOID, NN_ACT_SOFTMAX};
    compare_with_torch("tanh/sigmoid/softmax + crossentropy", a1, NN_LOSS_CE, torch_tanh_sigmoid_softmax_ce_loss,
                       torch_tanh_sigmoid_softmax_ce_out, torch_tanh_sigmoid_softmax_ce_grad);
    const nn_act a2[3] = {NN_ACT_RELU, NN_ACT_GELU, NN_ACT_LINEAR};
    compare_with_torch("relu/gelu/linear + mse", a2, NN_LOSS_MSE, torch_relu_gelu_linear_mse_loss,
                       torch_relu_gelu_linear_mse_out, torch_relu_gelu_linear_mse_grad);
    const nn_act a3[3] = {NN_ACT_ELU, NN_ACT_SIGMOID, NN_ACT_SIGMOID};
    compare_with_torch("elu/sigmoid/sigmoid + bce", a3, NN_LOSS_BCE, torch_elu_sigmoid_bce_loss,
                       torch_elu_sigmoid_bce_out, torch_elu_sigmoid_bce_grad);
}

static void fill_params(nn_network *net, uint64_t seed)
{
    nn_rng rng;
    nn_rng_seed(&rng, seed);
    for (size_t i = 0; i < net->n_params; i++)
        net->params[i] = (float)nn_rng_normal(&rng);
}

static bool is_bias(const nn_network *net, size_t i)
{
    for (int l = 0; l < net->n_layers; l++)
        if (i >= net->layers[l].b_off && i < net->layers[l].b_off + (size_t)net->layers[l].out)
            return true;
    return false;
}

static void test_penalty_gradients_match_central_differences_and_skip_biases(void **state)
{
    (void)state;
    nn_layer_spec s[2] = {spec(4, NN_ACT_TANH), spec(2, NN_ACT_LINEAR)};
    nn_network net;
    assert_int_equal(nn_network_init(&net, 3, s, 2, 1, NULL), NN_OK);
    fill_params(&net, 5);
    const nn_reg regs[3] = {NN_REG_L1, NN_REG_L2, NN_REG_ELASTICNET};
    for (int k = 0; k < 3; k++) {
        const double lambda = 0.3, r = 0.6;
        memset(net.grads, 0, net.n_params * sizeof(float));
        nn_network_add_penalty_grad(&net, regs[k], lambda, r);
        double norm = 0;
        for (size_t i = 0; i < net.n_params; i++) {
            float w0 = net.params[i];
            const float h = 1e-3f;
            net.params[i] = w0 + h;
            double pp = nn_network_penalty(&net, regs[k], lambda, r);
            float wp = net.params[i];
            net.params[i] = w0 - h;
            double pm = nn_network_penalty(&net, regs[k], lambda, r);
            float wm = net.params[i];
            net.params[i] = w0;
            double num = (pp - pm) / ((double)wp - (double)wm);
            if (is_bias(&net, i)) {
                assert_true(net.grads[i] == 0.0f);
                ASSERT_NEAR(num, 0.0, 1e-9);
            } else {
                ASSERT_NEAR(net.grads[i], num, 1e-4 * fmax(1.0, fabs(num)));
            }
            norm += fabs((double)net.grads[i]);
        }
        assert_true(norm > 0.1);
    }
    nn_network_free(&net);
}

static void test_penalty_values_are_the_documented_formulas(void **state)
{
    (void)state;
    nn_layer_spec s[1] = {spec(2, NN_ACT_LINEAR)};
    nn_network net;
    assert_int_equal(nn_network_init(&net, 1, s, 1, 1, NULL), NN_OK);
    /* W = (1, -2), b = (100, 100): biases must not count */
    net.params[0] = 1.0f;
    net.params[1] = -2.0f;
    net.params[2] = 100.0f;
    net.params[3] = 100.0f;
    ASSERT_NEAR(nn_network_penalty(&net, NN_REG_NONE, 0.5, 0.5), 0.0, 0.0);
    ASSERT_NEAR(nn_network_penalty(&net, NN_REG_L1, 0.5, 0.0), 0.5 * 3.0, 1e-12);
    ASSERT_NEAR(nn_network_penalty(&net, NN_REG_L2, 0.5, 0.0), 0.5 / 2.0 * 5.0, 1e-12);
    /* elasticnet: 0.5 * (0.6 * 3 + 0.4 / 2 * 5) = 1.4 */
    ASSERT_NEAR(nn_network_penalty(&net, NN_REG_ELASTICNET, 0.5, 0.6), 1.4, 1e-12);
    /* sign(0) = 0 for l1 */
    net.params[0] = 0.0f;
    memset(net.grads, 0, net.n_params * sizeof(float));
    nn_network_add_penalty_grad(&net, NN_REG_L1, 0.5, 0.0);
    assert_true(net.grads[0] == 0.0f);
    assert_true(net.grads[1] == -0.5f);
    nn_network_free(&net);
}

static void test_dropout_zeroes_about_half_the_hidden_units_and_scales_the_rest(void **state)
{
    (void)state;
    enum { ROWS = 50, IN = 4, HID = 200 };
    nn_layer_spec s[2] = {spec(HID, NN_ACT_RELU), spec(3, NN_ACT_SOFTMAX)};
    nn_network net;
    assert_int_equal(nn_network_init(&net, IN, s, 2, ROWS, NULL), NN_OK);
    /* zero weights and bias 1: every hidden activation is exactly relu(1) = 1 */
    memset(net.params, 0, net.n_params * sizeof(float));
    for (int j = 0; j < HID; j++)
        net.params[net.layers[0].b_off + (size_t)j] = 1.0f;
    for (size_t j = 0; j < 3 * HID; j++)
        net.params[net.layers[1].w_off + j] = 0.01f * (float)(j % 7);
    float x[ROWS * IN];
    for (int i = 0; i < ROWS * IN; i++)
        x[i] = (float)i;

    nn_rng rng;
    nn_rng_seed(&rng, 77);
    const float *out = nn_network_forward(&net, NULL, x, ROWS, 0.5f, &rng);
    assert_non_null(out);
    assert_int_equal(net.last_dropout, 1);
    const nn_layer *h0 = &net.layers[0];
    assert_true(h0->h != h0->a);
    int zeros = 0;
    for (int i = 0; i < ROWS * HID; i++) {
        assert_true(h0->a[i] == 1.0f);
        if (h0->h[i] == 0.0f)
            zeros++;
        else
            assert_true(h0->h[i] == 2.0f);   /* survivors scaled by 1/(1 - 0.5) */
        assert_true(h0->mask[i] == 0.0f || h0->mask[i] == 2.0f);
    }
    /* 10000 units, Binomial(10000, 0.5): sd 50; allow 5 sd */
    assert_in_range(zeros, 5000 - 250, 5000 + 250);
    /* no dropout on the output layer: probabilities still sum to 1, no mask */
    const nn_layer *top = &net.layers[1];
    assert_null(top->mask);
    assert_true(top->h == top->a);
    for (int r = 0; r < ROWS; r++) {
        double sum = 0;
        for (int j = 0; j < 3; j++)
            sum += (double)out[r * 3 + j];
        ASSERT_NEAR(sum, 1.0, 1e-5);
    }

    /* evaluation: rng NULL means no dropout even with a rate */
    nn_network_forward(&net, NULL, x, ROWS, 0.5f, NULL);
    assert_int_equal(net.last_dropout, 0);
    assert_true(net.layers[0].h == net.layers[0].a);
    for (int i = 0; i < ROWS * HID; i++)
        assert_true(net.layers[0].h[i] == 1.0f);
    /* and a rate of 0 with an rng is no dropout either */
    nn_network_forward(&net, NULL, x, ROWS, 0.0f, &rng);
    assert_int_equal(net.last_dropout, 0);
    nn_network_free(&net);
}

static void layer_stats(const nn_network *net, int l, double *mean, double *sd, double *maxabs)
{
    const nn_layer *L = &net->layers[l];
    const float *w = net->params + L->w_off;
    size_t n = (size_t)L->in * (size_t)L->out;
    double s = 0, s2 = 0, m = 0;
    for (size_t i = 0; i < n; i++) {
        s += (double)w[i];
        s2 += (double)w[i] * (double)w[i];
        m = fmax(m, fabs((double)w[i]));
    }
    *mean = s / (double)n;
    *sd = sqrt(s2 / (double)n - *mean * *mean);
    *maxabs = m;
}

static void test_initialisation_has_the_he_and_xavier_statistics(void **state)
{
    (void)state;
    nn_layer_spec s[4] = {
        {256, NN_ACT_RELU, 0.0f, NN_INIT_AUTO, NN_DIST_NORMAL},        /* auto -> He normal */
        {256, NN_ACT_TANH, 0.0f, NN_INIT_AUTO, NN_DIST_UNIFORM},       /* auto -> Xavier uniform */
        {256, NN_ACT_TANH, 0.0f, NN_INIT_HE, NN_DIST_UNIFORM},         /* forced He uniform */
        {128, NN_ACT_RELU, 0.0f, NN_INIT_XAVIER, NN_DIST_NORMAL},      /* forced Xavier normal */
    };
    nn_network net;
    assert_int_equal(nn_network_init(&net, 256, s, 4, 1, NULL), NN_OK);
    assert_int_equal(net.layers[0].init, NN_INIT_HE);
    assert_int_equal(net.layers[1].init, NN_INIT_XAVIER);
    assert_int_equal(net.layers[2].init, NN_INIT_HE);
    assert_int_equal(net.layers[3].init, NN_INIT_XAVIER);
    for (size_t i = 0; i < net.n_params; i++)
        net.params[i] = 5.0f;   /* init_weights must overwrite everything, biases included */
    nn_rng rng;
    nn_rng_seed(&rng, 2024);
    nn_network_init_weights(&net, &rng);
    double mean, sd, mx;

    layer_stats(&net, 0, &mean, &sd, &mx);
    double he = sqrt(2.0 / 256.0);
    ASSERT_NEAR(sd, he, 0.05 * he);
    ASSERT_NEAR(mean, 0.0, 0.05 * he);

    layer_stats(&net, 1, &mean, &sd, &mx);
    double xb = sqrt(6.0 / 512.0);
    assert_true(mx <= xb);
    assert_true(mx > 0.99 * xb);
    ASSERT_NEAR(sd, xb / sqrt(3.0), 0.05 * xb / sqrt(3.0));

    layer_stats(&net, 2, &mean, &sd, &mx);
    double hb = sqrt(6.0 / 256.0);
    assert_true(mx <= hb);
    assert_true(mx > 0.99 * hb);
    ASSERT_NEAR(sd, he, 0.05 * he);   /* uniform ±sqrt(6/in) has the He variance 2/in */

    layer_stats(&net, 3, &mean, &sd, &mx);
    double xs = sqrt(2.0 / (256.0 + 128.0));
    ASSERT_NEAR(sd, xs, 0.05 * xs);

    for (int l = 0; l < 4; l++)
        for (int j = 0; j < net.layers[l].out; j++)
            assert_true(net.params[net.layers[l].b_off + (size_t)j] == 0.0f);
    nn_network_free(&net);
}

static void test_same_seed_gives_the_same_weights(void **state)
{
    (void)state;
    nn_layer_spec s[2] = {spec(8, NN_ACT_RELU), spec(3, NN_ACT_SOFTMAX)};
    nn_network a, b;
    assert_int_equal(nn_network_init(&a, 4, s, 2, 2, NULL), NN_OK);
    assert_int_equal(nn_network_init(&b, 4, s, 2, 2, NULL), NN_OK);
    nn_rng r1, r2;
    nn_rng_seed(&r1, 99);
    nn_rng_seed(&r2, 99);
    nn_network_init_weights(&a, &r1);
    nn_network_init_weights(&b, &r2);
    assert_memory_equal(a.params, b.params, a.n_params * sizeof(float));
    nn_rng_seed(&r2, 100);
    nn_network_init_weights(&b, &r2);
    assert_memory_not_equal(a.params, b.params, a.n_params * sizeof(float));
    nn_network_free(&a);
    nn_network_free(&b);
}

static void test_layout_puts_each_bias_after_its_weights_in_one_buffer(void **state)
{
    (void)state;
    nn_layer_spec s[3] = {spec(7, NN_ACT_TANH), spec(6, NN_ACT_RELU), spec(3, NN_ACT_SOFTMAX)};
    nn_network net;
    assert_int_equal(nn_network_init(&net, 5, s, 3, 8, NULL), NN_OK);
    assert_int_equal(net.n_params, 5 * 7 + 7 + 7 * 6 + 6 + 6 * 3 + 3);
    size_t off = 0;
    int in = 5;
    for (int l = 0; l < 3; l++) {
        const nn_layer *L = &net.layers[l];
        assert_int_equal(L->in, in);
        assert_int_equal(L->w_off, off);
        assert_int_equal(L->b_off, off + (size_t)L->in * (size_t)L->out);
        off = L->b_off + (size_t)L->out;
        in = L->out;
        assert_true(L->h == L->a);
        if (l < 2)
            assert_non_null(L->mask);
        else
            assert_null(L->mask);
    }
    assert_int_equal(off, net.n_params);
    assert_int_equal(nn_network_outputs(&net), 3);
    nn_network_free(&net);
}

static void test_a_batch_of_one_and_a_full_batch_give_the_same_rows(void **state)
{
    (void)state;
    enum { MAXB = 33, IN = 6 };
    nn_layer_spec s[3] = {spec(10, NN_ACT_GELU), spec(9, NN_ACT_TANH), spec(4, NN_ACT_SOFTMAX)};
    nn_network net;
    assert_int_equal(nn_network_init(&net, IN, s, 3, MAXB, NULL), NN_OK);
    nn_rng rng;
    nn_rng_seed(&rng, 8);
    nn_network_init_weights(&net, &rng);
    float x[MAXB * IN], y[MAXB * 4], full[MAXB * 4];
    for (int i = 0; i < MAXB * IN; i++)
        x[i] = (float)nn_rng_normal(&rng);
    fill_targets(y, MAXB, 4, NN_LOSS_CE, &rng);
    const float *out = nn_network_forward(&net, NULL, x, MAXB, 0.0f, NULL);
    assert_non_null(out);
    memcpy(full, out, sizeof full);
    nn_network_backward(&net, NULL, x, y, MAXB, NN_LOSS_CE);
    for (size_t i = 0; i < net.n_params; i++)
        assert_true(isfinite(net.grads[i]));
    for (int r = 0; r < MAXB; r += 8) {
        out = nn_network_forward(&net, NULL, x + r * IN, 1, 0.0f, NULL);
        assert_non_null(out);
        for (int j = 0; j < 4; j++)
            ASSERT_NEAR(out[j], full[r * 4 + j], 1e-6);
        nn_network_backward(&net, NULL, x + r * IN, y + r * 4, 1, NN_LOSS_CE);
        for (size_t i = 0; i < net.n_params; i++)
            assert_true(isfinite(net.grads[i]));
    }
    /* the mean-loss gradient of a batch is the mean of the single-row gradients */
    float *sum = calloc(net.n_params, sizeof(float));
    float *batch = malloc(net.n_params * sizeof(float));
    assert_non_null(sum);
    assert_non_null(batch);
    nn_network_forward(&net, NULL, x, 3, 0.0f, NULL);
    nn_network_backward(&net, NULL, x, y, 3, NN_LOSS_CE);
    memcpy(batch, net.grads, net.n_params * sizeof(float));
    for (int r = 0; r < 3; r++) {
        nn_network_forward(&net, NULL, x + r * IN, 1, 0.0f, NULL);
        nn_network_backward(&net, NULL, x + r * IN, y + r * 4, 1, NN_LOSS_CE);
        for (size_t i = 0; i < net.n_params; i++)
            sum[i] += net.grads[i] / 3.0f;
    }
    for (size_t i = 0; i < net.n_params; i++)
        ASSERT_NEAR(batch[i], sum[i], 1e-5);
    /* too many rows, or none, is refused without touching anything */
    assert_null(nn_network_forward(&net, NULL, x, MAXB + 1, 0.0f, NULL));
    assert_null(nn_network_forward(&net, NULL, x, 0, 0.0f, NULL));
    free(sum);
    free(batch);
    nn_network_free(&net);
}

static void test_forward_and_backward_with_a_thread_pool_match_the_serial_run(void **state)
{
    (void)state;
    enum { B = 64, IN = 20 };
    nn_layer_spec s[3] = {spec(48, NN_ACT_RELU), spec(40, NN_ACT_TANH), spec(5, NN_ACT_SOFTMAX)};
    nn_network net;
    assert_int_equal(nn_network_init(&net, IN, s, 3, B, NULL), NN_OK);
    nn_rng rng;
    nn_rng_seed(&rng, 9);
    nn_network_init_weights(&net, &rng);
    float *x = malloc(sizeof(float) * B * IN), *y = malloc(sizeof(float) * B * 5);
    float *o1 = malloc(sizeof(float) * B * 5), *g1 = malloc(sizeof(float) * net.n_params);
    assert_true(x && y && o1 && g1);
    for (int i = 0; i < B * IN; i++)
        x[i] = (float)nn_rng_normal(&rng);
    fill_targets(y, B, 5, NN_LOSS_CE, &rng);
    memcpy(o1, nn_network_forward(&net, NULL, x, B, 0.0f, NULL), sizeof(float) * B * 5);
    nn_network_backward(&net, NULL, x, y, B, NN_LOSS_CE);
    memcpy(g1, net.grads, sizeof(float) * net.n_params);
    nn_error err;
    nn_pool *pool = nn_pool_create(2, &err);
    assert_non_null(pool);
    const float *o2 = nn_network_forward(&net, pool, x, B, 0.0f, NULL);
    nn_network_backward(&net, pool, x, y, B, NN_LOSS_CE);
    for (int i = 0; i < B * 5; i++)
        ASSERT_NEAR(o2[i], o1[i], 1e-5);
    for (size_t i = 0; i < net.n_params; i++)
        ASSERT_NEAR(net.grads[i], g1[i], 1e-5);
    /* bit for bit, too (layer 2's two products, 245 kflop each, run side by side on the pool) */
    assert_memory_equal(o2, o1, sizeof(float) * B * 5);
    assert_memory_equal(net.grads, g1, sizeof(float) * net.n_params);
    nn_pool_destroy(pool);
    free(x);
    free(y);
    free(o1);
    free(g1);
    nn_network_free(&net);
}

/* The unfused passes, as network.c computed them before the epilogues: each product alone, then
 * the bias, the activation, the mask and the derivative as separate loops over the whole batch. */
static const float *unfused_forward(nn_network *net, const float *x, int rows, float dropout, nn_rng *rng)
{
    const float *in = x;
    for (int l = 0; l < net->n_layers; l++) {
        nn_layer *L = &net->layers[l];
        nn_gemm(NULL, false, false, rows, L->out, L->in, 1.0f, in, L->in, net->params + L->w_off, L->out,
                0.0f, L->z, L->out);
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < L->out; j++)
                L->z[r * L->out + j] += net->params[L->b_off + (size_t)j];
        nn_act_forward(L->act, L->alpha, L->a, L->z, rows, L->out);
        L->h = L->a;
        if (dropout > 0.0f && L->mask) {
            size_t n = (size_t)rows * (size_t)L->out;
            nn_rng_mask(rng, L->mask, n, dropout, (float)(1.0 / (1.0 - (double)dropout)));
            float *h = L->mask + (size_t)net->max_batch * (size_t)L->out;
            for (size_t i = 0; i < n; i++)
                h[i] = L->a[i] * L->mask[i];
            L->h = h;
        }
        in = L->h;
    }
    return net->layers[net->n_layers - 1].a;
}

static void unfused_backward(nn_network *net, const float *x, const float *y, int rows, bool dropout)
{
    nn_layer *top = &net->layers[net->n_layers - 1];
    nn_loss_fused_grad(top->delta, top->a, y, rows, top->out);
    for (int l = net->n_layers - 1; l >= 0; l--) {
        nn_layer *L = &net->layers[l];
        const float *hprev = l == 0 ? x : net->layers[l - 1].h;
        nn_gemm(NULL, true, false, L->in, L->out, rows, 1.0f, hprev, L->in, L->delta, L->out, 0.0f,
                net->grads + L->w_off, L->out);
        float *db = net->grads + L->b_off;
        memset(db, 0, sizeof(float) * (size_t)L->out);
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < L->out; j++)
                db[j] += L->delta[r * L->out + j];
        if (l == 0)
            break;
        nn_layer *P = &net->layers[l - 1];
        nn_gemm(NULL, false, true, rows, L->in, L->out, 1.0f, L->delta, L->out, net->params + L->w_off,
                L->out, 0.0f, P->delta, L->in);
        if (dropout && P->mask)
            for (size_t i = 0; i < (size_t)rows * (size_t)L->in; i++)
                P->delta[i] *= P->mask[i];
        nn_act_backward(P->act, P->alpha, P->delta, P->delta, P->z, P->a, rows, L->in);
    }
}

/* Bias and activation in the forward product's epilogue, the bias gradient in the weight
 * product's, mask and derivative in the input product's: the same bits as the unfused loops, for
 * every kind of activation (a hidden softmax takes the unfused path), with and without dropout,
 * inline and on a pool (where the products are cut into blocks). */
static void test_fused_epilogues_give_the_bits_of_the_unfused_passes(void **state)
{
    (void)state;
    enum { B = 61, IN = 300 };
    enum { NL = 11 };
    nn_layer_spec s[NL] = {spec(200, NN_ACT_RELU), spec(70, NN_ACT_GELU), spec(40, NN_ACT_SOFTMAX),
                           spec(50, NN_ACT_LEAKY_RELU), spec(33, NN_ACT_TANH), spec(20, NN_ACT_LINEAR),
                           spec(36, NN_ACT_SIGMOID), spec(18, NN_ACT_ELU), spec(40, NN_ACT_SWISH),
                           spec(17, NN_ACT_SOFTPLUS), spec(7, NN_ACT_SOFTMAX)};
    nn_network net, ref;
    assert_int_equal(nn_network_init(&net, IN, s, NL, B, NULL), NN_OK);
    assert_int_equal(nn_network_init(&ref, IN, s, NL, B, NULL), NN_OK);
    nn_rng rng;
    nn_rng_seed(&rng, 31);
    nn_network_init_weights(&net, &rng);
    for (size_t i = 0; i < net.n_params; i++)
        net.params[i] += (float)(0.05 * nn_rng_normal(&rng));   /* non-zero biases too */
    memcpy(ref.params, net.params, sizeof(float) * net.n_params);
    float *x = malloc(sizeof(float) * B * IN), *y = malloc(sizeof(float) * B * 7);
    assert_true(x && y);
    for (int i = 0; i < B * IN; i++)
        x[i] = (float)nn_rng_normal(&rng);
    fill_targets(y, B, 7, NN_LOSS_CE, &rng);
    nn_error err;
    nn_pool *pool = nn_pool_create(2, &err);
    assert_non_null(pool);
    for (int run = 0; run < 4; run++) {
        float dropout = run & 1 ? 0.25f : 0.0f;
        nn_pool *p = run & 2 ? pool : NULL;
        nn_rng r1, r2;
        nn_rng_seed(&r1, 77);
        nn_rng_seed(&r2, 77);
        const float *o = nn_network_forward(&net, p, x, B, dropout, dropout > 0.0f ? &r1 : NULL);
        const float *o_ref = unfused_forward(&ref, x, B, dropout, &r2);
        assert_memory_equal(o, o_ref, sizeof(float) * B * 7);
        nn_network_backward(&net, p, x, y, B, NN_LOSS_CE);
        unfused_backward(&ref, x, y, B, dropout > 0.0f);
        for (size_t i = 0; i < net.n_params; i++)
            if (memcmp(&net.grads[i], &ref.grads[i], sizeof(float)) != 0)
                fail_msg("run %d: gradient %zu = %.9g, unfused %.9g", run, i, (double)net.grads[i],
                         (double)ref.grads[i]);
    }
    nn_pool_destroy(pool);
    free(x);
    free(y);
    nn_network_free(&net);
    nn_network_free(&ref);
}

static void test_clip_grads_scales_to_the_max_norm_and_returns_the_norm(void **state)
{
    (void)state;
    nn_layer_spec s[1] = {spec(1, NN_ACT_LINEAR)};
    nn_network net;
    assert_int_equal(nn_network_init(&net, 1, s, 1, 1, NULL), NN_OK);
    net.grads[0] = 3.0f;
    net.grads[1] = 4.0f;
    ASSERT_NEAR(nn_network_clip_grads(&net, 0.0), 5.0, 1e-12);     /* no clipping */
    ASSERT_NEAR(net.grads[0], 3.0, 0.0);
    ASSERT_NEAR(nn_network_clip_grads(&net, 10.0), 5.0, 1e-12);    /* below the max */
    ASSERT_NEAR(net.grads[1], 4.0, 0.0);
    /* torch's clip_grad_norm_: times max_norm / (norm + 1e-6), so a norm equal to the max is
       scaled too (by 1 - 2e-7), as in torch */
    ASSERT_NEAR(nn_network_clip_grads(&net, 5.0), 5.0, 1e-12);
    ASSERT_NEAR(net.grads[0], (double)(3.0f * (float)(5.0 / (5.0 + 1e-6))), 0.0);
    assert_true(net.grads[0] < 3.0f);
    net.grads[0] = 3.0f;
    net.grads[1] = 4.0f;
    ASSERT_NEAR(nn_network_clip_grads(&net, 1.0), 5.0, 1e-12);     /* scaled to norm 1 */
    ASSERT_NEAR(net.grads[0], 0.6 * 5.0 / (5.0 + 1e-6), 1e-7);
    ASSERT_NEAR(net.grads[1], 0.8 * 5.0 / (5.0 + 1e-6), 1e-7);
    ASSERT_NEAR(nn_network_clip_grads(&net, -1.0), 1.0, 1e-6);
    nn_network_free(&net);

    /* a few thousand gradients (blocks, lanes and a tail) against a plain double sum */
    nn_layer_spec two[2] = {spec(40, NN_ACT_RELU), spec(21, NN_ACT_LINEAR)};
    assert_int_equal(nn_network_init(&net, 30, two, 2, 1, NULL), NN_OK);
    nn_rng rng;
    nn_rng_seed(&rng, 4);
    double ss = 0;
    for (size_t i = 0; i < net.n_params; i++) {
        net.grads[i] = (float)nn_rng_normal(&rng);
        ss += (double)net.grads[i] * (double)net.grads[i];
    }
    double norm = nn_network_clip_grads(&net, 2.0);
    ASSERT_NEAR(norm, sqrt(ss), 1e-6 * sqrt(ss));
    ASSERT_NEAR(nn_network_clip_grads(&net, 0.0), 2.0, 2e-6);
    nn_network_free(&net);
}

/* The pooled norm adds the same block sums in the same order: the same double, the same clipped
 * gradients, for any pool. */
static void test_pooled_clip_grads_gives_the_bits_of_clip_grads_for_any_thread_count(void **state)
{
    (void)state;
    nn_layer_spec two[2] = {spec(200, NN_ACT_RELU), spec(13, NN_ACT_LINEAR)};
    nn_network a, b;
    assert_int_equal(nn_network_init(&a, 300, two, 2, 1, NULL), NN_OK);   /* 62813 parameters */
    assert_int_equal(nn_network_init(&b, 300, two, 2, 1, NULL), NN_OK);
    nn_rng rng;
    nn_rng_seed(&rng, 9);
    for (size_t i = 0; i < a.n_params; i++)
        a.grads[i] = (float)nn_rng_normal(&rng);
    float *g0 = malloc(a.n_params * sizeof *g0);
    assert_non_null(g0);
    memcpy(g0, a.grads, a.n_params * sizeof *g0);
    double want = nn_network_clip_grads(&a, 3.0);
    for (int threads = 0; threads <= 3; threads++) {
        nn_pool *pool = threads ? nn_pool_create(threads, NULL) : NULL;
        memcpy(b.grads, g0, b.n_params * sizeof *g0);
        double got = nn_network_clip_grads_pool(&b, pool, 3.0);
        assert_memory_equal(&got, &want, sizeof got);
        assert_memory_equal(b.grads, a.grads, b.n_params * sizeof *b.grads);
        nn_pool_destroy(pool);
    }
    free(g0);
    nn_network_free(&a);
    nn_network_free(&b);
}

static void test_init_rejects_bad_sizes_with_a_message_naming_the_layer(void **state)
{
    (void)state;
    nn_network net;
    nn_error err;
    nn_layer_spec huge[2] = {spec(1000000, NN_ACT_RELU), spec(1000000, NN_ACT_RELU)};
    assert_int_equal(nn_network_init(&net, 4, huge, 2, 1, &err), NN_ENOMEM);
    assert_string_equal(err.msg, "model.layers.1: 1000000 x 1000000 weights is too large");
    nn_network_free(&net);

    nn_layer_spec zero[2] = {spec(4, NN_ACT_RELU), spec(0, NN_ACT_SOFTMAX)};
    assert_int_equal(nn_network_init(&net, 4, zero, 2, 1, &err), NN_EINVAL);
    assert_non_null(strstr(err.msg, "model.layers.1.units"));
    nn_network_free(&net);

    nn_layer_spec one[1] = {spec(4, NN_ACT_RELU)};
    assert_int_equal(nn_network_init(&net, 4, one, 0, 1, &err), NN_EINVAL);
    assert_int_equal(nn_network_init(&net, 4, one, NN_MAX_LAYERS + 1, 1, &err), NN_EINVAL);
    assert_int_equal(nn_network_init(&net, 0, one, 1, 1, &err), NN_EINVAL);
    assert_int_equal(nn_network_init(&net, 4, one, 1, 0, &err), NN_EINVAL);
    nn_layer_spec bad = spec(4, NN_ACT_RELU);
    bad.act = NN_ACT_COUNT;
    assert_int_equal(nn_network_init(&net, 4, &bad, 1, 1, &err), NN_EINVAL);
    assert_non_null(strstr(err.msg, "activation"));

    nn_layer_spec many[3] = {spec(40000, NN_ACT_RELU), spec(40000, NN_ACT_RELU), spec(40000, NN_ACT_RELU)};
    assert_int_equal(nn_network_init(&net, 4, many, 3, 1, &err), NN_ENOMEM);   /* 3.2e9 parameters */
    assert_non_null(strstr(err.msg, "model.layers.2"));
    assert_non_null(strstr(err.msg, "parameters"));

    nn_layer_spec wide[1] = {spec(100000, NN_ACT_RELU)};
    assert_int_equal(nn_network_init(&net, 4, wide, 1, 100000, &err), NN_ENOMEM);
    assert_non_null(strstr(err.msg, "model.layers.0"));

    nn_network z;
    memset(&z, 0, sizeof z);
    nn_network_free(&z);
    nn_network_free(&z);
    nn_network_free(&net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gradients_match_central_differences_for_tanh_sigmoid_softmax_crossentropy),
        cmocka_unit_test(test_gradients_match_central_differences_for_relu_family_hidden_layers_and_mse),
        cmocka_unit_test(test_gradients_match_central_differences_for_sigmoid_bce),
        cmocka_unit_test(test_gradients_match_central_differences_with_dropout_masks),
        cmocka_unit_test(test_outputs_loss_and_every_gradient_match_pytorch),
        cmocka_unit_test(test_penalty_gradients_match_central_differences_and_skip_biases),
        cmocka_unit_test(test_penalty_values_are_the_documented_formulas),
        cmocka_unit_test(test_dropout_zeroes_about_half_the_hidden_units_and_scales_the_rest),
        cmocka_unit_test(test_initialisation_has_the_he_and_xavier_statistics),
        cmocka_unit_test(test_same_seed_gives_the_same_weights),
        cmocka_unit_test(test_layout_puts_each_bias_after_its_weights_in_one_buffer),
        cmocka_unit_test(test_a_batch_of_one_and_a_full_batch_give_the_same_rows),
        cmocka_unit_test(test_forward_and_backward_with_a_thread_pool_match_the_serial_run),
        cmocka_unit_test(test_fused_epilogues_give_the_bits_of_the_unfused_passes),
        cmocka_unit_test(test_clip_grads_scales_to_the_max_norm_and_returns_the_norm),
        cmocka_unit_test(test_pooled_clip_grads_gives_the_bits_of_clip_grads_for_any_thread_count),
        cmocka_unit_test(test_init_rejects_bad_sizes_with_a_message_naming_the_layer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
