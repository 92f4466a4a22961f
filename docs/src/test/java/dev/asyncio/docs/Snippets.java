package dev.asyncio.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks that every Java block of the Markdown guides is a marked region of a source file, so that a guide
 * can only show code that compiles (and, where the file is an example or a test, that runs).
 *
 * <p>The format, for every guide of the project. In the source file:
 * <pre>
 *     // snippet:NAME
 *     ...code...
 *     // end-snippet
 * </pre>
 * In the guide, the marker line right above the fenced block, with the path from the repository root:
 * <pre>
 *     &lt;!-- snippet: examples/src/main/java/dev/asyncio/examples/Countdowns.java#countdown --&gt;
 *     ```java
 *     ...the region's lines, their common indentation removed...
 *     ```
 * </pre>
 * Regions may nest; the marker lines of an inner region are not part of the outer one. Trailing whitespace
 * is ignored. A {@code java} block marked {@code <!-- signatures -->} instead lists declarations (the API
 * contract): it is not source, and {@link ApiNames} checks each declaration against the compiled classes. Other blocks ({@code sh}, {@code text}, ...) need no marker. Relative links outside code blocks
 * must point to files that exist, so that a guide does not link to code that moved.
 */
final class Snippets {
    static final Pattern FENCE = Pattern.compile("^\\s{0,3}(`{3,}|~{3,})\\s*([^\\s`]*).*$");
    private static final Pattern MARKER = Pattern.compile("^\\s*<!--\\s*snippet:\\s*(\\S+?)#(\\S+?)\\s*-->\\s*$");
    private static final Pattern MARKER_LIKE = Pattern.compile("^\\s*<!--\\s*snippet\\b.*$");
    private static final Pattern REGION_START = Pattern.compile("^\\s*// snippet:(\\S+)\\s*$");
    private static final Pattern REGION_END = Pattern.compile("^\\s*// end-snippet\\s*$");
    static final Pattern SIGNATURES = Pattern.compile("^\\s*<!--\\s*signatures\\s*-->\\s*$");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");

    private Snippets() {
    }

    /** Something wrong in a guide, at a line (1-based). */
    record Problem(Path guide, int line, String message) {
        @Override
        public String toString() {
            return guide + ":" + line + ": " + message;
        }
    }

    /** What a check found: how many Java blocks it compared, and what was wrong. */
    record Report(int javaBlocks, List<Problem> problems) {
        String describe() {
            StringBuilder sb = new StringBuilder(problems.size() + " problem(s) in the guides' Java blocks "
                    + "(each must be a '// snippet:NAME' region of compiled source, marked right above the block "
                    + "with '<!-- snippet: path/from/repo/root.java#NAME -->'):\n");
            for (Problem p : problems) {
                sb.append(p).append('\n');
            }
            return sb.toString();
        }
    }

    /** Checks every {@code .md} file under {@code docsRoot} (build output excluded) against {@code repoRoot}. */
    static Report check(Path docsDir, Path repoDir) {
        return checkFiles(markdownFiles(docsDir), repoDir);
    }

