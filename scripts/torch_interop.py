#!/usr/bin/python3
"""Move rank-coding models between PyTorch and the rankcoding Java library.

The file format is safetensors, written and read here by hand (the struct and json modules; no safetensors
package): an 8-byte little-endian header length N, N bytes of UTF-8 JSON, then the raw little-endian tensors.
Tensor names and layouts are PyTorch's: a module with an ``nn.LSTM`` called ``lstm`` and an ``nn.Linear``
called ``readout`` has exactly the state_dict keys of a model file (``lstm.weight_ih_l0`` [4H, I], ...,
``readout.weight`` [K, H], ``readout.bias`` [K]). The network's configuration (head, classes, threshold, sizes)
is in the header's ``__metadata__``. See docs/models.md.

Needs torch (tested with 1.13). On the development machine run it with Debian's interpreter,
``/usr/bin/python3``, which has torch; the first ``python3`` on PATH may not.

Commands:
  export OUT ...        build (or load from a state_dict) an nn.LSTM + nn.Linear and write a model file
  import FILE ...       read a model file into nn.LSTM + nn.Linear, print it, optionally save a state_dict
  golden DIR            regenerate the golden files of the Java tests (see docs/models.md)

As a module: ``save_model(path, lstm, readout, head, num_classes, threshold)``, ``load_model(path)`` (returns a
``RankCodingTorch`` module), ``rc_loss(model, x, labels, lengths, beta)``.
"""
import argparse
import datetime
import json
import math
import os
import struct
import sys

import torch
import torch.nn.functional as F
from torch import nn

FORMAT = "rankcoding-lstm"
FORMAT_VERSION = 1
MAX_HEADER_BYTES = 16 << 20
HEADS = ("BINARY_SIGMOID", "PER_CLASS_SIGMOID", "SOFTMAX")
DTYPE_BYTES = {"BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1, "I16": 2, "U16": 2, "F16": 2, "BF16": 2,
               "I32": 4, "U32": 4, "F32": 4, "F64": 8, "I64": 8, "U64": 8}
STRUCT_CODE = {"F32": "f", "F64": "d", "I64": "q"}
TORCH_DTYPE = {"F32": torch.float32, "F64": torch.float64, "I64": torch.int64}
REQUIRED_KEYS = ("format", "format_version", "head", "num_classes", "threshold", "input_size", "hidden_size", "layers")


class ModelFileError(ValueError):
    """A file is not a valid model file; the message names the file, what was expected and what was found."""


# ----------------------------------------------------------------------------------------------- safetensors

def write_safetensors(path, tensors, metadata=None):
    """Writes ``tensors`` (a list of (name, dtype, tensor), dtype one of F32, F64, I64) atomically to ``path``.

    The header is padded with spaces so that the data starts at a multiple of 8. The file is written to a
    temporary file in the same directory, flushed to the device and renamed over ``path``.
    """
    header = {}
    if metadata:
        for k, v in metadata.items():
            if not isinstance(k, str) or not isinstance(v, str):
                raise ValueError("metadata must map strings to strings, got %r: %r" % (k, v))
        header["__metadata__"] = dict(metadata)
    chunks = []
    offset = 0
    for name, dtype, t in tensors:
        if name in header:
            raise ValueError("duplicate tensor name %r" % name)
        flat = t.detach().to(TORCH_DTYPE[dtype]).contiguous().reshape(-1).tolist()
        if dtype != "I64" and not all(math.isfinite(v) for v in flat):
            raise ValueError("tensor %r holds non-finite values" % name)
        data = struct.pack("<%d%s" % (len(flat), STRUCT_CODE[dtype]), *flat)
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    raw = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    raw += b" " * ((8 - len(raw) % 8) % 8)
    directory = os.path.dirname(os.path.abspath(path))
    tmp = os.path.join(directory, ".%s.%s.tmp" % (os.path.basename(path), os.urandom(8).hex()))
    try:
        with open(tmp, "xb") as f:
            f.write(struct.pack("<Q", len(raw)))
            f.write(raw)
            for c in chunks:
                f.write(c)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    try:
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        pass


def _no_duplicates(path):
    def hook(pairs):
        d = {}
        for k, v in pairs:
            if k in d:
                raise ModelFileError("%s: key %r appears twice in the header" % (path, k))
            d[k] = v
        return d
    return hook


