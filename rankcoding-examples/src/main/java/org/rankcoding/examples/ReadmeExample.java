package org.rankcoding.examples;

import org.rankcoding.data.InMemorySequences;
import org.rankcoding.data.LabeledSequence;
import org.rankcoding.eval.Evaluation;
import org.rankcoding.eval.Evaluator;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.rc.LossMode;
import org.rankcoding.train.Trainer;
import org.rankcoding.train.TrainerConfig;
import org.rankcoding.train.TrainingListener;
import org.rankcoding.train.TrainingResult;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The README's code example: train an LSTM with rank coding on your own sequences and evaluate it. */
public final class ReadmeExample {
    public static void main(String[] args) {
        // Your data: one double[] per step. Here: 40 noisy steps whose mean's sign is the label.
        SplittableRandom rng = new SplittableRandom(7);
        List<LabeledSequence> train = new ArrayList<>(), test = new ArrayList<>();
        for (int i = 0; i < 25_000; i++) {
            int label = rng.nextInt(2);
            double[][] steps = new double[40][1];
            for (double[] step : steps) {
                step[0] = (label == 1 ? 0.05 : -0.05) + 0.15 * rng.nextGaussian();
            }
            (i < 20_000 ? train : test).add(new LabeledSequence(steps, label));
        }
        TrainerConfig config = TrainerConfig.builder()
                .lossMode(LossMode.RANK_CODING)   // loss at each example's first spike; decided rows leave the batch
                .threshold(0.95)                  // a spike: p > 0.95 or p < 0.05
                .trainSequences(100_000)          // 5 epochs of the 20,000 training sequences
                .build();
        TrainingResult result = new Trainer(config)
                .train(NetworkConfig.binary(1, 125), new InMemorySequences(train, 2), List.of(), TrainingListener.NONE);
        Evaluation eval = Evaluator.evaluate(result.network(), new InMemorySequences(test, 2).batches(500), 0.95, 1.0);
        System.out.printf("accuracy at first spike %.3f, mean decision step %.1f of 40, %,d of %,d example-steps trained%n",
                eval.accuracyFirstSpike(), eval.meanDecisionStep(), result.forwardExampleSteps(), result.sequences() * 40);
    }
}
