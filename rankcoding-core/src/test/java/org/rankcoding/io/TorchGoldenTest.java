package org.rankcoding.io;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.infer.RankCodingModel;
import org.rankcoding.infer.StreamingSession;
import org.rankcoding.kernel.ReferenceKernels;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.Parameters;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.InferencePass;
import org.rankcoding.rc.LossMode;
import org.rankcoding.rc.RankCodingLoss;
import org.rankcoding.rc.RankCodingPass;
import org.rankcoding.rc.RcTestSupport;
import org.rankcoding.rc.RowOutcomes;
import org.rankcoding.rc.StepObserver;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Golden tests against PyTorch, in both directions, on the committed files of {@code src/test/resources/golden}
 * (regenerated as docs/models.md says; the PyTorch side is {@code scripts/torch_interop.py}):
 * <ul>
 *   <li>{@code torch-*}: models built by PyTorch and written by the script's own safetensors writer, with an input
 *       batch and what PyTorch computed in float64: per-step probabilities, first spikes at the stored threshold,
 *       decision steps, the RC loss and its gradients by autograd. This library must load the files and reproduce
 *       all of it with the double reference kernels, to 1e-5.</li>
 *   <li>{@code java-*}: models written by {@link ModelFiles#save} ({@link JavaGoldenModels}), read back by the
 *       script into {@code nn.LSTM} + {@code nn.Linear}, with PyTorch's forward pass over an input batch. Its
 *       probabilities and first spikes must equal this library's forward pass, and the committed files must still be
 *       what the current writer produces.</li>
 * </ul>
 */
class TorchGoldenTest {

    private static final double TOLERANCE = 1e-5;

    /** The Java-written goldens: file name, network, threshold and options (the generator and the check share them). */
    record JavaCase(String name, RankCodingNetwork network, double theta, SaveOptions options) {
    }

    static List<JavaCase> javaCases() {
        SaveOptions f32 = SaveOptions.DEFAULT.withMetadata(Map.of("purpose", "golden test: Java save -> PyTorch load"));
        return List.of(
                new JavaCase("java-softmax-2layer-f32", RcTestSupport.network(3, 4, 2, HeadType.SOFTMAX, 3, 101, 2.0), 0.75, f32),
                new JavaCase("java-per-class-sigmoid-2layer-f32",
                        RcTestSupport.network(3, 4, 2, HeadType.PER_CLASS_SIGMOID, 3, 103, 2.0), 0.85, f32),
                new JavaCase("java-binary-sigmoid-1layer-f64",
                        RcTestSupport.network(3, 4, 1, HeadType.BINARY_SIGMOID, 2, 102, 2.0), 0.7,
                        f32.withDtype(TensorDType.F64)));
    }

    static Stream<String> torchCases() {
        List<String> names = new ArrayList<>();
        for (String head : new String[]{"binary-sigmoid", "per-class-sigmoid", "softmax"}) {
            names.add("torch-" + head + "-1layer-f32");
            names.add("torch-" + head + "-2layer-f64");
        }
        return names.stream();
    }

    @ParameterizedTest
    @MethodSource("torchCases")
    void pytorchExportsLoadAndComputeWhatPyTorchComputed(String name) throws IOException {
        LoadedModel loaded = ModelFiles.load(golden(name + ".model.safetensors"));
        Golden expected = Golden.read(golden(name + ".expected.safetensors"));
        assertEquals(name.endsWith("f32") ? TensorDType.F32 : TensorDType.F64, loaded.dtype());
        assertEquals("pytorch export", loaded.metadata("created_by"));
        assertEquals(Double.parseDouble(expected.metadata.get("threshold")), loaded.threshold(), 0.0);
        double beta = Double.parseDouble(expected.metadata.get("beta"));
        assertTrue(beta > 0, "the goldens exercise the entropy reward");
        RankCodingNetwork net = loaded.network();
        double theta = loaded.threshold();
        SequenceBatch batch = expected.batch(net.config().numClasses());

        checkProbabilities(loaded, batch, expected);

        RankCodingPass pass = new RankCodingPass(net, ReferenceKernels.INSTANCE);
        Parameters gradients = net.parameters().zerosLike();
        double loss = pass.gradients(batch, theta, new RankCodingLoss(LossMode.RANK_CODING, beta),
                RankCodingPass.UNLIMITED_HORIZON, gradients);
        assertEquals(expected.doubles("loss")[0], loss, TOLERANCE, "loss");
        long[] first = expected.longs("first_spike");
        long[] decision = expected.longs("decision_step");
        boolean early = false;
        boolean late = false;
        boolean none = false;
        for (int r = 0; r < batch.batchSize(); r++) {
            assertEquals(first[r], pass.firstSpike(r), "first spike of row " + r);
            assertEquals(decision[r], pass.decisionStep(r), "decision step of row " + r);
            early |= first[r] == 1;
            late |= first[r] > 1;
            none |= first[r] == 0;
        }
        assertTrue(early && late && none, "the golden batch has spikes at step 1, later spikes and rows that never spike");
        for (String param : net.parameters().names()) {
            DMatrixRMaj g = gradients.get(param);
            assertClose(expected.doubles("grad." + param), Arrays.copyOf(g.data, g.getNumElements()), "gradient of " + param);
        }
        RowOutcomes toEnd = new InferencePass(net, ReferenceKernels.INSTANCE).runToEnd(batch, theta, StepObserver.NONE);
        for (int r = 0; r < batch.batchSize(); r++) {
            assertEquals(first[r], toEnd.firstSpike(r), "first spike of row " + r + " without early exit");
        }
    }

    @Test
    void javaWrittenModelsAreWhatPyTorchRead() throws IOException {
        for (JavaCase c : javaCases()) {
            Path file = golden(c.name() + ".model.safetensors");
            LoadedModel loaded = ModelFiles.load(file);
            assertEquals(c.network().config(), loaded.config(), c.name());
            assertEquals(c.theta(), loaded.threshold(), 0.0);
            assertEquals(c.options().dtype(), loaded.dtype());
            // the committed file is the one the generator wrote ...
            for (String param : c.network().parameters().names()) {
                double[] want = c.network().parameters().get(param).data.clone();
                if (c.options().dtype() == TensorDType.F32) {
                    for (int i = 0; i < want.length; i++) {
                        want[i] = (float) want[i];
                    }
                }
                assertArrayEquals(want, loaded.network().parameters().get(param).data, 0.0, c.name() + " " + param);
            }
            // ... and still what the current writer writes (apart from the time and version stamps)
            Path fresh = tmp.resolve(c.name() + ".safetensors");
            ModelFiles.save(c.network(), c.theta(), fresh, c.options());
            assertSameContent(file, fresh);
            // PyTorch's forward pass over the file equals ours
            Golden expected = Golden.read(golden(c.name() + ".expected.safetensors"));
            assertEquals(c.name() + ".model.safetensors", expected.metadata.get("model_file"));
            SequenceBatch batch = expected.batch(c.network().config().numClasses());
            checkProbabilities(loaded, batch, expected);
            RowOutcomes pass = new InferencePass(loaded.network(), ReferenceKernels.INSTANCE).runToEnd(batch, c.theta(),
                    StepObserver.NONE);
            long[] first = expected.longs("first_spike");
            for (int r = 0; r < batch.batchSize(); r++) {
                assertEquals(first[r], pass.firstSpike(r), c.name() + ": first spike of row " + r);
            }
        }
    }

    @TempDir
    Path tmp;

    /** Per-step probabilities of every row over its visible steps, by this library's streaming forward pass. */
    private static void checkProbabilities(LoadedModel loaded, SequenceBatch batch, Golden expected) {
        RankCodingModel model = loaded.model(ReferenceKernels.INSTANCE);
        StreamingSession session = model.newSession();
        int k = loaded.network().head().outputs();
        int b = batch.batchSize();
        double[] want = expected.doubles("probabilities");
        assertEquals((long) batch.maxLength() * b * k, want.length);
        double[] p = new double[k];
        double[] x = new double[batch.inputSize()];
        double[] in = batch.inputArray();
        for (int r = 0; r < b; r++) {
            session.reset();
            for (int t = 0; t < batch.length(r); t++) {
                System.arraycopy(in, batch.inputOffset(t, r), x, 0, x.length);
                session.feed(x);
                session.currentProbabilities(p);
                for (int j = 0; j < k; j++) {
                    double w = want[(t * b + r) * k + j];
                    assertEquals(w, p[j], TOLERANCE, "probability " + j + " of row " + r + " at step " + (t + 1));
                }
            }
        }
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], TOLERANCE, what + " [" + i + "]");
        }
    }

    /** Same tensors (names, dtypes, shapes, offsets, bytes) and same metadata apart from created_at and library_version. */
    private static void assertSameContent(Path committed, Path fresh) throws IOException {
        SafetensorsHeader a = header(committed);
        SafetensorsHeader b = header(fresh);
        assertEquals(a.entries().size(), b.entries().size());
        for (int i = 0; i < a.entries().size(); i++) {
            SafetensorsHeader.Entry x = a.entries().get(i);
            SafetensorsHeader.Entry y = b.entries().get(i);
            assertEquals(x.name(), y.name());
            assertEquals(x.dtype(), y.dtype());
            assertArrayEquals(x.shape(), y.shape());
            assertEquals(x.begin(), y.begin());
            assertEquals(x.end(), y.end());
        }
        Map<String, String> ma = new HashMap<>(a.metadata());
        Map<String, String> mb = new HashMap<>(b.metadata());
        for (String volatileKey : List.of(ModelFiles.KEY_CREATED_AT, ModelFiles.KEY_LIBRARY_VERSION)) {
            assertNotNull(ma.remove(volatileKey));
            assertNotNull(mb.remove(volatileKey));
        }
        assertEquals(ma, mb, committed + ": metadata differs from what the writer writes now; regenerate the goldens");
        byte[] da = Files.readAllBytes(committed);
        byte[] db = Files.readAllBytes(fresh);
        assertArrayEquals(Arrays.copyOfRange(da, (int) a.dataStart(), da.length),
                Arrays.copyOfRange(db, (int) b.dataStart(), db.length), committed + ": tensor bytes differ");
    }

    private static SafetensorsHeader header(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return SafetensorsHeader.read(file, ch, ModelFiles.MAX_HEADER_BYTES, ModelFiles.MAX_TENSORS,
                    ModelFiles.MAX_METADATA_ENTRIES);
        }
    }

    static Path golden(String name) {
        URL url = TorchGoldenTest.class.getResource("/golden/" + name);
        assertNotNull(url, "missing test resource golden/" + name + " (regenerate the goldens: docs/models.md)");
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An expected-values file: F64 and I64 tensors by name, and its metadata. */
    static final class Golden {
        final Map<String, String> metadata;
        final Map<String, SafetensorsHeader.Entry> entries = new HashMap<>();
        final byte[] bytes;
        final long dataStart;

        private Golden(SafetensorsHeader h, byte[] bytes) {
            this.metadata = h.metadata();
            this.bytes = bytes;
            this.dataStart = h.dataStart();
            for (SafetensorsHeader.Entry e : h.entries()) {
                entries.put(e.name(), e);
            }
        }

        static Golden read(Path file) throws IOException {
            return new Golden(header(file), Files.readAllBytes(file));
        }

        private ByteBuffer data(String name, String dtype) {
            SafetensorsHeader.Entry e = entries.get(name);
            assertNotNull(e, "golden tensor " + name);
            assertEquals(dtype, e.dtype(), name);
            return ByteBuffer.wrap(bytes, (int) (dataStart + e.begin()), (int) (e.end() - e.begin())).slice()
                    .order(ByteOrder.LITTLE_ENDIAN);
        }

        double[] doubles(String name) {
            ByteBuffer b = data(name, "F64");
            double[] v = new double[b.remaining() / 8];
            b.asDoubleBuffer().get(v);
            return v;
        }

        long[] longs(String name) {
            ByteBuffer b = data(name, "I64");
            long[] v = new long[b.remaining() / 8];
            b.asLongBuffer().get(v);
            return v;
        }

        long[] shape(String name) {
            return entries.get(name).shape();
        }

        /** The batch: inputs [T, B, I] (time-major, as SequenceBatch), lengths and labels (zeros if absent). */
        SequenceBatch batch(int numClasses) {
            long[] s = shape("inputs");
            int steps = (int) s[0];
            int rows = (int) s[1];
            int inputs = (int) s[2];
            int[] lengths = Arrays.stream(longs("lengths")).mapToInt(Math::toIntExact).toArray();
            int[] labels = entries.containsKey("labels")
                    ? Arrays.stream(longs("labels")).mapToInt(Math::toIntExact).toArray() : new int[rows];
            return new SequenceBatch(rows, steps, inputs, doubles("inputs"), lengths, labels, numClasses, null);
        }
    }
}
