#!/usr/bin/env bash
# Our schedules (codegen/schedule_cpu.cpp) against Halide's autoschedulers on the same
# generators: for mnist_cnn and cifar_deep, each autoscheduler's generator time and peak
# memory per pipeline, then training and inference throughput at 2 threads, batch 128.
# Usage: bench/autoschedulers.sh [AUTOSCHEDULER...]   (default: Adams2019 Li2018 Mullapudi2016)
# Adams2019 on a whole training step can take many minutes and gigabytes; a generator that
# fails, runs past 30 minutes or past 16 GB of memory is reported as such.
set -uo pipefail
cd "$(dirname "$0")/.."
schedulers=("$@")
[ ${#schedulers[@]} -gt 0 ] || schedulers=(Adams2019 Li2018 Mullapudi2016)
list=$(IFS=';'; echo "${schedulers[*]}")
cmake -S . -B build-autosched -G Ninja -DCMAKE_BUILD_TYPE=Release -DCNN_BUILD_TESTS=OFF \
  -DCNN_BENCH_AUTOSCHEDULERS=ON "-DCNN_BENCH_AUTOSCHEDULER_LIST=$list" >/dev/null || exit 1
cmake --build build-autosched --target mnist_cnn_throughput cifar_deep_throughput \
  mnist_cnn.generator cifar_deep.generator >/dev/null || exit 1
out=runs/bench
mkdir -p "$out"
results="$out/autoschedulers.jsonl"
: >"$results"
declare -A optimizer=([mnist_cnn]=rmsprop [cifar_deep]=adam)
for model in mnist_cnn cifar_deep; do
  build-autosched/bin/${model}_throughput 2 128 60 "${optimizer[$model]}" >>"$results"
  for s in "${schedulers[@]}"; do
    ok=1
    for pipeline in inference train_step; do
      target=${model}_${pipeline}_$s
      if (ulimit -v 16000000; timeout 1800 /usr/bin/time -f "%e %M" -o "$out/time.txt" \
          cmake --build build-autosched --target "$target" >"$out/gen.log" 2>&1); then
        read -r secs kb < <(tail -1 "$out/time.txt")
        echo "$target: generated in ${secs} s, peak ${kb} KB"
      else
        ok=0
        echo "$target: FAILED after $(tail -1 "$out/time.txt" 2>/dev/null | cut -d' ' -f1) s:" \
          "$(grep -m1 -E 'exception|Error|bad_alloc' "$out/gen.log" | cut -c1-200)"
      fi
    done
    if [ $ok -eq 1 ] && cmake --build build-autosched --target "${model}_throughput_$s" >/dev/null 2>&1; then
      "build-autosched/bin/${model}_throughput_$s" 2 128 60 "${optimizer[$model]}" >>"$results" ||
        echo "${model}_throughput_$s failed"
    fi
  done
done
/usr/bin/python3 - "$results" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print(f"\n{'model':<11}{'schedule':<15}{'train img/s':>12}{'infer img/s':>12}{'batch-1 ms':>11}")
for r in rows:
    lat = "n/a" if r["latency_ms"] is None else f"{r['latency_ms']:.3f}"
    print(f"{r['model']:<11}{r['impl']:<15}{r['train_images_per_second']:>12.0f}"
          f"{r['infer_images_per_second']:>12.0f}{lat:>11}")
PY
