package org.rankcoding.audio;

import org.rankcoding.data.LabeledSequence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/**
 * A Speech Commands data set on disk: which clips there are, their classes and their splits.
 *
 * <h2>Layout</h2>
 * The layout of Google's Speech Commands data set (Warden 2018), which {@code scripts/make-speech-commands} also
 * writes:
 * <pre>
 *   ROOT/yes/0a7c2a8d_nohash_0.wav        one folder per word, 16 kHz 16-bit mono clips of (at most) 1 s
 *   ROOT/no/...
 *   ROOT/validation_list.txt              relative paths of the validation clips, one per line
 *   ROOT/testing_list.txt                 relative paths of the test clips, one per line
 *   ROOT/_background_noise_/*.wav         longer noise recordings (not classified; see backgroundNoiseFiles())
 * </pre>
 *
 * <h2>Split rule</h2>
 * Exactly the data set's README: a clip named in {@code validation_list.txt} is validation, one named in
 * {@code testing_list.txt} is test, every other clip is training. (Both lists group clips by speaker, so no speaker
 * is in two splits.) A list line is a path relative to the root with {@code /} separators; blank lines and
 * surrounding white space are ignored.
 *
 * <h2>Classes</h2>
 * A chosen word list maps to class indices in its order ({@link #open(Path, List)}); without one, every word folder
 * found is a class, in alphabetical order ({@link #open(Path)}). Folders of other words are skipped entirely: there is
 * no "unknown" or "silence" class. Within a word, clips are in file-name order, so the clip order is deterministic.
 *
 * <h2>The 12-class task, with rejection</h2>
 * {@link #openTwelveClass} (and {@link #openWithRejection} for other command words) follows the conventions of
 * TensorFlow's {@code speech_commands/input_data.py}: the classes are {@link #SILENCE_LABEL} (0), {@link #UNKNOWN_LABEL}
 * (1), then the command words. In each split, with {@code n} command-word clips:
 * <ul>
 *   <li>{@code ceil(n / 10)} {@code _unknown_} items: the split's clips of every other word folder (the digits and
 *       auxiliary words), shuffled, the first ones taken (fewer when the split has fewer);</li>
 *   <li>{@code ceil(n / 10)} {@code _silence_} items: one-second excerpts of the {@code _background_noise_/}
 *       recordings ({@link SpeechClip#isExcerpt()}): a recording chosen uniformly, a uniformly random offset, a volume
 *       (gain) uniform in {@code [0, 1)}. A split's excerpts lie inside that split's portion of each recording
 *       ({@link NoisePortions}: the first 80 % of its time for training, the next 10 % validation, the last 10 %
 *       test), so no stretch of noise is heard in two splits.</li>
 * </ul>
 * The draws come from the generator passed in, splits in the order training, validation, test; the same generator
 * state gives the same items ({@link #INDEX_SEED} is the seed the examples use). Order of {@link #clips()}: silence
 * items (by split, in draw order), unknown items (by path), then the command words' clips by class and file name.
 *
 * <h2>Errors</h2>
 * A missing root, split list, chosen word folder, or a file that a list names in a chosen word's folder is a
 * {@link NoSuchFileException} whose reason says what to do; a malformed list line, a file named by both lists or a
 * word folder without {@code .wav} files is a {@link DatasetLayoutException}. Lines naming files of words that were not
 * chosen are not checked (those folders may have been deleted to save space).
 *
 * <p>Immutable and thread-safe once opened. {@link #load} decodes the clips and computes their features.
 */
public final class SpeechCommands {

    /** The ten command words of the usual 12-class keyword-spotting task (without its "unknown" and "silence"). */
    public static final List<String> COMMAND_WORDS = List.of("yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go");

    /** The twenty core words: the command words and the digits; what {@code scripts/make-speech-commands} generates. */
    public static final List<String> CORE_WORDS = List.of("yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go",
            "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine");

    /** Class name of the background-noise items of a task with rejection (class 0), as in the real data set's tools. */
    public static final String SILENCE_LABEL = "_silence_";

    /** Class name of the items of other words in a task with rejection (class 1), as in the real data set's tools. */
    public static final String UNKNOWN_LABEL = "_unknown_";

