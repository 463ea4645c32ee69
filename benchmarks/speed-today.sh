#!/usr/bin/env bash
# The README's "Speed today" table: every number in it from one run of this script, on one machine,
# one measurement after another (no alternation: for before/after comparisons see the sections that
# alternate builds). Takes about five minutes on 2 cores.
#
#   benchmarks/speed-today.sh [OSMFISH_ALLEN_DIR]
#       (default ../shared/data/AllenCortex_SMARTseq_osmFISH33_TISSUEtests)
#
# Prints a Markdown table on stdout; progress and the raw lines go to stderr.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="${1:-$ROOT/../shared/data/AllenCortex_SMARTseq_osmFISH33_TISSUEtests}"
if [[ ! -d "$DATA" ]]; then
  echo "speed-today: no osmFISH/Allen folder at $DATA (pass the folder as the first argument)" >&2
  exit 2
fi
cd "$ROOT"
echo "speed-today: building…" >&2
mvn -q -B -DskipTests install >&2
touch tools/cli/target/gimvi-tools.jar # ./gimvi would otherwise rebuild
# the benchmark mains here need no Spark classes (a stale shaded Spark jar once shadowed the engine's
# classes on this class path; see the README, "Whole-transcriptome references")
rm -f benchmarks/target/lib/gimvi-spark*
CP="benchmarks/target/gimvi-benchmarks-0.1.0-SNAPSHOT.jar:benchmarks/target/lib/*"
# the launcher's compiler threads (tools/jvm-flags.sh), so the fresh-JVM rows measure what ./gimvi runs
source "$ROOT/tools/jvm-flags.sh"
read -r -a JIT_FLAGS <<< "$(gimvi_jit_flags)"
JAVA=(java --add-modules jdk.incubator.vector ${JIT_FLAGS[@]+"${JIT_FLAGS[@]}"} -cp "$CP")
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

range() { sort -g | awk 'NR==1{lo=$1} {hi=$1} END{if (lo==hi) printf "%s", lo; else printf "%s–%s", lo, hi}'; }

echo "speed-today: osmFISH/Allen, 200 epochs, three fresh JVMs…" >&2
for r in 1 2 3; do
  "${JAVA[@]}" org.gimvi.benchmarks.EndToEndTraining --data "$DATA" 2>/dev/null | grep '^train' | tee -a "$OUT/e2e" >&2
done
E2E_TRAIN=$(grep -o 'train [0-9.]*' "$OUT/e2e" | awk '{print $2}' | range)
E2E_UPTIME=$(grep -o 'trained [0-9.]*' "$OUT/e2e" | awk '{print $2}' | range)
E2E_EPOCH=$(grep -o 'median epoch [0-9.]*' "$OUT/e2e" | awk '{printf "%.1f\n", $3 * 1000}' | range)

echo "speed-today: gimvi-spec seeds 0-3 and the default gimvi, one JVM each…" >&2
./gimvi benchmark --data "$DATA" --out "$OUT/spec" --methods gimvi-spec --seeds 0,1,2,3 --no-purity >/dev/null 2>&1
SPEC_FRESH=$(awk -F, '$3=="gimvi-spec" && $4=="0" {printf "%.2f", $9}' "$OUT/spec/summary.csv")
SPEC_WARM=$(awk -F, '$3=="gimvi-spec" && $4!="0" && NR>1 {printf "%.2f\n", $9}' "$OUT/spec/summary.csv" | range)
./gimvi benchmark --data "$DATA" --out "$OUT/default" --methods gimvi --seeds 0 --no-purity >/dev/null 2>&1
DEFAULT=$(awk -F, '$3=="gimvi" && $4=="0" {printf "%.1f s (%.1f CPU-s)", $9, $21}' "$OUT/default/summary.csv")

echo "speed-today: one training step (TrainingStepBenchmark's pairs), 33 and 2,000 genes…" >&2
step() { # threads, genes, warm-up seconds, steps → the median step in µs
  GIMVI_THREADS=$1 "${JAVA[@]}" org.gimvi.benchmarks.StepTimes "$2" "$3" "$4" 2>/dev/null > "$OUT/step"
  cat "$OUT/step" >&2
  grep -o 'median [0-9.]*' "$OUT/step" | head -1 | awk '{print $2}' # the full steps' median (2 × 128 cells)
}
STEP33_1=$(step 1 33 8 3000)
STEP33_2=$(step 2 33 8 3000)
STEP2000=$(step 2 2000 15 600 | awk '{printf "%.2f", $1 / 1000}')

echo "speed-today: a 2,150-gene reference, 200 epochs, fresh JVM…" >&2
"${JAVA[@]}" org.gimvi.benchmarks.EndToEndTraining --simulate 2150,1922,120,428 --seq-depth 250 2>/dev/null \
  | grep '^train' | tee "$OUT/wide" >&2
WIDE_TRAIN=$(grep -o 'train [0-9.]*' "$OUT/wide" | awk '{print $2}')
WIDE_EPOCH=$(grep -o 'median epoch [0-9.]*' "$OUT/wide" | awk '{printf "%.0f", $3 * 1000}')
WIDE_RSS=$(grep -o 'peak RSS [0-9]* MB' "$OUT/wide" | awk '{print $3}')

CPU=$(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2; exit}')
FAMILY=$(lscpu | awk -F: '/CPU family/ {gsub(/ /, "", $2); print $2; exit}')
MODEL=$(lscpu | awk -F: '/^Model:/ {gsub(/ /, "", $2); print $2; exit}')
NCPU=$(nproc)
JDK=$(java -version 2>&1 | head -1 | sed 's/.*"\(.*\)".*/\1/')
cat <<EOF
Measured by \`benchmarks/speed-today.sh\` on $(date -u +%Y-%m-%d): $CPU (lscpu family $FAMILY, model $MODEL), $NCPU CPUs, JDK $JDK, commit $(git rev-parse --short HEAD)${JIT_FLAGS[*]:+, JVM flags ${JIT_FLAGS[*]}}.

| what | time |
|---|---|
| osmFISH/Allen, one 200-epoch gimVI fit, fresh JVM (\`EndToEndTraining --data …\`, 3 runs): \`train\` | $E2E_TRAIN s (JVM start to trained $E2E_UPTIME s) |
| the same, median epoch (24 steps) | $E2E_EPOCH ms |
| \`gimvi-spec\` (one fit) in \`./gimvi benchmark\`: seed 0 (fresh JVM) / seeds 1–3 (warm JVM) | $SPEC_FRESH s / $SPEC_WARM s |
| the default \`gimvi\` (five fits side by side, blend), seed 0, fresh JVM | $DEFAULT |
| one full training step (2 × 128 cells) at 33 genes (\`StepTimes 33\`, median of the full steps among 3,000): 1 thread / 2 threads | $STEP33_1 / $STEP33_2 µs |
| one full training step at 2,000 genes (\`StepTimes 2000\`, median of the full steps among 600), 2 threads | $STEP2000 ms |
| a simulated 2,150-gene reference (1,922 cells, 9 % non-zero) + 120-gene panel (428 spots), 200 epochs, fresh JVM | $WIDE_TRAIN s (median epoch $WIDE_EPOCH ms, peak RSS $WIDE_RSS MB) |
EOF
