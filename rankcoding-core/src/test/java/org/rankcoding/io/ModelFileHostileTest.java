package org.rankcoding.io;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.RcTestSupport;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Targeted hostile files: each breaks one rule and must fail with a {@link ModelFileException} whose message
 * names the file and says what was expected and found.
 */
class ModelFileHostileTest {

    @TempDir
    Path dir;

    /** A valid two-layer softmax network (input 3, hidden 2, 3 classes) as a hand-made file, F32. */
    private RankCodingNetwork net;
    private CraftedFile file;
    private Path path;

    @BeforeEach
    void validFile() throws IOException {
        net = RcTestSupport.network(3, 2, 2, HeadType.SOFTMAX, 3, 5, 1.0);
        file = CraftedFile.of(net, 0.9, "F32");
        path = dir.resolve("hostile.safetensors");
        ModelFiles.load(file.write(path)); // the unmodified file is valid
    }

    private ModelFileException rejected(byte[] bytes, String... fragments) throws IOException {
        Files.write(path, bytes);
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(path));
        String m = e.getMessage();
        assertTrue(m.startsWith(path.toString() + ": "), "the message starts with the file: " + m);
        assertEquals(path, e.file());
        for (String f : fragments) {
            assertTrue(m.contains(f), "expected '" + f + "' in: " + m);
        }
        return e;
    }

    private ModelFileException rejected(String... fragments) throws IOException {
        return rejected(file.bytes(), fragments);
    }

    /** Sets the {@code shape} JSON of {@code readout.bias} (null: no shape) and asserts the file is rejected. */
    private void biasShapeRejected(String shapeJson, String... fragments) throws IOException {
        file.tensor("readout.bias").shapeJson = shapeJson;
        rejected(fragments);
    }

    /** Sets the {@code data_offsets} JSON of {@code readout.bias} and asserts the file is rejected. */
    private void biasOffsetsRejected(String offsetsJson, String... fragments) throws IOException {
        file.tensor("readout.bias").offsetsJson = offsetsJson;
        rejected(fragments);
    }

    private static byte[] withLength(byte[] bytes, long length) {
        byte[] copy = bytes.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putLong(0, length);
        return copy;
    }

    // ---------------------------------------------------------------- header length

    @Test
    void headerLengthLargerThanTheFile() throws IOException {
        byte[] b = file.bytes();
        rejected(withLength(b, b.length - 7), "header length is " + (b.length - 7), "only " + (b.length - 8) + " bytes follow");
    }

    @Test
    void hugeHeaderLengths() throws IOException {
        byte[] b = file.bytes();
        rejected(withLength(b, 1L << 62), "header length is 4611686018427387904");
        rejected(withLength(b, -1L), "header length is 18446744073709551615");
        rejected(withLength(b, Long.MIN_VALUE), "header length is 9223372036854775808");
    }

    @Test
    void headerLengthAboveTheMaximumIsRejectedBeforeReading() throws IOException {
        // A sparse file larger than the maximum whose prefix claims a header of all of it.
        long size = ModelFiles.MAX_HEADER_BYTES + 1024;
        try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw")) {
            raf.setLength(size);
            byte[] prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(size - 8).array();
            raf.write(prefix);
        }
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(path));
        assertTrue(e.getMessage().contains("more than the maximum of " + ModelFiles.MAX_HEADER_BYTES), e.getMessage());
    }

    @Test
    void filesTooShortForTheLengthPrefix() throws IOException {
        rejected(new byte[0], "the file has 0 bytes");
        rejected(new byte[]{2, 0, 0, 0, 0}, "the file has 5 bytes");
        rejected(withLength(new byte[8], 0), "header length is 0 bytes, expected at least 2");
        rejected(withLength(new byte[9], 1), "header length is 1 bytes, expected at least 2");
    }

    @Test
    void truncatedData() throws IOException {
        byte[] b = file.bytes();
        rejected(Arrays.copyOf(b, b.length - 1), "beyond the data buffer");
    }

    // ---------------------------------------------------------------- JSON and UTF-8

    @Test
    void nonObjectHeaders() throws IOException {
        rejected(file.bytesWithHeader("[]".getBytes(StandardCharsets.UTF_8)), "must start with '{'");
        rejected(file.bytesWithHeader("\"{}\"".getBytes(StandardCharsets.UTF_8)), "must start with '{'");
        rejected(file.bytesWithHeader("12".getBytes(StandardCharsets.UTF_8)), "must start with '{'");
        rejected(file.bytesWithHeader(" {}".getBytes(StandardCharsets.UTF_8)), "must start with '{'");
        rejected(file.bytesWithHeader("{}\n".getBytes(StandardCharsets.UTF_8)), "must end with '}'");
        rejected(file.bytesWithHeader("{}{}".getBytes(StandardCharsets.UTF_8)), "content after its JSON object");
        rejected(file.bytesWithHeader("{\"__metadata__\":{}}}".getBytes(StandardCharsets.UTF_8)), "not valid JSON");
    }

    @Test
    void invalidJson() throws IOException {
        String h = file.headerJson();
        rejected(file.bytesWithHeader((h.substring(0, h.length() - 2) + "}").getBytes(StandardCharsets.UTF_8)), "not valid JSON");
        rejected(file.bytesWithHeader(h.replace("\"format\":", "format:").getBytes(StandardCharsets.UTF_8)), "not valid JSON");
        rejected(file.bytesWithHeader(h.replaceFirst(",", ",,").getBytes(StandardCharsets.UTF_8)), "not valid JSON");
        rejected(file.bytesWithHeader(h.replace("\"created_by\":\"test\"", "\"created_by\":\"a\u0001b\"")
                .getBytes(StandardCharsets.UTF_8)), "not valid JSON");
    }

    @Test
    void invalidUtf8() throws IOException {
        String h = file.headerJson().replace("\"created_by\":\"test\"", "\"created_by\":\"tX\"");
        byte[] bytes = h.getBytes(StandardCharsets.UTF_8);
        int at = h.indexOf("tX");
        for (byte[] bad : new byte[][]{{(byte) 0xc3, 0x28}, {(byte) 0xc0, (byte) 0x80}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                {(byte) 0xff}, {(byte) 0x80}}) {
            byte[] header = new byte[bytes.length - 1 + bad.length];
            System.arraycopy(bytes, 0, header, 0, at + 1);
            System.arraycopy(bad, 0, header, at + 1, bad.length);
            System.arraycopy(bytes, at + 2, header, at + 1 + bad.length, bytes.length - at - 2);
            rejected(file.bytesWithHeader(header), "not valid UTF-8", "offset " + (8 + at + 1));
        }
    }

    @Test
    void duplicateNamesAndKeys() throws IOException {
        String h = file.headerJson();
        String entry = h.substring(h.indexOf("\"readout.bias\""), h.length() - 1);
        rejected(file.bytesWithHeader((h.substring(0, h.length() - 1) + "," + entry + "}").getBytes(StandardCharsets.UTF_8)),
                "'readout.bias' appears twice");
        rejected(file.bytesWithHeader(h.replace("\"format_version\":\"1\"", "\"format_version\":\"1\",\"format_version\":\"1\"")
                .getBytes(StandardCharsets.UTF_8)), "key 'format_version' twice");
        rejected(file.bytesWithHeader(h.replace("\"dtype\":\"F32\",", "\"dtype\":\"F32\",\"dtype\":\"F32\",")
                .getBytes(StandardCharsets.UTF_8)), "'dtype' twice");
        rejected(file.bytesWithHeader((h.substring(0, h.length() - 1) + ",\"__metadata__\":{}}").getBytes(StandardCharsets.UTF_8)),
                "two '__metadata__'");
    }

    // ---------------------------------------------------------------- tensor entries

    @Test
    void dtypeOrShapeNotMatchingTheByteCount() throws IOException {
        file.tensor("lstm.bias_ih_l0").dtypeJson = "\"F64\"";
        rejected("'lstm.bias_ih_l0' (dtype F64, shape [8]) needs 64 bytes", "span 32");
        validFile();
        file.tensor("lstm.weight_hh_l1").shapeJson = "[8,3]";
        rejected("'lstm.weight_hh_l1' (dtype F32, shape [8, 3]) needs 96 bytes", "span 64");
    }

    @Test
    void unknownAndUnsupportedDtypes() throws IOException {
        file.tensor("readout.bias").dtypeJson = "\"F12\"";
        rejected("'readout.bias' has dtype 'F12'", "expected one of the safetensors dtypes");
        validFile();
        CraftedFile.Tensor t = file.tensor("readout.bias");
        t.dtypeJson = "\"F16\"";
        t.data = new byte[6];
        rejected("'readout.bias' has dtype F16, expected F32 or F64");
        validFile();
        file.tensor("readout.bias").dtypeJson = "32";
        rejected("'dtype' must be a string");
    }

    @Test
    void badShapes() throws IOException {
        biasShapeRejected("[-3]", "holds -3, expected a non-negative integer");
        biasShapeRejected("[3.0]", "must hold non-negative integers, found VALUE_NUMBER_FLOAT 3.0");
        biasShapeRejected("[99999999999999999999]", "larger than 2^63 - 1");
        biasShapeRejected("[4294967296,4294967296]", "byte count overflows 63 bits");
        biasShapeRejected("[1152921504606846976,8]", "byte count overflows 63 bits");
        biasShapeRejected("3", "'shape' must be an array");
        biasShapeRejected("[" + "1,".repeat(40) + "3]", "more than 32 dimensions");
        biasShapeRejected("[[3]]", "must hold non-negative integers, found START_ARRAY");
        biasShapeRejected(null, "lacks 'shape'");
    }

    @Test
    void offsetsOutOfRange() throws IOException {
        byte[] valid = file.bytes();
        long buffer = valid.length - 8 - file.headerJson().length();
        biasOffsetsRejected("[" + (buffer - 12) + "," + (buffer + 4) + "]", "beyond the data buffer, which has " + buffer + " bytes");
        biasOffsetsRejected("[" + buffer + "," + (buffer - 12) + "]", "expected begin <= end");
        biasOffsetsRejected("[0]", "has 1 values, expected 2");
        biasOffsetsRejected("[0,1,2]", "has more than 2 values");
        biasOffsetsRejected("[-12,0]", "holds -12");
        biasOffsetsRejected("{}", "'data_offsets' must be an array");
    }

    @Test
    void overlappingOffsets() throws IOException {
        // readout.bias claims the bytes of readout.weight; its own last 12 bytes are then uncovered.
        CraftedFile.Tensor w = file.tensor("readout.weight");
        String h = file.headerJson();
        int i = h.indexOf("\"readout.weight\"");
        String offsets = h.substring(h.indexOf("[", h.indexOf("data_offsets", i)), h.indexOf("]", h.indexOf("data_offsets", i)) + 1);
        long begin = Long.parseLong(offsets.substring(1, offsets.indexOf(',')));
        file.tensor("readout.bias").offsetsJson = "[" + begin + "," + (begin + 12) + "]";
        rejected("overlaps tensor", "expected non-overlapping ranges");
        assertEquals(24, w.data.length);
    }

    @Test
    void gapsAndTrailingBytes() throws IOException {
        file.trailing = new byte[8];
        rejected("the remaining 8 bytes belong to no tensor");
        validFile();
        // shift the bias 4 bytes further: a gap before it (and it ends beyond the buffer unless the buffer grows)
        byte[] valid = file.bytes();
        long buffer = valid.length - 8 - file.headerJson().length();
        file.trailing = new byte[4];
        file.tensor("readout.bias").offsetsJson = "[" + (buffer - 8) + "," + (buffer + 4) + "]";
        rejected("bytes [" + (buffer - 12) + ", " + (buffer - 8) + ") of the data buffer belong to no tensor");
    }

    @Test
    void unknownFieldsAndNonObjectEntries() throws IOException {
        String h = file.headerJson();
        rejected(file.bytesWithHeader(h.replace("\"dtype\":\"F32\",", "\"dtype\":\"F32\",\"offset\":0,")
                .getBytes(StandardCharsets.UTF_8)), "unknown field 'offset'");
        rejected(file.bytesWithHeader((h.substring(0, h.length() - 1) + ",\"x\":[1]}").getBytes(StandardCharsets.UTF_8)),
                "tensor 'x' must be an object");
        rejected(file.bytesWithHeader(h.replace("\"__metadata__\":{", "\"__metadata__\":[{").replace("},\"lstm.weight_ih_l0\"",
                "}],\"lstm.weight_ih_l0\"").getBytes(StandardCharsets.UTF_8)), "'__metadata__' must be an object");
    }

    // ---------------------------------------------------------------- the network

    @Test
    void missingTensors() throws IOException {
        file.tensors.removeIf(t -> t.name.equals("lstm.bias_hh_l1"));
        rejected("missing tensor [lstm.bias_hh_l1]", "layers = 2");
        file.tensors.removeIf(t -> t.name.startsWith("readout"));
        rejected("missing tensors [lstm.bias_hh_l1, readout.weight, readout.bias]");
    }

    @Test
    void extraTensorsAreRejected() throws IOException {
        file.tensors.add(new CraftedFile.Tensor("lstm.weight_ih_l2", "F32", new long[]{8, 2}, new byte[64]));
        rejected("unexpected tensor [lstm.weight_ih_l2]", "has exactly 10 tensors");
        validFile();
        file.metadata.put("layers", "1");
        rejected("unexpected tensors [lstm.weight_ih_l1, lstm.weight_hh_l1, lstm.bias_ih_l1, lstm.bias_hh_l1]");
    }

    @Test
    void shapesThatDoNotFitTheConfiguration() throws IOException {
        // input_size 3 in the metadata, but weight_ih_l0 is stored for input 4 (with consistent byte counts)
        CraftedFile.Tensor t = file.tensor("lstm.weight_ih_l0");
        t.shapeJson = "[8,4]";
        t.data = new byte[8 * 4 * 4];
        rejected("'lstm.weight_ih_l0' has shape [8, 4], expected [8, 3]", "4 * hidden_size x input_size", "input_size = 3");
        validFile();
        file.tensor("lstm.weight_hh_l0").shapeJson = "[2,8]";
        rejected("'lstm.weight_hh_l0' has shape [2, 8], expected [8, 2]");
        validFile();
        file.tensor("lstm.bias_ih_l1").shapeJson = "[1,8]";
        rejected("'lstm.bias_ih_l1' has shape [1, 8], expected [8]");
        validFile();
        file.metadata.put("num_classes", "4");
        rejected("'readout.weight' has shape [3, 2], expected [4, 2]", "num_classes = 4");
        validFile();
        file.metadata.put("head", "BINARY_SIGMOID");
        file.metadata.put("num_classes", "2");
        rejected("'readout.weight' has shape [3, 2], expected [1, 2]", "1 output for the binary head");
    }

    @Test
    void nonFiniteWeights() throws IOException {
        CraftedFile.Tensor t = file.tensor("lstm.weight_hh_l1");
        ByteBuffer.wrap(t.data).order(ByteOrder.LITTLE_ENDIAN).putFloat(4 * 5, Float.NaN);
        rejected("'lstm.weight_hh_l1' holds NaN at [2, 1]", "expected finite weights");
        validFile();
        file = CraftedFile.of(net, 0.9, "F64");
        ByteBuffer.wrap(file.tensor("readout.bias").data).order(ByteOrder.LITTLE_ENDIAN).putDouble(16, Double.NEGATIVE_INFINITY);
        rejected("'readout.bias' holds -Infinity at [2]");
    }

    // ---------------------------------------------------------------- metadata

    @Test
    void missingOrForeignMetadata() throws IOException {
        file.metadata = null;
        rejected("has no '__metadata__' object");
        validFile();
        file.metadata.remove("format");
        rejected("metadata 'format' is missing, expected 'rankcoding-lstm'");
        file.metadata.put("format", "pt");
        rejected("metadata 'format' is 'pt', expected 'rankcoding-lstm'");
        validFile();
        file.metadata.remove("threshold");
        rejected("metadata 'threshold' is missing");
        validFile();
        file.metadata.remove("layers");
        rejected("metadata 'layers' is missing");
    }

    @Test
    void badConfigurationValues() throws IOException {
        String[][] cases = {
                {"threshold", "1.5", "expected a value strictly inside (0.5, 1)"},
                {"threshold", "0.5", "strictly inside"},
                {"threshold", "NaN", "expected a decimal number"},
                {"threshold", "0.9d", "expected a decimal number"},
                {"threshold", "0x1p-1", "expected a decimal number"},
                {"threshold", "", "expected a decimal number"},
                {"head", "LINEAR", "expected one of [BINARY_SIGMOID, PER_CLASS_SIGMOID, SOFTMAX]"},
                {"hidden_size", "0", "expected a positive integer"},
                {"hidden_size", "-2", "expected a positive integer"},
                {"hidden_size", "+2", "expected a positive integer"},
                {"hidden_size", "02", "expected a positive integer"},
                {"hidden_size", "2147483648", "expected a positive integer"},
                {"input_size", "3.0", "expected a positive integer"},
                {"num_classes", "1", "invalid network: numClasses = 1"},
                {"layers", "2147483647", "invalid network: layers = 2147483647, expected <= 64"},
                {"format_version", String.valueOf(ModelFiles.FORMAT_VERSION + 1), "written by a newer library"},
                {"format_version", "one", "expected a positive integer"},
                {"seed", "1.5", "expected a 64-bit integer"},
                {"seed", "99999999999999999999", "expected a 64-bit integer"},
        };
        for (String[] c : cases) {
            validFile();
            file.metadata.put(c[0], c[1]);
            rejected("metadata".equals(c[0]) ? "" : c[2]);
        }
        validFile();
        file.metadata.put("head", "BINARY_SIGMOID");
        rejected("invalid network: head BINARY_SIGMOID needs numClasses = 2, got 3");
        validFile();
        // a huge hidden size is refused by the network's bound before anything is allocated
        file.metadata.put("hidden_size", "2000000000");
        rejected("invalid network: hiddenSize = 2000000000, expected <= 65536");
        validFile();
        // a large hidden size within the bound cannot make the loader allocate: the shapes are checked against the file first
        file.metadata.put("hidden_size", "20000");
        rejected("'lstm.weight_ih_l0' has shape [8, 3], expected [80000, 3]");
    }

    @Test
    void nonStringMetadataValues() throws IOException {
        String h = file.headerJson().replace("\"layers\":\"2\"", "\"layers\":2");
        rejected(file.bytesWithHeader(h.getBytes(StandardCharsets.UTF_8)), "'__metadata__' entry 'layers' must be a string, found VALUE_NUMBER_INT");
        h = file.headerJson().replace("\"layers\":\"2\"", "\"layers\":null");
        rejected(file.bytesWithHeader(h.getBytes(StandardCharsets.UTF_8)), "entry 'layers' must be a string, found VALUE_NULL");
    }
}
