package dev.asyncio.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Enumeration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks, once per JVM, that every Netty jar present is a Netty 4.2, the line asyncio-java is built on. A Netty 4.1
 * brought by another dependency (common in existing applications) otherwise compiles, then fails far from its
 * cause: {@code NoClassDefFoundError: io/netty/channel/IoEventLoop} when the first loop is made, or an
 * {@code IncompatibleClassChangeError} in the middle of a test. Every Netty jar carries
 * {@code META-INF/io.netty.versions.properties} with its artifact's version; reading those names the jars at fault.
 */
public final class NettyRequirement {
    private static final String VERSIONS = "META-INF/io.netty.versions.properties";
    /** The class of Netty 4.2 whose absence is the first symptom of a 4.1 {@code netty-transport}. */
    private static final String IO_EVENT_LOOP = "io.netty.channel.IoEventLoop";

    private static final String PROBLEM = problem(versionsFound(), ioEventLoopPresent(), builtWith());

    private NettyRequirement() {
    }

    /**
     * Throws an {@link IllegalStateException} whose message is one line naming the Netty jars that are not 4.2 and
     * how to align them, if there are any; returns quietly otherwise. Call it before anything loads a class that
     * names a Netty 4.2 type.
     */
    public static void check() {
        if (PROBLEM != null) {
            throw new IllegalStateException(PROBLEM);
        }
    }

    /**
     * The one-line problem, or {@code null} when all is well.
     *
     * @param versions          each Netty artifact found, with every version found for it
     * @param ioEventLoopPresent whether Netty 4.2's {@code IoEventLoop} class can be loaded
     * @param builtWith         the Netty version asyncio-java was built with
     */
    public static String problem(Map<String, ? extends java.util.Collection<String>> versions, boolean ioEventLoopPresent,
                                 String builtWith) {
        TreeSet<String> wrong = new TreeSet<>();
        versions.forEach((artifact, found) -> found.stream()
                .filter(v -> !v.startsWith("4.2."))
                .forEach(v -> wrong.add(artifact + " " + v)));
        if (wrong.isEmpty() && ioEventLoopPresent) {
            return null;
        }
        String what = wrong.isEmpty()
                ? "no " + IO_EVENT_LOOP + " (a netty-transport older than 4.2, without a version file)"
                : String.join(", ", wrong);
        return "asyncio-java needs Netty 4.2 (built with " + builtWith + ") but found " + what
                + " on the class or module path: another dependency brings an older Netty; import io.netty:netty-bom:"
                + builtWith + " (Maven <dependencyManagement>, Gradle platform(...)) so that every Netty jar is 4.2.";
    }

    private static Map<String, TreeSet<String>> versionsFound() {
        Map<String, TreeSet<String>> versions = new TreeMap<>();
        ClassLoader loader = NettyRequirement.class.getClassLoader();
        try {
            Enumeration<URL> files = loader.getResources(VERSIONS);
            while (files.hasMoreElements()) {
                Properties p = new Properties();
                try (InputStream in = files.nextElement().openStream()) {
                    p.load(in);
                }
                for (String key : p.stringPropertyNames()) {
                    if (key.endsWith(".version")) {
                        String artifact = key.substring(0, key.length() - ".version".length());
                        versions.computeIfAbsent(artifact, a -> new TreeSet<>()).add(p.getProperty(key));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + VERSIONS, e);
        }
        return versions;
    }

    private static boolean ioEventLoopPresent() {
        try {
            Class.forName(IO_EVENT_LOOP, false, NettyRequirement.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static String builtWith() {
        Properties p = new Properties();
        try (InputStream in = NettyRequirement.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read asyncio-core's build.properties", e);
        }
        return p.getProperty("netty.version", "4.2");
    }
}
