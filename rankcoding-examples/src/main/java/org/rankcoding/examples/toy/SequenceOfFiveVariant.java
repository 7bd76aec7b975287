package org.rankcoding.examples.toy;

import org.rankcoding.data.SequenceBatch;
import org.rankcoding.eval.Evaluation;
import org.rankcoding.eval.Evaluator;
import org.rankcoding.examples.run.InferencePass;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.train.LearningRateSchedule;
import org.rankcoding.train.Trainer;
import org.rankcoding.train.TrainerConfig;
import org.rankcoding.train.TrainingListener;
import org.rankcoding.train.TrainingProgress;
import org.rankcoding.train.TrainingResult;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Trains one RC model on sequence-of-five (1,000,000 sequences, reference settings unless overridden) and
 * reports its test scores with a breakdown of its errors: the harness behind the variants table of
 * docs/results.md. Arguments: {@code beta seed clipNorm theta schedule learningRate} (for example
 * {@code 0.0 1 0 0.95 CONSTANT 3e-4}); the test set is 100,000 sequences drawn from seed 12345.
 */
public final class SequenceOfFiveVariant {

    private SequenceOfFiveVariant() {
    }

    /** Entry point; see the class comment for the arguments. */
    public static void main(String[] args) {
        if (args.length != 6) {
            System.err.println("usage: SequenceOfFiveVariant beta seed clipNorm theta CONSTANT|COSINE learningRate");
            System.exit(2);
        }
        double beta = Double.parseDouble(args[0]);
        long seed = Long.parseLong(args[1]);
        double clip = Double.parseDouble(args[2]);
        double theta = Double.parseDouble(args[3]);
        LearningRateSchedule schedule = LearningRateSchedule.valueOf(args[4]);
        double lr = Double.parseDouble(args[5]);
        SequenceOfFiveSource source = new SequenceOfFiveSource();
        SplittableRandom testRng = new SplittableRandom(12345);
        List<SequenceBatch> test = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            test.add(source.nextBatch(1000, testRng));
        }
        TrainerConfig config = TrainerConfig.builder().beta(beta).seed(seed).clipNorm(clip).threshold(theta).schedule(schedule)
                .learningRate(lr).trainSequences(1_000_000).validateEverySequences(100_000).timingWindow(source.timingWindow()).build();
        List<SequenceBatch> validation = List.of(source.nextBatch(5000, new SplittableRandom(99)));
        TrainingResult result = new Trainer(config).train(NetworkConfig.binary(1, 125), source, validation, new TrainingListener() {
            @Override
            public void onValidation(TrainingProgress p, Evaluation e) {
                System.out.printf(Locale.ROOT, "  %,d: acc %.4f step %.2f timing %.4f%n", p.sequences(), e.accuracyFirstSpike(),
                        e.meanDecisionStep(), e.timing().timingLoss());
            }
        });
        Evaluation e = Evaluator.evaluate(result.network(), test, theta, source.timingWindow());
        InferencePass pass = new InferencePass(result.network());
        long falseNegatives = 0;
        long falsePositives = 0;
        long[] fnByStep = new long[source.length() + 1];
        long[] fnByStepsBeforeOptimal = new long[source.length() + 1];
        for (SequenceBatch b : test) {
            pass.earlyExit(b, theta);
            for (int r = 0; r < b.batchSize(); r++) {
                if (pass.predictionAtDecision(r) == b.label(r)) {
                    continue;
                }
                if (b.label(r) == 1) {
                    falseNegatives++;
                    fnByStep[pass.decisionStep(r)]++;
                    fnByStepsBeforeOptimal[b.optimalStep(r) - pass.decisionStep(r)]++;
                } else {
                    falsePositives++;
                }
            }
        }
        System.out.printf(Locale.ROOT, "errors: %d false negatives (by decision step %s; by optimal - decision step %s), %d false positives%n",
                falseNegatives, Arrays.toString(fnByStep), Arrays.toString(fnByStepsBeforeOptimal), falsePositives);
        System.out.printf(Locale.ROOT, "beta %s seed %d clip %s theta %s %s lr %s: test acc@spike %.4f, mean step %.2f, lag %.3f, "
                        + "premature %d, timing %.4f, train example-steps %d%n",
                beta, seed, clip, theta, schedule, lr, e.accuracyFirstSpike(), e.meanDecisionStep(), e.timing().meanLag(),
                e.timing().prematureSpikes(), e.timing().timingLoss(), result.forwardExampleSteps());
    }
}
