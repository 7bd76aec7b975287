package org.rankcoding.spark;

import org.apache.spark.broadcast.Broadcast;
import org.rankcoding.infer.RankCodingModel;
import org.rankcoding.io.ModelFileException;
import org.rankcoding.io.ModelFiles;
import org.rankcoding.kernel.MatrixKernels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The scoring models of one executor JVM: one shared, thread-safe {@link RankCodingModel} per model (by its content key)
 * and kernels, loaded from the broadcast model file on first use and used by every task of the JVM after that. The last
 * few models are kept.
 */
final class ExecutorModels {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorModels.class);
    private static final int KEPT = 8;
    private static final Map<String, RankCodingModel> MODELS = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RankCodingModel> eldest) {
            return size() > KEPT;
        }
    };

    private ExecutorModels() {
    }

    /**
     * The model {@code key} computing with the kernels named {@code kernels} (blank: the fastest available, with a
     * warning where the Vector API module is missing), loaded from {@code file} if this JVM has not loaded it yet.
     *
     * @throws ModelFileException if the broadcast bytes are not a valid model file
     */
    static RankCodingModel get(String key, Broadcast<byte[]> file, String kernels) throws ModelFileException {
        String id = key + "|" + kernels;
        synchronized (MODELS) {
            RankCodingModel m = MODELS.get(id);
            if (m != null) {
                return m;
            }
            MatrixKernels k = ExecutorKernels.named(kernels);
            m = ModelFiles.fromBytes(file.value(), "model " + key).model(k);
            LOG.info("loaded model {} ({}) in this JVM with kernels {}", key, m.config(), ExecutorKernels.describe(k));
            MODELS.put(id, m);
            return m;
        }
    }

    /** The number of models held (for tests). */
    static int size() {
        synchronized (MODELS) {
            return MODELS.size();
        }
    }
}
