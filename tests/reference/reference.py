#!/usr/bin/python3
"""reference.py NNTERM [-k SUBSTRING] [-v] -- nnterm against PyTorch, NumPy and scikit-learn.

Every case writes a CSV data set and a preset ("shuffle": false, so the split is the file's rows in
order and every epoch visits the training rows in that order), then:

  1. `nnterm train P --epochs 0 --save m0.json --json`: the initial weights, the normalisation
     statistics fitted on the training rows, and the losses of the initial weights;
  2. `nnterm train P --save m.json --json`: the run, one JSON line per epoch, and its final weights;
  3. replays the run in PyTorch (float32, torch.optim and torch.optim.lr_scheduler, the losses of
     torch.nn.functional) from m0.json's weights, on the same normalised rows, and compares every
     epoch's train/val/test loss, accuracy or R², learning rate and penalty, and the final weights;
  4. `nnterm predict m.json test.csv`: compares the predictions with PyTorch's from m.json's
     weights, and the final line's metrics with scikit-learn's on those predictions (confusion
     matrix, per-class and macro precision, recall and F1, accuracy; R² and MSE).

Tolerance: 1e-4 relative, |a - b| <= 1e-4 * max(|a|, |b|, 1e-3), on losses and weights. One case is
a negative control (nnterm's L2 penalty replayed as AdamW's decoupled decay): it must be found to
differ, or the suite fails. Every case runs; a missing package is a failure, never a skip.

What nnterm defines itself and torch has no function for is written out here from the README's
math section: the clamped cross-entropies of outputs that are not softmax/sigmoid (the clamp to
[1e-7, 1 - 1e-7] passes the gradient through, as nnterm's), mae/mse/rmse as a mean over rows of a
sum over outputs, and the L1/L2/elastic-net penalties on weights (not biases).
"""
import json
import math
import os
import subprocess
import sys
import tempfile
import time

try:
    import numpy as np
    import sklearn.metrics as skm
    import torch
    import torch.nn.functional as F
except ImportError as e:   # a failure, not a skip: the test command installs these
    print(f"reference: {e}: install python3-torch python3-numpy python3-sklearn "
          "(tools/bootstrap --test does)", file=sys.stderr)
    sys.exit(1)

TOL = 1e-4
FLOOR = 1e-3
NNTERM = None
VERBOSE = False


def rel(a, b):
    return abs(a - b) / max(abs(a), abs(b), FLOOR)


# --- data and presets ---------------------------------------------------------------------------

