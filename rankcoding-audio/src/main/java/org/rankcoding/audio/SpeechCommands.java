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
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

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
        Path validationList = root.resolve(VALIDATION_LIST);
        Path testingList = root.resolve(TESTING_LIST);
        Map<String, Listed> heldOut = new HashMap<>();
        readList(validationList, DataSplit.VALIDATION, heldOut);
        readList(testingList, DataSplit.TEST, heldOut);

        Map<String, Integer> label = new HashMap<>();
        for (int i = 0; i < chosen.size(); i++) {
            label.put(chosen.get(i), i);
        }
        List<SpeechClip> clips = new ArrayList<>();
        Set<String> present = new HashSet<>();
        for (String word : chosen) {
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
            for (String name : names) {
                String rel = word + "/" + name;
                present.add(rel);
                Listed listed = heldOut.get(rel);
                DataSplit split = listed == null ? DataSplit.TRAINING : listed.split;
                clips.add(new SpeechClip(rel, folder.resolve(name), word, label.get(word), split));
            }
        }
        for (Map.Entry<String, Listed> e : heldOut.entrySet()) {
            String rel = e.getKey();
            String word = rel.substring(0, rel.indexOf('/'));
            if (label.containsKey(word) && !present.contains(rel)) {
                Listed l = e.getValue();
                throw new NoSuchFileException(root.resolve(rel).toString(), null, "named by " + l.list.getFileName() + " line "
                        + l.line + ", but there is no such .wav file; the data set is incomplete (extract or generate it again)");
            }
        }
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
        return new SpeechCommands(root, chosen, List.copyOf(clips), List.copyOf(noise));
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
     * end cut), computes its log-mel spectrogram and standardises the features with statistics of the training
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
        if (threads < 1) {
            throw new IllegalArgumentException("threads = " + threads + ", expected >= 1");
        }
        if (clips(DataSplit.TRAINING).isEmpty()) {
            throw new DatasetLayoutException(root, "no training clips among the words " + words
                    + ": every clip is named by a held-out list; nothing to fit the feature statistics on");
        }
        long start = System.nanoTime();
        double[][][] features = featurize(config, threads);
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
        for (int i = 0; i < clips.size(); i++) {
            SpeechClip c = clips.get(i);
            normalizer.applyInPlace(features[i]);
            sequences.get(c.split()).add(new LabeledSequence(features[i], c.label()));
            splitClips.get(c.split()).add(c);
        }
        if (LOG.isInfoEnabled()) {
            LOG.info("{}: {} clips of {} words (training {}, validation {}, test {}) decoded and featurized in {} ms on {} thread{}",
                    root, clips.size(), words.size(), sequences.get(DataSplit.TRAINING).size(),
                    sequences.get(DataSplit.VALIDATION).size(), sequences.get(DataSplit.TEST).size(),
                    (System.nanoTime() - start) / 1_000_000, threads, threads == 1 ? "" : "s");
        }
        return new SpeechCommandsFeatures(words, config, normalizer, sequences, splitClips);
    }

    /** Features of every clip, index-aligned with {@link #clips}; each worker owns its front end. */
    private double[][][] featurize(LogMelConfig config, int threads) throws IOException {
        int n = clips.size();
        int length = config.sampleRate();
        double[][][] out = new double[n][][];
        IOException[] errors = new IOException[n];
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        Runnable worker = () -> {
            LogMelSpectrogram frontEnd = new LogMelSpectrogram(config);
            for (int i = next.getAndIncrement(); i < n && !failed.get(); i = next.getAndIncrement()) {
                try {
                    out[i] = frontEnd.computeSteps(WavReader.readFixedLength(clips.get(i).file(), config.sampleRate(), length));
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
