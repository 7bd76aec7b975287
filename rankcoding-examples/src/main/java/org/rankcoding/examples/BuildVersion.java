package org.rankcoding.examples;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of the examples as the build stamped it: the {@code version} of the filtered resource
 * {@code build.properties} next to this class, else the jar manifest's {@code Implementation-Version}, else
 * {@value #UNKNOWN}. Picocli's {@code --version} prints it.
 */
public final class BuildVersion implements IVersionProvider {

    /** What {@link #version()} returns when neither the resource nor the manifest names a version. */
    public static final String UNKNOWN = "unknown";

    private static final String RESOURCE = "build.properties";

    /** The version the build stamped, or {@value #UNKNOWN}. */
    public static String version() {
        String fromResource = fromResource();
        if (fromResource != null) {
            return fromResource;
        }
        String fromManifest = BuildVersion.class.getPackage().getImplementationVersion();
        return fromManifest == null || fromManifest.isBlank() ? UNKNOWN : fromManifest;
    }

    /** The resource's version, or {@code null} when it is missing or was not filtered (still reads a placeholder). */
    private static String fromResource() {
        try (InputStream in = BuildVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version");
            return v == null || v.isBlank() || v.contains("${") ? null : v.trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + " next to " + BuildVersion.class.getName() + ": " + e.getMessage(), e);
        }
    }

    /** The line {@code --version} prints: {@code rankcoding examples VERSION}. */
    @Override
    public String[] getVersion() {
        return new String[] {"rankcoding examples " + version()};
    }
}
