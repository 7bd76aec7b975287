package org.rankcoding.nn;

import java.util.Arrays;

/**
 * The pooled positions of a {@link ConvFrontEnd}'s first stage that a row's non-zero pixels reach: those whose
 * pooling window holds a pre-activation within the kernel's radius of an active pixel. Every other window holds the
 * bias alone, so its features are the stage's quiet background {@code max(0, bias)}: the work of a row can follow its
 * touched positions. Positions are kept in ascending order ({@code py * w1 + px}); the arrays are sized once.
 */
final class TouchedPositions {

    private final int radius;
    private final int pool;
    /** Last row and column of the first stage's map that its pooling reads. */
    private final int lastY;
    private final int lastX;
    private final int w1;
    private final boolean[] mark;
    private final int[] list;
    private int count;

    TouchedPositions(ConvFrontEndConfig config) {
        this.radius = config.kernel() / 2;
        this.pool = config.pool();
        int h1 = config.height() / pool;
        this.w1 = config.width() / pool;
        this.lastY = h1 * pool - 1;
        this.lastX = w1 * pool - 1;
        this.mark = new boolean[h1 * w1];
        this.list = new int[h1 * w1];
    }

    /** Takes the positions that {@code pixels}' pixels reach (an image {@code width} pixels wide). */
    void set(ActivePixels pixels, int width) {
        Arrays.fill(mark, false);
        int[] idx = pixels.indices();
        int m = pixels.count();
        for (int q = 0; q < m; q++) {
            int iy = idx[q] / width;
            int ix = idx[q] - iy * width;
            int y0 = Math.max(0, iy - radius);
            int y1 = Math.min(lastY, iy + radius);
            int x0 = Math.max(0, ix - radius);
            int x1 = Math.min(lastX, ix + radius);
            for (int py = y0 / pool; py <= y1 / pool && y0 <= y1; py++) {
                for (int px = x0 / pool; px <= x1 / pool && x0 <= x1; px++) {
                    mark[py * w1 + px] = true;
                }
            }
        }
        int n = 0;
        for (int p = 0; p < mark.length; p++) {
            if (mark[p]) {
                list[n++] = p;
            }
        }
        count = n;
    }

    /** Number of touched positions. */
    int count() {
        return count;
    }

    /** The touched positions, ascending; the first {@link #count()} are current (live, not to be modified). */
    int[] positions() {
        return list;
    }

    /** Number of pooled positions of the first stage, touched or not. */
    int plane() {
        return list.length;
    }
}
