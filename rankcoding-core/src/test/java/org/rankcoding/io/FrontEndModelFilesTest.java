package org.rankcoding.io;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.infer.BatchDecisions;
import org.rankcoding.infer.RankCodingModel;
import org.rankcoding.kernel.ReferenceKernels;
import org.rankcoding.nn.ConvFrontEndConfig;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.kernel.impl.ConvWeightOrder;
import org.rankcoding.rc.InferencePass;
import org.rankcoding.rc.RcTestSupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model files of networks with a convolutional front end: exact F64 and rounded F32 round trips (parameters,
 * configuration with its front end, decisions), the header's {@code front_end} entry and {@code frontend.*} tensors
 * in PyTorch's {@code Conv2d} shapes, and the refusal of files whose front end is malformed or does not match their
 * tensors; files without a {@code front_end} entry still load as networks without one.
 */
class FrontEndModelFilesTest {

    /** A 5 x 4 image, 3 filters of 3 x 3, pooled 2 x 2: 3 x 2 x 2 = 12 features. */
    private static final ConvFrontEndConfig FRONT = ConvFrontEndConfig.conv(3, 3, 2, 5, 4);
    private static final String FRONT_TEXT = "conv:channels=3,kernel=3,pool=2,height=5,width=4";

    @TempDir
    Path dir;

    private static RankCodingNetwork network(HeadType head, int layers, long seed) {
        return RcTestSupport.network(FRONT, 5, layers, head, head == HeadType.BINARY_SIGMOID ? 2 : 3, seed, 1.1);
    }

    private static String header(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        return new String(all, 8, (int) ModelFilesTest.headerLength(file), StandardCharsets.UTF_8);
    }

    /** Replaces the first occurrence of {@code from} in the file's bytes by {@code to}, of the same length. */
    private static void patch(Path file, String from, String to) throws IOException {
        assertEquals(from.length(), to.length(), "a patch keeps the header's length");
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        int at = text.indexOf(from);
        assertTrue(at > 0, "'" + from + "' is in the file");
        Files.write(file, (text.substring(0, at) + to + text.substring(at + from.length())).getBytes(StandardCharsets.ISO_8859_1));
    }

    @ParameterizedTest
    @EnumSource(HeadType.class)
    void f64RoundTripIsExactAndDecidesAlike(HeadType head) throws IOException {
        for (int layers = 1; layers <= 2; layers++) {
            RankCodingNetwork net = network(head, layers, 40 + layers);
            SplittableRandom rng = new SplittableRandom(3);
            SequenceBatch batch = RcTestSupport.batch(rng, FRONT.inputSize(), RcTestSupport.randomLengths(rng, 20, 10),
                    net.head().numClasses(), 1.0, 0.0);
            double theta = mixingThreshold(net, batch);
            Path file = dir.resolve("m" + layers + ".safetensors");
            ModelFiles.save(net, theta, file, SaveOptions.DEFAULT.withDtype(TensorDType.F64));
            LoadedModel loaded = ModelFiles.load(file);
            assertEquals(net.config(), loaded.config());
            assertEquals(FRONT, loaded.config().frontEnd());
            assertTrue(loaded.network().hasFrontEnd());
            ModelFilesTest.assertSameParameters(net, loaded);
            assertEquals(8 + ModelFilesTest.headerLength(file) + 8 * net.parameters().count(), Files.size(file));

            // identical decisions, streamed and in a batch
            assertEquals(theta, loaded.threshold());
            RankCodingModel original = new RankCodingModel(net, theta, ReferenceKernels.INSTANCE);
            RankCodingModel reloaded = loaded.model(ReferenceKernels.INSTANCE);
            BatchDecisions want = original.classify(batch);
            BatchDecisions got = reloaded.classify(batch);
            for (int r = 0; r < batch.batchSize(); r++) {
                assertEquals(want.get(r).step(), got.get(r).step(), "row " + r);
                assertEquals(want.get(r).label(), got.get(r).label(), "row " + r);
                assertArrayEquals(want.get(r).probabilities(), got.get(r).probabilities(), 0.0, "row " + r);
            }
            assertTrue(want.spikedCount() > 0 && want.spikedCount() < batch.batchSize(), "spiking and silent rows: " + want.spikedCount());
            ModelFilesTest.TwinSessions twins = new ModelFilesTest.TwinSessions(original, reloaded, net.head().outputs());
            for (int t = 0; t < 8; t++) {
                double[] x = new double[FRONT.inputSize()];
                for (int i = 0; i < x.length; i++) {
                    x[i] = rng.nextDouble() < 0.3 ? 0.0 : rng.nextGaussian();
                }
                twins.assertSameFeed(x);
            }
        }
    }