    /**
     * The classes of the standard 12-class task, in class order: {@link #SILENCE_LABEL}, {@link #UNKNOWN_LABEL}, then
     * the {@link #COMMAND_WORDS}.
     */
    public static final List<String> TWELVE_CLASSES = List.of(SILENCE_LABEL, UNKNOWN_LABEL, "yes", "no", "up", "down", "left",
            "right", "on", "off", "stop", "go");

    /** Percent of a split's command-word clips added as {@link #SILENCE_LABEL} items in a task with rejection. */
    public static final int SILENCE_PERCENT = 10;

    /** Percent of a split's command-word clips added as {@link #UNKNOWN_LABEL} items in a task with rejection. */
    public static final int UNKNOWN_PERCENT = 10;

    /** The largest share of {@link #UNKNOWN_LABEL} items a training split may be given, in percent of its command items. */
    public static final int MAX_UNKNOWN_PERCENT = 1000;

    /**
     * A fixed seed for the generator that draws the {@code _silence_} and {@code _unknown_} items
     * ({@code new SplittableRandom(INDEX_SEED)}), so that the data set is the same whatever the training seed; the value
     * is TensorFlow's {@code speech_commands} {@code RANDOM_SEED}.
     */
    public static final long INDEX_SEED = 59185;

    /** File name of the validation list in the root. */
    public static final String VALIDATION_LIST = "validation_list.txt";

    /** File name of the test list in the root. */
    public static final String TESTING_LIST = "testing_list.txt";

    /** Folder of the background noise recordings in the root. */
    public static final String BACKGROUND_NOISE = "_background_noise_";

    private static final Logger LOG = LoggerFactory.getLogger(SpeechCommands.class);

    private static final String GENERATE_HINT = "download the Speech Commands data set, or generate a synthetic one in "
            + "its layout with scripts/make-speech-commands DIR";

    private final Path root;
    private final List<String> words;
    private final List<SpeechClip> clips;
    private final List<Path> backgroundNoise;

    private SpeechCommands(Path root, List<String> words, List<SpeechClip> clips, List<Path> backgroundNoise) {
        this.root = root;
        this.words = words;
        this.clips = clips;
        this.backgroundNoise = backgroundNoise;
    }

    /**
     * Opens a data set with every word folder as a class, in alphabetical order (folders whose names start with
     * {@code _} or {@code .} are not words).
     *
     * @param root the data set's root directory
     * @return the index of the data set
     * @throws NoSuchFileException     when the root or a split list is missing, or a list names a missing file
     * @throws DatasetLayoutException  when the layout is wrong in another way (see the class comment)
     * @throws IOException             when a file cannot be read
     */
    public static SpeechCommands open(Path root) throws IOException {
        checkRoot(root);
        List<String> found = wordFolders(root);
        if (found.isEmpty()) {
            throw new DatasetLayoutException(root, "no word folders found (expected folders like yes/, no/ holding .wav files); "
                    + GENERATE_HINT);
        }
        return open(root, found);
    }

    /**
     * Opens a data set with the given words as classes: {@code words.get(i)} is class {@code i}.
     *
     * @param root  the data set's root directory
     * @param words at least two distinct word folder names, e.g. {@link #COMMAND_WORDS}
     * @return the index of the data set
     * @throws NoSuchFileException      when the root, a split list or a word's folder is missing, or a list names a
     *                                  missing file of a chosen word
     * @throws DatasetLayoutException   when the layout is wrong in another way (see the class comment)
     * @throws IOException              when a file cannot be read
     * @throws IllegalArgumentException for fewer than two words, duplicates, or names that are not plain folder names
     */
    public static SpeechCommands open(Path root, List<String> words) throws IOException {
        List<String> chosen = checkWords(words);
        checkRoot(root);
        Map<String, Listed> heldOut = readLists(root);
        List<SpeechClip> clips = new ArrayList<>();
        Set<String> present = new HashSet<>();
        for (int i = 0; i < chosen.size(); i++) {
            clips.addAll(wordClips(root, chosen.get(i), i, heldOut, present));
        }
        checkListedFilesExist(root, heldOut, new HashSet<>(chosen), present);
        return new SpeechCommands(root, chosen, List.copyOf(clips), noiseFiles(root));
    }

