package org.rankcoding.datasets.ucr;

import org.rankcoding.testing.UcrData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rankcoding.testing.Refusals.assertRefusal;

/** {@link UcrDataset}: both splits of a data set, checked to be one problem. */
public class UcrDatasetTest {

    @TempDir
    Path dir;

    @Test
    void loadsBothSplitsOfARealDataSet() throws IOException {
        Path dataSet = UcrData.file("JapaneseVowels", "TRAIN").getParent();
        UcrDataset d = UcrDataset.load(dataSet);
        assertEquals(270, d.train().size());
        assertEquals(370, d.test().size());
        assertEquals(d.train().classNames(), d.test().classNames());
    }

    @Test
    void findsTheOneTrainingFileWhateverTheDirectoryName() throws IOException {
        Files.writeString(dir.resolve("X_TRAIN.ts"), "@classLabel true a b\n@data\n1,2:a\n");
        Files.writeString(dir.resolve("X_TEST.ts"), "@classLabel true a b\n@data\n1,2,3:b\n");
        UcrDataset d = UcrDataset.load(dir);
        assertEquals("X", d.train().problemName());
        assertEquals(1, d.test().label(0));
    }

    @Test
    void refusesSplitsThatAreNotOneProblem() throws IOException {
        Files.writeString(dir.resolve("X_TRAIN.ts"), "@classLabel true a b\n@data\n1,2:a\n");
        Files.writeString(dir.resolve("X_TEST.ts"), "@classLabel true b a\n@data\n1,2:b\n");
        assertRefusal(TsFormatException.class, () -> UcrDataset.load(dir), "X_TEST.ts: its @classLabel declares [b, a],"
                + " but X_TRAIN.ts declares [a, b]");
        Files.writeString(dir.resolve("X_TEST.ts"), "@classLabel true a b\n@data\n1,2:3,4:b\n");
        assertRefusal(TsFormatException.class, () -> UcrDataset.load(dir), "its series have 2 dimensions, but those of"
                + " X_TRAIN.ts have 1");
    }

    @Test
    void missingFilesAreNamed() throws IOException {
        assertRefusal(NoSuchFileException.class, () -> UcrDataset.load(dir), "no <Name>_TRAIN.ts file");
        assertRefusal(NoSuchFileException.class, () -> UcrDataset.load(dir.resolve("nowhere")), "expected the directory");
        Files.writeString(dir.resolve("X_TRAIN.ts"), "@classLabel true a b\n@data\n1,2:a\n");
        assertRefusal(NoSuchFileException.class, () -> UcrDataset.load(dir), "X_TEST.ts", "expected the test file of X");
    }
}
