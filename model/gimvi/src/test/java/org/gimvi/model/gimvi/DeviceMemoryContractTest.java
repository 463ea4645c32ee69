package org.gimvi.model.gimvi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.Posterior;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a device backend needs from the model, checked on a simulated device ({@link MirroredDeviceBackend}):
 * every buffer reaches the backend through {@code allocate} or {@code upload}, host writes are
 * uploaded before an operation reads them, and results are downloaded before the host reads them.
 * A gimVI model trained, read out, saved and loaded on the mirror must give the SIMD backend's bits.
 */
class DeviceMemoryContractTest {

    @ParameterizedTest(name = "{0}, batches in the panel: {1}")
    @MethodSource("cases")
    void aModelOnASimulatedDeviceGivesTheHostBackendsBits(TrainingScheme scheme, boolean batches) throws Exception {
        MirroredDeviceBackend.UNKNOWN_OPERANDS.clear();
        List<Gimvi.DatasetInput> data = TestData.pair(300, 260, 15, 8, 4);
        if (batches) { // per-batch dispersion and a batch-conditioned decoder: the batch codes index the backend
            int[] codes = new int[260];
            for (int i = 0; i < codes.length; i++) {
                codes[i] = i % 3;
            }
            data = List.of(data.get(0), data.get(1).withBatches(codes, 3));
        }
        Gimvi host = trained(data, "simd", scheme);
        Gimvi device = trained(data, "mirror", scheme);
        assertEquals(List.of(), List.copyOf(MirroredDeviceBackend.UNKNOWN_OPERANDS),
                "operands that reached the backend without allocate or upload");
        assertEquals(withoutSeconds(host.history()), withoutSeconds(device.history()), "training history");
        assertSameOutputs(host, device, data, host, "trained");
        Gimvi hostLoaded = ModelFormat.decode(ModelFormat.encode(host), options("simd"));
        Gimvi deviceLoaded = ModelFormat.decode(ModelFormat.encode(device), options("mirror"));
        assertSameOutputs(hostLoaded, deviceLoaded, data, host, "saved and loaded");
        assertEquals(List.of(), List.copyOf(MirroredDeviceBackend.UNKNOWN_OPERANDS),
                "operands that reached the backend without allocate or upload");
    }

    /** The history's CSV without its last column (each epoch's wall time). */
    private static String withoutSeconds(TrainingHistory h) {
        return h.toCsv().replaceAll(",[^,\\n]*\\n", "\n");
    }

    private static GimviOptions options(String backend) {
        return TestData.options(GimviArchitecture.defaults(), 11).withBackend(backend);
    }

    static Stream<Arguments> cases() {
        return Stream.of(Arguments.of(TrainingScheme.SPEC, false), Arguments.of(TrainingScheme.PAPER2019, false),
                Arguments.of(TrainingScheme.SPEC, true));
    }

    private static Gimvi trained(List<Gimvi.DatasetInput> data, String backend, TrainingScheme scheme) {
        Gimvi model = Gimvi.create(data, options(backend));
        TrainingConfig cfg = new TrainingConfig();
        cfg.scheme = scheme;
        cfg.epochs = 3;
        cfg.batchSize = 64;
        model.train(cfg);
        return model;
    }

    /** Read-outs on the training data (the forms a loaded model without data also has). */
    private static void assertSameOutputs(Gimvi want, Gimvi got, List<Gimvi.DatasetInput> data, Gimvi batches,
                                          String what) {
        for (int m = 0; m < 2; m++) {
            var counts = data.get(m).counts();
            int[] batch = batches.cellBatch(m);
            assertBits(want.imputedValues(m, counts, batch, 1, Scale.EXPECTED_COUNTS, Posterior.MEAN),
                    got.imputedValues(m, counts, batch, 1, Scale.EXPECTED_COUNTS, Posterior.MEAN), what + ": imputed counts " + m);
            assertBits(want.imputedValues(m, counts, batch, 0, Scale.PROPORTIONS, Posterior.SAMPLE),
                    got.imputedValues(m, counts, batch, 0, Scale.PROPORTIONS, Posterior.SAMPLE), what + ": sampled proportions " + m);
            assertBits(want.latent(m, counts, batch, Posterior.MEAN), got.latent(m, counts, batch, Posterior.MEAN),
                    what + ": latent " + m);
            assertBits(want.latent(m, counts, batch, Posterior.SAMPLE), got.latent(m, counts, batch, Posterior.SAMPLE),
                    what + ": sampled latent " + m);
            Gimvi.Uncertainty u = want.imputationUncertainty(m, counts, batch, 1, Scale.PROPORTIONS, 3);
            Gimvi.Uncertainty v = got.imputationUncertainty(m, counts, batch, 1, Scale.PROPORTIONS, 3);
            assertBits(u.mean(), v.mean(), what + ": uncertainty mean " + m);
            assertBits(u.std(), v.std(), what + ": uncertainty sd " + m);
        }
    }

    private static void assertBits(FMatrixRMaj want, FMatrixRMaj got, String what) {
        assertEquals(want.numRows, got.numRows, what + " rows");
        assertEquals(want.numCols, got.numCols, what + " cols");
        for (int i = 0; i < want.numRows * want.numCols; i++) {
            if (Float.floatToIntBits(want.data[i]) != Float.floatToIntBits(got.data[i])) {
                throw new AssertionError(what + ": element " + i + " is " + got.data[i] + ", the host backend's " + want.data[i]);
            }
        }
    }
}
