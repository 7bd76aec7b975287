package org.rankcoding.nn;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Parameters#firstNonFinite()}: every NaN and infinity is found in every position of every tensor (the unrolled
 * chains and the tail), the first offending tensor is named, and no finite value (extremes, signed zeros, subnormals)
 * is taken for one.
 */
class ParametersFiniteTest {

    @Test
    void findsEveryNonFiniteValueWhereverItIsAndNamesTheFirstTensor() {
        RankCodingNetwork net = new RankCodingNetwork(new NetworkConfig(3, 5, 2, HeadType.SOFTMAX, 3), 1);
        Parameters p = net.parameters();
        List<DMatrixRMaj> tensors = p.tensors();
        assertNull(p.firstNonFinite());
        for (double extreme : new double[] {Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, -0.0, 1e300}) {
            for (DMatrixRMaj m : tensors) {
                java.util.Arrays.fill(m.data, extreme);
            }
            assertNull(p.firstNonFinite(), "all " + extreme + " is finite");
            assertTrue(p.allFinite());
        }
        int checked = 0;
        for (int t = 0; t < tensors.size(); t++) {
            double[] d = tensors.get(t).data;
            for (int i = 0; i < d.length; i++) {
                for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                    double keep = d[i];
                    d[i] = bad;
                    assertEquals(p.names().get(t), p.firstNonFinite(), bad + " at " + i + " of tensor " + t);
                    d[i] = keep;
                    checked++;
                }
            }
        }
        assertTrue(checked > 3 * 300, "every position of every tensor: " + checked);
        tensors.get(tensors.size() - 1).data[0] = Double.NaN;
        tensors.get(1).data[tensors.get(1).data.length - 1] = Double.POSITIVE_INFINITY;
        assertEquals(p.names().get(1), p.firstNonFinite(), "the first offending tensor in layout order");
    }
    @Test
    void everyChunkOfEveryTensorIsCheckedByExactlyOnePart() {
        RankCodingNetwork net = new RankCodingNetwork(new NetworkConfig(3, 5, 2, HeadType.SOFTMAX, 3), 1);
        Parameters p = net.parameters();
        List<DMatrixRMaj> tensors = p.tensors();
        for (int parts = 1; parts <= 5; parts++) {
            for (int part = 0; part < parts; part++) {
                assertNull(p.firstNonFinite(part, parts));
            }
            for (int t = 0; t < tensors.size(); t++) {
                double[] d = tensors.get(t).data;
                for (int i = 0; i < tensors.get(t).getNumElements(); i++) {
                    double keep = d[i];
                    d[i] = Double.NaN;
                    int found = 0;
                    for (int part = 0; part < parts; part++) {
                        String name = p.firstNonFinite(part, parts);
                        if (name != null) {
                            assertEquals(p.names().get(t), name);
                            int n = tensors.get(t).getNumElements();
                            assertTrue(i >= Parameters.partStart(n, part, parts) && i < Parameters.partStart(n, part + 1, parts),
                                    "value " + i + " found by the part that holds it");
                            found++;
                        }
                    }
                    assertEquals(1, found, "NaN at " + i + " of tensor " + t + ", " + parts + " parts");
                    d[i] = keep;
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> p.firstNonFinite(2, 2));
        assertThrows(IllegalArgumentException.class, () -> p.firstNonFinite(-1, 2));
        assertThrows(IllegalArgumentException.class, () -> p.firstNonFinite(0, 0));
    }

    @Test
    void partsCutATensorIntoContiguousChunksOfNearEqualSize() {
        for (int n = 0; n <= 40; n++) {
            for (int parts = 1; parts <= 7; parts++) {
                assertEquals(0, Parameters.partStart(n, 0, parts));
                assertEquals(n, Parameters.partStart(n, parts, parts));
                for (int part = 0; part < parts; part++) {
                    int size = Parameters.partStart(n, part + 1, parts) - Parameters.partStart(n, part, parts);
                    assertTrue(size == n / parts || size == n / parts + 1, n + " values, " + parts + " parts: " + size);
                }
            }
        }
        assertEquals(2_000_000_000, Parameters.partStart(2_000_000_000, 3, 3), "no overflow");
        assertThrows(IllegalArgumentException.class, () -> Parameters.partStart(-1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Parameters.partStart(5, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> Parameters.partStart(5, 0, 0));
    }
}