    /**
     * Opens the standard 12-class task: {@link #TWELVE_CLASSES}, with {@code _silence_} and {@code _unknown_} items
     * drawn as the class comment says. Works on the real data set (v0.01 and v0.02) and on a generated one.
     *
     * @param root   the data set's root directory: the command words' folders, at least one other word folder, the
     *               split lists and {@code _background_noise_/}
     * @param random draws the unknown and silence items; {@code new SplittableRandom(INDEX_SEED)} for the usual set
     * @return the index of the data set, classes {@link #TWELVE_CLASSES}
     * @throws NoSuchFileException    when the root, a split list, a command word's folder or the background-noise folder
     *                                is missing, or a list names a missing file of a word folder
     * @throws DatasetLayoutException when there is no other word for {@code _unknown_}, no background recording with
     *                                a one-second stretch in a split's portion, or the layout is wrong in another way
     * @throws WavFormatException     for a background recording that is not a valid WAV file
     * @throws IOException            when a file cannot be read
     * @see #openWithRejection(Path, List, RandomGenerator)
     */
    public static SpeechCommands openTwelveClass(Path root, RandomGenerator random) throws IOException {
        return openWithRejection(root, COMMAND_WORDS, random);
    }

    /**
     * Opens a task with rejection: classes {@code _silence_}, {@code _unknown_}, then the given command words; every
     * other word folder feeds {@code _unknown_} (see the class comment for how the items are drawn).
     *
     * @param root         the data set's root directory
     * @param commandWords at least two distinct word folder names, e.g. {@link #COMMAND_WORDS}
     * @param random       draws the unknown and silence items
     * @return the index of the data set, classes {@code [_silence_, _unknown_, commandWords...]}
     * @throws NoSuchFileException      see {@link #openTwelveClass}
     * @throws DatasetLayoutException   see {@link #openTwelveClass}
     * @throws IOException              when a file cannot be read
     * @throws IllegalArgumentException for fewer than two command words, duplicates, or names that are not plain folder
     *                                  names
     */
    public static SpeechCommands openWithRejection(Path root, List<String> commandWords, RandomGenerator random) throws IOException {
        return openWithRejection(root, commandWords, UNKNOWN_PERCENT, random);
    }

    /**
     * {@link #openWithRejection(Path, List, RandomGenerator)} with another share of {@code _unknown_} items in the
     * training split: more examples of other speech to reject, for a spotter that listens to a continuous stream. The
     * validation and test splits keep {@link #UNKNOWN_PERCENT}, so their accuracy stays comparable; the silence items
     * and every split's unknown draws of {@code random} are the same as with the default (the training split takes a
     * longer prefix of the same shuffled pool, or all of it).
     *
     * @param trainingUnknownPercent unknown items of the training split, in percent of its command-word items, in
     *                               [0, {@value #MAX_UNKNOWN_PERCENT}]
     * @throws IllegalArgumentException for a percent out of range, and as {@link #openWithRejection(Path, List,
     *                                  RandomGenerator)}
     */
    public static SpeechCommands openWithRejection(Path root, List<String> commandWords, int trainingUnknownPercent,
                                                   RandomGenerator random) throws IOException {
        return openWithRejection(root, commandWords, trainingUnknownPercent, UnknownDraw.CLIPS, random);
    }

