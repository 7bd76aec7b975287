package org.rankcoding.examples.kws;

import org.rankcoding.audio.spotter.KeywordModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.io.ModelFileException;
import org.rankcoding.io.ModelFiles;
import org.rankcoding.io.SaveOptions;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.RankCodingNetwork;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.rankcoding.testing.Refusals.assertRefusal;

/** The front-end sizes in a keyword model's metadata are bounded when the file is read, before they size anything. */
class KeywordModelFrontEndBoundsTest {

    /** A keyword model file of 40 inputs and 3 words whose log-mel metadata is {@code frontEnd}. */
    private static Path model(Path dir, String frontEnd) throws IOException {
        RankCodingNetwork net = new RankCodingNetwork(new NetworkConfig(40, 4, 1, HeadType.SOFTMAX, 3), 1);
        double[] std = new double[40];
        Arrays.fill(std, 1.0);
        String zeros = String.join(",", Arrays.stream(new double[40]).mapToObj(String::valueOf).toList());
        String ones = String.join(",", Arrays.stream(std).mapToObj(String::valueOf).toList());
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(KeywordModel.KEY_WORDS, "a,b,c");
        meta.put(KeywordModel.KEY_FRONT_END, frontEnd);
        meta.put(KeywordModel.KEY_MEAN, zeros);
        meta.put(KeywordModel.KEY_STD, ones);
        Path file = dir.resolve("kws.safetensors");
        ModelFiles.save(net, 0.9, file, SaveOptions.DEFAULT.withMetadata(meta));
        return file;
    }

    @Test
    void anFftOfTwoToTheThirtyIsRefusedAtOnce(@TempDir Path dir) throws IOException {
        Path file = model(dir, "16000,400,160,1073741824,40,20.0,8000.0,1.0E-6");
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () -> assertRefusal(ModelFileException.class,
                () -> KeywordModel.load(file), file.toString(), "fftSize = 1073741824", "[1, 65536]"));
    }

    @Test
    void aSampleRateOfOneE20IsRefusedNotCast(@TempDir Path dir) throws IOException {
        Path file = model(dir, "1.0E20,400,160,512,40,20.0,8000.0,1.0E-6");
        assertRefusal(ModelFileException.class, () -> KeywordModel.load(file), file.toString(), "sampleRate = 1.0E20", "384000");
    }

    @Test
    void aFractionalSizeIsRefusedNotTruncated(@TempDir Path dir) throws IOException {
        Path file = model(dir, "16000,400.7,160,512,40,20.0,8000.0,1.0E-6");
        assertRefusal(ModelFileException.class, () -> KeywordModel.load(file), file.toString(), "windowLength = 400.7");
    }

    @Test
    void aNumberThatIsNotOneNamesTheFileTheKeyAndTheValue(@TempDir Path dir) throws IOException {
        Path file = model(dir, "16000,abc,160,512,40,20.0,8000.0,1.0E-6");
        assertRefusal(ModelFileException.class, () -> KeywordModel.load(file),
                file + ": metadata '" + KeywordModel.KEY_FRONT_END + "' value 1 (of 8) is 'abc', expected a decimal number");
        Path std = dir.resolve("std.safetensors");
        ModelFiles.save(new RankCodingNetwork(new NetworkConfig(40, 4, 1, HeadType.SOFTMAX, 3), 1), 0.9, std,
                SaveOptions.DEFAULT.withMetadata(Map.of(KeywordModel.KEY_WORDS, "a,b,c",
                        KeywordModel.KEY_FRONT_END, "16000,400,160,512,40,20.0,8000.0,1.0E-6",
                        KeywordModel.KEY_MEAN, "0.0,".repeat(39) + "0.0", KeywordModel.KEY_STD, "1.0,".repeat(39) + "1.0x")));
        assertRefusal(ModelFileException.class, () -> KeywordModel.load(std),
                std + ": metadata '" + KeywordModel.KEY_STD + "' value 39 (of 40) is '1.0x', expected a decimal number");
    }
}
