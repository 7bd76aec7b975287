package org.rankcoding.examples.cli;

import org.rankcoding.audio.AudioClip;
import org.rankcoding.audio.LogMelConfig;
import org.rankcoding.audio.WavReader;
import org.rankcoding.audio.spotter.KeywordEvent;
import org.rankcoding.audio.spotter.KeywordModel;
import org.rankcoding.audio.spotter.KeywordSpotter;
import org.rankcoding.audio.spotter.ResetPolicy;
import org.rankcoding.rc.DecisionRuleSpec;
import org.rankcoding.rc.NonFiniteOutputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code keyword-stream}: runs a {@link KeywordSpotter} over WAV files, each fed as one stream as a microphone would
 * deliver it, and prints one line per keyword heard: the file, the word, the moment of the decision (milliseconds and
 * seconds of audio) and the confidence. Recordings of any length are accepted: several words with silences between
 * them give several lines. A file of at most one session window (a 1 s clip) in which no output crosses the threshold
 * gets the prediction at its last frame, marked as such; a longer one without a keyword says so. An output that is not
 * a probability (NaN or infinite: the model's weights or feature statistics are broken) is an error: one line naming
 * the file, the frame and the model, exit code 1, never a printed result.
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

    @Mixin
    SpotterOptions sessions;

    @Parameters(arity = "1..*", paramLabel = "WAV", description = "Mono 16-bit PCM WAV files at the model's sample rate, of any length.")
    List<Path> wavs;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ResetPolicy policy = sessions.policy(spec.commandLine());
        rule.checkWithThreshold(spec.commandLine(), threshold);
        Optional<KeywordModel> read = KeywordModelLoader.load(NAME, model, err);
        if (read.isEmpty()) {
            return 1;
        }
        KeywordModel m = read.get();
        DecisionRuleSpec saved = m.model().decisionRule();
        DecisionRuleSpec chosen = rule.applyTo(saved, threshold);
        KeywordSpotter spotter = spotter(m, chosen);
        LogMelConfig c = m.frontEnd().mel();
        out.printf(Locale.ROOT, "%s: %d words, threshold %s%s, %d ms frames every %d ms; %s sessions of %d frames, refractory %d ms%n",
                model, m.words().size(), chosen.startThreshold(), chosen.isThresholdCrossing() ? "" : " (decision rule " + chosen + ")",
                Math.round(1000.0 * c.windowLength() / c.sampleRate()), Math.round(1000.0 * c.hopLength() / c.sampleRate()),
                policy.name().toLowerCase(Locale.ROOT), spotter.sessionFrames(), sessions.refractoryMs());
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
            try {
                report(out, wav, clip, spotter);
            } catch (NonFiniteOutputException e) {
                // the model (or its feature statistics) is broken: every other file would fail the same way
                err.println(NAME + ": " + wav + ": " + e.getMessage());
                out.flush();
                err.flush();
                return 1;
            }
        }
        out.flush();
        err.flush();
        return failures == 0 ? 0 : 1;
    }

    private KeywordSpotter spotter(KeywordModel m, DecisionRuleSpec chosen) {
        return sessions.applyTo(KeywordSpotter.builder(m).decisionRule(chosen), spec.commandLine()).build();
    }

    /** Streams one recording through the spotter and prints its events (or its best guess, or that it has none). */
    private static void report(PrintWriter out, Path wav, AudioClip clip, KeywordSpotter spotter) {
        LogMelConfig c = spotter.model().frontEnd().mel();
        float[] samples = clip.samples();
        double totalMs = 1000.0 * samples.length / c.sampleRate();
        int frames = c.frames(samples.length);
        spotter.reset();
        long start = System.nanoTime();
        List<KeywordEvent> events = spotter.feed(samples);
        long nanos = System.nanoTime() - start;
        Optional<KeywordEvent> guess = spotter.flush();
        if (frames == 0) {
            out.printf(Locale.ROOT, "%s: %d samples, shorter than one %d-sample window: nothing to hear%n", wav, samples.length,
                    c.windowLength());
            return;
        }
        for (KeywordEvent e : events) {
            out.printf(Locale.ROOT, "%s: \"%s\" recognised at %.0f ms of %.0f ms (t = %.3f s, p = %.3f)%n", wav, e.word(),
                    1000 * e.seconds(), totalMs, e.seconds(), e.confidence());
        }
        if (events.isEmpty() && frames <= spotter.sessionFrames() && guess.isPresent()) {
            KeywordEvent g = guess.get();
            out.printf(Locale.ROOT, "%s: \"%s\" never crossed the threshold; best guess at the end at %.0f ms of %.0f ms (p = %.3f)%n",
                    wav, g.word(), 1000 * g.seconds(), totalMs, g.confidence());
        }
        out.printf(Locale.ROOT, "%s: %d keyword%s in %.3f s (%d frames, %.0f us of compute per frame)%n", wav, events.size(),
                events.size() == 1 ? "" : "s", totalMs / 1000, frames, nanos / 1e3 / frames);
    }
}
