#!/usr/bin/env bash
# Issue 24's GPU check, one command (docs/benchmarks.md, "GPU check"):
#   tools/gpu-check.sh              with an NVIDIA GPU (nvidia-smi lists one; CUDA 12 + cuDNN 9 for ONNX Runtime's
#                                   CUDA build): builds with -Pgpu, runs the CUDA tests (tagging and separation on
#                                   CUDA against the CPU, an absent device falling back or failing when required),
#                                   exports the full-size HTDemucs with seeded weights, times separation at batch
#                                   sizes 1, 4, 16 and 32 on CUDA, then tags the corpus on CUDA. Without a GPU: the
#                                   build, the tests' CPU halves and a short separation benchmark (small model, batch
#                                   1 and 4) on the CPU: about a minute after `mvn verify`, so .ci/run runs it.
# Environment: HTDEMUCS_FULL=<manifest> an exported full-size model to use instead of exporting one here (the export
# needs python3-torch and the Demucs sources, DEMUCS_SRC/EINOPS_SRC as tools/demucs/export-htdemucs says, or an
# importable demucs); CORPUS (default ../shared/corpus/synthetic/*) the files to tag. The whole GPU run is meant
# to take under 8 minutes. The summary at the end says which parts ran and which did not, and why. An offline GPU
# machine needs onnxruntime_gpu in its Maven repository beforehand (mvn dependency:get
# -Dartifact=com.microsoft.onnxruntime:onnxruntime_gpu:<onnxruntime.version of the parent pom>; 445 MB).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
started=$(date +%s)
ran=()
skipped=()
work="$(mktemp -d)"

step() { echo; echo "== gpu-check: $* ($(( $(date +%s) - started )) s)"; }
summary() {
  echo
  echo "== gpu-check summary ($(( $(date +%s) - started )) s, mode: $mode)"
  for r in "${ran[@]}"; do echo "RAN:     $r"; done
  for s in "${skipped[@]}"; do echo "SKIPPED: $s"; done
}
trap 'summary; rm -rf "$work"' EXIT

if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L 2>/dev/null | grep -q '^GPU '; then
  mode=gpu
  nvidia-smi -L
else
  mode=cpu
  echo "gpu-check: no NVIDIA GPU (nvidia-smi lists none): running the CPU parts only"
fi
# The benchmark mains, from the benchmarks module's test classpath (TaggingBenchmark is test code).
bench_java() {
  java ${AUDIOFLOW_JAVA_OPTS:--Xmx6g} "@runners/src/main/jvm/flink-java17.args" \
    -cp "benchmarks/target/test-classes:benchmarks/target/classes:$(cat benchmarks/target/test-classpath.txt)" "$@"
}
small=transforms/src/test/resources/separation/htdemucs-small.json

# 1. Build, with the device tests in the same Maven run (CUDA halves enabled only where a session starts on CUDA).
device_tests='CudaSessionsTest,ModelsTest#cudaFallsBackToTheCpuWithOneWarningOrFailsWhenRequired'
device_tests+=',ChunkedSeparatorTest#stemsOnCudaMatchTheCpus+anUnusableDeviceFallsBackToTheCpuOrFailsWhenRequired'
profile=()
[ "$mode" = gpu ] && profile=(-Pgpu)
step "build ${profile[*]:-(CPU ONNX Runtime)} and the device tests"
mvn -B -q "${profile[@]}" package -pl benchmarks -am -Dtest="$device_tests" -Dsurefire.failIfNoSpecifiedTests=false
ran+=("build ${profile[*]:-without -Pgpu}")
# Which device tests ran and which JUnit skipped (their @EnabledIf / @DisabledIf on CudaDevice.present()).
for report in models/target/surefire-reports/TEST-*CudaSessionsTest.xml models/target/surefire-reports/TEST-*.ModelsTest.xml \
    transforms/target/surefire-reports/TEST-*ChunkedSeparatorTest.xml; do
  [ -f "$report" ] || continue
  while read -r name state; do
    if [ "$state" = skipped ]; then skipped+=("test $name (disabled on this machine)"); else ran+=("test $name: passed"); fi
  done < <(python3 - "$report" <<'EOF'
import sys, xml.etree.ElementTree as ET
for case in ET.parse(sys.argv[1]).getroot().iter("testcase"):
  print(case.get("classname").rsplit(".", 1)[1] + "#" + case.get("name").split("(")[0],
        "skipped" if case.find("skipped") is not None else "ran")
EOF
  )
done

# 2. The full-size HTDemucs (GPU only: on the CPU it takes minutes per batch).
model="$small"
if [ "$mode" = gpu ]; then
  if [ -n "${HTDEMUCS_FULL:-}" ]; then
    model="$HTDEMUCS_FULL"
    ran+=("full-size HTDemucs: $HTDEMUCS_FULL (given)")
  elif /usr/bin/python3 -c 'import torch' 2>/dev/null && { [ -n "${DEMUCS_SRC:-}" ] || /usr/bin/python3 -c 'import demucs' 2>/dev/null; }; then
    step "export the full-size HTDemucs, seeded random weights"
    if [ -n "${DEMUCS_SRC:-}" ]; then source_args=(--config "$DEMUCS_SRC/conf/config.yaml"); else source_args=(--kwargs '{}'); fi
    tools/demucs/export-htdemucs "${source_args[@]}" --name htdemucs-random --out "$work/full"
    model="$work/full/htdemucs-random.json"
    ran+=("full-size HTDemucs export (${source_args[*]})")
  else
    skipped+=("full-size HTDemucs export: needs python3-torch and the Demucs sources (DEMUCS_SRC) or HTDEMUCS_FULL; the separation benchmark below ran the small model")
  fi
else
  skipped+=("full-size HTDemucs export (no GPU: the CPU benchmark uses the small model)")
fi

# 3. Separation speed per batch size.
if [ "$mode" = gpu ]; then
  step "separation on CUDA, batch sizes 1, 4, 16, 32 ($model)"
  bench_java io.audioflow.benchmarks.SeparationBenchmark "$model" speed "$(nproc)" --batch=1,4,16,32 \
    --device=cuda --requireDevice
  ran+=("separation benchmark on CUDA, batch 1, 4, 16, 32 ($(basename "$model"))")
else
  step "separation on the CPU, small model, batch sizes 1 and 4"
  out="$(bench_java io.audioflow.benchmarks.SeparationBenchmark "$small" speed 1 8 --batch=1,4 | tee /dev/stderr)"
  [ "$(grep -c 'device=cpu .*realtime factor' <<<"$out")" = 2 ] || { echo "gpu-check: separation rows missing"; exit 1; }
  ran+=("separation benchmark on the CPU, small model, batch 1 and 4")
  skipped+=("separation at batch 16 and 32 on CUDA, full-size model (no GPU)")
fi

# 4. Tagging on CUDA: patch throughput on the job's shared session, then the corpus through the whole job.
if [ "$mode" = gpu ]; then
  step "tag the corpus on CUDA"
  bench_java io.audioflow.benchmarks.TaggingBenchmark --device=cuda --repeat=1 --input="${CORPUS:-../shared/corpus/synthetic/*}"
  ran+=("tagging on CUDA: per-patch batches 1, 8, 64 and the corpus through the job (--inferenceDevice=cuda --requireDevice)")
else
  skipped+=("tagging the corpus on CUDA (no GPU)")
fi

elapsed=$(( $(date +%s) - started ))
if [ "$mode" = gpu ] && [ "$elapsed" -gt 480 ]; then
  echo "gpu-check: took ${elapsed} s, over the 8 minutes it is meant to take"
fi