def read_safetensors(path):
    """Reads a safetensors file strictly; returns (metadata dict or None, {name: (dtype, tensor)}).

    Checks the header length against the file size and MAX_HEADER_BYTES, strict UTF-8 and JSON (no duplicate
    keys), known dtypes, byte counts against shapes and the tensors tiling the data buffer. F32, F64 and I64
    tensors are decoded; other dtypes are rejected.
    """
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ModelFileError("%s: the file has %d bytes, fewer than the 8-byte header length" % (path, len(data)))
    (n,) = struct.unpack_from("<Q", data, 0)
    if n > len(data) - 8:
        raise ModelFileError("%s: the header length is %d bytes, but only %d bytes follow" % (path, n, len(data) - 8))
    if n > MAX_HEADER_BYTES:
        raise ModelFileError("%s: the header length is %d bytes, more than the maximum of %d" % (path, n, MAX_HEADER_BYTES))
    raw = data[8:8 + n]
    if not raw.startswith(b"{") or not raw.rstrip(b" ").endswith(b"}"):
        raise ModelFileError("%s: the header must be a JSON object padded only with spaces" % path)
    try:
        text = raw.rstrip(b" ").decode("utf-8", errors="strict")
        header = json.loads(text, object_pairs_hook=_no_duplicates(path))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ModelFileError("%s: the header is not valid UTF-8 JSON: %s" % (path, e)) from e
    if not isinstance(header, dict):
        raise ModelFileError("%s: the header must be a JSON object" % path)
    metadata = header.pop("__metadata__", None)
    if metadata is not None and (not isinstance(metadata, dict)
                                 or not all(isinstance(v, str) for v in metadata.values())):
        raise ModelFileError("%s: '__metadata__' must be an object of string values" % path)
    buffer_len = len(data) - 8 - n
    spans = []
    tensors = {}
    for name, e in header.items():
        if not isinstance(e, dict) or set(e) != {"dtype", "shape", "data_offsets"}:
            raise ModelFileError("%s: tensor %r must be an object with exactly dtype, shape, data_offsets" % (path, name))
        dtype, shape, offsets = e["dtype"], e["shape"], e["data_offsets"]
        if dtype not in DTYPE_BYTES:
            raise ModelFileError("%s: tensor %r has dtype %r, expected one of %s" % (path, name, dtype, list(DTYPE_BYTES)))

        def ints(v):
            return isinstance(v, list) and all(isinstance(x, int) and not isinstance(x, bool) and x >= 0 for x in v)
        if not ints(shape) or not ints(offsets) or len(offsets) != 2:
            raise ModelFileError("%s: tensor %r needs a shape and two data_offsets of non-negative integers" % (path, name))
        begin, end = offsets
        count = math.prod(shape)
        if not begin <= end <= buffer_len or end - begin != count * DTYPE_BYTES[dtype]:
            raise ModelFileError("%s: tensor %r (dtype %s, shape %s) needs %d bytes, its data_offsets are [%d, %d] "
                                 "in a %d-byte buffer" % (path, name, dtype, shape, count * DTYPE_BYTES[dtype], begin,
                                                          end, buffer_len))
        if dtype not in STRUCT_CODE:
            raise ModelFileError("%s: tensor %r has dtype %s; this script reads F32, F64 and I64" % (path, name, dtype))
        values = struct.unpack_from("<%d%s" % (count, STRUCT_CODE[dtype]), data, 8 + n + begin)
        tensors[name] = (dtype, torch.tensor(values, dtype=TORCH_DTYPE[dtype]).reshape(shape))
        spans.append((begin, end, name))
    covered = 0
    for begin, end, name in sorted(spans):
        if begin != covered:
            raise ModelFileError("%s: tensor %r starts at byte %d of the data buffer, expected %d (overlap or gap)"
                                 % (path, name, begin, covered))
        covered = end
    if covered != buffer_len:
        raise ModelFileError("%s: the tensors cover %d of the %d data bytes" % (path, covered, buffer_len))
    return metadata, tensors


# ----------------------------------------------------------------------------------------------- models

