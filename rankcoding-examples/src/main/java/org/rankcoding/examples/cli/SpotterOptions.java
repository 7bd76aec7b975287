package org.rankcoding.examples.cli;

import org.rankcoding.audio.spotter.KeywordSpotter;
import org.rankcoding.audio.spotter.ResetPolicy;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a {@link KeywordSpotter} covers a long recording (a picocli mixin of the streaming commands): the refractory
 * period after each keyword ({@code --refractory-ms}), the reset policy of the sessions ({@code --reset-policy}) and
 * the longest a session listens ({@code --session-ms}).
 */
public final class SpotterOptions {

    @Range(min = 0, max = KeywordSpotter.MAX_MILLIS, note = "0: listen again from the frame after an event")
    @Option(names = "--refractory-ms", paramLabel = "MS", description = "After each keyword, hear nothing for MS ms of audio, "
            + "then start every session again (default: ${DEFAULT-VALUE}).")
    int refractoryMs = KeywordSpotter.DEFAULT_REFRACTORY_MILLIS;

    @Option(names = "--reset-policy", paramLabel = "POLICY", description = "How sessions of a model trained on 1 s clips cover "
            + "a long recording: staggered (two sessions half a window apart, each living one window) or restart (one session, "
            + "restarted at each decision and after each window; half the compute, may miss a word cut by a restart). "
            + "Default: ${DEFAULT-VALUE}.")
    String resetPolicy = "staggered";

    @Range(min = 1, max = KeywordSpotter.MAX_MILLIS)
    @Option(names = "--session-ms", paramLabel = "MS", description = "The longest a session listens before it starts again "
            + "undecided, in ms of audio; at least one front-end window (default: ${DEFAULT-VALUE}, the training clips' length).")
    int sessionMs = KeywordSpotter.DEFAULT_SESSION_MILLIS;

    /**
     * The reset policy named by {@code --reset-policy}, in any case.
     *
     * @throws ParameterException naming the option and the allowed values for another name
     */
    public ResetPolicy policy(CommandLine commandLine) {
        for (ResetPolicy p : ResetPolicy.values()) {
            if (p.name().equalsIgnoreCase(resetPolicy)) {
                return p;
            }
        }
        throw new ParameterException(commandLine, "--reset-policy = " + resetPolicy + ", expected one of "
                + Arrays.stream(ResetPolicy.values()).map(p -> p.name().toLowerCase(Locale.ROOT)).toList());
    }

    /**
     * {@code builder} with these options' policy, refractory period and session length.
     *
     * @throws ParameterException naming the option for a session shorter than one front-end window
     */
    public KeywordSpotter.Builder applyTo(KeywordSpotter.Builder builder, CommandLine commandLine) {
        builder.resetPolicy(policy(commandLine)).refractoryMillis(refractoryMs);
        try {
            builder.sessionMillis(sessionMs);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandLine, "--session-ms: " + e.getMessage(), e);
        }
        return builder;
    }

    /** The refractory period in ms. */
    public int refractoryMs() {
        return refractoryMs;
    }
}
