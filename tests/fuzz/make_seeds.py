#!/usr/bin/env python3
"""Writes the hand-made seed corpora for the fuzz targets into tests/fuzz/corpus/<target>/.
Run once (the output is committed); rerun after changing it. Small inputs: libFuzzer mutates
them, so they should cover each format's features, valid and invalid, in a few hundred bytes."""
import gzip, json, os, struct, sys

here = os.path.dirname(os.path.abspath(__file__))

def put(target, name, data):
    d = os.path.join(here, 'corpus', target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)

# --- presets ---------------------------------------------------------------------------------
iris = open(os.path.join(here, '..', '..', 'presets', 'iris.json')).read()
put('preset', 'iris.json', iris)
put('preset', 'minimal.json', '{"dataset":{"source":"iris"}}')
put('preset', 'xor.json', json.dumps({
    "name": "xor", "seed": 7,
    "dataset": {"source": "xor", "samples": 200, "noise": 0.05, "normalize": "minmax"},
    "model": {"layers": [{"units": 8, "activation": "tanh", "init": "xavier", "distribution": "uniform"},
                         {"units": 2, "activation": "softmax"}]},
    "training": {"epochs": 5, "batch_size": 8, "loss": "crossentropy",
                 "optimizer": {"name": "adam", "learning_rate": 0.01, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8},
                 "schedule": {"name": "cosine"},
                 "regularization": {"method": "elasticnet", "lambda": 0.001, "r": 0.5, "dropout": 0.1},
                 "early_stopping": {"patience": 3}}}))
put('preset', 'sine.json', json.dumps({
    "dataset": {"source": "sine", "task": "regression", "samples": 100, "normalize": "none",
                "split": {"train": 0.8, "val": 0.0, "test": 0.2}, "shuffle": False},
    "model": {"layers": [{"units": 16, "activation": "leaky_relu", "alpha": 0.1}, {"units": 16, "activation": "elu"},
                         {"activation": "linear"}]},
    "training": {"loss": "mse", "optimizer": {"name": "rmsprop", "learning_rate": 0.001, "alpha": 0.99},
                 "schedule": {"name": "step"}}}))
put('preset', 'csv.json', json.dumps({
    "dataset": {"source": "csv", "path": "wine.csv", "label": "cultivar"},
    "model": {"layers": [{"units": 32, "activation": "gelu"}, {"activation": "softmax"}]},
    "training": {"optimizer": {"name": "sgd", "learning_rate": 0.05, "momentum": 0.9, "nesterov": True},
                 "schedule": {"name": "exponential"}}}))
put('preset', 'idx.json', json.dumps({
    "dataset": {"source": "idx", "images": "train-images-idx3-ubyte.gz", "labels": "train-labels-idx1-ubyte.gz",
                "test_images": "t10k-images-idx3-ubyte.gz", "test_labels": "t10k-labels-idx1-ubyte.gz"},
    "model": {"layers": [{"units": 64, "activation": "swish"}, {"activation": "softmax"}]},
    "training": {"optimizer": {"name": "adamw", "weight_decay": 0.01}}}))
put('preset', 'lesson.json', json.dumps({
    "dataset": {"source": "spiral"},
    "model": {"layers": [{"units": 20, "activation": "softplus"}, {"activation": "softmax"}]},
    "training": {"optimizer": {"name": "adadelta", "rho": 0.9}},
    "lesson": {"title": "t", "text": "x", "locked": ["training.optimizer.name", "model.layers"]}}))
put('preset', 'bad-syntax.json', '{"dataset": {"source": "iris",}\n  "seed": 1')
put('preset', 'bad-values.json', json.dumps({
    "dataset": {"source": "nope", "split": {"train": 0.5, "val": 0.5, "test": 0.5}},
    "model": {"layers": [{"units": -3, "activation": "zzz"}]},
    "training": {"batch_size": 0, "epochs": "ten", "unknown": 1}}))
put('preset', 'huge.json', json.dumps({
    "dataset": {"source": "iris"},
    "model": {"layers": [{"units": 65536}] * 8 + [{"activation": "softmax"}]}}))
put('preset', 'set-edits.txt', 'SET\ntraining.optimizer.name=adam\nmodel.layers.0.units=8\n'
    'model.layers.2={"units":4,"activation":"tanh"}\nmodel.layers.1=null\nseed=99\n'
    'training.epochs=0\ndataset.split.train=2\nlesson.locked.0=x\n')
