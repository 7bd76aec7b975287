package org.rankcoding.audio;

import org.rankcoding.data.InMemorySequences;
import org.rankcoding.data.LabeledSequence;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The features of a Speech Commands data set, per split, as made by {@link SpeechCommands#load}: one
 * {@link LabeledSequence} per clip whose steps are the clip's standardised log-mel frames (98 steps of 40 values with
 * the defaults) and whose label is the word's class.
 *
 * <p>Immutable by contract: the lists are unmodifiable and the sequences' arrays must not be modified.
 */
public final class SpeechCommandsFeatures {

    private final List<String> words;
    private final FrontEndConfig frontEnd;
    private final FeatureNormalizer normalizer;
    private final Map<DataSplit, List<LabeledSequence>> sequences;
    private final Map<DataSplit, List<SpeechClip>> clips;

    SpeechCommandsFeatures(List<String> words, FrontEndConfig frontEnd, FeatureNormalizer normalizer,
                           Map<DataSplit, List<LabeledSequence>> sequences, Map<DataSplit, List<SpeechClip>> clips) {
        this.words = List.copyOf(words);
        this.frontEnd = frontEnd;
        this.normalizer = normalizer;
        this.sequences = new EnumMap<>(DataSplit.class);
        this.clips = new EnumMap<>(DataSplit.class);
        for (DataSplit s : DataSplit.values()) {
            this.sequences.put(s, List.copyOf(sequences.get(s)));
            this.clips.put(s, List.copyOf(clips.get(s)));
        }
    }

    /** The class names: {@code words().get(label)}. */
    public List<String> words() {
        return words;
    }

    /** Number of classes. */
    public int numClasses() {
        return words.size();
    }

    /** The front end's log-mel parameters. */
    public LogMelConfig config() {
        return frontEnd.mel();
    }

    /** The whole front end: log-mel parameters, compression and normalisation. */
    public FrontEndConfig frontEnd() {
        return frontEnd;
    }

    /** Input size of every step: the number of mel bands. */
    public int inputSize() {
        return frontEnd.mel().melBands();
    }

    /**
     * The per-band statistics fitted on the training split's compressed features: the standardisation applied to every
     * split, or the prior of the causal normalisation (a {@link FrontEndStream} with {@link #frontEnd()} applies them to
     * new audio).
     */
    public FeatureNormalizer normalizer() {
        return normalizer;
    }

    /** The sequences of one split, in the order of {@link SpeechCommands#clips()} (unmodifiable; possibly empty). */
    public List<LabeledSequence> sequences(DataSplit split) {
        return sequences.get(split);
    }

    /** The clips of one split, index-aligned with {@link #sequences(DataSplit)} (unmodifiable). */
    public List<SpeechClip> clips(DataSplit split) {
        return clips.get(split);
    }

    /** Number of clips in one split. */
    public int size(DataSplit split) {
        return sequences.get(split).size();
    }

    /**
     * One split as a data source for training or evaluation.
     *
     * @return a new {@link InMemorySequences} (it keeps an epoch position, so each caller gets its own)
     * @throws IllegalStateException when the split has no clips
     */
    public InMemorySequences source(DataSplit split) {
        List<LabeledSequence> s = sequences.get(split);
        if (s.isEmpty()) {
            throw new IllegalStateException("the " + split.name().toLowerCase(java.util.Locale.ROOT) + " split has no clips of the words "
                    + words + "; check the split lists, or generate a larger data set");
        }
        return new InMemorySequences(s, words.size());
    }
}
