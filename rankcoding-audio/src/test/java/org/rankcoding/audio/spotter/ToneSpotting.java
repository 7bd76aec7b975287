package org.rankcoding.audio.spotter;

import org.rankcoding.audio.FeatureNormalizer;
import org.rankcoding.audio.FrontEndConfig;
import org.rankcoding.audio.LogMelConfig;
import org.rankcoding.audio.LogMelSpectrogram;
import org.rankcoding.infer.Decision;
import org.rankcoding.infer.StreamingSession;
import org.rankcoding.io.LoadedModel;
import org.rankcoding.io.TensorDType;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.DecisionRuleSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A hand-built keyword model whose outputs the tests control: "low" (a 400 Hz tone) and "high" (3000 Hz) are counted,
 * frame by frame, by one LSTM cell each, and a word is decided at about its {@link #FRAMES_TO_DECIDE}-th loud frame.
 *
 * <p>Cell {@code j} integrates: input gate {@code sigmoid(2 x)} of its tone's mel band (raw log-mel, standardised by
 * mean 0 and std 1: about +8 for the tone, -13.8 for digital silence, so the gate is 1 or 0), forget and output gates
 * 1, candidate {@link #GAMMA}; so its cell holds {@code GAMMA x loud frames} and never forgets. The readout gives the
 * word of cell {@code j} the logit {@code 10 tanh(c_j)} and {@code _silence_} 0: in silence every class has p = 1/3 (no
 * spike, the session runs on), after 10 loud frames of a tone its word crosses 0.9.
 */
final class ToneSpotting {

    static final int RATE = 16_000;
    static final int HOP = 160;
    static final int WINDOW = 400;
    static final List<String> WORDS = List.of("low", "high", "_silence_");
    static final double[] HZ = {400, 3000};
    static final double GAMMA = 0.0313;
    static final int FRAMES_TO_DECIDE = 10;

    private ToneSpotting() {
    }

    /** The model, deciding by threshold crossing at 0.9. */
    static KeywordModel model() {
        LogMelConfig c = LogMelConfig.speechCommands();
        double[] centers = new LogMelSpectrogram(c).centerFrequencies();
        RankCodingNetwork net = new RankCodingNetwork(new NetworkConfig(c.melBands(), 2, 1, HeadType.SOFTMAX, 3), 1);
        for (String name : List.of("lstm.weight_ih_l0", "lstm.weight_hh_l0", "lstm.bias_ih_l0", "lstm.bias_hh_l0", "readout.weight",
                "readout.bias")) {
            Arrays.fill(net.parameters().get(name).data, 0.0);
        }
        double[] wih = net.parameters().get("lstm.weight_ih_l0").data; // [8 x 40], gates i, f, g, o
        double[] bias = net.parameters().get("lstm.bias_ih_l0").data;
        int hidden = 2;
        for (int j = 0; j < hidden; j++) {
            wih[j * c.melBands() + nearest(centers, HZ[j])] = 2.0;    // input gate: the tone's band is loud
            bias[hidden + j] = 30;                                   // forget gate 1
            bias[2 * hidden + j] = atanh(GAMMA);                     // candidate GAMMA
            bias[3 * hidden + j] = 30;                               // output gate 1
        }
        double[] readout = net.parameters().get("readout.weight").data; // [3 x 2]
        readout[0] = 10;           // low <- cell 0
        readout[hidden + 1] = 10;  // high <- cell 1
        double[] std = new double[c.melBands()];
        Arrays.fill(std, 1.0);
        LoadedModel loaded = new LoadedModel(Path.of("tone-network"), net, DecisionRuleSpec.thresholdCrossing(0.9), TensorDType.F64,
                Map.of());
        return new KeywordModel(loaded, WORDS, FrontEndConfig.logMel(c), new FeatureNormalizer(new double[c.melBands()], std));
    }

    private static double atanh(double x) {
        return 0.5 * Math.log((1 + x) / (1 - x));
    }

    private static int nearest(double[] centers, double hz) {
        int best = 0;
        for (int b = 1; b < centers.length; b++) {
            if (Math.abs(centers[b] - hz) < Math.abs(centers[best] - hz)) {
                best = b;
            }
        }
        return best;
    }

    /** {@code samples} samples of word {@code w}'s tone, amplitude 0.5, with 5 ms raised-cosine edges (no clicks). */
    static float[] tone(int w, int samples) {
        float[] s = new float[samples];
        int ramp = 80;
        for (int i = 0; i < samples; i++) {
            double edge = Math.min(1, Math.min(i, samples - 1 - i) / (double) ramp);
            double gain = 0.5 - 0.5 * Math.cos(Math.PI * edge);
            s[i] = (float) (0.5 * gain * Math.sin(2 * Math.PI * HZ[w] * i / RATE));
        }
        return s;
    }

    /** Digital silence. */
    static float[] silence(int samples) {
        return new float[samples];
    }

    /** The parts one after the other. */
    static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** A 1 s clip: silence, word {@code w} for {@code lengthMs} from {@code startMs}, silence. */
    static float[] clip(int w, int startMs, int lengthMs) {
        int start = startMs * RATE / 1000;
        int length = lengthMs * RATE / 1000;
        return concat(silence(start), tone(w, length), silence(RATE - start - length));
    }

    /**
     * Per-clip classification, the reference: one streaming session of the model fed the clip's offline frames
     * ({@link LogMelSpectrogram#computeSteps}, standardised), deciding at its first spike.
     *
     * @return the decision, or {@code null} if the clip never spikes
     */
    static Decision classifyClip(KeywordModel model, float[] clip) {
        double[][] steps = model.normalizer().apply(new LogMelSpectrogram(model.frontEnd().mel()).computeSteps(clip));
        StreamingSession session = model.model().model().newSession();
        for (double[] step : steps) {
            Decision d = session.feed(step);
            if (d != StreamingSession.UNDECIDED) {
                return d;
            }
        }
        return null;
    }

    /** The stream position one past the last sample of 1-based frame {@code step} of a clip starting at {@code clipStart}. */
    static long endOfFrame(long clipStart, int step) {
        return clipStart + (long) (step - 1) * HOP + WINDOW;
    }

    /** The events of {@code samples} fed in one call to a new spotter from {@code builder}. */
    static List<KeywordEvent> events(KeywordSpotter.Builder builder, float[] samples) {
        return new ArrayList<>(builder.build().feed(samples));
    }
}