# hostile presets (issue 11): deep nesting, text that is not UTF-8 or has control characters, values
# whose first problem used to bring a second, a UTF-16 file
put('preset', 'deep-nesting.json', '[' * 5000 + ']' * 5000)
put('preset', 'control-name.json', '{"name": "\\u001b]0;pwned\\u0007", "dataset": {"source": "iris"}}')
put('preset', 'latin1-name.json', b'{"name": "caf\xe9", "dataset": {"source": "iris"}}')
put('preset', 'utf16.json', '{"dataset": {"source": "iris"}}'.encode('utf-16'))
put('preset', 'huge-values.json', '{"dataset": {"source": "xor", "noise": 1e308}, "model": {"layers": '
    '[{"units": 1e+20}, {"units": 4, "activation": "elu", "alpha": 1e308}, {}]}}')
put('preset', 'set-latin1.txt', b'SET\nname=caf\xe9\ndescription=a\x1b[2J\n')

# --- CSV -------------------------------------------------------------------------------------
put('csv', 'classes.csv', 'a,b,label\n1,2,x\n3,4,y\n5.5,-6e3,x\n')
put('csv', 'regression.csv', 'x1,b,y\n0.5,1,2.25\n1.5,2,3.75\n-1,0,0.1\n')
put('csv', 'quoted.csv', '\ufeff"a","b, c","label"\r\n"1","2","say ""hi"""\r\n3,4,"multi\nline"\r\n')
put('csv', 'intlabels.csv', 'a,b,label\n1,2,0\n3,4,1\n5,6,2\n')
put('csv', 'ragged.csv', 'a,b,label\n1,2,x\n3,4\n')
put('csv', 'nan.csv', 'a,b,label\n1,nan,x\ninf,4,y\n1e999,2,x\n')
put('csv', 'header-only.csv', 'a,b,label\n')
put('csv', 'empty-field.csv', 'a,,label\n1,,x\n,2,y\n')
put('csv', 'unterminated.csv', 'a,b,label\n1,2,"x\n')
put('csv', 'wide.csv', ','.join('c%d' % i for i in range(40)) + '\n' + ','.join(str(i) for i in range(40)) + '\n')
put('csv', 'classes-many.csv', 'a,label\n' + ''.join('%d,k%d\n' % (i, i) for i in range(70)))
# hostile CSVs (issue 11)
put('csv', 'one-class.csv', 'x,y,kind\n1,2,a\n3,4,a\n5,6,a\n')
put('csv', 'long-names.csv', 'F' * 100 + ',label\n1,' + 'L' * 70 + '\n2,' + 'L' * 69 + 'M\n')
put('csv', 'dup-header.csv', 'x,y,x,label\n1,2,3,a\n4,5,6,b\n')
put('csv', 'empty-header.csv', ',y,label\n1,2,a\n4,5,b\n')
put('csv', 'cp1252.csv', 'x,label\n1,tea\n2,caf\u00e9\n'.encode('cp1252'))
put('csv', 'utf16.csv', 'x,label\n1,a\n2,b\n'.encode('utf-16'))
put('csv', 'utf16-nobom.csv', 'x,label\n1,a\n2,b\n'.encode('utf-16-le'))
put('csv', 'semicolon.csv', 'x;y;label\n1;2;a\n3;4;b\n')
put('csv', 'tab.csv', 'x\ty\tlabel\n1\t2\ta\n3\t4\tb\n')
put('csv', 'bigint-label.csv', 'a,c\n1,1\n2,9007199254740993\n')
put('csv', 'escape-labels.csv', 'x,label\n1,"\x1b]0;pwned\x07"\n2,caf\u00e9 \u009b2J\n3,plain\n')
put('csv', 'float-overflow.csv', 'x,y\n1,0.5\n2,1e39\n1e39,3\n')
put('csv', 'shadow-like.csv', 'root:$y$j9T$SECRETSECRETSECRETSECRETSECRET:19000:0:99999:7:::\n')
wine = open(os.path.join(here, '..', '..', 'presets', 'wine.csv')).read().splitlines()
put('csv', 'wine-head.csv', '\n'.join(wine[:8]) + '\n')

# --- IDX -------------------------------------------------------------------------------------
def idx_images(n, r, c, fill=None):
    px = bytes((i * 37) & 0xff for i in range(n * r * c)) if fill is None else fill
    return struct.pack('>IIII', 0x803, n, r, c) + px
def idx_labels(n):
    return struct.pack('>II', 0x801, n) + bytes(i % 10 for i in range(n))
