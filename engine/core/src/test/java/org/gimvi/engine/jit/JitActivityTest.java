package org.gimvi.engine.jit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JitActivityTest {
    private long now;
    private long compileMillis;

    private JitActivity activity(int processors) {
        return new JitActivity(() -> compileMillis, () -> now, processors);
    }

    @Test
    void busyWhileTheCompilerTakesMoreThanAQuarterOfTheWallTime() {
        JitActivity jit = activity(2);
        assertTrue(jit.compilerBusy(), "a fresh JVM counts as compiling until the first sample");
        now += JitActivity.SAMPLE_NANOS;
        compileMillis += 10; // 10 of 20 ms
        assertTrue(jit.compilerBusy());
        now += JitActivity.SAMPLE_NANOS;
        compileMillis += 4; // 4 of 20 ms: under a quarter
        assertFalse(jit.compilerBusy());
        now += JitActivity.SAMPLE_NANOS / 2;
        compileMillis += 100; // within the sample window: the state stands
        assertFalse(jit.compilerBusy());
        now += JitActivity.SAMPLE_NANOS / 2;
        assertTrue(jit.compilerBusy(), "100 ms of compilation in the 20 ms window");
        now += 10 * JitActivity.SAMPLE_NANOS;
        assertFalse(jit.compilerBusy(), "no compilation over a long window");
    }

    @Test
    void onlyThreadsThatFillTheMachineCompeteWithTheCompiler() {
        JitActivity jit = activity(4);
        assertTrue(jit.competesWith(4));
        assertTrue(jit.competesWith(8));
        assertFalse(jit.competesWith(2), "two threads on four processors leave the compiler a core");
        now += JitActivity.SAMPLE_NANOS;
        assertFalse(jit.competesWith(4), "an idle compiler competes with nothing");
    }

    @Test
    void withoutCompilationTimeMonitoringNothingIsBusy() {
        JitActivity jit = new JitActivity(null, () -> now, 1);
        assertFalse(jit.compilerBusy());
        assertFalse(jit.competesWith(1));
    }
}
