package org.rankcoding.audio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.testing.Slow;
import org.rankcoding.data.LabeledSequence;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.audio.GeneratorScripts.assertSameFiles;
import static org.rankcoding.audio.GeneratorScripts.assertWordBoundsOfEveryClip;
import static org.rankcoding.audio.GeneratorScripts.assumeTools;
import static org.rankcoding.audio.GeneratorScripts.runOk;
import static org.rankcoding.audio.GeneratorScripts.script;

/**
 * End to end: {@code scripts/make-speech-commands} writes a small data set (40 clips) that {@link WavReader} and
 * {@link SpeechCommands} read; with {@code --unknown-words} it adds the 15 other words of the real data set without
 * changing the 20 words' clips, and {@code word_bounds.csv} marks where the word is in every clip. Skipped where espeak-ng or sox is not installed (the script itself would install them
 * as root; a unit test does not).
 */
class GeneratedSpeechCommandsTest {

    /** The real data set's words beside the 20 core words, which {@code --unknown-words} adds. */
    static final List<String> UNKNOWN_WORDS = List.of("bed", "bird", "cat", "dog", "happy", "house", "marvin", "sheila",
            "tree", "wow", "backward", "forward", "follow", "learn", "visual");

    @TempDir
    Path dir;

    @Test
    void theGeneratedDataSetHasTheSpeechCommandsLayoutAndLoads() throws Exception {
        Path script = script("make-speech-commands");
        assumeTools("bash", "espeak-ng", "sox", "soxi");
        Path data = dir.resolve("speech");
        Process p = new ProcessBuilder("bash", script.toString(), "--size", "40", "--speakers", "10", "--seed", "3",
                "--jobs", "2", data.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the script did not finish in 2 minutes");
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("wrote 40 clips of 20 words by 10 speakers"), output);

        SpeechCommands sc = SpeechCommands.open(data, SpeechCommands.CORE_WORDS);
        assertEquals(40, sc.clips().size());
        assertEquals(6, sc.backgroundNoiseFiles().size());
        // every clip is exactly 1 s of 16 kHz mono 16-bit audio, and not silent
        for (SpeechClip c : sc.clips()) {
            AudioClip clip = WavReader.read(c.file(), 16_000);
            assertEquals(16_000, clip.length(), c.relativePath());
            double peak = 0;
            for (float v : clip.samples()) {
                peak = Math.max(peak, Math.abs(v));
            }
            assertTrue(peak > 0.05, c.relativePath() + " peak " + peak);
        }
        // the word is where word_bounds.csv says, even at the lowest SNR (5 dB: speech RMS over noise RMS)
        assertEquals(40, assertWordBoundsOfEveryClip(data, SpeechCommands.CORE_WORDS, 1.5));
        // speaker-disjoint splits: each speaker's clips are all in one split, and every split has a speaker
        Map<String, DataSplit> speakerSplit = new HashMap<>();
        for (SpeechClip c : sc.clips()) {
            DataSplit before = speakerSplit.putIfAbsent(c.speaker(), c.split());
            assertTrue(before == null || before == c.split(), "speaker " + c.speaker() + " in " + before + " and " + c.split());
        }
        assertEquals(10, speakerSplit.size());
        assertEquals(8, speakerSplit.values().stream().filter(s -> s == DataSplit.TRAINING).count());
        assertEquals(1, speakerSplit.values().stream().filter(s -> s == DataSplit.VALIDATION).count());
        assertEquals(1, speakerSplit.values().stream().filter(s -> s == DataSplit.TEST).count());

        SpeechCommandsFeatures f = sc.load(LogMelConfig.speechCommands(), 2);
        assertEquals(40, f.size(DataSplit.TRAINING) + f.size(DataSplit.VALIDATION) + f.size(DataSplit.TEST));
        for (LabeledSequence s : f.sequences(DataSplit.TRAINING)) {
            assertEquals(98, s.length());
            assertEquals(40, s.inputSize());
        }
        List<String> lines = Files.readAllLines(data.resolve("GENERATED.txt"));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("speakers: training 8, validation 1, testing 1")), lines.toString());
    }

    @Test
    @Slow
    void unknownWordsAddFifteenWordsAndWordBoundsMarkTheSpokenWord() throws Exception {
        assumeTools("bash", "espeak-ng", "sox", "soxi");
        Path withUnknown = dir.resolve("with-unknown");
        String output = runOk("make-speech-commands", "--size", "20", "--speakers", "3", "--seed", "4", "--snr", "30:30",
                "--unknown-words", "--unknown-clips-per-word", "2", "--jobs", "2", withUnknown.toString());
        assertTrue(output.contains("wrote 50 clips of 35 words by 3 speakers"), output);
        List<String> all = new ArrayList<>(SpeechCommands.CORE_WORDS);
        all.addAll(UNKNOWN_WORDS);
        assertEquals(50, assertWordBoundsOfEveryClip(withUnknown, all, 30));

        // the same speakers and split: every clip of a speaker is in its speaker's split, in the lists as before
        SpeechCommands sc = SpeechCommands.open(withUnknown, all);
        assertEquals(50, sc.clips().size());
        Map<String, DataSplit> speakerSplit = new HashMap<>();
        for (SpeechClip c : sc.clips()) {
            DataSplit before = speakerSplit.putIfAbsent(c.speaker(), c.split());
            assertTrue(before == null || before == c.split(), "speaker " + c.speaker() + " in " + before + " and " + c.split());
        }
        assertEquals(3, speakerSplit.size());

        // the same seed again, without the unknown words and with other jobs: the 20 words' clips and their bounds are
        // byte for byte the same
        Path coreOnly = dir.resolve("core-only");
        runOk("make-speech-commands", "--size", "20", "--speakers", "3", "--seed", "4", "--snr", "30:30", "--jobs", "1",
                coreOnly.toString());
        for (String w : SpeechCommands.CORE_WORDS) {
            assertSameFiles(withUnknown.resolve(w), coreOnly.resolve(w));
        }
        assertSameFiles(withUnknown.resolve("_background_noise_"), coreOnly.resolve("_background_noise_"));
        for (String w : UNKNOWN_WORDS) {
            assertFalse(Files.exists(coreOnly.resolve(w)), w);
        }
        List<String> bounds = Files.readAllLines(withUnknown.resolve("word_bounds.csv"));
        List<String> coreBounds = bounds.stream().filter(l -> !UNKNOWN_WORDS.contains(l.split("/")[0])).toList();
        assertEquals(coreBounds, Files.readAllLines(coreOnly.resolve("word_bounds.csv")));

        // a vocabulary of further words comes after all those clips: they stay byte for byte the same
        Path vocabulary = dir.resolve("vocabulary.txt");
        Files.writeString(vocabulary, "# two words\napple\n\nriver\n");
        Path withVocabulary = generatedAfter(withUnknown, all, "with-vocabulary", "wrote 56 clips of 37 words by 3 speakers",
                "--unknown-vocabulary", vocabulary.toString(), "--vocabulary-clips-per-word", "3");
        List<String> vocabularyWords = List.of("apple", "river");
        List<String> every = new ArrayList<>(all);
        every.addAll(vocabularyWords);
        assertEquals(56, assertWordBoundsOfEveryClip(withVocabulary, every, 30));
        SpeechCommands v = SpeechCommands.open(withVocabulary, vocabularyWords);
        for (SpeechClip c : v.clips()) {
            assertEquals(speakerSplit.get(c.speaker()), c.split(), c + ": a speaker's clips stay in the speaker's split");
        }
        assertTrue(Files.readString(withVocabulary.resolve("GENERATED.txt")).contains("--unknown-vocabulary " + vocabulary
                + " --vocabulary-clips-per-word 3"));

        // a second vocabulary with its own clips per word comes after everything else: all the rest stays the same
        Path second = dir.resolve("second.txt");
        Files.writeString(second, "yet\ngoal\n");
        Path withSecond = generatedAfter(withVocabulary, every, "with-second", "wrote 64 clips of 39 words by 3 speakers",
                "--unknown-vocabulary", vocabulary.toString(), "--vocabulary-clips-per-word", "3",
                "--second-vocabulary", second.toString(), "--second-vocabulary-clips-per-word", "4");
        List<String> secondWords = List.of("yet", "goal");
        List<String> everyWithSecond = new ArrayList<>(every);
        everyWithSecond.addAll(secondWords);
        assertEquals(64, assertWordBoundsOfEveryClip(withSecond, everyWithSecond, 30));
        for (String w : secondWords) {
            try (var clips = Files.list(withSecond.resolve(w))) {
                assertEquals(4, clips.count(), w);
            }
        }
        List<String> secondBounds = Files.readAllLines(withSecond.resolve("word_bounds.csv")).stream()
                .filter(l -> !secondWords.contains(l.split("/")[0])).toList();
        assertEquals(Files.readAllLines(withVocabulary.resolve("word_bounds.csv")), secondBounds);
        String generated = Files.readString(withSecond.resolve("GENERATED.txt"));
        assertTrue(generated.contains("--second-vocabulary " + second + " --second-vocabulary-clips-per-word 4"), generated);
        assertTrue(generated.contains(" apple river yet goal\n"), generated);

        // a word of the second vocabulary that the first already holds is refused, naming the file and line
        Files.writeString(second, "yet\nriver\n");
        GeneratorScripts.Result twice = GeneratorScripts.run("make-speech-commands", "--unknown-vocabulary",
                vocabulary.toString(), "--second-vocabulary", second.toString(), dir.resolve("w").toString());
        assertEquals(2, twice.status(), twice.output());
        assertTrue(twice.output().contains("--second-vocabulary " + second + ", line 2: 'river' is one of the 20 words, "
                + "of the 15 --unknown-words, of the first vocabulary or given twice"), twice.output());
    }

    /**
     * Generates the small data set of the test (seed 4, 20 + 15 words) with the further options {@code more} into
     * {@code name}, checks the script's summary line, and that the folders of {@code unchanged} are byte for byte those
     * of {@code before}.
     */
    private Path generatedAfter(Path before, List<String> unchanged, String name, String summary, String... more)
            throws Exception {
        Path out = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("--size", "20", "--speakers", "3", "--seed", "4", "--snr", "30:30",
                "--unknown-words", "--unknown-clips-per-word", "2", "--jobs", "2"));
        args.addAll(List.of(more));
        args.add(out.toString());
        String output = runOk("make-speech-commands", args.toArray(String[]::new));
        assertTrue(output.contains(summary), output);
        for (String w : unchanged) {
            assertSameFiles(before.resolve(w), out.resolve(w));
        }
        return out;
    }

    @Test
    void theShippedVocabularyIsWordsNoneOfWhichIsTrainedOrSpokenAsANonKeywordInTheLongRecordings() throws IOException {
        assertShippedVocabulary("unknown-vocabulary.txt", 500, List.of());
    }

    @Test
    void theShippedSecondVocabularyBeginsOrEndsLikeTheCommandsAndIsNoOtherWordTheDataOrTheRecordingsSpeak()
            throws IOException {
        assertShippedVocabulary("keyword-onset-vocabulary.txt", 100, wordsOf("unknown-vocabulary.txt"));
    }

    /**
     * The vocabulary file of {@code scripts/lib} holds at least {@code atLeast} distinct words of lowercase letters,
     * none of them one of the 20 words, of the 15 other words, of the recordings' non-keywords or of {@code others}.
     */
    private static void assertShippedVocabulary(String vocabulary, int atLeast, List<String> others) throws IOException {
        List<String> words = wordsOf(vocabulary);
        assertTrue(words.size() >= atLeast, words.size() + " words");
        assertEquals(words.size(), new java.util.HashSet<>(words).size(), "a word given twice");
        List<String> everyday = everydayWords();
        for (String w : words) {
            assertTrue(w.matches("[a-z]{1,30}"), w);
            assertFalse(SpeechCommands.CORE_WORDS.contains(w) || UNKNOWN_WORDS.contains(w) || everyday.contains(w)
                    || others.contains(w), w);
        }
    }

    private static List<String> wordsOf(String vocabulary) throws IOException {
        Path file = Path.of("..", "scripts", "lib", vocabulary).toAbsolutePath().normalize();
        return Files.readAllLines(file).stream().filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    /** The non-keyword words that {@code scripts/make-keyword-streams} speaks in its recordings. */
    private static List<String> everydayWords() throws IOException {
        String streams = Files.readString(script("make-keyword-streams"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("EVERYDAY_WORDS=\\(([^)]*)\\)").matcher(streams);
        assertTrue(m.find(), "make-keyword-streams defines EVERYDAY_WORDS");
        List<String> everyday = List.of(m.group(1).trim().split("\\s+"));
        assertTrue(everyday.size() > 50, everyday.toString());
        return everyday;
    }

    @Test
    void theScriptExplainsItsUsage() throws IOException, InterruptedException {
        Path script = script("make-speech-commands");
        assumeTools("bash");
        Process p = new ProcessBuilder("bash", script.toString(), "--help").redirectErrorStream(true).start();
        String help = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        assertTrue(help.contains("--clips-per-word N") && help.contains("--seed N") && help.contains("validation_list.txt"), help);
        assertTrue(help.contains("--unknown-words") && help.contains("--unknown-clips-per-word N")
                && help.contains("word_bounds.csv"), help);

        Process bad = new ProcessBuilder("bash", script.toString(), "--size", "3", dir.resolve("x").toString())
                .redirectErrorStream(true).start();
        String err = new String(bad.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(bad.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, bad.exitValue());
        assertTrue(err.contains("--size 3: expected a whole number >= 20"), err);

        GeneratorScripts.Result alone = GeneratorScripts.run("make-speech-commands", "--unknown-clips-per-word", "2",
                dir.resolve("y").toString());
        assertEquals(2, alone.status(), alone.output());
        assertTrue(alone.output().contains("--unknown-clips-per-word 2 needs --unknown-words"), alone.output());
        assertTrue(help.contains("--unknown-vocabulary FILE") && help.contains("--vocabulary-clips-per-word N"), help);
        assertTrue(help.contains("--second-vocabulary FILE") && help.contains("--second-vocabulary-clips-per-word N"), help);
        Path badWords = dir.resolve("bad.txt");
        Files.writeString(badWords, "apple\nstop\n");
        GeneratorScripts.Result taken = GeneratorScripts.run("make-speech-commands", "--unknown-vocabulary", badWords.toString(),
                dir.resolve("z").toString());
        assertEquals(2, taken.status(), taken.output());
        assertTrue(taken.output().contains("line 2: 'stop' is one of the 20 words"), taken.output());
        Files.writeString(badWords, "Apple pie\n");
        GeneratorScripts.Result notWord = GeneratorScripts.run("make-speech-commands", "--unknown-vocabulary", badWords.toString(),
                dir.resolve("z").toString());
        assertEquals(2, notWord.status(), notWord.output());
        assertTrue(notWord.output().contains("line 1: 'Apple pie' is not a word of 1 to 30 lowercase letters"), notWord.output());
    }
}
