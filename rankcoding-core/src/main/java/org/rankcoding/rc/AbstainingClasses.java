package org.rankcoding.rc;

import org.rankcoding.nn.OutputHead;

import java.util.Collection;
import java.util.Objects;

/**
 * Classes that never decide: a {@link DecisionRule} that decides at the first step at which the rule it wraps holds
 * <em>and</em> the head predicts a class outside a set of abstaining classes. A row whose confident answer is an
 * abstaining class goes on listening; if nothing else decides, its answer is the head's prediction at its last step
 * (an undecided row's answer), which may well be an abstaining class.
 *
 * <p>This is how a classifier with rejection classes, such as Speech Commands' {@code _silence_} and
 * {@code _unknown_}, decides early: the noise before a word looks exactly like silence, so a rule that let
 * {@code _silence_} decide would answer "silence" before every word. Under rank coding the training loss of such a row
 * is taken at its first keyword decision, or at its last step.
 *
 * <p>The wrapped rule is asked at every step, also after it fired, so it must answer at each step whether its
 * condition holds there (the library's rules do, see {@link MinimumSteps}). Immutable and thread-safe.
 */
public final class AbstainingClasses extends GatedRule {

    private final OutputHead head;
    private final boolean[] abstains;

    /**
     * @param rule    the rule whose decisions are kept when the predicted class does not abstain
     * @param head    the head whose {@link OutputHead#predict prediction} is checked
     * @param classes the abstaining classes, each in [0, {@code head.numClasses()}), not all of them
     * @throws IllegalArgumentException for a class out of range, or when every class abstains (nothing could decide)
     */
    public AbstainingClasses(DecisionRule rule, OutputHead head, Collection<Integer> classes) {
        super(rule);
        this.head = Objects.requireNonNull(head, "head");
        Objects.requireNonNull(classes, "classes is null; give an empty set for none");
        int n = head.numClasses();
        this.abstains = new boolean[n];
        int abstaining = 0;
        for (Integer c : classes) {
            Objects.requireNonNull(c, "an abstaining class is null");
            if (c < 0 || c >= n) {
                throw new IllegalArgumentException("abstaining class " + c + ", expected a class index in [0, " + (n - 1)
                        + "]: the head has " + n + " classes");
            }
            abstaining += abstains[c] ? 0 : 1;
            abstains[c] = true;
        }
        if (abstaining == n) {
            throw new IllegalArgumentException("every one of the head's " + n + " classes abstains, so no row could ever "
                    + "decide; leave at least one class that decides");
        }
    }

    /** Whether class {@code c} abstains. */
    public boolean abstains(int c) {
        return c >= 0 && c < abstains.length && abstains[c];
    }

    /** When the head's prediction does not abstain. */
    @Override
    boolean allows(int step, double[] p, int off) {
        return !abstains[head.predict(p, off)];
    }
}