    @Test
    void f32RoundTripRoundsTheFrontEndToo() throws IOException {
        RankCodingNetwork net = network(HeadType.SOFTMAX, 2, 30);
        Path file = dir.resolve("m.safetensors");
        ModelFiles.save(net, 0.9, file);
        LoadedModel loaded = ModelFiles.load(file);
        assertEquals(TensorDType.F32, loaded.dtype());
        assertEquals(net.config(), loaded.config());
        for (String name : net.parameters().names()) {
            DMatrixRMaj a = net.parameters().get(name);
            DMatrixRMaj b = loaded.network().parameters().get(name);
            for (int i = 0; i < a.getNumElements(); i++) {
                assertEquals((double) (float) a.data[i], b.data[i], 0.0, name + "[" + i + "]");
            }
        }
        assertEquals(8 + ModelFilesTest.headerLength(file) + 4 * net.parameters().count(), Files.size(file));
    }

    @Test
    void theHeaderHoldsTheFrontEndAndItsTensorsInConv2dShapes() throws IOException {
        RankCodingNetwork net = network(HeadType.SOFTMAX, 2, 31);
        Path file = dir.resolve("m.safetensors");
        ModelFiles.save(net, 0.9, file);
        String header = header(file);
        assertTrue(header.contains("\"front_end\":\"" + FRONT_TEXT + "\""), header);
        assertTrue(header.contains("\"frontend.weight\":{\"dtype\":\"F32\",\"shape\":[3,1,3,3],"), header);
        assertTrue(header.contains("\"frontend.bias\":{\"dtype\":\"F32\",\"shape\":[3],"), header);
        assertTrue(header.contains("\"lstm.weight_ih_l0\":{\"dtype\":\"F32\",\"shape\":[20,12],"),
                "the first layer reads the 12 features: " + header);
        assertTrue(header.contains("\"input_size\":\"20\""), header);
        LoadedModel loaded = ModelFiles.load(file);
        assertEquals(FRONT_TEXT, loaded.metadata(ModelFiles.KEY_FRONT_END));
        assertTrue(ModelFiles.RESERVED_KEYS.contains("front_end"));
        assertThrows(IllegalArgumentException.class,
                () -> SaveOptions.DEFAULT.withMetadata(java.util.Map.of("front_end", "none")), "a reserved key");

        // a network without a front end is written as before front ends existed: no entry, no tensors
        Path plainFile = dir.resolve("plain.safetensors");
        ModelFiles.save(RcTestSupport.network(20, 5, 1, HeadType.SOFTMAX, 3, 1, 1.0), 0.9, plainFile);
        assertTrue(!header(plainFile).contains("front_end"), header(plainFile));
        assertTrue(!header(plainFile).contains("frontend."), header(plainFile));
        assertEquals(ConvFrontEndConfig.NONE, ModelFiles.load(plainFile).config().frontEnd());
    }

