package org.rankcoding.consumer;

import org.rankcoding.data.InMemorySequences;
import org.rankcoding.data.LabeledSequence;
import org.rankcoding.infer.Decision;
import org.rankcoding.infer.RankCodingModel;
import org.rankcoding.infer.StreamingSession;
import org.rankcoding.io.LoadedModel;
import org.rankcoding.io.ModelFiles;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.train.Trainer;
import org.rankcoding.train.TrainerConfig;
import org.rankcoding.train.TrainingListener;
import org.rankcoding.train.TrainingResult;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains a small rank-coded model on the noise-vs-signal task, saves it, loads it back, and streams test sequences
 * through a session one step at a time; exits with status 1 if the loaded model streams differently from the trained
 * one or learnt nothing.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        SplittableRandom rng = new SplittableRandom(3);
        List<LabeledSequence> train = new ArrayList<>();
        List<LabeledSequence> test = new ArrayList<>();
        for (int i = 0; i < 6000; i++) {
            int label = rng.nextInt(2);
            double[][] steps = new double[30][1];
            for (double[] step : steps) {
                step[0] = (label == 1 ? 0.1 : -0.1) + 0.2 * rng.nextGaussian();
            }
            (i < 5000 ? train : test).add(new LabeledSequence(steps, label));
        }
        TrainerConfig config = TrainerConfig.builder().threshold(0.9).trainSequences(20_000).batchSize(64)
                .learningRate(3e-3).build();
        TrainingResult result = new Trainer(config).train(NetworkConfig.binary(1, 32), new InMemorySequences(train, 2),
                List.of(), TrainingListener.NONE);
        Path file = Files.createTempDirectory("rankcoding-consumer").resolve("model.safetensors");
        ModelFiles.save(result.network(), 0.9, file);
        LoadedModel loaded = ModelFiles.load(file);
        RankCodingModel original = ModelFiles.loadModel(file);
        RankCodingModel model = loaded.model();
        StreamingSession a = original.newSession();
        StreamingSession b = model.newSession();
        int right = 0;
        int steps = 0;
        for (LabeledSequence s : test) {
            a.reset();
            b.reset();
            Decision da = null;
            Decision db = null;
            for (double[] x : s.steps()) {
                da = a.feed(x);
                db = b.feed(x);
                if (da != null || db != null) {
                    break;
                }
            }
            if (da == null) {
                da = a.finish();
                db = b.finish();
            }
            if (db == null || da.label() != db.label() || da.step() != db.step()) {
                System.out.println("FAILED: the loaded model streams differently: " + da + " vs " + db);
                System.exit(1);
            }
            right += da.label() == s.label() ? 1 : 0;
            steps += da.step();
        }
        double accuracy = (double) right / test.size();
        System.out.printf("consumer: module %s, kernels %s; trained %d sequences, saved %s (%d bytes), loaded, streamed "
                        + "%d test sequences: accuracy %.3f at mean step %.1f of 30%n",
                Main.class.getModule().getName(), Kernels.best().name(), result.sequences(), file.getFileName(),
                Files.size(file), test.size(), accuracy, (double) steps / test.size());
        if (accuracy < 0.8) {
            System.out.println("FAILED: accuracy " + accuracy + " below 0.8");
            System.exit(1);
        }
        System.out.println("OK");
    }
}
