package org.rankcoding.audio;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Draws the {@code _silence_} and {@code _unknown_} items of a task with rejection, by the conventions of TensorFlow's
 * {@code speech_commands/input_data.py}: per split, {@code ceil(10 % x n)} silence items and {@code ceil(10 % x n)}
 * unknown items, {@code n} being the split's command-word items. Unknown items are the first of the split's
 * non-command clips shuffled; silence items are one-second stretches of a background recording chosen uniformly, at a
 * uniformly random offset inside the split's {@link NoisePortions portion}, at a volume uniform in {@code [0, 1)}.
 *
 * <p>The splits are drawn in the order training, validation, test, each its unknown items first, so the result depends
 * only on the inputs and the generator's state.
 */
final class RejectionItems {

    private static final int SILENCE_PERCENT = SpeechCommands.SILENCE_PERCENT;
    private static final int UNKNOWN_PERCENT = SpeechCommands.UNKNOWN_PERCENT;

    /** A background recording: its file, path relative to the root, length and sample rate. */
    record Recording(String relativePath, Path file, int samples, int sampleRate) {
    }

    /** Where no recording has room for a stretch in a split's portion. */
    static final class NoRoom extends Exception {
        private static final long serialVersionUID = 1L;
        final transient DataSplit split;

        NoRoom(DataSplit split) {
            super(split.name());
            this.split = split;
        }
    }

    private RejectionItems() {
    }

    /** {@code ceil(percent / 100 x n)}. */
    static int share(int n, int percent) {
        return (int) (((long) n * percent + 99) / 100);
    }

    /**
     * The silence and unknown items of every split.
     *
     * @param commandItems  per split, the number of command-word items
     * @param trainingUnknownPercent the unknown items of the training split, in percent of its command items (the
     *                      other splits take {@link SpeechCommands#UNKNOWN_PERCENT}); the draws of the generator do not
     *                      depend on it
     * @param trainingDraw  how the training split's unknown items are taken from its shuffled pool (the other splits:
     *                      {@link UnknownDraw#CLIPS})
     * @param unknownPool   per split, the clips of the non-command words in a fixed order (label already 1)
     * @param noise         the background recordings
     * @param random        the generator
     * @return the silence items (label 0) followed by the unknown items (label 1, in path order)
     * @throws NoRoom when a split needs silence items and no recording's portion holds a one-second stretch
     */
    static List<SpeechClip> draw(Map<DataSplit, Integer> commandItems, int trainingUnknownPercent, UnknownDraw trainingDraw,
                                 Map<DataSplit, List<SpeechClip>> unknownPool, List<Recording> noise, RandomGenerator random)
            throws NoRoom {
        List<SpeechClip> silence = new ArrayList<>();
        List<SpeechClip> unknown = new ArrayList<>();
        for (DataSplit split : DataSplit.values()) {
            int n = commandItems.getOrDefault(split, 0);
            List<SpeechClip> pool = new ArrayList<>(unknownPool.getOrDefault(split, List.of()));
            shuffle(pool, random);
            int percent = split == DataSplit.TRAINING ? trainingUnknownPercent : UNKNOWN_PERCENT;
            int take = Math.min(pool.size(), share(n, percent));
            unknown.addAll(split == DataSplit.TRAINING && trainingDraw == UnknownDraw.WORDS ? byWord(pool, take) : pool.subList(0, take));
            int wanted = share(n, SILENCE_PERCENT);
            if (wanted > 0) {
                silence.addAll(silence(split, wanted, noise, random));
            }
        }
        unknown.sort(Comparator.comparing(SpeechClip::relativePath));
        List<SpeechClip> out = new ArrayList<>(silence);
        out.addAll(unknown);
        return out;
    }

    /** {@code count} one-second stretches from the split's portions of the recordings that have room for one. */
    private static List<SpeechClip> silence(DataSplit split, int count, List<Recording> noise, RandomGenerator random) throws NoRoom {
        List<Recording> roomy = new ArrayList<>();
        for (Recording r : noise) {
            if (NoisePortions.end(r.samples(), split) - NoisePortions.start(r.samples(), split) >= r.sampleRate()) {
                roomy.add(r);
            }
        }
        if (roomy.isEmpty()) {
            throw new NoRoom(split);
        }
        List<SpeechClip> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Recording r = roomy.get(random.nextInt(roomy.size()));
            long start = NoisePortions.start(r.samples(), split);
            long last = NoisePortions.end(r.samples(), split) - r.sampleRate();
            int offset = (int) (start + random.nextLong(last - start + 1));
            double volume = random.nextDouble();
            out.add(new SpeechClip(r.relativePath(), r.file(), SpeechCommands.SILENCE_LABEL, 0, split, offset, volume));
        }
        return out;
    }

    /**
     * {@code count} clips of a shuffled pool taken one of each word in turn ({@link UnknownDraw#WORDS}): words in the
     * order of their first clip in the pool, each word's clips in pool order; a word out of clips is skipped.
     */
    static List<SpeechClip> byWord(List<SpeechClip> pool, int count) {
        Map<String, List<SpeechClip>> words = new LinkedHashMap<>();
        for (SpeechClip c : pool) {
            words.computeIfAbsent(c.word(), w -> new ArrayList<>()).add(c);
        }
        List<List<SpeechClip>> queues = new ArrayList<>(words.values());
        List<SpeechClip> out = new ArrayList<>(count);
        for (int round = 0; out.size() < count; round++) {
            for (List<SpeechClip> q : queues) {
                if (round < q.size() && out.size() < count) {
                    out.add(q.get(round));
                }
            }
        }
        return out;
    }

    /** Fisher-Yates, from the last element down. */
    private static <T> void shuffle(List<T> list, RandomGenerator random) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }
}
