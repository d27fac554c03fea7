#!/usr/bin/env bash
# Fuzzes the NPY, NPZ and CSV parsers of MultimodalData with libFuzzer.
# Usage: Tests/Fuzz/run-parser-fuzz.sh [seconds]   (default 150)
# The parsers are compiled together with the Tensors sources into one module (the `import Tensors`
# lines are dropped), so no SwiftPM build is needed. Crashes are written to Tests/Fuzz/artifacts/.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
seconds="${1:-150}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src" "$root/Tests/Fuzz/artifacts" "$work/corpus"
for f in DataError CSVReader IntegerClassLabels Labels NPYArray NPYFormat NPZFormat TextFile; do
    sed '/^import Tensors$/d' "$root/Sources/MultimodalData/$f.swift" > "$work/src/$f.swift"
done
find "$root/Sources/Tensors" -name '*.swift' -exec cp {} "$work/src/" \;
cp "$root/Tests/Fuzz/ParserFuzz.swift" "$work/src/"
# Seeds: a valid NPY, a CSV with header and string labels, a small NPZ (built by the seeds below).
printf '\x00\x93NUMPY\x01\x00\x46\x00{'"'"'descr'"'"': '"'"'<f4'"'"', '"'"'fortran_order'"'"': False, '"'"'shape'"'"': (2,), }          \n\x00\x00\x80\x3f\x00\x00\x00\x40' > "$work/corpus/npy"
printf '\x01a,b,label\n1,2.5,cat\n"3",4e1,dog\r\n' > "$work/corpus/csv"
cp "$root"/Tests/Fuzz/seeds/* "$work/corpus/" 2>/dev/null || true
swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name FuzzParsers \
    -I "$root/Sources/CBLAS" -I "$root/Sources/CZlib" $(pkg-config --cflags-only-I openblas | sed 's/-I/-Xcc -I/g') \
    "$work"/src/*.swift -o "$work/parser-fuzz" $(pkg-config --libs openblas) -lz
"$work/parser-fuzz" -max_total_time="$seconds" -max_len=4096 -artifact_prefix="$root/Tests/Fuzz/artifacts/" "$work/corpus"
