"""The checker behind Scripts/check-onnx-export (run it through that script, which provides the venv)."""
import json
import sys

import numpy as np
import onnxruntime as ort


def check(path):
    sample = np.load(path[: -len(".onnx")] + ".sample.npz")
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    meta = session.get_modelmeta().custom_metadata_map
    for key in ("genotype", "fusionnas_version"):
        if key not in meta:
            raise SystemExit(f"{path}: metadata_props lacks {key}")
    json.loads(meta["genotype"])
    names = [i.name for i in session.get_inputs()]
    if [o.name for o in session.get_outputs()] != ["logits"]:
        raise SystemExit(f"{path}: outputs {[o.name for o in session.get_outputs()]}, expected ['logits']")
    expected = sample["expected_output"]
    if expected.dtype != np.float32 or any(sample[n].dtype != np.float32 for n in names):
        raise SystemExit(f"{path}: the sample arrays are not all float32")
    feeds = {n: sample[n] for n in names}
    scale = max(1.0, float(np.abs(expected).max()))
    worst = 0.0
    for rows in (slice(None), slice(0, 3)):  # all samples, then another batch size
        (out,) = session.run(["logits"], {n: a[rows] for n, a in feeds.items()})
        if out.shape != expected[rows].shape:
            raise SystemExit(f"{path}: output shape {out.shape}, expected {expected[rows].shape}")
        worst = max(worst, float(np.abs(out - expected[rows]).max()))
    ok = worst <= 1e-4 * scale
    print(f"{'OK' if ok else 'FAIL'} {path} samples={len(expected)} inputs={','.join(names)} "
          f"max_abs_error={worst:.3g} output_scale={scale:.3g} tolerance={1e-4 * scale:.3g}")
    return ok


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit("usage: Scripts/check-onnx-export MODEL.onnx [MODEL.onnx ...]")
    results = [check(p) for p in sys.argv[1:]]
    sys.exit(0 if all(results) else 1)
