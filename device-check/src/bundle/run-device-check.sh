#!/usr/bin/env bash
# The device check's entry point, inside the unpacked bundle (bin/device-bundle builds it). Needs no Java: it runs
# the bundled runtime. Writes each command's output and summary.txt to $OUT (default: ./out beside this script).
#   tar -xJf device-check.tar.xz && OUT=/some/folder bash device-check/run-device-check.sh
# Full run (a GPU machine): gpu-check at 1M and 4M rows (CPU with every core vs CUDA, same run), then bench-retrain
# on the CPU and with --device cuda on 1M rows. DEVICE_CHECK_QUICK=1: small sizes, and each result is checked
# against what XGBoost's own device report says (bin/device-bundle --check runs it so on a machine without a GPU).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${OUT:-$here/out}"
mkdir -p "$out"
summary="$out/summary.txt"
: > "$summary"
# The listing is read whole first: grep -q stops at the first match, and ldconfig's SIGPIPE would read as "missing".
libraries="$(ldconfig -p 2>/dev/null || true)"
if ! grep -q 'libgomp\.so\.1' <<<"$libraries" && [ -f "$here/libgomp.so.1" ]; then
  export LD_LIBRARY_PATH="$here${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
failures=0

note() { echo "$*" | tee -a "$summary"; }

# run NAME EXPECTED-EXITS ARGS...: one command of the jar, its output in $out/NAME.txt, its last lines in the summary.
run() {
  local name="$1" expected="$2"
  shift 2
  note "== $name: device-check $*"
  local start=$SECONDS
  "$here/runtime/bin/java" -Djava.io.tmpdir="$tmp" -jar "$here/device-check.jar" "$@" \
    > "$out/$name.txt" 2>&1
  local rc=$?
  grep -v '^\[[0-9:]*\] WARNING: ' "$out/$name.txt" | grep -v '^WARNING: ' | tail -n 12 | tee -a "$summary"
  note "exit $rc after $((SECONDS - start)) s"
  case " $expected " in
    *" $rc "*) ;;
    *) note "UNEXPECTED: exit $rc, expected one of: $expected"; failures=$((failures + 1)) ;;
  esac
  return 0
}

# expect NAME PATTERN: the command's output must contain PATTERN (an extended regular expression).
expect() {
  grep -Eq "$2" "$out/$1.txt" || { note "UNEXPECTED: $1 does not say /$2/"; failures=$((failures + 1)); }
}

note "bundle: $(cat "$here/BUILD" 2>/dev/null); host: $(uname -m), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=name,compute_cap,driver_version,memory.total --format=csv,noheader 2>&1 | sed 's/^/gpu: /' \
    | tee -a "$summary"
  nvidia-smi > "$out/nvidia-smi.txt" 2>&1
else
  note "gpu: none (no nvidia-smi)"
fi

threads="$(nproc)"
if [ "${DEVICE_CHECK_QUICK:-0}" = 1 ]; then
  run gpu-check 0 gpu-check --rows 20000 --features 10 --rounds 10 --nthread 2
  expect gpu-check 'cpu  \(nthread=2, booster device=cpu\): [0-9.]+ s'
  expect gpu-check 'speedup: |no GPU: XGBoost used cpu for device=cuda'
  run bench-retrain-cpu 0 bench-retrain --rows 5000 --nthread 1
  expect bench-retrain-cpu 'device cpu \(fits by the device their boosters name: \{cpu='
  run bench-retrain-cuda "0 3" bench-retrain --rows 5000 --nthread 1 --device cuda
  expect bench-retrain-cuda 'device cuda \(fits by the device their boosters name: \{cuda|bench-retrain: no GPU: '
  if grep -q 'no GPU' "$out/gpu-check.txt"; then
    expect bench-retrain-cuda 'bench-retrain: no GPU: '
  fi
else
  run gpu-check-1m 0 gpu-check --rows 1000000 --nthread "$threads"
  run gpu-check-4m 0 gpu-check --rows 4000000 --nthread "$threads"
  run bench-retrain-cpu 0 bench-retrain --rows 1000000 --nthread "$threads"
  run bench-retrain-cuda 0 bench-retrain --rows 1000000 --nthread "$threads" --device cuda
fi
note "device check: $failures unexpected results"
[ "$failures" -eq 0 ]
