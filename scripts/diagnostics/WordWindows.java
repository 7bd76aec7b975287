import org.rankcoding.audio.WavReader;
import org.rankcoding.audio.spotter.KeywordEvent;
import org.rankcoding.audio.spotter.KeywordModel;
import org.rankcoding.audio.spotter.KeywordSpotter;
import org.rankcoding.audio.spotter.ResetPolicy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Plays every labelled word of long recordings (scripts/make-keyword-streams) to a keyword model alone, as one 1 s
 * session starting at fixed offsets from the word's onset, and counts the windows that make an event: for
 * non-keyword words, how often they fire (and as which keyword, at offset 0); for keywords, how often the right word
 * is detected (and, at the first offset, what fired instead of the missed ones). Tells whether false alarms come
 * from words heard whole or from fragments.
 *
 * <pre>
 * source bench/classpath.sh && build_classpath . /tmp/cp-work
 * java --add-modules jdk.incubator.vector -cp '/tmp/cp-work/cp/*' scripts/diagnostics/WordWindows.java \
 *     MODEL.safetensors data/keyword-streams 0.9 -300,-100,0,100,200,300
 * </pre>
 */
public class WordWindows {

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: WordWindows MODEL STREAMS_DIR THRESHOLD OFFSET_MS,...");
            System.exit(2);
        }
        KeywordModel model = KeywordModel.load(Path.of(args[0]));
        Path dir = Path.of(args[1]);
        double theta = Double.parseDouble(args[2]);
        int[] offsetsMs = Arrays.stream(args[3].split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        KeywordSpotter spotter = KeywordSpotter.builder(model).threshold(theta).resetPolicy(ResetPolicy.RESTART)
                .sessionMillis(1000).build();
        Set<String> keywords = new HashSet<>(spotter.keywords());
        int rate = 16_000;
        int[] fired = new int[offsetsMs.length];
        int[] detected = new int[offsetsMs.length];
        int words = 0;
        int spoken = 0;
        Map<String, Integer> asKeyword = new TreeMap<>();
        Map<String, Integer> missed = new TreeMap<>();
        List<Path> files = new ArrayList<>();
        try (var s = Files.list(dir)) {
            s.filter(p -> p.toString().endsWith(".wav")).sorted().forEach(files::add);
        }
        float[] window = new float[rate];
        for (Path wav : files) {
            float[] x = WavReader.read(wav, rate).samples();
            List<String> lines = Files.readAllLines(Path.of(wav.toString().replace(".wav", ".labels.csv")));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",");
                String word = f[0];
                int start = Integer.parseInt(f[1]);
                boolean keyword = keywords.contains(word);
                if (keyword) {
                    spoken++;
                } else {
                    words++;
                }
                for (int k = 0; k < offsetsMs.length; k++) {
                    int from = start + offsetsMs[k] * rate / 1000;
                    for (int j = 0; j < rate; j++) {
                        int i = from + j;
                        window[j] = i >= 0 && i < x.length ? x[i] : 0f;
                    }
                    spotter.reset();
                    List<KeywordEvent> events = spotter.feed(window);
                    if (keyword) {
                        boolean hit = events.stream().anyMatch(e -> e.word().equals(word));
                        detected[k] += hit ? 1 : 0;
                        if (!hit && k == 0) {
                            missed.merge(word + " -> " + (events.isEmpty() ? "no event" : events.get(0).word()), 1, Integer::sum);
                        }
                    } else if (!events.isEmpty()) {
                        fired[k]++;
                        if (offsetsMs[k] == 0) {
                            asKeyword.merge(word + " -> " + events.get(0).word(), 1, Integer::sum);
                        }
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "%s: %d non-keyword words, %d keywords, threshold %s%n", args[0], words, spoken, theta);
        for (int k = 0; k < offsetsMs.length; k++) {
            System.out.printf(Locale.ROOT, "window from the onset %+5d ms: non-keyword words that fire %.3f, keywords detected %.3f%n",
                    offsetsMs[k], (double) fired[k] / words, (double) detected[k] / spoken);
        }
        List<Map.Entry<String, Integer>> top = new ArrayList<>(asKeyword.entrySet());
        top.sort((a, b) -> b.getValue() - a.getValue());
        System.out.println("at offset 0, the words that fire most, as which keyword: " + top.subList(0, Math.min(25, top.size())));
        List<Map.Entry<String, Integer>> misses = new ArrayList<>(missed.entrySet());
        misses.sort((a, b) -> b.getValue() - a.getValue());
        System.out.printf(Locale.ROOT, "keywords missed in the window from %+d ms, and what fired instead: %s%n", offsetsMs[0], misses);
    }
}