    /**
     * {@link #openWithRejection(Path, List, int, RandomGenerator)} with the training split's unknown items drawn as
     * {@code trainingDraw} says: {@link UnknownDraw#WORDS} spreads them over the other words instead of over their
     * clips (the same items for every other split, and the same silence items).
     *
     * @param trainingDraw how the training split's unknown items are taken from the other words' clips
     * @throws IllegalArgumentException as {@link #openWithRejection(Path, List, int, RandomGenerator)}
     */
    public static SpeechCommands openWithRejection(Path root, List<String> commandWords, int trainingUnknownPercent,
                                                   UnknownDraw trainingDraw, RandomGenerator random) throws IOException {
        Objects.requireNonNull(trainingDraw, "trainingDraw is null; use UnknownDraw.CLIPS for the convention");
        if (trainingUnknownPercent < 0 || trainingUnknownPercent > MAX_UNKNOWN_PERCENT) {
            throw new IllegalArgumentException("trainingUnknownPercent = " + trainingUnknownPercent + ", expected a percent of the "
                    + "training split's command-word clips in [0, " + MAX_UNKNOWN_PERCENT + "] (the convention is " + UNKNOWN_PERCENT + ")");
        }
        List<String> commands = checkWords(commandWords);
        Objects.requireNonNull(random, "random is null; pass new SplittableRandom(SpeechCommands.INDEX_SEED) for the usual items");
        checkRoot(root);
        Map<String, Listed> heldOut = readLists(root);
        List<String> others = new ArrayList<>(wordFolders(root));
        others.removeAll(commands);
        if (others.isEmpty()) {
            throw new DatasetLayoutException(root, "no word folders besides the command words " + commands + ", but the "
                    + UNKNOWN_LABEL + " class is drawn from other words (the real data set has 25 of them; generate a data set "
                    + "with its digits, or with --unknown-words, by scripts/make-speech-commands DIR)");
        }
        Set<String> present = new HashSet<>();
        List<SpeechClip> commandClips = new ArrayList<>();
        Map<DataSplit, Integer> commandItems = new EnumMap<>(DataSplit.class);
        for (int i = 0; i < commands.size(); i++) {
            for (SpeechClip c : wordClips(root, commands.get(i), i + 2, heldOut, present)) {
                commandClips.add(c);
                commandItems.merge(c.split(), 1, Integer::sum);
            }
        }
        Map<DataSplit, List<SpeechClip>> unknownPool = new EnumMap<>(DataSplit.class);
        for (String word : others) {
            for (SpeechClip c : wordClips(root, word, 1, heldOut, present)) {
                unknownPool.computeIfAbsent(c.split(), s -> new ArrayList<>()).add(c);
            }
        }
        Set<String> sources = new HashSet<>(commands);
        sources.addAll(others);
        checkListedFilesExist(root, heldOut, sources, present);
        List<Path> noise = noiseFiles(root);
        List<RejectionItems.Recording> recordings = recordings(root, noise, commandItems);
        List<SpeechClip> clips;
        try {
            clips = new ArrayList<>(RejectionItems.draw(commandItems, trainingUnknownPercent, trainingDraw, unknownPool, recordings, random));
        } catch (RejectionItems.NoRoom e) {
            throw new DatasetLayoutException(root.resolve(BACKGROUND_NOISE), "no recording has a one-second stretch in its "
                    + e.split.name().toLowerCase(Locale.ROOT) + " portion (" + portionText(e.split) + " of its time), where the "
                    + SILENCE_LABEL + " items of that split are cut; recordings of at least 10 s are needed");
        }
        clips.addAll(commandClips);
        List<String> classes = new ArrayList<>(List.of(SILENCE_LABEL, UNKNOWN_LABEL));
        classes.addAll(commands);
        return new SpeechCommands(root, List.copyOf(classes), List.copyOf(clips), noise);
    }

    private static String portionText(DataSplit split) {
        return switch (split) {
            case TRAINING -> "the first 80 %";
            case VALIDATION -> "80-90 %";
            case TEST -> "the last 10 %";
        };
    }