    /** Every {@code .md} file under {@code docsDir}, sorted, without build output and hidden folders. */
    static List<Path> markdownFiles(Path docsDir) {
        Path docsRoot = docsDir.toAbsolutePath().normalize();
        try (Stream<Path> files = Files.walk(docsRoot)) {
            return files.filter(p -> p.toString().endsWith(".md"))
                    .filter(p -> {
                        Path rel = docsRoot.relativize(p);
                        for (Path part : rel) {
                            String s = part.toString();
                            if (s.equals("target") || s.startsWith(".")) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Checks the given Markdown files (the README, for one) against {@code repoDir}. */
    static Report checkFiles(List<Path> markdownFiles, Path repoDir) {
        Path repoRoot = repoDir.toAbsolutePath().normalize();
        int blocks = 0;
        List<Problem> problems = new ArrayList<>();
        Map<Path, Map<String, List<String>>> regionCache = new HashMap<>();
        for (Path file : markdownFiles) {
            Path guide = file.toAbsolutePath().normalize();
            blocks += checkGuide(guide, repoRoot, repoRoot.relativize(guide), regionCache, problems);
        }
        return new Report(blocks, problems);
    }

    /** Checks one guide; {@code shownAs} is how problems name it. Returns the number of Java blocks seen. */
    private static int checkGuide(Path guide, Path repoRoot, Path shownAs, Map<Path, Map<String, List<String>>> cache,
                                  List<Problem> problems) {
        List<String> lines;
        try {
            lines = Files.readAllLines(guide);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int javaBlocks = 0;
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            Matcher fence = FENCE.matcher(line);
            if (!fence.matches()) {
                checkLinks(guide, shownAs, i + 1, line, problems);
                if (MARKER_LIKE.matcher(line).matches()) {
                    Matcher marker = MARKER.matcher(line);
                    if (!marker.matches()) {
                        problems.add(new Problem(shownAs, i + 1, "malformed snippet marker '" + line.strip()
                                + "': write <!-- snippet: path/from/repo/root.java#NAME -->"));
                    } else if (i + 1 >= lines.size() || !isJavaFence(lines.get(i + 1))) {
                        problems.add(new Problem(shownAs, i + 1, "snippet marker " + marker.group(1) + "#"
                                + marker.group(2) + " is not directly followed by a ```java block"));
                    }
                }
                i++;
                continue;
            }
            String delimiter = fence.group(1);
            String info = fence.group(2);
            int open = i;
            List<String> body = new ArrayList<>();
            i++;
            while (i < lines.size() && !isClosingFence(lines.get(i), delimiter)) {
                body.add(lines.get(i));
                i++;
            }
            if (i >= lines.size()) {
                problems.add(new Problem(shownAs, open + 1, "code block is never closed"));
                break;
            }
            i++; // past the closing fence
            if (!info.toLowerCase(java.util.Locale.ROOT).startsWith("java")) {
                continue;
            }
            javaBlocks++;
            String blockName = "java block at line " + (open + 1);
            if (open > 0 && SIGNATURES.matcher(lines.get(open - 1)).matches()) {
                continue; // declarations, not code: ApiNames checks each against the classes
            }
            Matcher marker = open > 0 ? MARKER.matcher(lines.get(open - 1)) : null;
            if (marker == null || !marker.matches()) {
                problems.add(new Problem(shownAs, open + 1, blockName + " has no snippet marker on the line above it; "
                        + "copy code into a guide only as a marked region of compiled source"));
                continue;
            }
            String path = marker.group(1);
            String name = marker.group(2);
            List<String> region;
            try {
                region = region(repoRoot, path, name, cache);
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(shownAs, open + 1, blockName + ": " + e.getMessage()));
                continue;
            }
            String difference = difference(region, body);
            if (difference != null) {
                problems.add(new Problem(shownAs, open + 1, blockName + " differs from " + path + "#" + name + ": "
                        + difference));
            }
        }
        return javaBlocks;
    }

    /**
     * Relative links of a line outside code blocks must name files or folders that exist, and an anchor into a
     * Markdown file (this one included) a heading of it.
     */
    private static void checkLinks(Path guide, Path shownAs, int lineNumber, String line, List<Problem> problems) {
        Matcher link = LINK.matcher(line);
        while (link.find()) {
            String target = link.group(1);
            if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                continue; // http:, https:, mailto: ...
            }
            int hash = target.indexOf('#');
            String file = hash >= 0 ? target.substring(0, hash) : target;
            Path resolved = file.isEmpty() ? guide : guide.getParent().resolve(file).normalize();
            if (!Files.exists(resolved)) {
                problems.add(new Problem(shownAs, lineNumber, "link to " + target + ": no such file"));
            } else if (hash >= 0 && resolved.toString().endsWith(".md")
                    && !anchors(resolved).contains(target.substring(hash + 1))) {
                problems.add(new Problem(shownAs, lineNumber, "link to " + target + ": no such heading in " + file
                        + (file.isEmpty() ? "this file" : "")));
            }
        }
    }

    /** The anchors GitHub makes of a Markdown file's headings: lower case, punctuation dropped, spaces to '-'. */
    static List<String> anchors(Path markdown) {
        List<String> out = new ArrayList<>();
        boolean fenced = false;
        try {
            for (String line : Files.readAllLines(markdown)) {
                if (FENCE.matcher(line).matches()) {
                    fenced = !fenced;
                } else if (!fenced && line.startsWith("#")) {
                    String text = line.replaceFirst("^#+\\s*", "").strip().toLowerCase(java.util.Locale.ROOT);
                    String slug = text.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
                    String unique = slug;
                    for (int n = 1; out.contains(unique); n++) {
                        unique = slug + "-" + n;
                    }
                    out.add(unique);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static boolean isJavaFence(String line) {
        Matcher m = FENCE.matcher(line);
        return m.matches() && m.group(2).toLowerCase(java.util.Locale.ROOT).startsWith("java");
    }

    private static boolean isClosingFence(String line, String delimiter) {
        String s = line.strip();
        return s.length() >= delimiter.length() && s.chars().allMatch(c -> c == delimiter.charAt(0))
                && line.indexOf(delimiter.charAt(0)) <= 3;
    }

    /**
     * The lines of region {@code name} of the file at {@code path} (from {@code repoRoot}), without the marker
     * lines of nested regions and with their common indentation removed.
     *
     * @throws IllegalArgumentException naming what is wrong: no such file, no such region, a region never
     *                                  ended, an end with no start, a name used twice
     */
    static List<String> region(Path repoRoot, String path, String name, Map<Path, Map<String, List<String>>> cache) {
        Path file = repoRoot.resolve(path).normalize();
        if (!file.startsWith(repoRoot.normalize())) {
            throw new IllegalArgumentException(path + " is outside the repository");
        }
        Map<String, List<String>> regions = cache.get(file);
        if (regions == null) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("no file " + path + " (paths are relative to the repository root)");
            }
            regions = regions(file, path);
            cache.put(file, regions);
        }
        List<String> region = regions.get(name);
        if (region == null) {
            throw new IllegalArgumentException(path + " has no region '// snippet:" + name + "'"
                    + (regions.isEmpty() ? "" : "; it has " + String.join(", ", regions.keySet())));
        }
        return region;
    }

    private static Map<String, List<String>> regions(Path file, String shownAs) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, List<String>> regions = new LinkedHashMap<>();
        Deque<String> open = new ArrayDeque<>();
        Map<String, List<String>> collecting = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher start = REGION_START.matcher(line);
            if (start.matches()) {
                String name = start.group(1);
                if (regions.containsKey(name) || collecting.containsKey(name)) {
                    throw new IllegalArgumentException(shownAs + " defines region '" + name + "' twice (line " + (i + 1) + ")");
                }
                open.push(name);
                collecting.put(name, new ArrayList<>());
            } else if (REGION_END.matcher(line).matches()) {
                if (open.isEmpty()) {
                    throw new IllegalArgumentException(shownAs + ":" + (i + 1) + " has '// end-snippet' with no region open");
                }
                String name = open.pop();
                regions.put(name, dedent(collecting.remove(name)));
            } else {
                for (String name : open) {
                    collecting.get(name).add(line);
                }
            }
        }
        if (!open.isEmpty()) {
            throw new IllegalArgumentException(shownAs + " never ends region '" + open.peek() + "' (no '// end-snippet')");
        }
        return regions;
    }

    /** The lines with their common leading whitespace removed and trailing whitespace stripped. */
    static List<String> dedent(List<String> lines) {
        int indent = Integer.MAX_VALUE;
        for (String line : lines) {
            if (!line.isBlank()) {
                int n = 0;
                while (n < line.length() && Character.isWhitespace(line.charAt(n))) {
                    n++;
                }
                indent = Math.min(indent, n);
            }
        }
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            out.add(line.isBlank() ? "" : line.substring(indent).stripTrailing());
        }
        return out;
    }

    /** {@code null} if the block shows exactly the region, otherwise where and how they first differ. */
    static String difference(List<String> region, List<String> block) {
        List<String> shown = block.stream().map(String::stripTrailing).toList();
        int n = Math.min(region.size(), shown.size());
        for (int k = 0; k < n; k++) {
            if (!region.get(k).equals(shown.get(k))) {
                return "line " + (k + 1) + " of the block is\n      " + shown.get(k) + "\n    but the source has\n      "
                        + region.get(k) + "\n    (copy the region again, or change the source and its tests)";
            }
        }
        if (region.size() != shown.size()) {
            return "the block has " + shown.size() + " lines, the region " + region.size() + "; the first missing or "
                    + "extra line is\n      " + (region.size() > shown.size() ? region.get(n) : shown.get(n));
        }
        return null;
    }
}