class RankCodingTorch(nn.Module):
    """The PyTorch mirror of org.rankcoding.nn.RankCodingNetwork: ``lstm`` (nn.LSTM, time-major), ``readout``
    (nn.Linear) and an output head, plus the spike threshold."""

    def __init__(self, input_size, hidden_size, layers, head, num_classes, threshold):
        super().__init__()
        if head not in HEADS:
            raise ValueError("head %r, expected one of %s" % (head, HEADS))
        if head == "BINARY_SIGMOID" and num_classes != 2:
            raise ValueError("the binary head needs num_classes = 2, got %d" % num_classes)
        if not 0.5 < threshold < 1.0:
            raise ValueError("threshold %r, expected strictly inside (0.5, 1)" % threshold)
        self.head = head
        self.num_classes = num_classes
        self.threshold = float(threshold)
        self.lstm = nn.LSTM(input_size, hidden_size, num_layers=layers)
        self.readout = nn.Linear(hidden_size, 1 if head == "BINARY_SIGMOID" else num_classes)

    def logits(self, x):
        """x: [T, B, I] -> readout values z: [T, B, K]."""
        out, _ = self.lstm(x)
        return self.readout(out)

    def probabilities(self, z):
        if self.head == "SOFTMAX":
            return torch.softmax(z, dim=-1)
        return torch.sigmoid(z)

    def forward(self, x):
        """x: [T, B, I] -> output probabilities p: [T, B, K] at every step."""
        return self.probabilities(self.logits(x))

    def spikes(self, p):
        """[T, B, K] probabilities -> [T, B] booleans: the threshold rule of the head."""
        theta = self.threshold
        if self.head == "BINARY_SIGMOID":
            return (p[..., 0] > theta) | (p[..., 0] < 1 - theta)
        return p.max(dim=-1).values > theta

    def first_spike(self, p, lengths):
        """1-based first spike per row within its length, 0 if none (SpikeTimes.NO_SPIKE)."""
        s = self.spikes(p)
        out = torch.zeros(p.shape[1], dtype=torch.int64)
        for b in range(p.shape[1]):
            for t in range(int(lengths[b])):
                if s[t, b]:
                    out[b] = t + 1
                    break
        return out


def rc_loss(model, x, labels, lengths, beta):
    """The RC loss of org.rankcoding.rc.RankCodingLoss, mean over the batch: per row
    L = CE(p_s, y) - beta * H(p_s) at the decision step s (first spike, or the row's last step), chosen without
    gradient; autograd then back-propagates from step s only (later steps do not influence z_s).
    Returns (loss, first_spike, decision_step)."""
    z = model.logits(x)
    with torch.no_grad():
        first = model.first_spike(model.probabilities(z), lengths)
        decision = torch.where(first > 0, first, lengths)
    zs = z[decision - 1, torch.arange(z.shape[1])]  # [B, K]
    if model.head == "BINARY_SIGMOID":
        v = zs[:, 0]
        ps = torch.sigmoid(v)
        ce = F.binary_cross_entropy_with_logits(v, labels.to(v.dtype), reduction="none")
        entropy = -(ps * F.logsigmoid(v) + (1 - ps) * F.logsigmoid(-v))
    elif model.head == "PER_CLASS_SIGMOID":
        ps = torch.sigmoid(zs)
        ce = F.cross_entropy(ps, labels, reduction="none")  # softmax CE applied to the sigmoid values (the quirk)
        entropy = -(ps * F.logsigmoid(zs) + (1 - ps) * F.logsigmoid(-zs)).sum(dim=-1)
    else:
        logp = F.log_softmax(zs, dim=-1)
        ce = F.nll_loss(logp, labels, reduction="none")
        entropy = -(logp.exp() * logp).sum(dim=-1)
    return (ce - beta * entropy).mean(), first, decision


def expected_shapes(meta):
    h, i, layers = meta["hidden_size"], meta["input_size"], meta["layers"]
    k = 1 if meta["head"] == "BINARY_SIGMOID" else meta["num_classes"]
    shapes = {}
    for l in range(layers):
        shapes["lstm.weight_ih_l%d" % l] = [4 * h, i if l == 0 else h]
        shapes["lstm.weight_hh_l%d" % l] = [4 * h, h]
        shapes["lstm.bias_ih_l%d" % l] = [4 * h]
        shapes["lstm.bias_hh_l%d" % l] = [4 * h]
    shapes["readout.weight"] = [k, h]
    shapes["readout.bias"] = [k]
    return shapes


