package org.rankcoding.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.DecisionRuleSpec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Model files in memory and on streams: the same bytes and the same checks as files. */
class ModelBytesTest {

    @TempDir
    Path dir;

    private static final SaveOptions F64 = SaveOptions.DEFAULT.withDtype(TensorDType.F64);

    /** The saved file's bytes, except the creation time, which differs between two saves. */
    private static byte[] withoutTime(byte[] bytes) throws ModelFileException {
        String created = ModelFiles.fromBytes(bytes, "x").metadata(ModelFiles.KEY_CREATED_AT);
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        return text.replace(created, "#".repeat(created.length())).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @MethodSource("org.rankcoding.io.ModelFilesTest#shapes")
    void bytesAreTheFileAndLoadExactly(HeadType head, int layers) throws IOException {
        RankCodingNetwork net = ModelFilesTest.network(head, layers, 5);
        DecisionRuleSpec rule = DecisionRuleSpec.thresholdCrossing(0.83);
        byte[] bytes = ModelFiles.toBytes(net, rule, F64);
        Path file = dir.resolve("m.safetensors");
        ModelFiles.save(net, rule, file, F64);
        assertArrayEquals(withoutTime(Files.readAllBytes(file)), withoutTime(bytes));

        LoadedModel loaded = ModelFiles.fromBytes(bytes, "memory:model");
        assertEquals(net.config(), loaded.config());
        assertEquals(rule, loaded.decisionRule());
        assertEquals(Path.of("memory:model"), loaded.file());
        ModelFilesTest.assertSameParameters(net, loaded);
    }

    @Test
    void streamsCarryTheSameBytes() throws IOException {
        RankCodingNetwork net = ModelFilesTest.network(HeadType.SOFTMAX, 2, 9);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelFiles.write(net, DecisionRuleSpec.thresholdCrossing(0.9), F64, out);
        LoadedModel loaded = ModelFiles.read(new ByteArrayInputStream(out.toByteArray()), "stream");
        ModelFilesTest.assertSameParameters(net, loaded);
        assertEquals(0.9, loaded.threshold());
    }

    @Test
    void f32BytesRoundLikeF32Files() throws IOException {
        RankCodingNetwork net = ModelFilesTest.network(HeadType.BINARY_SIGMOID, 1, 3);
        LoadedModel loaded = ModelFiles.fromBytes(
                ModelFiles.toBytes(net, DecisionRuleSpec.thresholdCrossing(0.8), SaveOptions.DEFAULT), "f32");
        assertEquals(TensorDType.F32, loaded.dtype());
        for (String name : net.parameters().names()) {
            double[] a = net.parameters().get(name).data;
            double[] b = loaded.network().parameters().get(name).data;
            for (int i = 0; i < a.length; i++) {
                assertEquals((float) a[i], b[i], 0.0, name + "[" + i + "]");
            }
        }
    }

    @Test
    void truncatedOrForeignBytesAreRefusedNamingTheSource() throws IOException {
        RankCodingNetwork net = ModelFilesTest.network(HeadType.SOFTMAX, 1, 4);
        byte[] bytes = ModelFiles.toBytes(net, DecisionRuleSpec.thresholdCrossing(0.9), F64);
        ModelFileException cut = assertThrows(ModelFileException.class,
                () -> ModelFiles.fromBytes(Arrays.copyOf(bytes, bytes.length - 5), "hdfs://cluster/models/m.safetensors"));
        assertTrue(cut.getMessage().contains("hdfs:/cluster/models/m.safetensors") || cut.getMessage().contains("hdfs://"),
                cut.getMessage());
        ModelFileException empty = assertThrows(ModelFileException.class, () -> ModelFiles.fromBytes(new byte[3], "tiny"));
        assertTrue(empty.getMessage().contains("3 bytes"), empty.getMessage());
        ModelFileException notOurs = assertThrows(ModelFileException.class, () -> ModelFiles.read(
                new ByteArrayInputStream(TensorFileBytes.foreign()), "foreign"));
        assertTrue(notOurs.getMessage().contains("foreign"), notOurs.getMessage());
    }

    @Test
    void nullArgumentsAreNamed() {
        RankCodingNetwork net = ModelFilesTest.network(HeadType.SOFTMAX, 1, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelFiles.toBytes(net, null, F64));
        assertTrue(e.getMessage().startsWith("rule is null"), e.getMessage());
        assertThrows(NullPointerException.class, () -> ModelFiles.fromBytes(null, "x"));
        assertThrows(NullPointerException.class, () -> ModelFiles.read(null, "x"));
    }

    /** A valid safetensors file that is not a model file: one tensor, metadata without the format key. */
    private static final class TensorFileBytes {
        static byte[] foreign() {
            String header = "{\"__metadata__\":{\"format\":\"pt\"},\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
            while ((8 + header.length()) % 8 != 0) {
                header += " ";
            }
            byte[] h = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + h.length + 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            b.putLong(h.length).put(h).putFloat(1f);
            return b.array();
        }
    }

    @Test
    void metadataExtrasSurviveBytes() throws IOException {
        RankCodingNetwork net = ModelFilesTest.network(HeadType.SOFTMAX, 1, 4);
        byte[] bytes = ModelFiles.toBytes(net, DecisionRuleSpec.thresholdCrossing(0.9),
                F64.withMetadata(Map.of("dataset", "spark")));
        assertEquals("spark", ModelFiles.fromBytes(bytes, "x").metadata("dataset"));
    }
}
