package org.rankcoding.examples;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** Test data: IDX files of unsigned bytes, as the MNIST files are. */
public final class IdxBytes {

    private IdxBytes() {
    }

    /** An IDX file of unsigned bytes with dimensions {@code dims} and payload {@code data}. */
    public static byte[] of(int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x0800 | dims.length);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(data);
        out.flush();
        return bytes.toByteArray();
    }
}
