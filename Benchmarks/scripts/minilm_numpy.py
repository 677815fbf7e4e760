"""all-MiniLM-L6-v2's forward pass in plain numpy, the comparison for the Embed benchmark.

Reads model.safetensors directly, takes token ids (JSON: a list of lists, made by ahub's WordPiece
tokenizer, so both sides embed exactly the same input), runs each text through embeddings, 6 BERT layers,
mean pooling and L2 normalization, and prints papers per second. Matrix products go to numpy's BLAS with
its own threads.

usage: python3 minilm_numpy.py MODEL_DIR IDS.json [VECTORS.npy]
"""
import json
import math
import struct
import sys
import time

import numpy as np

try:
    from scipy.special import erf
except ImportError:  # numpy has no erf of its own
    erf = np.vectorize(math.erf, otypes=[np.float32])


def load(path):
    with open(path, "rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(size))
    data = np.memmap(path, dtype=np.uint8, mode="r")
    base = 8 + size
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__" or info["dtype"] != "F32":  # position_ids (I64) is not a weight
            continue
        begin, end = info["data_offsets"]
        tensors[name] = np.frombuffer(data[base + begin:base + end], dtype=np.float32).reshape(info["shape"])
    return tensors


def layer_norm(x, w, b):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-12) * w + b


def embed(t, ids):
    n = len(ids)
    x = t["embeddings.word_embeddings.weight"][ids] + t["embeddings.position_embeddings.weight"][:n] \
        + t["embeddings.token_type_embeddings.weight"][0]
    x = layer_norm(x, t["embeddings.LayerNorm.weight"], t["embeddings.LayerNorm.bias"])
    for i in range(6):
        p = f"encoder.layer.{i}."
        def dense(name, v):
            return v @ t[p + name + ".weight"].T + t[p + name + ".bias"]
        q = dense("attention.self.query", x).reshape(n, 12, 32).transpose(1, 0, 2)
        k = dense("attention.self.key", x).reshape(n, 12, 32).transpose(1, 0, 2)
        v = dense("attention.self.value", x).reshape(n, 12, 32).transpose(1, 0, 2)
        s = q @ k.transpose(0, 2, 1) / math.sqrt(32)
        s = np.exp(s - s.max(-1, keepdims=True))
        s /= s.sum(-1, keepdims=True)
        context = (s @ v).transpose(1, 0, 2).reshape(n, 384)
        a = layer_norm(dense("attention.output.dense", context) + x,
                       t[p + "attention.output.LayerNorm.weight"], t[p + "attention.output.LayerNorm.bias"])
        h = dense("intermediate.dense", a)
        h = 0.5 * h * (1 + erf(h / math.sqrt(2)))
        x = layer_norm(dense("output.dense", h) + a, t[p + "output.LayerNorm.weight"], t[p + "output.LayerNorm.bias"])
    pooled = x.mean(0)
    return pooled / np.linalg.norm(pooled)


def main():
    tensors = load(sys.argv[1] + "/model.safetensors")
    texts = json.load(open(sys.argv[2]))
    embed(tensors, texts[0])  # warm up
    started = time.perf_counter()
    vectors = [embed(tensors, ids) for ids in texts]
    seconds = time.perf_counter() - started
    if len(sys.argv) > 3:
        np.save(sys.argv[3], np.array(vectors, dtype=np.float32))
    print(round(len(texts) / seconds, 3))


if __name__ == "__main__":
    main()