    /** The background recordings with their lengths; none are needed (nor read) when no split has command items. */
    private static List<RejectionItems.Recording> recordings(Path root, List<Path> noise, Map<DataSplit, Integer> commandItems)
            throws IOException {
        if (commandItems.isEmpty()) {
            return List.of();
        }
        Path dir = root.resolve(BACKGROUND_NOISE);
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "the background-noise folder is missing, but the " + SILENCE_LABEL
                    + " items are cut from its recordings; " + GENERATE_HINT);
        }
        if (noise.isEmpty()) {
            throw new DatasetLayoutException(dir, "no .wav files, but the " + SILENCE_LABEL + " items are cut from its recordings; "
                    + GENERATE_HINT);
        }
        List<RejectionItems.Recording> out = new ArrayList<>();
        for (Path f : noise) {
            AudioClip clip = WavReader.read(f);
            out.add(new RejectionItems.Recording(BACKGROUND_NOISE + "/" + f.getFileName(), f, clip.length(), clip.sampleRate()));
        }
        return out;
    }

    /** The clips of one word folder, in file-name order, with their splits; adds their paths to {@code present}. */
    private static List<SpeechClip> wordClips(Path root, String word, int label, Map<String, Listed> heldOut, Set<String> present)
            throws IOException {
        Path folder = root.resolve(word);
        if (!Files.isDirectory(folder)) {
            throw new NoSuchFileException(folder.toString(), null, "the folder of the word '" + word
                    + "' is missing; word folders found in " + root + ": " + wordFolders(root));
        }
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(folder, "*.wav")) {
            for (Path f : dir) {
                if (Files.isRegularFile(f)) {
                    names.add(f.getFileName().toString());
                }
            }
        }
        if (names.isEmpty()) {
            throw new DatasetLayoutException(folder, "no .wav files in the folder of the word '" + word + "'");
        }
        names.sort(null);
        List<SpeechClip> out = new ArrayList<>(names.size());
        for (String name : names) {
            String rel = word + "/" + name;
            present.add(rel);
            Listed listed = heldOut.get(rel);
            DataSplit split = listed == null ? DataSplit.TRAINING : listed.split;
            out.add(new SpeechClip(rel, folder.resolve(name), word, label, split));
        }
        return out;
    }

    /** Every list line naming a file of one of {@code words} names a file that is there. */
    private static void checkListedFilesExist(Path root, Map<String, Listed> heldOut, Set<String> words, Set<String> present)
            throws NoSuchFileException {
        for (Map.Entry<String, Listed> e : heldOut.entrySet()) {
            String rel = e.getKey();
            String word = rel.substring(0, rel.indexOf('/'));
            if (words.contains(word) && !present.contains(rel)) {
                Listed l = e.getValue();
                throw new NoSuchFileException(root.resolve(rel).toString(), null, "named by " + l.list.getFileName() + " line "
                        + l.line + ", but there is no such .wav file; the data set is incomplete (extract or generate it again)");
            }
        }
    }

    /** The {@code .wav} files of the background-noise folder in name order (empty without the folder). */
    private static List<Path> noiseFiles(Path root) throws IOException {
        List<Path> noise = new ArrayList<>();
        Path noiseDir = root.resolve(BACKGROUND_NOISE);
        if (Files.isDirectory(noiseDir)) {
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(noiseDir, "*.wav")) {
                for (Path f : dir) {
                    noise.add(f);
                }
            }
            noise.sort(null);
        }
        return List.copyOf(noise);
    }

    /** Both split lists of the root, by relative path. */
    private static Map<String, Listed> readLists(Path root) throws IOException {
        Map<String, Listed> heldOut = new HashMap<>();
        readList(root.resolve(VALIDATION_LIST), DataSplit.VALIDATION, heldOut);
        readList(root.resolve(TESTING_LIST), DataSplit.TEST, heldOut);
        return heldOut;
    }

    /** The root directory. */
    public Path root() {
        return root;
    }

    /** The class names: {@code words().get(label)}. */
    public List<String> words() {
        return words;
    }

    /** Every clip of the chosen words, by class and then by file name (an unmodifiable list). */
    public List<SpeechClip> clips() {
        return clips;
    }

    /** The clips of one split, in the order of {@link #clips()} (a new unmodifiable list). */
    public List<SpeechClip> clips(DataSplit split) {
        return clips.stream().filter(c -> c.split() == split).toList();
    }

    /** The {@code .wav} files of {@code _background_noise_/} in name order; empty when there is no such folder. */
    public List<Path> backgroundNoiseFiles() {
        return backgroundNoise;
    }

    /**
     * Decodes every clip and computes its features with the default front end ({@link LogMelConfig#speechCommands()})
     * on all available processors.
     *
     * @see #load(LogMelConfig, int)
     */
    public SpeechCommandsFeatures load() throws IOException {
        return load(LogMelConfig.speechCommands(), Runtime.getRuntime().availableProcessors());
    }

    /**
     * Decodes every clip, pads or cuts it to one second ({@code config.sampleRate()} samples, zeros appended or the
     * end cut; for an excerpt, the second from its offset at its gain: {@link SpeechClip#cut}), computes its log-mel
     * spectrogram and standardises the features with statistics of the training
     * split ({@link FeatureNormalizer}). Each clip is read once; the features are held in memory (about 31 KB per
     * clip with the defaults: 98 steps of 40 doubles).
     *
     * @param config  the front end; every clip must have its sample rate
     * @param threads worker threads for decoding and features, at least 1; results do not depend on it
     * @return the features of every split, in the order of {@link #clips()}
     * @throws WavFormatException       for a clip that is not a valid WAV file at {@code config.sampleRate()} (when
     *                                  several are, the first one found)
     * @throws DatasetLayoutException   when the training split is empty (no statistics to normalise with)
     * @throws IOException              when a file cannot be read
     * @throws IllegalArgumentException for a null config or fewer than one thread
     */
    public SpeechCommandsFeatures load(LogMelConfig config, int threads) throws IOException {
        Objects.requireNonNull(config, "config is null; use LogMelConfig.speechCommands() for the defaults");
        return load(FrontEndConfig.logMel(config), threads);
    }

    /**
     * As {@link #load(LogMelConfig, int)}, with a whole front end: the mel energies compressed as {@code frontEnd} says
     * (log or PCEN), the per-band statistics fitted on the training clips' compressed features, and each clip normalised
     * with them (training-set statistics) or causally with them as the prior ({@link CausalNormalization}), exactly as
     * a {@link FrontEndStream} computes the frames of one utterance.
     *
     * @throws IOException              when a clip cannot be read
     * @throws IllegalArgumentException for {@code threads < 1}
     */
    public SpeechCommandsFeatures load(FrontEndConfig frontEnd, int threads) throws IOException {
        Objects.requireNonNull(frontEnd, "frontEnd is null; use FrontEndConfig.speechCommands() for the defaults");
        LogMelConfig config = frontEnd.mel();
        if (threads < 1) {
            throw new IllegalArgumentException("threads = " + threads + ", expected >= 1");
        }
        if (clips(DataSplit.TRAINING).isEmpty()) {
            throw new DatasetLayoutException(root, "no training clips among the words " + words
                    + ": every clip is named by a held-out list; nothing to fit the feature statistics on");
        }
        long start = System.nanoTime();
        double[][][] features = featurize(clips, frontEnd, threads);
        List<double[][]> training = new ArrayList<>();
        for (int i = 0; i < clips.size(); i++) {
            if (clips.get(i).split() == DataSplit.TRAINING) {
                training.add(features[i]);
            }
        }
        FeatureNormalizer normalizer = FeatureNormalizer.fit(training);
        Map<DataSplit, List<LabeledSequence>> sequences = new EnumMap<>(DataSplit.class);
        Map<DataSplit, List<SpeechClip>> splitClips = new EnumMap<>(DataSplit.class);
        for (DataSplit s : DataSplit.values()) {
            sequences.put(s, new ArrayList<>());
            splitClips.put(s, new ArrayList<>());
        }
        normalise(features, frontEnd, normalizer);
        for (int i = 0; i < clips.size(); i++) {
            SpeechClip c = clips.get(i);
            sequences.get(c.split()).add(new LabeledSequence(features[i], c.label()));
            splitClips.get(c.split()).add(c);
        }
        if (LOG.isInfoEnabled()) {
            LOG.info("{}: {} clips of {} words (training {}, validation {}, test {}) decoded and featurized in {} ms on {} thread{}",
                    root, clips.size(), words.size(), sequences.get(DataSplit.TRAINING).size(),
                    sequences.get(DataSplit.VALIDATION).size(), sequences.get(DataSplit.TEST).size(),
                    (System.nanoTime() - start) / 1_000_000, threads, threads == 1 ? "" : "s");
        }
        return new SpeechCommandsFeatures(words, frontEnd, normalizer, sequences, splitClips);
    }

    /**
     * The sequences of every clip of this data set (all splits, in the order of {@link #clips()}), computed with a front
     * end and statistics fitted elsewhere: how a model trained on one data set is tested on another (a held-out
     * synthesizer, a recording session), with exactly the inputs its own test clips had.
     *
     * @param frontEnd   the model's front end
     * @param statistics the model's training-set statistics ({@link SpeechCommandsFeatures#normalizer()})
     * @param threads    threads decoding and featurizing the clips, {@code >= 1}
     * @throws IOException              when a clip cannot be read
     * @throws IllegalArgumentException for {@code threads < 1} or statistics of another number of bands
     */
    public List<LabeledSequence> sequences(FrontEndConfig frontEnd, FeatureNormalizer statistics, int threads) throws IOException {
        return sequencesOf(clips, frontEnd, statistics, threads);
    }

    /**
     * The sequences of one split's clips (in the order of {@link #clips(DataSplit)}), computed as
     * {@link #sequences(FrontEndConfig, FeatureNormalizer, int)} computes them; no other clip is read.
     *
     * @throws IOException              when a clip cannot be read
     * @throws IllegalArgumentException for {@code threads < 1} or statistics of another number of bands
     */
    public List<LabeledSequence> sequences(DataSplit split, FrontEndConfig frontEnd, FeatureNormalizer statistics, int threads)
            throws IOException {
        Objects.requireNonNull(split, "split is null");
        return sequencesOf(clips(split), frontEnd, statistics, threads);
    }

    private List<LabeledSequence> sequencesOf(List<SpeechClip> which, FrontEndConfig frontEnd, FeatureNormalizer statistics,
                                              int threads) throws IOException {
        Objects.requireNonNull(frontEnd, "frontEnd is null; give the model's front end");
        Objects.requireNonNull(statistics, "statistics is null; give the model's training-set statistics");
        if (threads < 1) {
            throw new IllegalArgumentException("threads = " + threads + ", expected >= 1");
        }
        if (statistics.size() != frontEnd.mel().melBands()) {
            throw new IllegalArgumentException("the statistics have " + statistics.size() + " features but the front end has "
                    + frontEnd.mel().melBands() + " mel bands; give the statistics of the model's own training set");
        }
        double[][][] features = featurize(which, frontEnd, threads);
        normalise(features, frontEnd, statistics);
        List<LabeledSequence> out = new ArrayList<>(which.size());
        for (int i = 0; i < which.size(); i++) {
            out.add(new LabeledSequence(features[i], which.get(i).label()));
        }
        return out;
    }

    /** Normalises every clip's frames in place as {@code frontEnd} says, each clip an utterance of its own. */
    private static void normalise(double[][][] features, FrontEndConfig frontEnd, FeatureNormalizer statistics) {
        FrameTransform normalization = FrameTransform.of(frontEnd.normalization(), statistics);
        for (double[][] clip : features) {
            normalization.reset();
            for (double[] frame : clip) {
                normalization.apply(frame, 0);
            }
        }
    }

    /** Compressed (not yet normalised) features of clips {@code which}, index-aligned with it; each worker owns its front end. */
    private double[][][] featurize(List<SpeechClip> which, FrontEndConfig frontEnd, int threads) throws IOException {
        LogMelConfig config = frontEnd.mel();
        int n = which.size();
        int length = config.sampleRate();
        double[][][] out = new double[n][][];
        IOException[] errors = new IOException[n];
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        Map<Path, float[]> shared = excerptSources(which, config.sampleRate());
        Runnable worker = () -> {
            MelFeatureStream stream = new MelFeatureStream(frontEnd);
            for (int i = next.getAndIncrement(); i < n && !failed.get(); i = next.getAndIncrement()) {
                try {
                    SpeechClip clip = which.get(i);
                    float[] source = shared.get(clip.file());
                    if (source == null) {
                        source = WavReader.read(clip.file(), config.sampleRate()).samples();
                    }
                    out[i] = stream.computeSteps(clip.cut(source, length));
                } catch (IOException e) {
                    errors[i] = e;
                    failed.set(true);
                }
            }
        };
        int workers = Math.min(threads, Math.max(1, n));
        if (workers == 1) {
            worker.run();
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
                Thread t = new Thread(r, "speech-commands-loader");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int w = 0; w < workers; w++) {
                    futures.add(pool.submit(worker));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            } catch (InterruptedException e) {
                failed.set(true);
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while loading " + root);
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IOException("loading " + root + " failed", cause);
            } finally {
                pool.shutdownNow();
            }
        }
        for (IOException e : errors) {
            if (e != null) {
                throw e;
            }
        }
        return out;
    }

    /**
     * The samples of every file that excerpts of {@code which} are cut from (the background recordings), each read once before the
     * workers start and then only read by them.
     */
    private static Map<Path, float[]> excerptSources(List<SpeechClip> which, int sampleRate) throws IOException {
        Map<Path, float[]> out = new HashMap<>();
        for (SpeechClip c : which) {
            if (c.isExcerpt() && !out.containsKey(c.file())) {
                out.put(c.file(), WavReader.read(c.file(), sampleRate).samples());
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ layout checks

    /** Where a held-out list names a clip. */
    private record Listed(DataSplit split, Path list, int line) {
    }

    private static void checkRoot(Path root) throws IOException {
        if (root == null) {
            throw new IllegalArgumentException("root is null");
        }
        if (!Files.exists(root)) {
            throw new NoSuchFileException(root.toString(), null, "no such data set directory; " + GENERATE_HINT);
        }
        if (!Files.isDirectory(root)) {
            throw new DatasetLayoutException(root, "not a directory, expected the root of a Speech Commands data set");
        }
    }

    private static List<String> checkWords(List<String> words) {
        if (words == null || words.size() < 2) {
            throw new IllegalArgumentException("words = " + (words == null ? "none" : String.join(",", words))
                    + ", expected at least two words (the classes), separated by commas");
        }
        Set<String> seen = new HashSet<>();
        for (String w : words) {
            if (w == null || w.isEmpty() || w.contains("/") || w.contains("\\") || w.equals(".") || w.equals("..")) {
                throw new IllegalArgumentException("words = " + String.join(",", words) + ": '" + w
                        + "' is not a folder name; expected names like 'yes', separated by commas");
            }
            if (!seen.add(w)) {
                throw new IllegalArgumentException("words = " + String.join(",", words) + ": '" + w
                        + "' appears twice; each class needs its own word");
            }
        }
        return List.copyOf(words);
    }

    /** Sub-folders of the root that can be words, in name order. */
    private static List<String> wordFolders(Path root) throws IOException {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path d : dir) {
                String name = d.getFileName().toString();
                if (!name.startsWith("_") && !name.startsWith(".")) {
                    out.add(name);
                }
            }
        }
        out.sort(null);
        return out;
    }

    private static void readList(Path list, DataSplit split, Map<String, Listed> heldOut) throws IOException {
        if (!Files.isRegularFile(list)) {
            throw new NoSuchFileException(list.toString(), null, "the split list is missing; a Speech Commands root holds "
                    + VALIDATION_LIST + " and " + TESTING_LIST + " (" + GENERATE_HINT + ")");
        }
        List<String> lines = Files.readAllLines(list, StandardCharsets.UTF_8);
        Map<String, Listed> own = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String entry = lines.get(i).strip();
            if (entry.isEmpty()) {
                continue;
            }
            int slash = entry.indexOf('/');
            if (slash <= 0 || slash != entry.lastIndexOf('/') || slash == entry.length() - 1 || entry.contains("\\")
                    || entry.startsWith(".") || entry.contains("/.")) {
                throw new DatasetLayoutException(list, "line " + (i + 1) + ": '" + entry
                        + "', expected a path relative to the root like 'yes/0a7c2a8d_nohash_0.wav' (word folder / file name)");
            }
            Listed there = heldOut.get(entry);
            if (there != null) {
                throw new DatasetLayoutException(list, "line " + (i + 1) + ": '" + entry + "' is also named by "
                        + there.list.getFileName() + " line " + there.line + "; a clip belongs to one split only");
            }
            own.putIfAbsent(entry, new Listed(split, list, i + 1));
        }
        heldOut.putAll(own);
    }
}
