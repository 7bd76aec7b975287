package org.rankcoding.io;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Writes the JSON header of a safetensors file (the counterpart of {@link SafetensorsHeader#read}). */
final class HeaderEncoder {

    /**
     * One tensor of a header being written ({@link #encode}): its name, safetensors dtype (a key of
     * {@link SafetensorsHeader#DTYPE_BYTES}) and shape.
     */
    record Layout(String name, String dtype, long[] shape) {

        /** The tensor's size in bytes. */
        long bytes() {
            return Shapes.elements(shape) * SafetensorsHeader.DTYPE_BYTES.get(dtype);
        }
    }

    private static final JsonFactory JSON_OUT = new JsonFactory();

    private HeaderEncoder() {
    }

    /**
     * The bytes of a header (without the 8-byte length prefix): a JSON object with {@code metadata} as its
     * {@value SafetensorsHeader#METADATA_KEY} (in iteration order), then the tensors in the given order, stored contiguously from
     * offset 0 of the data buffer; padded with spaces so that {@code 8 + length} is a multiple of 8.
     */
    static byte[] encode(Map<String, String> metadata, List<Layout> tensors) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON_OUT.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeFieldName(SafetensorsHeader.METADATA_KEY);
            g.writeStartObject();
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            long offset = 0;
            for (Layout t : tensors) {
                long bytes = t.bytes();
                g.writeFieldName(t.name());
                g.writeStartObject();
                g.writeStringField("dtype", t.dtype());
                g.writeFieldName("shape");
                g.writeStartArray();
                for (long d : t.shape()) {
                    g.writeNumber(d);
                }
                g.writeEndArray();
                g.writeFieldName("data_offsets");
                g.writeStartArray();
                g.writeNumber(offset);
                g.writeNumber(offset + bytes);
                g.writeEndArray();
                g.writeEndObject();
                offset += bytes;
            }
            g.writeEndObject();
        }
        while (out.size() % 8 != 0) {
            out.write(' ');
        }
        return out.toByteArray();
    }
}
