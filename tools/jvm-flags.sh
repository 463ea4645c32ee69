# JVM flags the launchers share (sourced by ./gimvi and benchmarks/speed-today.sh).
#
# gimvi_jit_flags: two C2 compiler threads on a machine of two or three CPUs, where HotSpot's
# ergonomics start one. A fresh fit runs its vector kernels in the Vector API's slow fallback until C2
# has compiled them, so compiling sooner beats training on in the fallback: on 2 vCPUs (Zen 4, JDK 17)
# fresh osmFISH/Allen fits were faster in 7 of 8 alternations, median 5.42 -> 5.09 s (README, "Session
# 15"). Four or more CPUs already get two C2 threads. Prints nothing when JAVA_OPTS sets the count.
gimvi_jit_flags() {
  local cpus
  cpus="$(nproc 2>/dev/null || echo 4)"
  if (( cpus <= 3 )) && [[ "${JAVA_OPTS:-}" != *CICompilerCount* ]]; then
    echo "-XX:-CICompilerCountPerCPU -XX:CICompilerCount=3"
  fi
}
