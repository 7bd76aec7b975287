package org.rankcoding.audio;

/**
 * How the {@code _unknown_} items of a training split are drawn from the clips of the other words
 * ({@link SpeechCommands#openWithRejection(java.nio.file.Path, java.util.List, int, UnknownDraw,
 * java.util.random.RandomGenerator)}).
 */
public enum UnknownDraw {

    /**
     * Uniformly over the clips, the convention of TensorFlow's {@code speech_commands/input_data.py}: a word with many
     * clips (the digits of a generated set, 1,500 each) gives many items, a word with ten clips few.
     */
    CLIPS,

    /**
     * Uniformly over the words: the same shuffled pool as {@link #CLIPS}, taken one clip of each word in turn (words in
     * the order of their first clip in the pool, each word's clips in pool order) until the share is reached, so that
     * every other word gives as many items as it can up to an equal share. More distinct words to reject for the same
     * number of items; draws nothing more from the generator, so the silence items and the other splits' unknown items
     * are those of {@link #CLIPS}.
     */
    WORDS
}
