package org.rankcoding.io;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rankcoding.infer.Decision;
import org.rankcoding.infer.RankCodingModel;
import org.rankcoding.infer.StreamingSession;
import org.rankcoding.kernel.ReferenceKernels;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.RcTestSupport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelFilesTest {

    @TempDir
    Path dir;

    static Stream<Arguments> shapes() {
        List<Arguments> list = new ArrayList<>();
        for (HeadType head : HeadType.values()) {
            for (int layers = 1; layers <= 2; layers++) {
                list.add(Arguments.of(head, layers));
            }
        }
        return list.stream();
    }

    static RankCodingNetwork network(HeadType head, int layers, long seed) {
        int classes = head == HeadType.BINARY_SIGMOID ? 2 : 4;
        return RcTestSupport.network(3, 5, layers, head, classes, seed, 1.3);
    }

    /** A session of each of two models that must stream identically: both are fed the same steps and compared exactly. */
    static final class TwinSessions {
        private final StreamingSession a;
        private final StreamingSession b;
        private final double[] pa;
        private final double[] pb;

        /** New sessions of {@code original} and {@code loaded}, whose heads have {@code outputs} probabilities. */
        TwinSessions(RankCodingModel original, RankCodingModel loaded, int outputs) {
            a = original.newSession();
            b = loaded.newSession();
            pa = new double[outputs];
            pb = new double[outputs];
        }

        /** Starts a new stream in both sessions. */
        void reset() {
            a.reset();
            b.reset();
        }

        /**
         * Feeds {@code x} to both sessions and asserts the same current probabilities, a decision in both or in neither,
         * and, when decided, the same label and step.
         */
        void assertSameFeed(double[] x) {
            Decision da = a.feed(x);
            Decision db = b.feed(x);
            a.currentProbabilities(pa);
            b.currentProbabilities(pb);
            assertArrayEquals(pa, pb, 0.0);
            assertEquals(da == null, db == null);
            if (da != null) {
                assertEquals(da.label(), db.label());
                assertEquals(da.step(), db.step());
            }
        }
    }

    /** Saves {@code net} with threshold {@code theta} in F64 to {@code m.safetensors} in the test's directory. */
    private Path savedF64(RankCodingNetwork net, double theta) throws IOException {
        Path file = dir.resolve("m.safetensors");
        ModelFiles.save(net, theta, file, SaveOptions.DEFAULT.withDtype(TensorDType.F64));
        return file;
    }

    /** Asserts that {@code loaded} holds the parameters of {@code net} under the same names, shapes and exact values. */
    static void assertSameParameters(RankCodingNetwork net, LoadedModel loaded) {
        assertEquals(net.parameters().names(), loaded.network().parameters().names());
        for (String name : net.parameters().names()) {
            DMatrixRMaj a = net.parameters().get(name);
            DMatrixRMaj b = loaded.network().parameters().get(name);
            assertEquals(a.numRows, b.numRows, name);
            assertEquals(a.numCols, b.numCols, name);
            assertArrayEquals(Arrays.copyOf(a.data, a.getNumElements()), Arrays.copyOf(b.data, b.getNumElements()), 0.0, name);
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void f64RoundTripIsExact(HeadType head, int layers) throws IOException {
        RankCodingNetwork net = network(head, layers, 11);
        Path file = savedF64(net, 0.87);
        LoadedModel loaded = ModelFiles.load(file);
        assertEquals(net.config(), loaded.config());
        assertEquals(0.87, loaded.threshold());
        assertEquals(TensorDType.F64, loaded.dtype());
        assertEquals(net.seed(), loaded.network().seed());
        assertSameParameters(net, loaded);
        // 8 + N bytes of prefix and header, then 8 bytes per value
        assertEquals(8 + headerLength(file) + 8 * net.parameters().count(), Files.size(file));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void f32RoundTripRoundsEachWeightToFloat(HeadType head, int layers) throws IOException {
        RankCodingNetwork net = network(head, layers, 12);
        Path file = dir.resolve("m.safetensors");
        ModelFiles.save(net, 0.95, file);
        LoadedModel loaded = ModelFiles.load(file);
        assertEquals(TensorDType.F32, loaded.dtype());
        assertEquals(net.config(), loaded.config());
        boolean anyRounded = false;
        for (String name : net.parameters().names()) {
            DMatrixRMaj a = net.parameters().get(name);
            DMatrixRMaj b = loaded.network().parameters().get(name);
            for (int i = 0; i < a.getNumElements(); i++) {
                assertEquals((double) (float) a.data[i], b.data[i], 0.0, name + "[" + i + "]");
                anyRounded |= a.data[i] != b.data[i];
            }
        }
        assertTrue(anyRounded, "F32 storage should round some double weights");
        assertEquals(8 + headerLength(file) + 4 * net.parameters().count(), Files.size(file));
    }

    @Test
    void headerIsPaddedJsonWithConfigurationAndProvenance() throws IOException {
        RankCodingNetwork net = network(HeadType.SOFTMAX, 2, 13);
        Path file = dir.resolve("m.safetensors");
        Instant before = Instant.now().minusSeconds(2);
        ModelFiles.save(net, 0.9, file, SaveOptions.DEFAULT.withMetadata(Map.of("task", "unit test \u00e9\u4e2d")));
        long n = headerLength(file);
        assertEquals(0, (8 + n) % 8, "the data starts at a multiple of 8");
        byte[] all = Files.readAllBytes(file);
        String header = new String(all, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"format\":\"rankcoding-lstm\""), header);
        assertTrue(header.contains("\"lstm.weight_ih_l1\":{\"dtype\":\"F32\",\"shape\":[20,5],"), header);
        assertTrue(header.contains("\"readout.weight\":{\"dtype\":\"F32\",\"shape\":[4,5],"), header);
        assertTrue(header.contains("\"lstm.bias_hh_l0\":{\"dtype\":\"F32\",\"shape\":[20],"), header);
        LoadedModel loaded = ModelFiles.load(file);
        Map<String, String> m = loaded.metadata();
        assertEquals("rankcoding-lstm", m.get("format"));
        assertEquals("1", m.get("format_version"));
        assertEquals("SOFTMAX", m.get("head"));
        assertEquals("4", m.get("num_classes"));
        assertEquals("0.9", m.get("threshold"));
        assertEquals("3", m.get("input_size"));
        assertEquals("5", m.get("hidden_size"));
        assertEquals("2", m.get("layers"));
        assertEquals("13", m.get("seed"));
        assertEquals("rankcoding", m.get("created_by"));
        assertEquals(ModelFiles.libraryVersion(), m.get("library_version"));
        assertTrue(ModelFiles.libraryVersion().matches("\\d+\\.\\d+\\.\\d+.*"), ModelFiles.libraryVersion());
        Instant created = Instant.parse(m.get("created_at"));
        assertFalse(created.isBefore(before.minusSeconds(1)));
        assertEquals("unit test \u00e9\u4e2d", loaded.metadata("task"));
        assertThrows(UnsupportedOperationException.class, () -> loaded.metadata().put("x", "y"));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void loadedModelDecidesLikeTheOriginal(HeadType head, int layers) throws IOException {
        RankCodingNetwork net = network(head, layers, 14);
        Path file = savedF64(net, 0.8);
        RankCodingModel original = new RankCodingModel(net, 0.8, ReferenceKernels.INSTANCE);
        RankCodingModel loaded = ModelFiles.load(file).model(ReferenceKernels.INSTANCE);
        assertEquals(0.8, ModelFiles.loadModel(file).threshold());
        SplittableRandom rng = new SplittableRandom(3);
        TwinSessions twins = new TwinSessions(original, loaded, net.head().outputs());
        for (int stream = 0; stream < 20; stream++) {
            twins.reset();
            for (int t = 0; t < 12; t++) {
                twins.assertSameFeed(new double[]{rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()});
            }
        }
    }

    @Test
    void anIndependentlyWrittenFileWithPaddingLoads() throws IOException {
        RankCodingNetwork net = network(HeadType.PER_CLASS_SIGMOID, 2, 15);
        CraftedFile crafted = CraftedFile.of(net, 0.75, "F64");
        crafted.padding = 13;
        crafted.metadata.remove("seed");
        crafted.metadata.put("note", "hand-made");
        LoadedModel loaded = ModelFiles.load(crafted.write(dir.resolve("c.safetensors")));
        assertEquals(net.config(), loaded.config());
        assertEquals(0L, loaded.network().seed(), "no seed in the metadata: 0");
        assertEquals("hand-made", loaded.metadata("note"));
        assertArrayEquals(net.parameters().get("readout.weight").data, loaded.network().parameters().get("readout.weight").data, 0.0);
    }

    @Test
    void mixedDtypesLoadAndReportF64() throws IOException {
        RankCodingNetwork net = network(HeadType.BINARY_SIGMOID, 1, 16);
        CraftedFile crafted = CraftedFile.of(net, 0.75, "F32");
        DMatrixRMaj w = net.parameters().get("readout.weight");
        CraftedFile.Tensor t = crafted.tensor("readout.weight");
        t.dtypeJson = "\"F64\"";
        t.data = CraftedFile.encode(Arrays.copyOf(w.data, w.getNumElements()), "F64");
        LoadedModel loaded = ModelFiles.load(crafted.write(dir.resolve("c.safetensors")));
        assertEquals(TensorDType.F64, loaded.dtype());
        assertArrayEquals(w.data, loaded.network().parameters().get("readout.weight").data, 0.0);
    }

    @Test
    void saveReplacesAtomicallyAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("model.safetensors");
        ModelFiles.save(network(HeadType.SOFTMAX, 1, 1), 0.9, file);
        ModelFiles.save(network(HeadType.BINARY_SIGMOID, 2, 2), 0.6, file);
        LoadedModel loaded = ModelFiles.load(file);
        assertEquals(HeadType.BINARY_SIGMOID, loaded.config().head());
        assertEquals(0.6, loaded.threshold());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void aFailedSaveLeavesTheTargetAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("occupied");
        Files.createDirectory(target);
        Files.writeString(target.resolve("keep"), "x");
        assertThrows(IOException.class, () -> ModelFiles.save(network(HeadType.SOFTMAX, 1, 1), 0.9, target));
        assertTrue(Files.isDirectory(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(target), files.toList(), "the temporary file is deleted");
        }
        assertThrows(NoSuchFileException.class,
                () -> ModelFiles.save(network(HeadType.SOFTMAX, 1, 1), 0.9, dir.resolve("missing/m.safetensors")));
    }

    @Test
    void saveRejectsWhatCannotBeStoredBeforeTouchingTheFile() throws IOException {
        Path file = dir.resolve("m.safetensors");
        RankCodingNetwork good = network(HeadType.SOFTMAX, 1, 1);
        ModelFiles.save(good, 0.9, file);
        byte[] before = Files.readAllBytes(file);

        RankCodingNetwork nan = network(HeadType.SOFTMAX, 1, 1);
        nan.parameters().get("lstm.weight_hh_l0").data[7] = Double.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFiles.save(nan, 0.9, file));
        assertTrue(e.getMessage().contains("lstm.weight_hh_l0") && e.getMessage().contains("NaN"), e.getMessage());

        RankCodingNetwork huge = network(HeadType.SOFTMAX, 1, 1);
        huge.parameters().get("readout.bias").data[0] = 1e300;
        e = assertThrows(IllegalArgumentException.class, () -> ModelFiles.save(huge, 0.9, file));
        assertTrue(e.getMessage().contains("F64"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> ModelFiles.save(good, 1.0, file));
        assertTrue(e.getMessage().contains("1.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ModelFiles.save(good, 0.5, file));
        assertThrows(IllegalArgumentException.class, () -> ModelFiles.save(null, 0.9, file));
        assertArrayEquals(before, Files.readAllBytes(file), "a rejected save leaves the file as it was");

        // F64 stores what F32 cannot
        ModelFiles.save(huge, 0.9, file, SaveOptions.DEFAULT.withDtype(TensorDType.F64));
        assertEquals(1e300, ModelFiles.load(file).network().parameters().get("readout.bias").data[0]);
    }

    @Test
    void saveOptionsRejectReservedKeysNullsAndUnpairedSurrogates() {
        assertThrows(IllegalArgumentException.class, () -> SaveOptions.DEFAULT.withMetadata(Map.of("threshold", "0.9")));
        assertThrows(IllegalArgumentException.class, () -> SaveOptions.DEFAULT.withMetadata(Map.of("", "x")));
        assertThrows(IllegalArgumentException.class, () -> SaveOptions.DEFAULT.withMetadata(Map.of("a", "\ud800")));
        assertThrows(IllegalArgumentException.class, () -> SaveOptions.DEFAULT.withDtype(null));
        assertThrows(IllegalArgumentException.class, () -> new SaveOptions(TensorDType.F32, null));
        assertEquals("\ud83d\ude00", SaveOptions.DEFAULT.withMetadata(Map.of("a", "\ud83d\ude00")).metadata().get("a"));
    }

    @Test
    void aMissingFileIsAPlainFileSystemError() {
        IOException e = assertThrows(IOException.class, () -> ModelFiles.load(dir.resolve("nope.safetensors")));
        assertTrue(e instanceof NoSuchFileException, e.toString());
        assertFalse(e instanceof ModelFileException);
    }

    @Test
    void aLoadedNetworkIsIndependentOfTheModelMadeFromIt() throws IOException {
        Path file = dir.resolve("m.safetensors");
        ModelFiles.save(network(HeadType.BINARY_SIGMOID, 1, 1), 0.9, file);
        LoadedModel loaded = ModelFiles.load(file);
        RankCodingModel model = loaded.model();
        loaded.network().parameters().zero();
        assertEquals(new NetworkConfig(3, 5, 1, HeadType.BINARY_SIGMOID, 2), model.config());
        StreamingSession s = model.newSession();
        s.feed(new double[]{1, 2, 3});
        double[] p = new double[1];
        s.currentProbabilities(p);
        assertNotEquals(0.5, p[0], "the model keeps its own copy of the weights");
    }

    static long headerLength(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        return ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }
}
