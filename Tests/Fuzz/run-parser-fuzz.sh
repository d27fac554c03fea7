#!/usr/bin/env bash
# Fuzzes the parsers and loaders of MultimodalData with libFuzzer: NPY, NPZ, CSV, the dataset
# manifest (decoded and loaded), label files in every format and split index files.
# Usage: Tests/Fuzz/run-parser-fuzz.sh [seconds]   (default 150)
# MultimodalData is compiled together with the FileChecks and Tensors sources into one module (the
# `import Tensors` and `import FileChecks` lines are dropped), so no SwiftPM build is needed.
# Crashes are written to Tests/Fuzz/artifacts/ (ignored by git).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
seconds="${1:-150}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src" "$root/Tests/Fuzz/artifacts" "$work/corpus"
for f in "$root"/Sources/MultimodalData/*.swift "$root"/Sources/FileChecks/*.swift; do
    sed -e '/^import Tensors$/d' -e '/^import FileChecks$/d' "$f" > "$work/src/$(basename "$f")"
done
# SwiftPM generates Bundle.module for the embedded datasets; the fuzz targets never read them.
printf 'import Foundation\nextension Bundle { static let module = Bundle.main }\n' > "$work/src/BundleModule.swift"
find "$root/Sources/Tensors" -name '*.swift' -exec cp {} "$work/src/" \;
cp "$root/Tests/Fuzz/ParserFuzz.swift" "$work/src/"
# Seeds: the first byte picks the target (0 NPY, 1 CSV, 2 NPZ, 3 manifest, 4 labels, 5 indices).
printf '\x00\x93NUMPY\x01\x00\x46\x00{'"'"'descr'"'"': '"'"'<f4'"'"', '"'"'fortran_order'"'"': False, '"'"'shape'"'"': (2,), }          \n\x00\x00\x80\x3f\x00\x00\x00\x40' > "$work/corpus/npy"
printf '\x01a,b,label\n1,2.5,cat\n"3",4e1,dog\r\n' > "$work/corpus/csv"
printf '\x03{"name": "fuzz", "seed": 3, "modalities": [{"name": "f", "file": "f.csv", "kind": "vector"}, {"name": "g", "file": "g.csv", "kind": "vector", "shape": [1]}], "labels": {"file": "labels.txt", "kind": "multi-class", "format": "names", "names": ["a", "b"]}, "split": {"train": "train.txt", "validation": "validation.txt", "test": "test.txt"}}' > "$work/corpus/manifest"
printf '\x03{"modalities": [{"name": "f", "file": "f.csv", "kind": "vector"}, {"name": "g", "file": "g.csv", "kind": "vector"}], "labels": {"file": "onehot.csv", "kind": "multi-label", "format": "one-hot"}}' > "$work/corpus/manifest-one-hot"
printf '\x04label\n"a"\nb|a\nb\n"a ""x"""\nb\n\xef\xbb\xbf' > "$work/corpus/labels-names"
printf '\x04\xef\xbb\xbf0\r\n1\r\n1\r\n0\r\n2\r\n1\r\n' > "$work/corpus/labels-integer"
printf '\x041,0\n0,1\n1,0\n0,1\n1,1\n0,0\n' > "$work/corpus/labels-one-hot"
printf '\x050, 1,2\n3 4\t5' > "$work/corpus/indices"
cp "$root"/Tests/Fuzz/seeds/* "$work/corpus/" 2>/dev/null || true
swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name FuzzParsers \
    -I "$root/Sources/CBLAS" -I "$root/Sources/CZlib" -I "$root/Sources/CMalloc" -I "$root/Sources/CHDF5" \
    $(pkg-config --cflags-only-I openblas hdf5 | sed 's/-I/-Xcc -I/g') \
    "$work"/src/*.swift -o "$work/parser-fuzz" $(pkg-config --libs openblas hdf5) -lz
# TMPDIR: the manifest and label targets write their files under it, removed with $work.
TMPDIR="$work" "$work/parser-fuzz" -max_total_time="$seconds" -max_len=4096 -artifact_prefix="$root/Tests/Fuzz/artifacts/" "$work/corpus"