put('idx', 'images-3x4x5', idx_images(3, 4, 5))
put('idx', 'images-1x1x1', idx_images(1, 1, 1))
put('idx', 'labels-7', idx_labels(7))
put('idx', 'images-truncated', idx_images(3, 4, 5)[:40])
put('idx', 'labels-truncated', idx_labels(7)[:10])
put('idx', 'images-huge-header', struct.pack('>IIII', 0x803, 0x80000000, 28, 28) + bytes(32))
put('idx', 'images-overflow', struct.pack('>IIII', 0x803, 0xffffffff, 0xffffffff, 0xffffffff))
put('idx', 'labels-huge-header', struct.pack('>II', 0x801, 0x7fffffff) + bytes(8))
put('idx', 'bad-magic', struct.pack('>IIII', 0x804, 1, 1, 1) + b'\x00')
put('idx', 'images-extra-bytes', idx_images(2, 2, 2) + b'\xff\xff')
put('idx', 'images-3x4x5.gz', gzip.compress(idx_images(3, 4, 5), mtime=0))
put('idx', 'labels-7.gz', gzip.compress(idx_labels(7), mtime=0))
put('idx', 'truncated.gz', gzip.compress(idx_images(3, 4, 5), mtime=0)[:30])
# nn_data_idx over file pairs (fuzz_idx.c, pair()): "PAIR", flags, then length-prefixed files
def pair(flags, *files):
    return b'PAIR' + bytes([flags]) + b''.join(struct.pack('>H', len(f)) + f for f in files)
put('idx', 'pair-train', pair(0, idx_images(3, 2, 2), idx_labels(3)))
put('idx', 'pair-train-test', pair(3, idx_images(4, 2, 3), idx_labels(4), idx_images(2, 2, 3), idx_labels(2)))
put('idx', 'pair-gz', pair(1, gzip.compress(idx_images(3, 2, 2), mtime=0), gzip.compress(idx_labels(3), mtime=0),
                           idx_images(1, 2, 2), idx_labels(1)))
put('idx', 'pair-count-mismatch', pair(0, idx_images(3, 2, 2), idx_labels(4)))
put('idx', 'pair-shape-mismatch', pair(1, idx_images(2, 2, 2), idx_labels(2), idx_images(1, 3, 3), idx_labels(1)))
put('idx', 'pair-bad-label', pair(0, idx_images(2, 1, 1), struct.pack('>II', 0x801, 2) + bytes([3, 200])))
put('idx', 'pair-swapped', pair(0, idx_labels(3), idx_images(3, 2, 2)))
# one 3584 x 4096 image in 14 KB of gzip: a 64-byte name per pixel took 940 MB (issue 11)
put('idx', 'pair-one-huge-image.gz', pair(0, gzip.compress(idx_images(1, 3584, 4096, bytes(3584 * 4096)), mtime=0,
                                                           compresslevel=9), idx_labels(1)))

# --- models ----------------------------------------------------------------------------------
# A real model (nnterm train xor --set model.layers.0.units=3 --epochs 2 --save) with its preset
# cut down to the keys that matter, then variants that break one promise each.
xor_model = {"format": "nnterm-model", "version": 1,
    "preset": {"name": "XOR", "seed": 42, "dataset": {"source": "xor"},
               "model": {"layers": [{"units": 3, "activation": "tanh"}, {"activation": "softmax"}]}},
    "task": "classification", "features": ["x1", "x2"], "classes": ["0", "1"],
    "normalization": {"kind": "zscore", "shift": [0.078542538, 0.0350733995], "scale": [0.587617636, 0.598566651],
                      "target_shift": [], "target_scale": []},
    "layers": [{"inputs": 2, "units": 3, "activation": "tanh", "alpha": 0,
                "weights": [0.212410629, 0.882018387, -0.79017657, 0.0229359232, 0.310726404, -1.24198723],
                "biases": [-0.0505210347, -0.229441568, 0.305982769]},
               {"inputs": 3, "units": 2, "activation": "softmax", "alpha": 0,
                "weights": [0.0650706142, -0.467198849, -0.471944898, -0.137888119, 0.11549215, -0.513405383],
                "biases": [-0.0213054661, 0.021305453]}]}
sine_model = {"format": "nnterm-model", "version": 1,
    "preset": {"name": "sine", "dataset": {"source": "sine"},
               "model": {"layers": [{"units": 2, "activation": "tanh"}, {"activation": "linear"}]}},
    "task": "regression", "features": ["x"], "classes": [],
    "normalization": {"kind": "zscore", "shift": [-0.0259492267], "scale": [1.76505697],
                      "target_shift": [0.027103221], "target_scale": [0.714728534]},
    "layers": [{"inputs": 1, "units": 2, "activation": "tanh", "alpha": 0, "weights": [-0.050585568, -0.59112668],
                "biases": [0.00449156808, 0.0191155653]},
               {"inputs": 2, "units": 1, "activation": "linear", "alpha": 0, "weights": [0.501213968, 0.344456673],
                "biases": [-0.00707035558]}]}
