package org.rankcoding.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.RcTestSupport;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A model file that cannot be loaded is refused with a message that names its format version and what to do. */
class ModelFileVersionTest {

    @TempDir
    Path dir;

    private final RankCodingNetwork net = RcTestSupport.network(3, 2, 1, HeadType.SOFTMAX, 3, 5, 1.0);

    private ModelFileException refused(CraftedFile f) throws IOException {
        Path path = f.write(dir.resolve("v.safetensors"));
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(path));
        assertTrue(e.getMessage().startsWith(path + ": "), e.getMessage());
        assertEquals(path, e.file());
        return e;
    }

    @Test
    void aNewerFormatVersionNamesTheVersionsAndWhatToDo() throws IOException {
        CraftedFile f = CraftedFile.of(net, 0.9, "F32");
        String newer = String.valueOf(ModelFiles.FORMAT_VERSION + 1);
        f.metadata.put("format_version", newer);
        f.metadata.put("library_version", "9.0.0");
        String m = refused(f).getMessage();
        assertTrue(m.contains("'format_version' is " + newer) && m.contains("written by a newer library")
                && m.contains("library_version '9.0.0'") && m.contains("reads format versions up to "
                + ModelFiles.FORMAT_VERSION) && m.contains("load it with a newer rankcoding release"), m);
    }

    @Test
    void invalidContentOfAReadableVersionNamesTheVersionAndWhatToDo() throws IOException {
        CraftedFile f = CraftedFile.of(net, 0.9, "F32");
        f.tensors.remove(f.tensors.size() - 1);
        ModelFileException e = refused(f);
        String m = e.getMessage();
        assertTrue(m.contains("missing tensor [readout.bias]"), m);
        assertTrue(m.contains("format version 1, which this library reads") && m.contains("save the network again with "
                + "ModelFiles.save") && m.contains("scripts/torch_interop.py"), m);
        assertTrue(e.getCause() instanceof ModelFileException, "the original problem is the cause");
    }

    @Test
    void theCurrentVersionStillLoads() throws IOException {
        Path path = CraftedFile.of(net, 0.9, "F64").write(dir.resolve("ok.safetensors"));
        LoadedModel loaded = ModelFiles.load(path);
        assertEquals(net.layout(), loaded.network().layout());
        for (var h : net.layout().handles()) {
            assertArrayEquals(net.parameters().get(h).data, loaded.network().parameters().get(h).data, h.toString());
        }
    }
}
