package org.rankcoding.audio;

import java.nio.file.Path;

/**
 * One clip of a Speech Commands data set, before decoding.
 *
 * @param relativePath the path relative to the data set's root with {@code /} separators, as in the split lists
 *                     (e.g. {@code yes/0a7c2a8d_nohash_0.wav})
 * @param file         the file itself
 * @param word         the word folder the clip is in
 * @param label        the class: the word's index in the chosen word list
 * @param split        the split the clip belongs to
 */
public record SpeechClip(String relativePath, Path file, String word, int label, DataSplit split) {

    /**
     * The speaker id: the file name up to {@code _nohash_} (e.g. {@code 0a7c2a8d}), or the whole file name without
     * {@code .wav} when it has no {@code _nohash_}. The real data set and the generated one split by speaker.
     */
    public String speaker() {
        String name = file.getFileName().toString();
        int cut = name.indexOf("_nohash_");
        return cut >= 0 ? name.substring(0, cut) : name.endsWith(".wav") ? name.substring(0, name.length() - 4) : name;
    }
}