def make_classification(n, f, k, seed, sep=1.5, offset=0.0, scale=1.0):
    """n rows of f features around k centres; labels "c0".."c{k-1}", every class in the first k rows."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(0.0, sep, size=(k, f))
    labels = np.arange(n) % k
    rng.shuffle(labels[k:])
    x = centres[labels] + rng.normal(0.0, 1.0, size=(n, f))
    x = (x * scale + offset).astype(np.float32)
    return x, [f"c{c}" for c in labels]


def make_regression(n, f, seed, y_offset=0.0, y_scale=1.0, noise=0.3):
    rng = np.random.default_rng(seed)
    x = rng.normal(0.0, 1.0, size=(n, f)).astype(np.float32)
    w = rng.normal(0.0, 1.0, size=f)
    y = np.sin(x @ w) + 0.5 * x[:, 0] + noise * rng.normal(0.0, 1.0, size=n)
    y = (y * y_scale + y_offset).astype(np.float32)
    return x, y


def write_csv(path, x, labels):
    with open(path, "w") as fh:
        fh.write(",".join(f"x{j + 1}" for j in range(x.shape[1])) + ",label\n")
        for row, lab in zip(x, labels):
            t = lab if isinstance(lab, str) else "%.9g" % lab
            fh.write(",".join("%.9g" % v for v in row) + "," + t + "\n")


def split_sizes(m, fr):
    """core/data.c split_sizes: round train and val (half away from 0), the rest to test."""
    c = [int(math.floor(m * fr[0] + 0.5)), int(math.floor(m * fr[1] + 0.5)), 0]
    c[0] = min(c[0], m)
    c[1] = min(c[1], m - c[0])
    c[2] = m - c[0] - c[1]
    if fr[2] <= 0.0:
        c[0] += c[2]
        c[2] = 0
    for i in (1, 2):
        if fr[i] > 0.0 and c[i] == 0:
            c[i] = 1
            c[0] -= 1
    return c


def base_preset(layers, loss, optimizer, epochs=12, batch=16, normalize="zscore"):
    return {
        "name": "reference", "seed": 7,
        "dataset": {"source": "csv", "path": "data.csv", "label": "label", "normalize": normalize,
                    "split": {"train": 0.7, "val": 0.1, "test": 0.2}, "shuffle": False},
        "model": {"layers": layers},
        "training": {"epochs": epochs, "batch_size": batch, "loss": loss, "optimizer": optimizer},
    }


# --- nnterm ---------------------------------------------------------------------------------------

def nnterm(*args, cwd):
    r = subprocess.run([NNTERM, *args], cwd=cwd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"nnterm {' '.join(args)}: exit {r.returncode}: {r.stderr.strip()}")
    return r.stdout


def json_lines(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def read_predictions(text, k):
    lines = text.splitlines()[1:]
    rows = [line.split(",") for line in lines]
    if k:
        return [r[1] for r in rows], np.array([[float(v) for v in r[2:]] for r in rows])
    # values are printed with 9 significant digits, which identify a float (not a double: 1000000.0625
    # prints as 1000000.06), so they are read back as floats
    return None, np.array([[float(v) for v in r[1:]] for r in rows], dtype=np.float32).astype(np.float64)


# --- PyTorch ---------------------------------------------------------------------------------------

def activation(name, alpha):
    return {
        "sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu, "linear": lambda z: z,
        "leaky_relu": lambda z: F.leaky_relu(z, alpha), "elu": lambda z: F.elu(z, alpha),
        "softmax": lambda z: torch.softmax(z, dim=1), "gelu": F.gelu, "swish": F.silu,
        "softplus": F.softplus, "selu": F.selu,
    }[name]


class Net(torch.nn.Module):
    """The model file's layers: W (in, out) row-major, so torch's weight is its transpose."""

    def __init__(self, model):
        super().__init__()
        self.lin = torch.nn.ModuleList()
        self.acts, self.names = [], []
        for L in model["layers"]:
            lin = torch.nn.Linear(L["inputs"], L["units"])
            w = torch.tensor(L["weights"], dtype=torch.float32).reshape(L["inputs"], L["units"])
            with torch.no_grad():
                lin.weight.copy_(w.t())
                lin.bias.copy_(torch.tensor(L["biases"], dtype=torch.float32))
            self.lin.append(lin)
            self.acts.append(activation(L["activation"], float(L["alpha"])))
            self.names.append(L["activation"])

    def forward(self, x):
        """(output activation, output pre-activation)"""
        a = z = x
        for lin, f in zip(self.lin, self.acts):
            z = lin(a)
            a = f(z)
        return a, z

    def weights(self):
        return [(lin.weight.detach().t().reshape(-1).numpy().copy(), lin.bias.detach().numpy().copy())
                for lin in self.lin]


class ClampThrough(torch.autograd.Function):
    """p clamped to [1e-7, 1 - 1e-7] with the gradient passed through unchanged: nnterm takes dL/dp
    at the clamped p and does not zero it outside the interval."""

    @staticmethod
    def forward(ctx, p):
        return p.clamp(1e-7, 1.0 - 1e-7)

    @staticmethod
    def backward(ctx, g):
        return g


def clamp_st(p):
    return ClampThrough.apply(p)


def loss_value(loss, out_act, a, z, y):
    """The mean over rows of the per-sample loss (README, "The math"); y one-hot, 0/1 or values."""
    n = a.shape[0]
    if loss == "mae":
        return (a - y).abs().sum() / n
    if loss == "mse":
        return ((a - y) ** 2).sum() / n
    if loss == "rmse":
        return torch.sqrt(((a - y) ** 2).sum() / n)
    if loss == "crossentropy" and out_act == "softmax":
        return F.cross_entropy(z, y.argmax(dim=1)) if y.shape[1] > 1 else -(y * F.log_softmax(z, 1)).sum() / n
    if loss == "binarycrossentropy" and out_act == "sigmoid":
        return F.binary_cross_entropy_with_logits(z, y, reduction="sum") / n
    # clamped in double, as nnterm does (1 - 1e-7 is not a float: in float32 the cap would be 1 - 2^-23)
    p, y = clamp_st(a.double()), y.double()
    if loss == "crossentropy":
        return (-(y * torch.log(p)).sum() / n).to(a.dtype)
    if loss == "binarycrossentropy":
        return (-(y * torch.log(p) + (1.0 - y) * torch.log(1.0 - p)).sum() / n).to(a.dtype)
    raise ValueError(loss)


def penalty(net, reg):
    method, lam, r = reg.get("method", "none"), reg.get("lambda", 0.0), reg.get("r", 0.5)
    if method == "none" or lam == 0.0:
        return None
    l1 = sum(lin.weight.abs().sum() for lin in net.lin)
    l2 = sum((lin.weight ** 2).sum() for lin in net.lin)
    return {"l1": lam * l1, "l2": lam * 0.5 * l2, "elasticnet": lam * (r * l1 + (1.0 - r) * 0.5 * l2)}[method]


OPTIMIZERS = {
    "sgd": lambda p, o: torch.optim.SGD(p, lr=o["learning_rate"], momentum=o.get("momentum", 0.0),
                                         dampening=o.get("dampening", 0.0), nesterov=o.get("nesterov", False),
                                         weight_decay=o.get("weight_decay", 0.0)),
    "rmsprop": lambda p, o: torch.optim.RMSprop(p, lr=o["learning_rate"], alpha=o.get("alpha", 0.99),
                                                eps=o.get("epsilon", 1e-8), weight_decay=o.get("weight_decay", 0.0),
                                                momentum=o.get("momentum", 0.0), centered=o.get("centered", False)),
    "adam": lambda p, o: torch.optim.Adam(p, lr=o["learning_rate"], betas=(o.get("beta1", 0.9), o.get("beta2", 0.999)),
                                           eps=o.get("epsilon", 1e-8), weight_decay=o.get("weight_decay", 0.0),
                                           amsgrad=o.get("amsgrad", False)),
    "adamw": lambda p, o: torch.optim.AdamW(p, lr=o["learning_rate"], betas=(o.get("beta1", 0.9), o.get("beta2", 0.999)),
                                             eps=o.get("epsilon", 1e-8), weight_decay=o.get("weight_decay", 0.01),
                                             amsgrad=o.get("amsgrad", False)),
    "adagrad": lambda p, o: torch.optim.Adagrad(p, lr=o["learning_rate"], lr_decay=o.get("lr_decay", 0.0),
                                                weight_decay=o.get("weight_decay", 0.0),
                                                initial_accumulator_value=o.get("initial_accumulator_value", 0.0),
                                                eps=o.get("epsilon", 1e-10)),
    "adadelta": lambda p, o: torch.optim.Adadelta(p, lr=o["learning_rate"], rho=o.get("rho", 0.9),
                                                  eps=o.get("epsilon", 1e-6), weight_decay=o.get("weight_decay", 0.0)),
    # foreach=True: torch 1.13's foreach path computes NAdam as its documentation writes it; the default
    # single-tensor path of 1.13 counts mu_t twice in the momentum's denominator (fixed in torch 2.0)
    "nadam": lambda p, o: torch.optim.NAdam(p, lr=o["learning_rate"], betas=(o.get("beta1", 0.9), o.get("beta2", 0.999)),
                                             eps=o.get("epsilon", 1e-8), weight_decay=o.get("weight_decay", 0.0),
                                             momentum_decay=o.get("momentum_decay", 4e-3), foreach=True),
}


def scheduler(opt, sched, epochs):
    name = sched.get("name", "constant")
    if name == "step":
        return torch.optim.lr_scheduler.StepLR(opt, step_size=sched.get("step_size", 10), gamma=sched.get("gamma", 0.1))
    if name == "exponential":
        return torch.optim.lr_scheduler.ExponentialLR(opt, gamma=sched.get("gamma", 0.95))
    if name == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=sched.get("t_max", 0) or epochs,
                                                          eta_min=sched.get("eta_min", 0.0))
    return None


# --- one case --------------------------------------------------------------------------------------

class Case:
    """preset: what nnterm runs; reference: training keys the replay uses instead (the control's);
    check(seen): a message when the case did not exercise what it is for (seen: what the run showed)."""

    def __init__(self, name, preset, data, group, reference=None, check=None):
        self.name, self.preset, self.data, self.group = name, preset, data, group
        self.reference = reference or {}
        self.check = check


class Result:
    def __init__(self):
        self.worst = {}       # what -> largest relative difference
        self.where = {}
        self.note = None      # the case did not exercise what it is for
        self.never_predicted = False   # a class of the test split's confusion matrix has no prediction

    def see(self, what, a, b, where):
        """a within the tolerance of b; a NaN or infinity only matches itself."""
        a, b = float(a), float(b)
        if math.isfinite(a) and math.isfinite(b):
            d = rel(a, b)
        else:
            d = 0.0 if a == b or (math.isnan(a) and math.isnan(b)) else math.inf
        if d >= self.worst.get(what, -1.0):
            self.worst[what], self.where[what] = d, f"{where}: nnterm {a!r}, reference {b!r}"

    def exact(self, what, a, b, where):
        """a must equal b (counts, classes, confusion matrices): a difference is infinitely large."""
        d = 0.0 if a == b else math.inf
        if d >= self.worst.get(what, -1.0):
            self.worst[what], self.where[what] = d, f"{where}: nnterm {a!r}, reference {b!r}"

    def largest(self):
        return max(self.worst.values()) if self.worst else 0.0


def targets(kind, labels, yv, classes, outputs):
    """The training/evaluation targets as nnterm's nn_gather builds them."""
    if kind == "regression":
        return yv.reshape(-1, 1)
    idx = np.array([classes.index(l) for l in labels])
    if outputs == 1:
        return (idx == 1).astype(np.float32).reshape(-1, 1)
    t = np.zeros((len(idx), outputs), dtype=np.float32)
    t[np.arange(len(idx)), idx] = 1.0
    return t


def run_case(case, tmp):
    res = Result()
    d = os.path.join(tmp, case.name)
    os.makedirs(d)
    kind, x, lab = case.data
    write_csv(os.path.join(d, "data.csv"), x, lab)
    with open(os.path.join(d, "p.json"), "w") as fh:
        json.dump(case.preset, fh)
    init = json_lines(nnterm("train", "p.json", "--epochs", "0", "--save", "m0.json", "--json", "--threads", "1", cwd=d))[-1]
    lines = json_lines(nnterm("train", "p.json", "--save", "m.json", "--json", "--threads", "1", cwd=d))
    epochs, final = lines[:-1], lines[-1]
    m0 = json.load(open(os.path.join(d, "m0.json")))
    m1 = json.load(open(os.path.join(d, "m.json")))

    # the same rows: the split of the file in order, normalised with the statistics nnterm fitted
    tr = case.preset["training"]
    sp = case.preset["dataset"]["split"]
    n = x.shape[0]
    c = split_sizes(n, [sp["train"], sp["val"], sp["test"]])
    parts = {"train": slice(0, c[0]), "val": slice(c[0], c[0] + c[1]), "test": slice(c[0] + c[1], n)}
    nm = m0["normalization"]
    xt = torch.from_numpy(x)
    if nm["kind"] != "none":
        xt = (xt - torch.tensor(nm["shift"], dtype=torch.float32)) / torch.tensor(nm["scale"], dtype=torch.float32)
    classes = m0.get("classes") or []
    outputs = m0["layers"][-1]["units"]
    yraw = targets(kind, lab, np.asarray(lab, dtype=np.float32) if kind == "regression" else None, classes, outputs)
    yraw = torch.from_numpy(yraw)
    if kind == "regression":
        ysh = torch.tensor(nm["target_shift"], dtype=torch.float32)
        ysc = torch.tensor(nm["target_scale"], dtype=torch.float32)
        ytrain = (yraw - ysh) / ysc
    else:
        ytrain = yraw

    net = Net(m0)
    loss_name, out_act = tr["loss"], net.names[-1]
    rtr = dict(tr, **case.reference)   # the replay's optimizer and regularisation
    reg = rtr.get("regularization", {})

    def evaluate(part):
        with torch.no_grad():
            a, z = net(xt[parts[part]])
            y = yraw[parts[part]]
            if kind == "regression":
                a = a * ysc + ysh   # original units, as nnterm reports them
                yy = y.double()
                sst = ((yy - yy.mean()) ** 2).sum()
                score = float(1.0 - ((a.double() - yy) ** 2).sum() / sst) if sst > 0 else 0.0
            else:
                pred = (a[:, 0] >= 0.5).long() if outputs == 1 else a.argmax(dim=1)
                actual = y[:, 0].long() if outputs == 1 else y.argmax(dim=1)
                score = float((pred == actual).double().mean())
            return float(loss_value(loss_name, out_act, a.double(), z.double(), y.double())), score

    def penalty_value():
        with torch.no_grad():
            p = penalty(net, reg)
            return 0.0 if p is None else float(p)

    metric = "r2" if kind == "regression" else "accuracy"
    for part in ("train", "val", "test"):
        lv, _ = evaluate(part)
        res.see("initial loss", init[f"{part}_loss"], lv, f"epoch 0 {part}")
    with torch.no_grad():   # the costliest training row under the initial weights
        a, z = net(xt[parts["train"]])
        y = ytrain[parts["train"]].double()
        worst_row = max(float(loss_value(loss_name, out_act, a[i:i + 1].double(), z[i:i + 1].double(), y[i:i + 1]))
                        for i in range(c[0]))

    opt = OPTIMIZERS[rtr["optimizer"]["name"]](net.parameters(), rtr["optimizer"])
    sch = scheduler(opt, tr.get("schedule", {}), tr["epochs"])
    clip = tr.get("clip_norm", 0.0)
    patience = tr.get("early_stopping", {}).get("patience", 0)
    bs = tr["batch_size"]
    xtr, ytr = xt[parts["train"]], ytrain[parts["train"]]
    best, best_epoch, since, stopped, ran = math.inf, 0, 0, False, 0
    max_norm = 0.0
    best_state = [p.detach().clone() for p in net.parameters()]
    for e in range(tr["epochs"]):
        lr = opt.param_groups[0]["lr"]
        for b0 in range(0, c[0], bs):
            opt.zero_grad()
            a, z = net(xtr[b0:b0 + bs])
            lv = loss_value(loss_name, out_act, a, z, ytr[b0:b0 + bs])
            p = penalty(net, reg)
            (lv if p is None else lv + p).backward()
            if clip > 0.0:
                max_norm = max(max_norm, float(torch.nn.utils.clip_grad_norm_(net.parameters(), clip)))
            opt.step()
        if sch:
            sch.step()
        ran = e + 1
        if e >= len(epochs):
            res.exact("epochs run", len(epochs), ran, "nnterm stopped before the reference")
            break
        got = epochs[e]
        res.see("lr", got["lr"], lr, f"epoch {e + 1}")
        scores = {}
        for part in ("train", "val", "test"):
            lv, sc = evaluate(part)
            scores[part] = (lv, sc)
            res.see("epoch losses", got[f"{part}_loss"], lv, f"epoch {e + 1} {part}")
            if metric == "accuracy":
                res.see("epoch accuracy", got[f"{part}_accuracy"], sc, f"epoch {e + 1} {part}")
            else:
                res.see("epoch r2", got[f"{part}_r2"], sc, f"epoch {e + 1} {part}")
        if "penalty" in got:
            res.see("penalty", got["penalty"], penalty_value(), f"epoch {e + 1}")
        if patience > 0 and c[1] > 0:
            if scores["val"][0] < best:
                best, best_epoch, since = scores["val"][0], e + 1, 0
                best_state = [p.detach().clone() for p in net.parameters()]
            else:
                since += 1
                if since >= patience:
                    stopped = True
                    break
    res.exact("epochs run", len(epochs), ran, "epochs")
    if patience > 0:
        res.exact("early stop", final.get("stopped"), "early" if stopped else None, "final line")
        if best_epoch and best_epoch != ran:
            with torch.no_grad():
                for p, s in zip(net.parameters(), best_state):
                    p.copy_(s)

    # final weights
    for li, (w, b) in enumerate(net.weights()):
        L = m1["layers"][li]
        for j, (u, v) in enumerate(zip(L["weights"], w)):
            res.see("final weights", u, v, f"layer {li + 1} weight {j}")
        for j, (u, v) in enumerate(zip(L["biases"], b)):
            res.see("final weights", u, v, f"layer {li + 1} bias {j}")
    for part in ("train", "val", "test"):
        lv, _ = evaluate(part)
        res.see("final losses", final[f"{part}_loss"], lv, f"final {part}")

    # inference from the saved model, and the final metrics against scikit-learn
    test = parts["test"]
    write_csv(os.path.join(d, "test.csv"), x[test], lab[test])
    names, values = read_predictions(nnterm("predict", "m.json", "test.csv", cwd=d), len(classes))
    saved = Net(m1)
    with torch.no_grad():
        a, _ = saved(xt[test])
        if kind == "regression":
            a = a * ysc + ysh
        elif outputs > 1 and out_act not in ("softmax", "sigmoid"):
            a = torch.softmax(a, dim=1)   # predict prints probabilities: a softmax of other outputs
    ref = a.numpy().astype(np.float64)
    if kind == "classification" and outputs == 1:
        ref = np.concatenate([1.0 - ref, ref], axis=1)
    for i, (u, v) in enumerate(zip(values.reshape(-1), ref.reshape(-1))):
        # probabilities are printed with 6 significant digits, regression values with 9
        res.see("predict", u, v, f"test row {i // ref.shape[1] + 1}")
    if kind == "regression":
        yt = np.asarray(lab, dtype=np.float32)[test].astype(np.float64)
        res.see("sklearn r2", final["r2"], skm.r2_score(yt, values[:, 0]), "final")
        res.see("sklearn mse", final["mse"], skm.mean_squared_error(yt, values[:, 0]), "final")
    else:
        actual = [classes.index(l) for l in lab[test]]
        pred = [classes.index(s) for s in names]
        torch_pred = list(np.argmax(ref, axis=1))
        res.exact("predicted classes", pred, [int(v) for v in torch_pred], "test split")
        k = len(classes)
        cm = skm.confusion_matrix(actual, pred, labels=list(range(k))).tolist()
        res.exact("sklearn confusion", final["confusion_matrix"], cm, "final")
        pr, rc, f1, _ = skm.precision_recall_fscore_support(actual, pred, labels=list(range(k)), zero_division=0)
        for what, mine, theirs in (("precision", final["precision"], pr), ("recall", final["recall"], rc),
                                   ("f1", final["f1"], f1)):
            for j in range(k):
                res.see("sklearn per-class", mine[j], theirs[j], f"{what} of {classes[j]}")
        mp, mr, mf, _ = skm.precision_recall_fscore_support(actual, pred, labels=list(range(k)), average="macro",
                                                            zero_division=0)
        for what, theirs in (("precision", mp), ("recall", mr), ("f1", mf)):
            res.see("sklearn macro", final[f"macro_{what}"], theirs, f"macro {what}")
        res.never_predicted = any(j not in pred for j in range(k))
        res.see("sklearn accuracy", final["accuracy"], skm.accuracy_score(actual, pred), "final")
    if case.check:
        seen = {"sizes": c, "batch": bs, "epochs": epochs, "final": final, "max_grad_norm": max_norm,
                "clip": clip, "worst_initial_row": worst_row}
        res.note = case.check(seen)
    return res


# --- the cases -------------------------------------------------------------------------------------

def cases():
    out = []
    cls3 = ("classification",) + make_classification(120, 4, 3, seed=1)
    bin2 = ("classification",) + make_classification(120, 3, 2, seed=2, sep=1.0)
    reg1 = ("regression",) + make_regression(120, 3, seed=3)
    hidden = [{"units": 8, "activation": "relu"}]

    def cls(name, opt, group, loss="crossentropy", out_act="softmax", data=cls3, units=0, layers=None,
            check=None, **tr):
        last = {"activation": out_act}
        if units:
            last["units"] = units
        p = base_preset((layers or hidden) + [last], loss, opt)
        p["training"].update(tr)
        out.append(Case(name, p, data, group, check=check))
        return p

    def reg(name, opt, group, loss="mse", out_act="linear", data=reg1, layers=None, check=None, **tr):
        p = base_preset((layers or [{"units": 8, "activation": "tanh"}]) + [{"activation": out_act}], loss, opt)
        p["training"].update(tr)
        out.append(Case(name, p, data, group, check=check))
        return p

    # every optimizer, and each of its options away from the default
    opts = [
        ("sgd", {"name": "sgd", "learning_rate": 0.05}),
        ("sgd-momentum", {"name": "sgd", "learning_rate": 0.02, "momentum": 0.9}),
        ("sgd-dampening", {"name": "sgd", "learning_rate": 0.02, "momentum": 0.9, "dampening": 0.5}),
        ("sgd-nesterov", {"name": "sgd", "learning_rate": 0.02, "momentum": 0.9, "nesterov": True}),
        ("sgd-weight-decay", {"name": "sgd", "learning_rate": 0.05, "momentum": 0.5, "weight_decay": 0.01}),
        ("rmsprop", {"name": "rmsprop", "learning_rate": 0.005}),
        ("rmsprop-momentum", {"name": "rmsprop", "learning_rate": 0.002, "momentum": 0.5}),
        ("rmsprop-centered", {"name": "rmsprop", "learning_rate": 0.002, "centered": True}),
        ("rmsprop-all", {"name": "rmsprop", "learning_rate": 0.002, "alpha": 0.9, "epsilon": 1e-6,
                         "momentum": 0.3, "centered": True, "weight_decay": 0.01}),
        ("adam", {"name": "adam", "learning_rate": 0.01}),
        ("adam-amsgrad", {"name": "adam", "learning_rate": 0.01, "amsgrad": True}),
        ("adam-all", {"name": "adam", "learning_rate": 0.01, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-6,
                      "weight_decay": 0.01}),
        ("adamw", {"name": "adamw", "learning_rate": 0.01}),
        ("adamw-amsgrad", {"name": "adamw", "learning_rate": 0.01, "amsgrad": True, "weight_decay": 0.1}),
        ("adagrad", {"name": "adagrad", "learning_rate": 0.05}),
        ("adagrad-lr-decay", {"name": "adagrad", "learning_rate": 0.05, "lr_decay": 0.01}),
        ("adagrad-all", {"name": "adagrad", "learning_rate": 0.05, "initial_accumulator_value": 0.1,
                         "epsilon": 1e-8, "weight_decay": 0.01}),
        ("adadelta", {"name": "adadelta", "learning_rate": 1.0}),
        ("adadelta-all", {"name": "adadelta", "learning_rate": 0.5, "rho": 0.95, "epsilon": 1e-5,
                          "weight_decay": 0.01}),
        ("nadam", {"name": "nadam", "learning_rate": 0.01}),
        ("nadam-all", {"name": "nadam", "learning_rate": 0.01, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-6,
                       "weight_decay": 0.01, "momentum_decay": 0.05}),
    ]
    for name, o in opts:
        cls("optimizer-" + name, o, "optimizers")

    # every loss with each output activation (regression losses on regression data; softmax, whose
    # single output is constant, on one-hot classes instead)
    sgd = {"name": "sgd", "learning_rate": 0.05}
    acts = ["sigmoid", "tanh", "relu", "leaky_relu", "linear", "softmax", "elu", "gelu", "swish", "softplus", "selu"]
    for loss in ("mae", "mse", "rmse"):
        for act in acts:
            if act == "softmax":
                cls(f"loss-{loss}-{act}", sgd, "losses", loss=loss, out_act=act)
            else:
                reg(f"loss-{loss}-{act}", sgd, "losses", loss=loss, out_act=act)
    # The cross-entropies of outputs that are not probabilities: where an output leaves [1e-7, 1 - 1e-7]
    # the clamp makes dL/dyhat as large as 1e7/n, and a few such steps throw the weights far (training
    # explodes in any framework: nnterm stops bce + linear as diverged in the first epoch at batch 16);
    # the replay compares three full-batch steps, where the numbers are still those of the
    # definition and not float noise amplified by the explosion.
    for act in acts:
        wild = {} if act in ("softmax", "sigmoid") else {"epochs": 3, "batch_size": 1000}
        cls(f"loss-crossentropy-{act}", {"name": "sgd", "learning_rate": 0.01}, "losses", out_act=act, **wild)
        cls(f"loss-bce-{act}", {"name": "sgd", "learning_rate": 0.01}, "losses", loss="binarycrossentropy",
            out_act=act, **wild)
    cls("loss-bce-sigmoid-single-unit", sgd, "losses", loss="binarycrossentropy", out_act="sigmoid", data=bin2,
        units=1)
    cls("loss-crossentropy-softmax-binary", sgd, "losses", data=bin2)
    # confidently wrong rows (large raw features, no normalisation: logits in the tens): the fused
    # pairs' losses come from the logits, past the 16.1 a clamp at 1e-7 would allow
    loud = ("classification",) + make_classification(120, 4, 3, seed=10, scale=12.0)
    loud2 = ("classification",) + make_classification(120, 4, 2, seed=11, sep=1.0, scale=12.0)
    past = lambda r: None if r["worst_initial_row"] > 20.0 else \
        f"no row past the clamp (the worst costs {r['worst_initial_row']:.3g})"
    for name, data, loss, units, act in (("crossentropy", loud, "crossentropy", 0, "softmax"),
                                         ("bce", loud2, "binarycrossentropy", 1, "sigmoid")):
        p = cls(f"loss-{name}-confidently-wrong", {"name": "sgd", "learning_rate": 0.001}, "losses", loss=loss,
                out_act=act, data=data, units=units, check=past)
        p["dataset"]["normalize"] = "none"

    # regularisation
    for method in ("l1", "l2", "elasticnet"):
        cls(f"regularization-{method}", {"name": "sgd", "learning_rate": 0.05, "momentum": 0.5}, "regularization",
            regularization={"method": method, "lambda": 0.01, "r": 0.3})
    cls("regularization-l2-adam", {"name": "adam", "learning_rate": 0.01}, "regularization",
        regularization={"method": "l2", "lambda": 0.05})

    # schedules (cosine with t_max 0: the run's epochs; past t_max, where a run that goes on after DONE
    # takes cosine, torch's recursive form climbs back up: t_max 3 crosses its special case at epochs
    # 4 and 10 and turns back twice in 12 epochs)
    for name, s in (("step", {"name": "step", "step_size": 3, "gamma": 0.5}),
                    ("exponential", {"name": "exponential", "gamma": 0.8}),
                    ("cosine", {"name": "cosine"}),
                    ("cosine-t-max", {"name": "cosine", "t_max": 5, "eta_min": 0.001}),
                    ("cosine-past-t-max", {"name": "cosine", "t_max": 3, "eta_min": 0.002})):
        cls("schedule-" + name, {"name": "sgd", "learning_rate": 0.1, "momentum": 0.5}, "schedules", schedule=s)
    cls("schedule-cosine-adagrad-lr-decay", {"name": "adagrad", "learning_rate": 0.05, "lr_decay": 0.05},
        "schedules", schedule={"name": "cosine"})

    # clipping, early stopping, batches
    cls("clip-norm", {"name": "sgd", "learning_rate": 0.5}, "training loop", clip_norm=0.5,
        check=lambda r: None if r["max_grad_norm"] > r["clip"] else "no gradient was clipped")
    noisy = ("classification",) + make_classification(120, 6, 3, seed=4, sep=0.4)
    cls("early-stopping", {"name": "adam", "learning_rate": 0.05}, "training loop", data=noisy,
        layers=[{"units": 48, "activation": "relu"}], epochs=40, early_stopping={"patience": 3},
        check=lambda r: None if r["final"].get("stopped") == "early" and len(r["epochs"]) < 40 else "no early stop")
    cls("batch-1", {"name": "sgd", "learning_rate": 0.01}, "training loop", batch_size=1, epochs=4)
    cls("batch-full", {"name": "adam", "learning_rate": 0.02}, "training loop", batch_size=1000,
        check=lambda r: None if r["batch"] >= r["sizes"][0] else "not one batch")
    cls("batch-last-smaller", {"name": "sgd", "learning_rate": 0.05}, "training loop", batch_size=10,
        check=lambda r: None if r["sizes"][0] % r["batch"] else "the last batch is full")
    deep = [{"units": 7, "activation": "tanh", "init": "xavier", "distribution": "uniform"},
            {"units": 6, "activation": "elu"}, {"units": 5, "activation": "gelu", "init": "he"},
            {"units": 5, "activation": "leaky_relu", "alpha": 0.1}]
    cls("deep-network", {"name": "adam", "learning_rate": 0.01}, "training loop", layers=deep)
    cls("hidden-selu", {"name": "sgd", "learning_rate": 0.05}, "training loop",
        layers=[{"units": 8, "activation": "selu"}, {"units": 6, "activation": "selu", "init": "he"}])

    # normalisation, large splits, offset targets
    shifted = ("classification",) + make_classification(120, 4, 3, seed=5, offset=50.0, scale=7.0)
    for norm in ("minmax", "none"):
        p = cls(f"normalize-{norm}", {"name": "adam", "learning_rate": 0.01}, "data",
                data=shifted if norm == "minmax" else cls3)
        p["dataset"]["normalize"] = norm
    big = ("regression",) + make_regression(1200, 3, seed=6)
    larger = lambda r: None if r["sizes"][0] > 512 else "the training split fits one evaluation chunk"
    reg("large-split-rmse", {"name": "adam", "learning_rate": 0.01}, "data", loss="rmse", data=big, epochs=3,
        batch_size=64, check=larger)
    bigc = ("classification",) + make_classification(1200, 4, 3, seed=7, sep=0.8)
    cls("large-split-crossentropy", {"name": "adam", "learning_rate": 0.01}, "data", data=bigc, epochs=3,
        batch_size=64, check=larger)
    offset = ("regression",) + make_regression(300, 3, seed=8, y_offset=1e6, y_scale=0.5, noise=0.1)
    fits = lambda r: None if r["final"]["r2"] > 0.5 else f"R² {r['final']['r2']}: nothing to compare"
    reg("offset-targets-mse", {"name": "adam", "learning_rate": 0.01}, "data", data=offset, check=fits)
    offset5 = ("regression",) + make_regression(300, 3, seed=9, y_offset=1e5, y_scale=0.1, noise=0.1)
    reg("offset-targets-mae", {"name": "adam", "learning_rate": 0.01}, "data", loss="mae", data=offset5, check=fits)

    # the negative control: nnterm's L2 penalty (added to the gradient, then Adam) replayed as AdamW's
    # decoupled decay of the same strength must be found to differ
    p = base_preset(hidden + [{"activation": "softmax"}], "crossentropy",
                    {"name": "adam", "learning_rate": 0.01})
    p["training"]["regularization"] = {"method": "l2", "lambda": 0.1}
    out.append(Case("control-l2-is-not-adamw", p, cls3, "control",
                    reference={"optimizer": {"name": "adamw", "learning_rate": 0.01, "weight_decay": 0.1},
                               "regularization": {"method": "none"}}))
    return out


def main():
    global NNTERM, VERBOSE
    args = sys.argv[1:]
    if not args or not os.access(args[0], os.X_OK):
        print("usage: reference.py NNTERM [-k SUBSTRING] [-v]", file=sys.stderr)
        return 2
    NNTERM = os.path.abspath(args[0])
    VERBOSE = "-v" in args
    only = args[args.index("-k") + 1] if "-k" in args else None
    torch.set_num_threads(1)
    t0 = time.time()
    all_cases = [c for c in cases() if not only or only in c.name]
    groups, quantities, failed, never_predicted = {}, {}, [], 0
    keep = os.environ.get("NN_REFERENCE_KEEP")   # a folder to keep the cases' files in
    with tempfile.TemporaryDirectory(prefix="nnterm-reference.") as tmp0:
        tmp = keep or tmp0
        for case in all_cases:
            try:
                res = run_case(case, tmp)
            except Exception as e:   # noqa: BLE001 - reported as a failure
                failed.append(case.name)
                print(f"FAIL {case.name}: {type(e).__name__}: {e}")
                continue
            if case.reference:   # a negative control: it must differ
                found = res.largest() > TOL
                what = max(res.worst, key=res.worst.get)
                print(f"{'ok' if found else 'FAIL'} {case.name} (negative control): "
                      f"{'differs as it must' if found else 'was NOT found to differ'}, largest relative difference "
                      f"{res.largest():.2e} ({what}, {res.where[what]})")
                groups.setdefault(case.group, [0, res.largest()])[0] += 1
                if not found:
                    failed.append(case.name)
                continue
            g = groups.setdefault(case.group, [0, 0.0])
            g[0] += 1
            g[1] = max(g[1], res.largest())
            for what, v in res.worst.items():
                quantities[what] = max(quantities.get(what, 0.0), v)
            never_predicted += res.never_predicted
            bad = {k: v for k, v in res.worst.items() if v > TOL}
            print(f"{'FAIL' if bad or res.note else 'ok'} {case.name}: largest relative difference "
                  f"{res.largest():.2e}")
            for k in sorted(bad if not VERBOSE else res.worst):
                print(f"    {k}: {res.worst[k]:.2e} at {res.where[k]}")
            if res.note:
                print(f"    the case does not test what it is for: {res.note}")
            if bad or res.note:
                failed.append(case.name)
    if not only and not never_predicted:
        failed.append("(no case has a class that is never predicted: the zero-division metrics went untested)")
    print("\nlargest relative difference per group:")
    for name, (count, worst) in groups.items():
        note = " (the negative control: must exceed the tolerance)" if name == "control" else ""
        print(f"  {name:16s} {count:3d} cases  {worst:.2e}{note}")
    print("per quantity, over every case but the control:")
    for what in sorted(quantities):
        print(f"  {what:20s} {quantities[what]:.2e}")
    print(f"{len(all_cases)} cases in {time.time() - t0:.1f} s; tolerance {TOL:g} relative "
          f"(|a - b| <= {TOL:g} * max(|a|, |b|, {FLOOR:g})); {never_predicted} cases with a class never predicted")
    if not all_cases:
        print("reference: no case ran", file=sys.stderr)
        return 1
    if failed:
        print(f"reference: {len(failed)} failed: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
