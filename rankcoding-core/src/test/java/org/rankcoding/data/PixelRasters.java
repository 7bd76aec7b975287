package org.rankcoding.data;

/**
 * Test inputs made of images of bytes: each pixel fires once, brighter pixels earlier, at step
 * {@code N - min(N - 1, p * N / 255)} of {@code N} (the latency code of temporal MNIST, in the integer form its encoder
 * agrees with exactly), as {@link SparseSpikes} rasters ready for {@link SparseSpikes#toBatch}.
 */
public final class PixelRasters {

    private PixelRasters() {
    }

    /**
     * The pulse rasters of the images stored one after the other in {@code pixels}.
     *
     * @param pixels the images' pixels, read as unsigned, {@code size} per image
     * @param size   pixels per image
     * @param steps  number of steps {@code N}
     * @return one raster per image
     */
    public static SparseSpikes[] pulses(byte[] pixels, int size, int steps) {
        SparseSpikes[] rows = new SparseSpikes[pixels.length / size];
        for (int i = 0; i < rows.length; i++) {
            int[] spikeSteps = new int[size];
            for (int j = 0; j < size; j++) {
                int p = pixels[i * size + j] & 0xFF;
                spikeSteps[j] = steps - Math.min(steps - 1, p * steps / 255);
            }
            rows[i] = SparseSpikes.ofSpikeSteps(spikeSteps, steps);
        }
        return rows;
    }

    /** The {@linkplain SparseSpikes#held() held} form of each raster. */
    public static SparseSpikes[] held(SparseSpikes[] rows) {
        SparseSpikes[] out = new SparseSpikes[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = rows[i].held();
        }
        return out;
    }
}