def save_model(path, lstm, readout, head, num_classes, threshold, dtype="F32", metadata=None,
               created_by="pytorch export"):
    """Writes an nn.LSTM (time-major, with biases, one direction, no projection) and an nn.Linear readout as a
    rankcoding model file. ``dtype`` is "F32" (default, as PyTorch) or "F64"; ``metadata`` adds string entries."""
    if not isinstance(lstm, nn.LSTM) or not isinstance(readout, nn.Linear):
        raise TypeError("expected an nn.LSTM and an nn.Linear, got %s and %s" % (type(lstm), type(readout)))
    if not lstm.bias or lstm.bidirectional or getattr(lstm, "proj_size", 0) or readout.bias is None:
        raise ValueError("the LSTM must have biases, one direction and no projection; the readout a bias")
    if head not in HEADS:
        raise ValueError("head %r, expected one of %s" % (head, HEADS))
    k = 1 if head == "BINARY_SIGMOID" else num_classes
    if readout.in_features != lstm.hidden_size or readout.out_features != k:
        raise ValueError("readout is %d -> %d, expected %d -> %d for head %s with %d classes"
                         % (readout.in_features, readout.out_features, lstm.hidden_size, k, head, num_classes))
    if not 0.5 < threshold < 1.0:
        raise ValueError("threshold %r, expected strictly inside (0.5, 1)" % threshold)
    if dtype not in ("F32", "F64"):
        raise ValueError("dtype %r, expected F32 or F64" % dtype)
    meta = {
        "format": FORMAT,
        "format_version": str(FORMAT_VERSION),
        "created_by": created_by,
        "created_at": datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()
                      .replace("+00:00", "Z"),
        "torch_version": torch.__version__,
        "head": head,
        "num_classes": str(num_classes),
        "threshold": repr(float(threshold)),
        "input_size": str(lstm.input_size),
        "hidden_size": str(lstm.hidden_size),
        "layers": str(lstm.num_layers),
    }
    for key, value in (metadata or {}).items():
        if key in meta:
            raise ValueError("metadata key %r is reserved" % key)
        meta[key] = value
    tensors = []
    for l in range(lstm.num_layers):
        for kind in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            tensors.append(("lstm.%s_l%d" % (kind, l), dtype, getattr(lstm, "%s_l%d" % (kind, l))))
    tensors.append(("readout.weight", dtype, readout.weight))
    tensors.append(("readout.bias", dtype, readout.bias))
    write_safetensors(path, tensors, meta)


def load_model(path):
    """Reads a rankcoding model file into a RankCodingTorch (float32, or float64 if any tensor is F64).
    Raises ModelFileError for anything but a valid model file."""
    metadata, tensors = read_safetensors(path)
    if metadata is None or metadata.get("format") != FORMAT:
        raise ModelFileError("%s: metadata 'format' is %r, expected %r" % (path, (metadata or {}).get("format"), FORMAT))
    missing = [k for k in REQUIRED_KEYS if k not in metadata]
    if missing:
        raise ModelFileError("%s: metadata lacks %s" % (path, missing))
    if metadata.get("front_end", "none") != "none":
        raise ModelFileError("%s: the model has a convolutional front end (front_end = %s), which this script does not "
                             "implement; only LSTM + readout models are read" % (path, metadata["front_end"]))
    try:
        version = int(metadata["format_version"])
        meta = {"head": metadata["head"], "threshold": float(metadata["threshold"])}
        for key in ("num_classes", "input_size", "hidden_size", "layers"):
            meta[key] = int(metadata[key])
    except ValueError as e:
        raise ModelFileError("%s: invalid metadata value: %s" % (path, e)) from e
    if version > FORMAT_VERSION:
        raise ModelFileError("%s: format_version %d is newer than %d" % (path, version, FORMAT_VERSION))
    if meta["head"] not in HEADS or min(meta["num_classes"], meta["input_size"], meta["hidden_size"], meta["layers"]) < 1 \
            or not 0.5 < meta["threshold"] < 1.0:
        raise ModelFileError("%s: invalid configuration in the metadata: %s" % (path, meta))
    shapes = expected_shapes(meta)
    if set(shapes) != set(tensors):
        raise ModelFileError("%s: tensors %s, expected exactly %s" % (path, sorted(tensors), sorted(shapes)))
    for name, shape in shapes.items():
        dtype, t = tensors[name]
        if list(t.shape) != shape or dtype not in ("F32", "F64"):
            raise ModelFileError("%s: tensor %r is %s %s, expected F32 or F64 %s" % (path, name, dtype, list(t.shape), shape))
        if not torch.isfinite(t).all():
            raise ModelFileError("%s: tensor %r holds non-finite values" % (path, name))
    model = RankCodingTorch(meta["input_size"], meta["hidden_size"], meta["layers"], meta["head"], meta["num_classes"],
                            meta["threshold"])
    wide = any(tensors[n][0] == "F64" for n in shapes)
    model = model.double() if wide else model.float()
    model.load_state_dict({name: t for name, (_, t) in tensors.items()})
    model.metadata = metadata
    return model


