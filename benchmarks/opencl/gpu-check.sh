#!/usr/bin/env bash
# The OpenCL backend on a GPU machine, in two halves:
#
#   benchmarks/opencl/gpu-check.sh prepare   here, on the build machine (Maven, network for nothing):
#       builds the jars, bundles them with a jlinked JDK 17, the JUnit launcher and an OpenCL ICD loader
#       into benchmarks/opencl/bundle/ (git-ignored, about 55 MiB: carry it)
#   benchmarks/opencl/gpu-check.sh run       on the GPU machine (no Maven, no network, maybe no Java):
#       gimvi info --devices, the OpenCL test suite on the GPU, the GEMM and training-step comparison
#       CPU vs GPU and the end-to-end comparison for wide references; everything goes to $OUT
#       (or benchmarks/opencl/out), summary in summary.md for benchmarks/README.md.
#
# With the device tool:  run(command="benchmarks/opencl/gpu-check.sh run", carry=["benchmarks/opencl/bundle"],
#                            timeout_s=590)
# Stage limits add up to 520 s; the whole check fits one call of the 15-minute device budget.
# Each stage has its own time limit, so the script returns what it measured even if a stage hangs.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BUNDLE="$HERE/bundle"

prepare() {
  set -e
  cd "$ROOT"
  mvn -B -o -q package -DskipTests -pl tools/cli,benchmarks -am
  mvn -B -o -q test-compile -pl engine/opencl -am
  mvn -B -o -q dependency:build-classpath -pl engine/opencl -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/gimvi-opencl-test.cp
  rm -rf "$BUNDLE"
  mkdir -p "$BUNDLE/lib" "$BUNDLE/native" "$BUNDLE/classes"
  # the runtime jars of the tools, the benchmarks and the OpenCL tests (one copy each)
  cp tools/cli/target/gimvi-tools.jar benchmarks/target/gimvi-benchmarks-0.1.0-SNAPSHOT.jar "$BUNDLE/"
  cp -f tools/cli/target/lib/*.jar "$BUNDLE/lib/"
  cp -f benchmarks/target/lib/*.jar "$BUNDLE/lib/"
  tr ':' '\n' < /tmp/gimvi-opencl-test.cp | grep '\.jar$' | grep -v 'gimvi-' | xargs -I{} cp -f {} "$BUNDLE/lib/"
  # this worktree's modules, not whatever ~/.m2 holds
  rm -f "$BUNDLE"/lib/gimvi-*.jar
  cp -f tools/cli/target/lib/gimvi-*.jar "$BUNDLE/lib/"
  # the JUnit launcher (Surefire brings its own, so it is not on the test class path); the version of junit-platform-engine
  local pv; pv=$(ls "$BUNDLE"/lib/junit-platform-engine-*.jar | sed -E 's/.*engine-(.*)\.jar/\1/')
  cp -f ~/.m2/repository/org/junit/platform/junit-platform-launcher/"$pv"/junit-platform-launcher-"$pv".jar "$BUNDLE/lib/"
  cp -r engine/opencl/target/test-classes/. "$BUNDLE/classes/"
  # aparapi-jni carries natives for every OS (18.8 MB); keep the Linux x86-64 one
  local jni; jni=$(ls "$BUNDLE"/lib/aparapi-jni-*.jar)
  local tmp; tmp=$(mktemp -d)
  (cd "$tmp" && unzip -q "$jni" && rm -rf osx win linux/*arm* linux/*aarch64* linux/*x86.so 2>/dev/null; rm -f "$jni" && zip -qr "$jni" .)
  rm -rf "$tmp"
  javac -d "$BUNDLE/classes" -cp "$(ls "$BUNDLE"/lib/*.jar | tr '\n' ':')" "$HERE/RunOpenClTests.java"
  # an ICD loader in case the GPU image has the NVIDIA OpenCL driver but no libOpenCL.so.1
  cp -L /usr/lib/x86_64-linux-gnu/libOpenCL.so.1 "$BUNDLE/native/" 2>/dev/null || true
  # the device tool carries at most 64 MiB with the working tree: no java.desktop (figures only), figure
  # libraries left out, the JVM's symbols stripped
  rm -f "$BUNDLE"/lib/{xchart,pdfbox,pdfbox-io,fontbox,graphics2d,VectorGraphics2D,animated-gif-lib,commons-logging}-*.jar
  jlink --add-modules java.base,java.logging,java.management,java.xml,jdk.unsupported,jdk.incubator.vector \
    --strip-debug --no-man-pages --no-header-files --compress=2 --output "$BUNDLE/jdk"
  strip -s "$BUNDLE/jdk/lib/server/libjvm.so" || true
  du -sh "$BUNDLE"
}

stage() { # name, seconds, command…
  local name=$1 secs=$2; shift 2
  echo "== $name (limit ${secs}s)" | tee -a "$OUTDIR/summary.md"
  local t0; t0=$(date +%s)
  timeout "$secs" "$@" > "$OUTDIR/$name.txt" 2>&1
  local rc=$?
  echo "   exit $rc after $(( $(date +%s) - t0 ))s; output in $name.txt" | tee -a "$OUTDIR/summary.md"
  return $rc
}

run() {
  OUTDIR="${OUT:-$HERE/out}"
  mkdir -p "$OUTDIR"
  : > "$OUTDIR/summary.md"
  local java="$BUNDLE/jdk/bin/java"
  [[ -x "$java" ]] || java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
  # OpenCL: the NVIDIA driver's ICD may be present without the loader's vendor file
  if [[ ! -d /etc/OpenCL/vendors ]] || [[ -z "$(ls /etc/OpenCL/vendors 2>/dev/null)" ]]; then
    local nv; nv=$(ls /usr/local/nvidia/lib64/libnvidia-opencl.so.1 /usr/lib/x86_64-linux-gnu/libnvidia-opencl.so.1 2>/dev/null | head -1)
    if [[ -n "$nv" ]]; then mkdir -p /etc/OpenCL/vendors && echo "$nv" > /etc/OpenCL/vendors/nvidia.icd; fi
  fi
  export LD_LIBRARY_PATH="${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}/usr/local/nvidia/lib64:$BUNDLE/native"
  # the JVM's signal chaining: the OpenCL backend refuses to start without it (JvmSignalChaining).
  # Set through env for the JVM alone (JMH's forks inherit it; in timeout, libjsig prints a warning)
  local jsig; jsig="$(dirname "$(dirname "$(readlink -f "$(command -v "$java")")")")/lib/libjsig.so"
  local jvm=("$java")
  if [[ -f "$jsig" ]]; then jvm=(env "LD_PRELOAD=$jsig${LD_PRELOAD:+:$LD_PRELOAD}" "$java"); else echo "warning: no $jsig" >&2; fi
  {
    echo "# gpu-check $(date -u +%FT%TZ)"
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | head -2
    "$java" -version 2>&1 | head -1
    echo "ICD files: $(ls /etc/OpenCL/vendors 2>/dev/null | tr '\n' ' ')"
  } >> "$OUTDIR/summary.md"
  local flags=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED)
  local cp="$BUNDLE/gimvi-tools.jar:$BUNDLE/gimvi-benchmarks-0.1.0-SNAPSHOT.jar:$BUNDLE/classes:$BUNDLE/lib/*"
  # the devices as a user sees them: without the test classes (whose lockstep provider is for tests only)
  local appcp="$BUNDLE/gimvi-tools.jar:$BUNDLE/gimvi-benchmarks-0.1.0-SNAPSHOT.jar:$BUNDLE/lib/*"
  stage devices 60 "${jvm[@]}" "${flags[@]}" -cp "$appcp" org.gimvi.tools.GimviCli info --devices
  cat "$OUTDIR/devices.txt" >> "$OUTDIR/summary.md"
  # the first GPU's number in gimvi's own numbering
  # GPU_CHECK_DEVICE=N tests another device (e.g. pocl, for a dry run of this script on the build machine)
  local n="${GPU_CHECK_DEVICE:-}"
  [[ -n "$n" ]] || n=$(grep -m1 -E '^opencl:[0-9]+: .*\(GPU' "$OUTDIR/devices.txt" | sed -E 's/^opencl:([0-9]+):.*/\1/')
  if [[ -z "$n" ]]; then
    echo "no OpenCL GPU found: stopping (see devices.txt)" | tee -a "$OUTDIR/summary.md"
    return 1
  fi
  echo "GPU under test: opencl:$n" >> "$OUTDIR/summary.md"
  stage tests 120 "${jvm[@]}" "${flags[@]}" -Dgimvi.opencl.required=true -Dgimvi.opencl.device="$n" -cp "$cp" RunOpenClTests
  grep -E "tests (successful|failed|skipped|aborted)|\[opencl\]" "$OUTDIR/tests.txt" >> "$OUTDIR/summary.md"
  if [[ -n "${GPU_CHECK_QUICK:-}" ]]; then cat "$OUTDIR/summary.md"; return 0; fi  # dry run: devices and tests only
  # JMH: the decoder's wide products and 1024³, and one training step, CPU (all 16 cores) vs GPU
  # (every shape of GemmBenchmark: JMH's -p splits on commas, which its shape values contain)
  stage gemm 100 "${jvm[@]}" "${flags[@]}" -cp "$cp" org.openjdk.jmh.Main GemmBenchmark \
    -p impl=simd-all,opencl:"$n" -wi 1 -w 1 -i 2 -r 1 -f 1 -rf csv -rff "$OUTDIR/gemm.csv"
  stage step 90 "${jvm[@]}" "${flags[@]}" -cp "$cp" org.openjdk.jmh.Main TrainingStepBenchmark \
    -p genes=33,2000,20000 -p backend=simd,opencl:"$n" -wi 1 -w 1 -i 2 -r 1 -f 1 -rf csv -rff "$OUTDIR/step.csv"
  # end to end: E epochs of gimVI per width and device (ms per step is the number to compare)
  # with the per-operation profile (every launch timed: a table per width and device, and the whole run's)
  stage e2e 150 "${jvm[@]}" "${flags[@]}" -Dgimvi.opencl.profile=true -cp "$cp" org.gimvi.benchmarks.DeviceComparison \
    --genes 33,2000,20000 --devices cpu,opencl:"$n" --epochs "${GPU_CHECK_EPOCHS:-10}" --out "$OUTDIR/e2e.csv"
  grep -F "[opencl profile]" "$OUTDIR/e2e.txt" >> "$OUTDIR/summary.md"
  for f in gemm.csv step.csv e2e.csv; do
    [[ -f "$OUTDIR/$f" ]] && { echo; echo "### $f"; cat "$OUTDIR/$f"; } >> "$OUTDIR/summary.md"
  done
  cat "$OUTDIR/summary.md"
}

case "${1:-}" in
  prepare) prepare ;;
  run) run ;;
  *) echo "usage: $0 prepare|run" >&2; exit 2 ;;
esac
