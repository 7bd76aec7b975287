package org.rankcoding.examples.cli;

import org.rankcoding.data.BatchSource;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.examples.toy.BayesFrontier;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.train.TrainerConfig;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a prepared {@link Task} hands its driver: the network, the training settings and the data.
 *
 * @param name         the task's name (titles, file names)
 * @param length       sequence length (longest)
 * @param network      network shape
 * @param base         training settings (budget, seed, threshold, beta, loss mode, ...); drivers set the loss mode and
 *                     beta/theta per model
 * @param sources      a fresh training source per call
 * @param validation   validation batches (may be empty)
 * @param test         test batches (may be built as they are read)
 * @param frontier     the Bayes frontier of the data, or {@code null} when none is known
 * @param classNames   names of the classes (per-class dynamics)
 * @param parameters   the data's parameters, for the JSON header
 * @param options      the task's training options (for the JSON header and the sweep's checks)
 * @param batch        training batch size
 * @param learningRate learning rate
 */
record Experiment(String name, int length, NetworkConfig network, TrainerConfig base, Supplier<BatchSource> sources,
                  List<SequenceBatch> validation, List<SequenceBatch> test, BayesFrontier frontier, String[] classNames,
                  Map<String, Object> parameters, TrainingOptions options, int batch, double learningRate) {

    /** This experiment with its test batches built once and kept, for drivers that read them many times. */
    Experiment withTestInMemory() {
        return new Experiment(name, length, network, base, sources, validation, List.copyOf(test), frontier, classNames, parameters,
                options, batch, learningRate);
    }

    /** The names {@code "PREFIX 0" .. "PREFIX count-1"}, e.g. "digit 0" .. "digit 9". */
    static String[] numberedClasses(String prefix, int count) {
        String[] names = new String[count];
        for (int c = 0; c < count; c++) {
            names[c] = prefix + " " + c;
        }
        return names;
    }
}
