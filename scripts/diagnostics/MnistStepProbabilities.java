import org.rankcoding.data.SequenceBatch;
import org.rankcoding.datasets.latency.BatchForm;
import org.rankcoding.examples.mnist.MnistDigits;
import org.rankcoding.io.LoadedModel;
import org.rankcoding.io.ModelFiles;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.rc.InferencePass;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs a saved temporal-MNIST model over every step of the held-out validation digits (the last 2,000 of the training
 * file, as {@code temporal-mnist} holds them out) and of the test digits, without early exit, and writes each digit's
 * output probabilities at every step, so that decision rules can be compared offline on the validation digits and then
 * checked once on the test digits.
 *
 * <p>Output, for each split ({@code PREFIX-validation.bin}, {@code PREFIX-test.bin}), little-endian: int32 digits,
 * int32 steps, int32 classes, then digits int32 labels, then digits x steps x classes float32 probabilities.
 *
 * <pre>
 * source bench/classpath.sh && build_classpath . /tmp/cp-work
 * java --add-modules jdk.incubator.vector -cp '/tmp/cp-work/cp/*' scripts/diagnostics/MnistStepProbabilities.java \
 *     MODEL.safetensors data/mnist PREFIX
 * </pre>
 */
public class MnistStepProbabilities {

    private static final int VALIDATION_DIGITS = 2000;
    private static final int BATCH = 500;

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: MnistStepProbabilities MODEL DATA_DIR OUT_PREFIX");
            System.exit(2);
        }
        LoadedModel loaded = ModelFiles.load(Path.of(args[0]));
        // the code the model was trained on, from the metadata temporal-mnist --save-model writes
        MnistDigits.Coding coding = new MnistDigits.Coding(Integer.parseInt(loaded.metadata("bins")), BatchForm.SPARSE,
                loaded.metadata("spike_coding"), 0, 0, 4.0);
        MnistDigits.Splits splits = MnistDigits.load(MnistDigits.MNIST_FILES, Path.of(args[1]), null, VALIDATION_DIGITS,
                null, coding);
        InferencePass pass = new InferencePass(loaded.network(), Kernels.best());
        MnistDigits validation = splits.validation().orElseThrow();
        write(pass, validation, coding.bins(), Path.of(args[2] + "-validation.bin"));
        write(pass, splits.test(), coding.bins(), Path.of(args[2] + "-test.bin"));
    }

    private static void write(InferencePass pass, MnistDigits digits, int steps, Path file) throws IOException {
        int n = digits.size();
        int classes = MnistDigits.CLASSES;
        float[] probabilities = new float[n * steps * classes];
        int[] labels = new int[n];
        List<SequenceBatch> batches = digits.batches(n, BATCH);
        int first = 0;
        long start = System.nanoTime();
        for (SequenceBatch batch : batches) {
            int base = first;
            for (int r = 0; r < batch.batchSize(); r++) {
                labels[base + r] = batch.label(r);
            }
            pass.runToEnd(batch, 0.9, (step, row, p, off) -> {
                int at = ((base + row) * steps + step - 1) * classes;
                for (int c = 0; c < classes; c++) {
                    probabilities[at + c] = (float) p[off + c];
                }
            });
            first += batch.batchSize();
        }
        ByteBuffer out = ByteBuffer.allocate(12 + 4 * n + 4 * probabilities.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(n).putInt(steps).putInt(classes);
        for (int label : labels) {
            out.putInt(label);
        }
        for (float p : probabilities) {
            out.putFloat(p);
        }
        Files.write(file, out.array());
        System.out.printf("%s: %d digits x %d steps in %.1f s%n", file, n, steps, (System.nanoTime() - start) / 1e9);
    }
}
