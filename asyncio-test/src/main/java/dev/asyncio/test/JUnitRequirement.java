package dev.asyncio.test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Checks, once per JVM, that the JUnit on the test path is one asyncio-test runs with: Jupiter 5.10 or later (5.10,
 * 5.14 and 6.x are tested by consumer/run-all.sh), with the Jupiter jars of one version and the Platform jars of the
 * matching one. asyncio-test brings no JUnit of its own (its JUnit dependencies are {@code provided}); mixed versions
 * otherwise fail deep inside the launcher.
 */
final class JUnitRequirement {
    static final String MINIMUM = "5.10";

    private static final Map<String, String> PROBES = Map.of(
            "junit-jupiter-api", "org.junit.jupiter.api.Test",
            "junit-jupiter-engine", "org.junit.jupiter.engine.JupiterTestEngine",
            "junit-platform-commons", "org.junit.platform.commons.JUnitException",
            "junit-platform-engine", "org.junit.platform.engine.TestEngine",
            "junit-platform-launcher", "org.junit.platform.launcher.Launcher");

    private static final String PROBLEM = problem(versionsFound());

    private JUnitRequirement() {
    }

    /** Throws an {@link IllegalStateException} with a one-line message if this JUnit cannot run asyncio-test. */
    static void check() {
        if (PROBLEM != null) {
            throw new IllegalStateException(PROBLEM);
        }
    }

    /** The one-line problem with these JUnit artifact versions (artifact to version; absent ones left out), or null. */
    static String problem(Map<String, String> versions) {
        String api = versions.get("junit-jupiter-api");
        if (api != null && compare(api, MINIMUM) < 0) {
            return "asyncio-test needs JUnit Jupiter " + MINIMUM + " or later (5.10 to 6.x are tested) but found "
                    + "junit-jupiter-api " + api + ": use a newer org.junit:junit-bom.";
        }
        TreeSet<String> lines = new TreeSet<>();
        versions.forEach((artifact, v) -> lines.add(lineOf(artifact, v)));
        if (lines.size() > 1) {
            return "asyncio-test found JUnit jars of different releases on the test path (" + String.join(", ",
                    versions.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).sorted().toList())
                    + "): import org.junit:junit-bom in <dependencyManagement> (Gradle: platform(\"org.junit:junit-bom:...\")) "
                    + "so that they match.";
        }
        return null;
    }

    /** The JUnit release a jar belongs to: Jupiter 5.x goes with Platform 1.x; from 6.0 on both share one version. */
    private static String lineOf(String artifact, String version) {
        String[] p = version.split("[.-]");
        String minor = p.length > 1 ? p[1] : "0";
        if (artifact.startsWith("junit-platform") && p[0].equals("1")) {
            return "5." + minor;
        }
        return p[0] + "." + minor;
    }

    private static int compare(String version, String minimum) {
        String[] v = version.split("[.-]");
        String[] m = minimum.split("\\.");
        for (int i = 0; i < m.length; i++) {
            int a = i < v.length ? parse(v[i]) : 0;
            int b = Integer.parseInt(m[i]);
            if (a != b) {
                return Integer.compare(a, b);
            }
        }
        return 0;
    }

    private static int parse(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Map<String, String> versionsFound() {
        Map<String, String> versions = new LinkedHashMap<>();
        PROBES.forEach((artifact, className) -> version(className).ifPresent(v -> versions.put(artifact, v)));
        return versions;
    }

    private static Optional<String> version(String className) {
        try {
            Class<?> c = Class.forName(className, false, JUnitRequirement.class.getClassLoader());
            Module m = c.getModule();
            if (m.isNamed() && m.getDescriptor() != null && m.getDescriptor().rawVersion().isPresent()) {
                return m.getDescriptor().rawVersion();
            }
            return Optional.ofNullable(c.getPackage().getImplementationVersion());
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
    }
}