# ----------------------------------------------------------------------------------------------- goldens

# Shapes of the golden cases: small, so that the files are a few KB.
G_INPUT, G_HIDDEN, G_CLASSES, G_ROWS, G_STEPS = 3, 4, 3, 6, 7


def _golden_batch(gen, rows, steps, inputs, classes):
    x = torch.randn(steps, rows, inputs, generator=gen, dtype=torch.float64)
    lengths = torch.randint(3, steps + 1, (rows,), generator=gen)
    lengths[0] = steps
    for b in range(rows):
        x[int(lengths[b]):, b] = 0.0  # padding, never read
    labels = torch.randint(0, classes, (rows,), generator=gen)
    return x, lengths, labels


def _confidence(model, p):
    if model.head == "BINARY_SIGMOID":
        return torch.maximum(p[..., 0], 1 - p[..., 0])
    return p.max(dim=-1).values


def _choose_threshold(model, p, lengths):
    """A threshold in (0.5, 1) midway between two neighbouring observed confidences (so no confidence is within
    1e-6 of it) such that some row spikes at step 1, some later, and some never; None if there is none."""
    conf = _confidence(model, p)
    visible = sorted({float(conf[t, b]) for b in range(p.shape[1]) for t in range(int(lengths[b]))})
    candidates = [(a + b) / 2 for a, b in zip(visible, visible[1:]) if b - a > 2e-6 and (a + b) / 2 > 0.5]
    for theta in sorted(candidates, reverse=True):
        model.threshold = theta
        first = model.first_spike(p, lengths)
        if (first == 0).any() and (first == 1).any() and (first > 1).any():
            return theta
    return None


def _golden_case(directory, head, layers, dtype, beta, seed):
    classes = 2 if head == "BINARY_SIGMOID" else G_CLASSES
    for attempt in range(1000):
        torch.manual_seed(seed + attempt)
        gen = torch.Generator().manual_seed(seed + attempt)
        model = RankCodingTorch(G_INPUT, G_HIDDEN, layers, head, classes, 0.9).double()
        with torch.no_grad():
            for prm in model.parameters():
                prm.mul_(2.5)  # larger weights than PyTorch's default: confident outputs, early spikes
                if dtype == "F32":
                    prm.copy_(prm.float().double())  # the values the F32 file holds, computed in double
        x, lengths, labels = _golden_batch(gen, G_ROWS, G_STEPS, G_INPUT, classes)
        with torch.no_grad():
            p = model(x)
        theta = _choose_threshold(model, p, lengths)
        if theta is not None:
            break
    else:
        raise RuntimeError("no threshold with early, late and missing spikes for %s %d layers" % (head, layers))
    model.threshold = theta
    name = "torch-%s-%dlayer-%s" % (head.lower().replace("_", "-"), layers, dtype.lower())
    model_path = os.path.join(directory, name + ".model.safetensors")
    save_model(model_path, model.lstm, model.readout, head, classes, theta, dtype=dtype,
               metadata={"purpose": "golden test: PyTorch export -> Java load"})
    # The file must read back to the same model.
    back = load_model(model_path).double()
    for key, value in model.state_dict().items():
        if not torch.equal(back.state_dict()[key], value):
            raise RuntimeError("%s: %s did not round-trip" % (model_path, key))
    model.zero_grad()
    loss, first, decision = rc_loss(model, x, labels, lengths, beta)
    loss.backward()
    tensors = [("inputs", "F64", x), ("lengths", "I64", lengths), ("labels", "I64", labels),
               ("probabilities", "F64", p), ("first_spike", "I64", first), ("decision_step", "I64", decision),
               ("loss", "F64", loss.detach())]
    for key, prm in model.named_parameters():
        tensors.append(("grad." + key, "F64", prm.grad))
    write_safetensors(os.path.join(directory, name + ".expected.safetensors"), tensors, {
        "model_file": os.path.basename(model_path), "threshold": repr(theta), "beta": repr(float(beta)),
        "created_by": "scripts/torch_interop.py golden", "torch_version": torch.__version__})
    return name, theta, first.tolist()


