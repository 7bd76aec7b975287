package org.rankcoding.audio;

import org.junit.jupiter.api.Test;
import org.rankcoding.testing.ApiSurface;

import java.io.IOException;
import java.nio.file.Path;

/** The exported packages and public types of rankcoding-audio equal the committed list api/rankcoding-audio.txt (see {@link ApiSurface}). */
class ApiSurfaceTest {

    @Test
    void thePublicApiIsTheCommittedOne() throws IOException {
        ApiSurface.assertMatches(Path.of("target/classes"), Path.of("../api/rankcoding-audio.txt"));
    }
}
