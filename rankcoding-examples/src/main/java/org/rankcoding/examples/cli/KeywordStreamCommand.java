package org.rankcoding.examples.cli;

import org.rankcoding.audio.AudioClip;
import org.rankcoding.audio.LogMelConfig;
import org.rankcoding.audio.LogMelSpectrogram;
import org.rankcoding.audio.WavReader;
import org.rankcoding.examples.kws.KeywordModelFiles;
import org.rankcoding.infer.Decision;
import org.rankcoding.infer.RankCodingModel;
import org.rankcoding.infer.StreamingSession;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.rc.FirstSpikeDetector;
import org.rankcoding.rc.NonFiniteOutputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import org.rankcoding.rc.DecisionRuleSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code keyword-stream}: feeds WAV files to a streaming session of a keyword-spotting model frame by frame, as a
 * microphone would, and prints the word and the moment it was recognised: the first frame whose output crosses the
 * threshold, in milliseconds of audio, before the rest of the file is even looked at. An output that is not a
 * probability (NaN or infinite: the model's weights or feature statistics are broken) is an error: one line naming the
 * file, the frame and the model, exit code 1, never a printed result.
 */
@Command(name = KeywordStreamCommand.NAME, mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Streams WAV files through a keyword-spotting model (from keyword-spotting --save-model) frame by frame and "
                + "prints each word as soon as it is recognised."})
public final class KeywordStreamCommand implements Callable<Integer> {

    /** The subcommand's name. */
    public static final String NAME = "keyword-stream";

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The model file written by keyword-spotting --save-model.")
    Path model;

    @Range(min = 0.5, max = 1, above = true, below = true)
    @Option(names = "--threshold", paramLabel = "THETA", description = "Spike threshold (default: the model file's; a "
            + "per-step schedule of the file is moved to start there).")
    Double threshold;

    @Mixin
    DecisionRuleOptions rule;

    @Parameters(arity = "1..*", paramLabel = "WAV", description = "Mono 16-bit PCM WAV files at the model's sample rate.")
    List<Path> wavs;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (threshold != null) {
            try {
                FirstSpikeDetector.requireThreshold(threshold);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--threshold: " + e.getMessage(), e);
            }
            if (rule.hasSchedule()) {
                throw new ParameterException(spec.commandLine(), "--threshold and --threshold-schedule both set the threshold; "
                        + "give one of them");
            }
        }
        try {
            rule.applyTo(DecisionRuleSpec.thresholdCrossing(0.95)); // checks the options before the model is read
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        KeywordModelFiles m;
        try {
            m = KeywordModelFiles.load(model);
        } catch (IOException e) {
            err.println(NAME + ": " + CliErrors.describe(model, e));
            err.flush();
            return 1;
        }
        DecisionRuleSpec saved = m.model().decisionRule();
        DecisionRuleSpec chosen = rule.applyTo(threshold != null ? saved.withThreshold(threshold) : saved);
        double theta = chosen.startThreshold();
        RankCodingModel rc = new RankCodingModel(m.model().network(), chosen, Kernels.best(), m.model().source());
        LogMelConfig c = m.frontEnd();
        LogMelSpectrogram frontEnd = new LogMelSpectrogram(c);
        StreamingSession session = rc.newSession();
        double[] frame = new double[c.melBands()];
        double[] mean = m.normalizer().mean();
        double[] std = m.normalizer().std();
        out.printf(Locale.ROOT, "%s: %d words, threshold %s%s, %d ms frames every %d ms%n", model, m.words().size(), theta,
                chosen.isThresholdCrossing() ? "" : " (decision rule " + chosen + ")",
                Math.round(1000.0 * c.windowLength() / c.sampleRate()), Math.round(1000.0 * c.hopLength() / c.sampleRate()));
        int failures = 0;
        for (Path wav : wavs) {
            AudioClip clip;
            try {
                clip = WavReader.read(wav, c.sampleRate());
            } catch (IOException e) {
                err.println(NAME + ": " + CliErrors.describe(wav, e));
                failures++;
                continue;
            }
            session.reset();
            float[] samples = clip.samples();
            int frames = c.frames(samples.length);
            Decision d = StreamingSession.UNDECIDED;
            long computeNanos = 0;
            for (int t = 0; t < frames && d == StreamingSession.UNDECIDED; t++) {
                long start = System.nanoTime();
                frontEnd.computeFrame(samples, t * c.hopLength(), frame, 0);
                for (int b = 0; b < frame.length; b++) {
                    frame[b] = (frame[b] - mean[b]) / std[b];
                }
                try {
                    d = session.feed(frame);
                } catch (NonFiniteOutputException e) {
                    // the model (or its feature statistics) is broken: every other file would fail the same way
                    err.println(NAME + ": " + wav + ": " + e.getMessage());
                    out.flush();
                    err.flush();
                    return 1;
                }
                computeNanos += System.nanoTime() - start;
            }
            if (frames == 0) {
                out.printf(Locale.ROOT, "%s: %d samples, shorter than one %d-sample window: nothing to hear%n", wav, samples.length,
                        c.windowLength());
                continue;
            }
            boolean spiked = d != StreamingSession.UNDECIDED;
            if (!spiked) {
                d = session.finish();
            }
            double heardMs = 1000.0 * ((d.step() - 1) * c.hopLength() + c.windowLength()) / c.sampleRate();
            double[] p = d.probabilities();
            out.printf(Locale.ROOT, "%s: \"%s\" %s at %.0f ms of %.0f ms (frame %d of %d, p = %.3f; %.0f us of compute per frame)%n", wav,
                    m.words().get(d.label()), spiked ? "recognised" : "never crossed the threshold; best guess at the end",
                    heardMs, 1000.0 * samples.length / c.sampleRate(), d.step(), frames, p[d.label()], computeNanos / 1e3 / d.step());
        }
        out.flush();
        err.flush();
        return failures == 0 ? 0 : 1;
    }
}
