package org.rankcoding.io;

import org.ejml.data.DMatrixRMaj;
import org.rankcoding.nn.RankCodingNetwork;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A hand-made safetensors file for the hostile tests: metadata, tensor entries whose JSON fields may be set to
 * anything, and data bytes. It is written without any of the library's code, so a test can break exactly one rule.
 */
final class CraftedFile {

    /** One tensor entry: JSON fragments for its fields (null omits the field) and its data bytes. */
    static final class Tensor {
        String name;
        String dtypeJson;
        String shapeJson;
        /** {@code null}: computed from the position of the data. */
        String offsetsJson;
        byte[] data;

        Tensor(String name, String dtype, long[] shape, byte[] data) {
            this.name = name;
            this.dtypeJson = "\"" + dtype + "\"";
            this.shapeJson = Arrays.toString(shape).replace(" ", "");
            this.data = data;
        }
    }

    /** The metadata entries; {@code null} leaves the metadata object out. */
    LinkedHashMap<String, String> metadata = new LinkedHashMap<>();
    final List<Tensor> tensors = new ArrayList<>();
    /** Bytes appended after the tensors' data. */
    byte[] trailing = new byte[0];
    /** Spaces appended to the header. */
    int padding = 0;

    /** The file {@link ModelFiles#save} would write for {@code net} (same names, shapes, order and metadata). */
    static CraftedFile of(RankCodingNetwork net, double theta, String dtype) {
        CraftedFile f = new CraftedFile();
        f.metadata.put("format", "rankcoding-lstm");
        f.metadata.put("format_version", "1");
        f.metadata.put("created_by", "test");
        f.metadata.put("head", net.config().head().name());
        f.metadata.put("num_classes", Integer.toString(net.config().numClasses()));
        f.metadata.put("threshold", Double.toString(theta));
        f.metadata.put("input_size", Integer.toString(net.config().inputSize()));
        f.metadata.put("hidden_size", Integer.toString(net.config().hiddenSize()));
        f.metadata.put("layers", Integer.toString(net.config().layers()));
        for (String name : net.parameters().names()) {
            DMatrixRMaj m = net.parameters().get(name);
            long[] shape = name.contains("bias") ? new long[]{m.getNumElements()} : new long[]{m.numRows, m.numCols};
            f.tensors.add(new Tensor(name, dtype, shape, encode(Arrays.copyOf(m.data, m.getNumElements()), dtype)));
        }
        return f;
    }

    /** Little-endian bytes of {@code values} as F32 or F64. */
    static byte[] encode(double[] values, String dtype) {
        boolean f32 = dtype.equals("F32");
        ByteBuffer b = ByteBuffer.allocate(values.length * (f32 ? 4 : 8)).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            if (f32) {
                b.putFloat((float) v);
            } else {
                b.putDouble(v);
            }
        }
        return b.array();
    }

    Tensor tensor(String name) {
        return tensors.stream().filter(t -> t.name.equals(name)).findFirst().orElseThrow();
    }

    /** The JSON header (without padding). */
    String headerJson() {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        if (metadata != null) {
            sb.append("\"__metadata__\":{");
            boolean firstEntry = true;
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (!firstEntry) {
                    sb.append(',');
                }
                firstEntry = false;
                sb.append(quote(e.getKey())).append(':').append(quote(e.getValue()));
            }
            sb.append('}');
            first = false;
        }
        long offset = 0;
        for (Tensor t : tensors) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append(quote(t.name)).append(":{");
            List<String> fields = new ArrayList<>();
            if (t.dtypeJson != null) {
                fields.add("\"dtype\":" + t.dtypeJson);
            }
            if (t.shapeJson != null) {
                fields.add("\"shape\":" + t.shapeJson);
            }
            String offsets = t.offsetsJson != null ? t.offsetsJson : "[" + offset + "," + (offset + t.data.length) + "]";
            fields.add("\"data_offsets\":" + offsets);
            sb.append(String.join(",", fields)).append('}');
            offset += t.data.length;
        }
        return sb.append('}').toString();
    }

    /** The whole file with this header text instead of the generated one. */
    byte[] bytesWithHeader(byte[] header) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length + padding);
        out.writeBytes(len.array());
        out.writeBytes(header);
        for (int i = 0; i < padding; i++) {
            out.write(' ');
        }
        for (Tensor t : tensors) {
            out.writeBytes(t.data);
        }
        out.writeBytes(trailing);
        return out.toByteArray();
    }

    byte[] bytes() {
        return bytesWithHeader(headerJson().getBytes(StandardCharsets.UTF_8));
    }

    Path write(Path file) throws IOException {
        Files.write(file, bytes());
        return file;
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
