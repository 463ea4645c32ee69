package org.gimvi.model.gimvi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.gimvi.engine.nn.Parameter;
import org.gimvi.engine.nn.ParameterArena;
import org.gimvi.engine.nn.ParameterLayout;
import org.gimvi.engine.random.Rng;
import org.junit.jupiter.api.Test;

/** gimVI's parameters live in one arena, laid out so that each optimiser group is one backend call. */
class ParameterArenaLayoutTest {

    @Test
    void everyParameterIsAViewIntoOneGaplessArenaWithOneAdamCallPerGroup() {
        List<Gimvi.DatasetInput> data = TestData.pair(120, 100, 12, 6, 3);
        Gimvi model = Gimvi.create(data, TestData.options(GimviArchitecture.defaults(), 1));
        JointVae vae = model.module();
        ParameterArena arena = vae.parameterArena();
        List<Parameter> params = vae.parameters();
        assertEquals(params, arena.parameters(), "the arena holds the module's parameters in collection order");
        int next = 0;
        for (Parameter p : params) {
            assertSame(arena, p.arena(), p.name());
            assertEquals(next, p.offset(), p.name() + " starts where the previous tensor ends");
            assertSame(arena.values(), p.value().array(), p.name());
            assertSame(arena.gradients(0), p.grad().array(), p.name());
            next += p.size();
        }
        assertEquals(next, arena.size());
        String map = arena.layout().toString();
        for (ParameterLayout.Entry e : arena.layout().entries()) {
            assertTrue(map.contains(e.name()), "the printed memory map names " + e.name());
        }

        TrainingConfig cfg = new TrainingConfig();
        cfg.batchSize = 32;
        List<GimviTrainingPlan.Input> inputs = new ArrayList<>();
        for (int m = 0; m < 2; m++) {
            inputs.add(new GimviTrainingPlan.Input("d" + m, data.get(m).counts(), model.cellBatch(m),
                    DataSplit.of("d" + m, data.get(m).counts().rows(), 0.9, 32, new Rng(m))));
        }
        GimviTrainingPlan plan = new GimviTrainingPlan(vae, inputs, cfg, new Rng(2));
        assertArrayEquals(new int[]{1, 1, 1}, plan.optimizerGroups(),
                "z-encoder, rest and classifier: one contiguous range, one Adam call each");
        assertEquals(2, arena.lanes(), "one gradient lane per dataset");
    }
}