    @Test
    void aMalformedFrontEndEntryFailsNamingTheKey() throws IOException {
        RankCodingNetwork net = network(HeadType.PER_CLASS_SIGMOID, 1, 32);
        Path good = dir.resolve("good.safetensors");
        ModelFiles.save(net, 0.9, good);
        byte[] bytes = Files.readAllBytes(good);
        String[][] patches = {
                {"\"conv:channels=3,", "\"conx:channels=3,"},           // not the text form
                {"kernel=3,pool", "kernal=3,pool"},                      // a misspelt field
                {"kernel=3,", "kernel=4,"},                             // an even kernel
                {"pool=2,", "pool=9,"},                                 // a pool larger than the image
                {"channels=3,", "channels=x,"},                         // not a number
                {"channels=3,", "channels=0,"},                         // no channels
        };
        for (String[] p : patches) {
            Path file = dir.resolve("bad.safetensors");
            Files.write(file, bytes);
            patch(file, p[0], p[1]);
            ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(file), p[1]);
            assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
            assertTrue(e.getMessage().contains("front_end"), "the message names the key: " + e.getMessage());
            assertTrue(e.getMessage().contains("expected"), "the message says what was expected: " + e.getMessage());
        }
        // an image of another size than the input: both sizes are named
        Path file = dir.resolve("bad.safetensors");
        Files.write(file, bytes);
        patch(file, "height=5,width=4", "height=4,width=4");
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(file));
        assertTrue(e.getMessage().contains("4 x 4 = 16") && e.getMessage().contains("inputSize = 20"), e.getMessage());
    }

    @Test
    void tensorsMustMatchTheFrontEnd() throws IOException {
        RankCodingNetwork net = network(HeadType.SOFTMAX, 1, 33);
        Path good = dir.resolve("good.safetensors");
        ModelFiles.save(net, 0.9, good);

        // the front end entry removed (blanked to an unknown key): the front end's tensors are unexpected
        Path file = dir.resolve("bad.safetensors");
        Files.copy(good, file);
        patch(file, "\"front_end\"", "\"front_xnd\"");
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(file));
        assertTrue(e.getMessage().contains("unexpected tensors [frontend.weight, frontend.bias]"), e.getMessage());

        // a hand-made file with the weight as a C x K*K matrix instead of Conv2d's C x 1 x K x K
        CraftedFile crafted = crafted(net);
        crafted.tensor("frontend.weight").shapeJson = "[3,9]";
        ModelFileException shape = assertThrows(ModelFileException.class,
                () -> ModelFiles.load(crafted.write(dir.resolve("c.safetensors"))));
        assertTrue(shape.getMessage().contains("tensor 'frontend.weight' has shape [3, 9], expected [3, 1, 3, 3]"),
                shape.getMessage());
        assertTrue(shape.getMessage().contains("front_end = " + FRONT_TEXT), shape.getMessage());

        // a front end without its tensors
        CraftedFile missing = crafted(net);
        missing.tensors.removeIf(t -> t.name.startsWith("frontend."));
        ModelFileException m = assertThrows(ModelFileException.class,
                () -> ModelFiles.load(missing.write(dir.resolve("m.safetensors"))));
        assertTrue(m.getMessage().contains("missing tensors [frontend.weight, frontend.bias]"), m.getMessage());

        // the well-formed hand-made file loads, with the weight in Conv2d's shape
        LoadedModel loaded = ModelFiles.load(crafted(net).write(dir.resolve("ok.safetensors")));
        assertEquals(net.config(), loaded.config());
        assertArrayEquals(Arrays.stream(net.frontEnd().weight().data).map(v -> (float) v).toArray(),
                loaded.network().frontEnd().weight().data, 0.0);
    }

    @Test
    void filesWithoutAFrontEndEntryLoadAsNetworksWithoutOne() throws IOException {
        RankCodingNetwork plain = RcTestSupport.network(3, 4, 2, HeadType.SOFTMAX, 3, 5, 1.0);
        CraftedFile crafted = CraftedFile.of(plain, 0.9, "F64");
        assertTrue(!crafted.metadata.containsKey("front_end"));
        LoadedModel loaded = ModelFiles.load(crafted.write(dir.resolve("old.safetensors")));
        assertEquals(plain.config(), loaded.config());
        assertEquals(ConvFrontEndConfig.NONE, loaded.config().frontEnd());
        crafted.metadata.put("front_end", "none");
        assertEquals(plain.config(), ModelFiles.load(crafted.write(dir.resolve("none.safetensors"))).config());
    }

    /** A threshold about half the rows of {@code batch} cross, between two observed confidences. */
    private static double mixingThreshold(RankCodingNetwork net, SequenceBatch batch) {
        double[][] conf = new double[batch.batchSize()][];
        for (int r = 0; r < conf.length; r++) {
            conf[r] = new double[batch.length(r)];
        }
        int k = net.head().outputs();
        new InferencePass(net, ReferenceKernels.INSTANCE).runToEnd(batch, 1 - 1e-15, (step, row, p, off) ->
                conf[row][step - 1] = k == 1 ? Math.max(p[off], 1 - p[off]) : Arrays.stream(p, off, off + k).max().orElseThrow());
        return RcTestSupport.thresholdAtQuantile(conf, 0.5);
    }

    /** The file {@link ModelFiles#save} writes for a front-end network, made by hand (F32). */
    private static CraftedFile crafted(RankCodingNetwork net) {
        CraftedFile f = CraftedFile.of(net, 0.9, "F32");
        f.metadata.put("front_end", net.config().frontEnd().toString());
        ConvFrontEndConfig c = net.config().frontEnd();
        f.tensor("frontend.weight").shapeJson = "[" + c.channels() + ",1," + c.kernel() + "," + c.kernel() + "]";
        return f;
    }

    @Test
    void aTwoStageFileIsVersion3AndAnOlderOneIsReadWithItsFormerWeightOrder() throws IOException {
        ConvFrontEndConfig two = ConvFrontEndConfig.conv(3, 3, 2, 8, 4).withSecondStage(2);
        RankCodingNetwork net = RcTestSupport.network(two, 5, 1, HeadType.SOFTMAX, 3, 51, 1.1);
        Path file = dir.resolve("v3.safetensors");
        ModelFiles.save(net, 0.9, file, SaveOptions.DEFAULT.withDtype(TensorDType.F64));
        assertTrue(header(file).contains("\"format_version\":\"3\""), header(file));
        // a file as the library wrote it before version 3: weight2 as [C2, K, K, C], format version 1
        RankCodingNetwork old = RcTestSupport.network(two, 5, 1, HeadType.SOFTMAX, 3, 51, 1.1);
        DMatrixRMaj w2 = old.frontEnd().weight2();
        ConvWeightOrder.toPatchOrder(net.frontEnd().weight2().data, 2, 3, 9, w2.data);
        Path legacy = dir.resolve("v1.safetensors");
        ModelFiles.save(old, 0.9, legacy, SaveOptions.DEFAULT.withDtype(TensorDType.F64));
        byte[] bytes = Files.readAllBytes(legacy);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("\"format_version\":\"3\"");
        assertTrue(at > 0, text.substring(0, 200));
        bytes[at + "\"format_version\":\"".length()] = '1';
        Files.write(legacy, bytes);
        LoadedModel loaded = ModelFiles.load(legacy);
        assertEquals("1", loaded.metadata(ModelFiles.KEY_FORMAT_VERSION));
        for (String name : net.parameters().names()) {
            assertArrayEquals(net.parameters().get(name).data, loaded.network().parameters().get(name).data, 0.0,
                    name + ": read back in PyTorch's order");
        }
        assertTrue(!Arrays.equals(w2.data, net.frontEnd().weight2().data), "the two orders differ for this shape");
    }

    @Test
    void aTwoStageFrontEndRoundTripsWithItsSecondConvolution() throws IOException {
        ConvFrontEndConfig two = ConvFrontEndConfig.conv(3, 3, 2, 8, 4).withSecondStage(2);
        RankCodingNetwork net = RcTestSupport.network(two, 5, 1, HeadType.SOFTMAX, 3, 50, 1.1);
        Path file = dir.resolve("two.safetensors");
        ModelFiles.save(net, 0.9, file, SaveOptions.DEFAULT.withDtype(TensorDType.F64));
        String header = header(file);
        assertTrue(header.contains("\"front_end\":\"conv:channels=3,kernel=3,pool=2,height=8,width=4,channels2=2\""), header);
        assertTrue(header.contains("\"frontend.weight2\":{\"dtype\":\"F64\",\"shape\":[2,3,3,3],"), header);
        assertTrue(header.contains("\"frontend.bias2\":{\"dtype\":\"F64\",\"shape\":[2],"), header);
        assertTrue(header.contains("\"lstm.weight_ih_l0\":{\"dtype\":\"F64\",\"shape\":[20,4],"),
                "the first layer reads 2 channels x 2 x 1 features: " + header);
        LoadedModel loaded = ModelFiles.load(file);
        assertEquals(two, loaded.config().frontEnd());
        for (String name : net.parameters().names()) {
            assertArrayEquals(net.parameters().get(name).data, loaded.network().parameters().get(name).data, 0.0, name);
        }
        SequenceBatch batch = RcTestSupport.batch(new SplittableRandom(4), two.inputSize(), RcTestSupport.randomLengths(
                new SplittableRandom(5), 12, 6), 3, 1.0, 0.0);
        BatchDecisions want = new RankCodingModel(net, 0.9).classify(batch);
        BatchDecisions got = loaded.model().classify(batch);
        for (int r = 0; r < batch.batchSize(); r++) {
            assertEquals(want.get(r).step(), got.get(r).step(), "row " + r);
            assertArrayEquals(want.get(r).probabilities(), got.get(r).probabilities(), 0.0, "row " + r);
        }

        // an integrating front end: the flag travels in the front_end entry and the loaded model integrates
        ConvFrontEndConfig integrating = two.withIntegration(true);
        RankCodingNetwork inet = RcTestSupport.network(integrating, 5, 1, HeadType.SOFTMAX, 3, 50, 1.1);
        Path ifile = dir.resolve("integrating.safetensors");
        ModelFiles.save(inet, 0.9, ifile, SaveOptions.DEFAULT.withDtype(TensorDType.F64));
        assertTrue(header(ifile).contains("\"front_end\":\"conv:channels=3,kernel=3,pool=2,height=8,width=4,channels2=2,integrate=true\""),
                header(ifile));
        LoadedModel iloaded = ModelFiles.load(ifile);
        assertEquals(integrating, iloaded.config().frontEnd());
        BatchDecisions iwant = new RankCodingModel(inet, 0.9).classify(batch);
        BatchDecisions igot = iloaded.model().classify(batch);
        boolean differs = false;
        for (int r = 0; r < batch.batchSize(); r++) {
            assertArrayEquals(iwant.get(r).probabilities(), igot.get(r).probabilities(), 0.0, "integrating, row " + r);
            differs |= !Arrays.equals(iwant.get(r).probabilities(), want.get(r).probabilities());
        }
        assertTrue(differs, "integrating changes what the same weights compute");
    }
}