import copy
def variant(base, f):
    m = copy.deepcopy(base)
    f(m)
    return json.dumps(m)
put('model', 'xor.json', json.dumps(xor_model, indent=1))
put('model', 'sine.json', json.dumps(sine_model))
put('model', 'bad-version.json', variant(xor_model, lambda m: m.update(version=2)))
put('model', 'bad-format.json', variant(xor_model, lambda m: m.update(format="other")))
put('model', 'short-weights.json', variant(xor_model, lambda m: m['layers'][0]['weights'].pop()))
put('model', 'shape-mismatch.json', variant(xor_model, lambda m: m['layers'][1].update(inputs=4)))
put('model', 'classes-mismatch.json', variant(xor_model, lambda m: m['classes'].append("2")))
put('model', 'huge-layer.json', variant(xor_model, lambda m: m['layers'][0].update(inputs=2000000000, units=2000000000)))
put('model', 'overflow-layer.json', variant(sine_model, lambda m: m['layers'][0].update(units=65536) or m['layers'][1].update(inputs=65536)))
# with the run's state (issue 15: train --resume): adam's two buffers over the 17 parameters, the
# row order, the history; then a state that breaks one promise
xor_state = {"epoch": 1, "batch": 0, "seed": "42", "samples_seen": 6,
    "rng": ["0123456789abcdef", "fedcba9876543210", "00000000deadbeef", "1111111111111111"], "rng_spare": None,
    "lr": 0.001, "grad_norm": 0.5, "best_val": None, "best_epoch": 0, "since_best": 0, "stopped_early": False,
    "data_dir": "builtin:",
    "optimizer": {"name": "adam", "t": 1, "acc": 1, "s1": [0.01] * 17, "s2": [0.0001] * 17},
    "order": [3, 1, 0, 2, 5, 4],
    "history": [[1, 0.7, None, 0.69, 0.5, None, 0.5, 0, 0.001, 0.5, 0.0001, 0.00005]]}
put('model', 'xor-state.json', variant(xor_model, lambda m: m.update(state=xor_state)))
put('model', 'state-bad-rng.json', variant(xor_model, lambda m: m.update(state=dict(xor_state, rng=["x"] * 4))))
put('model', 'state-short-history.json', variant(xor_model, lambda m: m.update(state=dict(xor_state, epoch=3))))
put('model', 'state-short-s1.json', variant(xor_model, lambda m: m.update(
    state=dict(xor_state, optimizer=dict(xor_state["optimizer"], s1=[0.01] * 16)))))
put('model', 'string-weight.json', variant(xor_model, lambda m: m['layers'][0]['weights'].__setitem__(0, "nan")))
put('model', 'no-norm.json', variant(sine_model, lambda m: m.pop('normalization')))
put('model', 'norm-short.json', variant(sine_model, lambda m: m['normalization']['target_scale'].clear()))
put('model', 'zero-scale.json', variant(xor_model, lambda m: m['normalization']['scale'].__setitem__(0, 0)))
put('model', 'no-layers.json', variant(xor_model, lambda m: m.update(layers=[])))
put('model', 'bad-activation.json', variant(xor_model, lambda m: m['layers'][0].update(activation="nope")))
put('model', 'truncated.json', json.dumps(xor_model)[:300])
# hostile models (issue 11): one class, a denormal scale, a few bytes claiming 2^24 units, deep
# nesting, names with control characters or not UTF-8
def one_class(m):
    m['classes'] = ['a']
    last = m['layers'][-1]
    last.update(units=1, activation='sigmoid', weights=last['weights'][:3], biases=last['biases'][:1])
put('model', 'one-class.json', variant(xor_model, one_class))
put('model', 'tiny-scale.json', variant(xor_model, lambda m: m['normalization']['scale'].__setitem__(0, 1e-45)))
put('model', 'claims-huge.json', variant(xor_model, lambda m: m['layers'][0].update(units=1 << 24)))
put('model', 'deep-nesting.json', '{"format": "nnterm-model", "x": ' + '[' * 2000 + ']' * 2000 + '}')
put('model', 'control-names.json', variant(xor_model, lambda m: m.update(classes=['\x1b]0;pwned\x07', '\u009b2J'])))
put('model', 'latin1-names.json', json.dumps(xor_model).replace('"x1"', '"caf\\u00e9"').encode().replace(
    b'caf\\u00e9', b'caf\xe9'))

if len(sys.argv) > 1 and sys.argv[1] == '--list':
    for t in ('preset', 'csv', 'idx', 'model'):
        print(t, sorted(os.listdir(os.path.join(here, 'corpus', t))))