def _java_written_case(directory, file_name, seed):
    """PyTorch's forward pass over a Java-written model file: Java save -> PyTorch load -> PyTorch forward."""
    model = load_model(os.path.join(directory, file_name)).double()
    gen = torch.Generator().manual_seed(seed)
    classes = model.num_classes
    x, lengths, _ = _golden_batch(gen, G_ROWS, G_STEPS, model.lstm.input_size, classes)
    with torch.no_grad():
        p = model(x)
    first = model.first_spike(p, lengths)
    write_safetensors(os.path.join(directory, file_name.replace(".model.", ".expected.")), [
        ("inputs", "F64", x), ("lengths", "I64", lengths), ("probabilities", "F64", p), ("first_spike", "I64", first)],
        {"model_file": file_name, "created_by": "scripts/torch_interop.py golden", "torch_version": torch.__version__})
    return file_name, model.threshold, first.tolist()


def golden(directory):
    torch.set_default_dtype(torch.float64)
    os.makedirs(directory, exist_ok=True)
    seed = 100
    for head in HEADS:
        for layers in (1, 2):
            dtype = "F32" if layers == 1 else "F64"
            beta = 0.3 if layers == 1 else 0.1
            name, theta, first = _golden_case(directory, head, layers, dtype, beta, seed)
            print("wrote %s (threshold %.6f, first spikes %s)" % (name, theta, first))
            seed += 1000
    java = sorted(f for f in os.listdir(directory) if f.startswith("java-") and f.endswith(".model.safetensors"))
    if not java:
        print("no java-*.model.safetensors in %s: write them first (see docs/models.md)" % directory, file=sys.stderr)
    for i, f in enumerate(java):
        name, theta, first = _java_written_case(directory, f, 7000 + i)
        print("read %s with PyTorch (threshold %s, first spikes %s)" % (name, theta, first))


# ----------------------------------------------------------------------------------------------- CLI

def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    ex = sub.add_parser("export", help="write an nn.LSTM + nn.Linear as a model file")
    ex.add_argument("out")
    ex.add_argument("--state-dict", help="torch.save'd state_dict with keys lstm.* and readout.* (else random init)")
    ex.add_argument("--input-size", type=int, required=True)
    ex.add_argument("--hidden-size", type=int, required=True)
    ex.add_argument("--layers", type=int, default=1)
    ex.add_argument("--head", choices=HEADS, default="BINARY_SIGMOID")
    ex.add_argument("--classes", type=int, default=2)
    ex.add_argument("--threshold", type=float, default=0.95)
    ex.add_argument("--f64", action="store_true", help="store float64 (default float32)")
    ex.add_argument("--seed", type=int, default=0)

    im = sub.add_parser("import", help="read a model file into nn.LSTM + nn.Linear")
    im.add_argument("file")
    im.add_argument("--state-dict-out", help="torch.save the state_dict (keys lstm.*, readout.*) to this file")

    go = sub.add_parser("golden", help="regenerate the golden files of the Java tests")
    go.add_argument("dir", nargs="?", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                                           "rankcoding-core", "src", "test", "resources", "golden"))
    args = parser.parse_args(argv)

    if args.command == "export":
        torch.manual_seed(args.seed)
        model = RankCodingTorch(args.input_size, args.hidden_size, args.layers, args.head, args.classes, args.threshold)
        if args.state_dict:
            model.load_state_dict(torch.load(args.state_dict, map_location="cpu"))
        save_model(args.out, model.lstm, model.readout, args.head, args.classes, args.threshold,
                   dtype="F64" if args.f64 else "F32")
        print("wrote %s: %s, %d classes, threshold %s, input %d, hidden %d, %d layer(s), %s"
              % (args.out, args.head, args.classes, args.threshold, args.input_size, args.hidden_size, args.layers,
                 "F64" if args.f64 else "F32"))
    elif args.command == "import":
        model = load_model(args.file)
        m = model.metadata
        print("%s: %s, %s classes, threshold %s, input %s, hidden %s, %s layer(s); created by %s at %s"
              % (args.file, m["head"], m["num_classes"], m["threshold"], m["input_size"], m["hidden_size"],
                 m["layers"], m.get("created_by", "?"), m.get("created_at", "?")))
        print(model)
        if args.state_dict_out:
            torch.save(model.state_dict(), args.state_dict_out)
            print("saved the state_dict to %s" % args.state_dict_out)
    else:
        golden(args.dir)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (ModelFileError, OSError) as err:
        print("error: %s" % err, file=sys.stderr)
        sys.exit(1)
