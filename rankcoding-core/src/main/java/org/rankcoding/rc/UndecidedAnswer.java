package org.rankcoding.rc;

import org.rankcoding.nn.OutputHead;

/**
 * What a row answers when it reaches its end without its decision rule firing (no first spike): part of a
 * {@link DecisionRuleSpec}. The row's decision step is its last step either way, and a training pass takes such a row's
 * loss at its last step either way (the method's loss); only the answer (the prediction and the probabilities reported
 * for the decision) differs.
 */
public enum UndecidedAnswer {

    /** The head's prediction at the last step: the sequence is decided at its end (the method's rule, the default). */
    LAST_STEP {
        @Override
        DecisionRule around(DecisionRule rule, OutputHead head) {
            return rule;
        }
    },

    /**
     * The class of the highest mean probability over the row's steps, 1 to its end (for the binary head: the mean
     * probability of class 1 against 0.5). Where the last step is an unreliable read-out of an input whose evidence came
     * earlier (a latency code fires its weakest inputs last), this answers with what the whole sequence said.
     */
    MEAN_PROBABILITY {
        @Override
        DecisionRule around(DecisionRule rule, OutputHead head) {
            return new MeanProbabilityAnswer(rule, head.outputs());
        }
    };

    /** {@code rule} answering undecided rows this way (the rule itself for {@link #LAST_STEP}). */
    abstract DecisionRule around(DecisionRule rule, OutputHead head);

    /**
     * Reads the name of an answer, as {@link #name()} writes it.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static UndecidedAnswer parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("undecided answer text is null, expected LAST_STEP or MEAN_PROBABILITY");
        }
        for (UndecidedAnswer a : values()) {
            if (a.name().equals(text)) {
                return a;
            }
        }
        String shown = text.length() > 30 ? text.substring(0, 30) + "..." : text;
        throw new IllegalArgumentException("undecided answer '" + shown + "', expected LAST_STEP or MEAN_PROBABILITY");
    }
}
