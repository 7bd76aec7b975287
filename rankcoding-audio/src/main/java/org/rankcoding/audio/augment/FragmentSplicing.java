package org.rankcoding.audio.augment;

import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Rejection items made of word fragments: a clip of the rejection class (in the 12-class task {@code _unknown_}) is
 * replaced, with a given probability, by a window across the junction of itself and another clip of that class, so
 * that the window ends one word and starts another, each possibly cut.
 *
 * <p>Why: a spotter on a continuous stream starts its listening sessions at times that have nothing to do with the
 * words spoken ({@link org.rankcoding.audio.spotter.KeywordSpotter}), so most sessions hear the tail of one word and
 * the head of the next. Training clips hold one word each, whole; a model that has never heard a fragment may call one
 * a keyword with confidence. Spliced items teach it that fragments of other speech are to be rejected.
 *
 * <h2>Per item</h2>
 * For a training row whose label is {@link #label()} (rows of other labels draw nothing), from the trainer's
 * generator: {@code nextDouble() < probability} decides; if so, a partner clip uniformly among the clips of that label
 * ({@code nextInt(n)}, possibly the same clip) and an offset {@code o = 1 + nextInt(L - 1)} on clips of {@code L}
 * samples. The item's samples become {@code clip[o .. L)} followed by {@code partner[0 .. o)}: the clip seen from
 * {@code o}, the partner's first {@code o} samples after it. The waveform augmentation then applies to the spliced
 * samples as to any clip. With probability 0 ({@link #NONE}) nothing is drawn.
 *
 * <p>Immutable; {@link #toString()} goes into training sources' fingerprints.
 *
 * @param probability the chance that an item of the label is spliced, in [0, 1]
 * @param label       the class whose items are spliced and whose clips are the partners, {@code >= 0} (the 12-class task's
 *                    {@code _unknown_} is {@code 1})
 */
public record FragmentSplicing(double probability, int label) {

    /** No splicing. */
    public static final FragmentSplicing NONE = new FragmentSplicing(0, 0);

    /**
     * Validates the fields.
     *
     * @throws IllegalArgumentException for a probability outside [0, 1] (or NaN) or a negative label, naming the field
     *                                  and the value
     */
    public FragmentSplicing {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability = " + probability + ", expected in [0, 1] (the chance that an item "
                    + "of the rejection class is spliced from two clips; 0 for none)");
        }
        if (label < 0) {
            throw new IllegalArgumentException("label = " + label + ", expected a class index >= 0 (the rejection class, "
                    + "e.g. 1 for _unknown_ in the 12-class task)");
        }
    }

    /** Whether nothing is ever spliced. */
    public boolean isNone() {
        return probability == 0;
    }

    /**
     * Draws for one item of {@link #label()}: whether it is spliced and, if so, with which partner and from which offset.
     *
     * @param partners the indices of the clips of {@link #label()}, at least one
     * @param length   samples per clip, at least 2
     * @param random   the generator
     * @param into     receives the partner's clip index at {@code [0]} ({@code -1}: not spliced) and the offset at
     *                 {@code [1]}
     */
    void draw(int[] partners, int length, RandomGenerator random, int[] into) {
        if (!(random.nextDouble() < probability)) {
            into[0] = -1;
            return;
        }
        into[0] = partners[random.nextInt(partners.length)];
        into[1] = 1 + random.nextInt(length - 1);
    }

    /**
     * Splices in place: {@code wave[0 .. length)} becomes its samples from {@code offset} on followed by the partner's
     * first {@code offset} samples.
     */
    static void splice(float[] wave, int length, float[] partner, int offset) {
        System.arraycopy(wave, offset, wave, 0, length - offset);
        System.arraycopy(partner, 0, wave, length - offset, offset);
    }

    /** {@code "none"}, or {@code "p=0.5 of class 1"}. */
    @Override
    public String toString() {
        return isNone() ? "none" : String.format(Locale.ROOT, "p=%s of class %d", probability, label);
    }
}
