package org.gimvi.model.gimvi;

import java.util.List;
import org.gimvi.engine.jit.JitDirectives;
import org.gimvi.engine.nn.Adam;
import org.gimvi.engine.nn.BatchNorm1d;
import org.gimvi.engine.nn.Dropout;
import org.gimvi.engine.nn.FullyConnectedLayer;
import org.gimvi.engine.nn.FullyConnectedStack;
import org.gimvi.engine.nn.Linear;
import org.gimvi.engine.nn.Parameter;
import org.gimvi.engine.nn.ParameterArena;

/**
 * The classes that sequence a gimVI training step: the training plan, the module and its networks,
 * the adversary, and the layers and optimiser they are made of. Each calls the compute backend for
 * every loop over cells or genes (the architecture test holds them to it), so HotSpot's optimising
 * compiler has nothing to gain from them and a fresh JVM's kernels wait behind them in its queue:
 * {@link JitDirectives#addForTraining} keeps them on C1 (see there for the measurement; it also keeps
 * the vector library's array passes from being inlined into other kernels).
 */
public final class StepCompilation {
    private static final List<Class<?>> ORCHESTRATION = List.of(
            GimviTrainingPlan.class, JointVae.class, MultiEncoder.class, GeneDecoder.class, LibraryEncoder.class,
            AdversarialClassifier.class, BlockShuffle.class,
            FullyConnectedStack.class, FullyConnectedLayer.class, Linear.class, BatchNorm1d.class, Dropout.class,
            Adam.class, ParameterArena.class, Parameter.class);

    private StepCompilation() {
    }

    /** The classes, for the architecture test. */
    public static List<Class<?>> orchestration() {
        return ORCHESTRATION;
    }

    /** Adds the directives, once per JVM (before the first step compiles anything). */
    static void prepare() {
        JitDirectives.addForTraining(ORCHESTRATION); // its outcome changes only the compile time, never a result
    }
}
