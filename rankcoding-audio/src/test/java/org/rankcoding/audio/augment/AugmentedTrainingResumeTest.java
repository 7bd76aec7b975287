package org.rankcoding.audio.augment;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.audio.AudioClip;
import org.rankcoding.audio.FeatureNormalizer;
import org.rankcoding.audio.FrontEndConfig;
import org.rankcoding.audio.VtlpWarp;
import org.rankcoding.audio.LogMelConfig;
import org.rankcoding.audio.LogMelSpectrogram;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.Parameters;
import org.rankcoding.train.CheckpointPolicy;
import org.rankcoding.train.Trainer;
import org.rankcoding.train.TrainerConfig;
import org.rankcoding.train.TrainingCheckpoint;
import org.rankcoding.train.TrainingListener;
import org.rankcoding.train.TrainingProgress;
import org.rankcoding.train.TrainingResult;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.rankcoding.audio.augment.Signals.RATE;

/** Training on augmented clips through the trainer: an interrupted and resumed run ends bit-identical. */
class AugmentedTrainingResumeTest {

    private static final LogMelConfig CONFIG = LogMelConfig.speechCommands().withMelBands(8);
    private static final NetworkConfig NET = new NetworkConfig(8, 4, 1, HeadType.SOFTMAX, 3);

    private static final class Crash extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    private static AugmentedClipSource source() {
        List<float[]> clips = new ArrayList<>();
        int[] labels = new int[9];
        for (int k = 0; k < 9; k++) {
            clips.add(Signals.clip(k));
            labels[k] = k % 3;
        }
        LogMelSpectrogram fe = new LogMelSpectrogram(CONFIG);
        List<double[][]> features = new ArrayList<>();
        for (float[] c : clips) {
            features.add(fe.computeSteps(c));
        }
        List<AudioClip> noise = List.of(new AudioClip(Signals.whiteNoise(2 * RATE, 0.1, 1), RATE));
        return new AugmentedClipSource(ClipSet.of(clips, labels, 3, RATE), FrontEndConfig.logMel(CONFIG), FeatureNormalizer.fit(features), VtlpWarp.defaults(),
                new WaveformAugmenter(WaveformAugmentation.typical(), RATE, noise), SpecAugment.typical());
    }

    private static TrainerConfig config() {
        return TrainerConfig.builder().learningRate(1e-2).batchSize(4).trainSequences(40).seed(7).threads(1).build();
    }

    private static String firstDifference(Parameters a, Parameters b) {
        for (String name : a.names()) {
            DMatrixRMaj x = a.get(name);
            DMatrixRMaj y = b.get(name);
            for (int i = 0; i < x.getNumElements(); i++) {
                if (Double.doubleToRawLongBits(x.data[i]) != Double.doubleToRawLongBits(y.data[i])) {
                    return name + "[" + i + "]: " + x.data[i] + " vs " + y.data[i];
                }
            }
        }
        return null;
    }

    @Test
    void anInterruptedAndResumedRunEndsBitIdenticalToAnUninterruptedOne(@TempDir Path dir) throws IOException {
        TrainingResult straight = new Trainer(config()).train(NET, source(), List.of(), TrainingListener.NONE);
        CheckpointPolicy policy = CheckpointPolicy.everyBatches(dir, 4);
        TrainingListener crashAfterSix = new TrainingListener() {
            @Override
            public void onBatch(TrainingProgress progress) {
                if (progress.batches() == 6) {
                    throw new Crash();
                }
            }
        };
        assertThrows(Crash.class, () -> new Trainer(config()).train(NET, source(), List.of(), crashAfterSix, policy));
        TrainingCheckpoint checkpoint = TrainingCheckpoint.latest(dir).orElseThrow();
        assertEquals(4, checkpoint.progress().batches());
        TrainingResult resumed = new Trainer(config()).resume(checkpoint, NET, source(), List.of(), TrainingListener.NONE, policy);
        assertEquals(straight.batches(), resumed.batches());
        assertNull(firstDifference(straight.network().parameters(), resumed.network().parameters()),
                "resumed weights differ from the uninterrupted run's");
    }
}
