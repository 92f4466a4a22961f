package dev.asyncio.examples.nanoservices;

import dev.asyncio.Generator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Generators over a file: its lines {@code n} at a time, and its vowels one by one (seed 002).
 *
 * <p>Arguments: {@code [file [n]]}; without them, a text bundled with the examples and n = 3.
 */
public final class ReadNLines {
    private ReadNLines() {
    }

    /** Where the text comes from; opened once for each generator. */
    @FunctionalInterface
    interface Text {
        Reader open() throws IOException;
    }

    public static void main(String[] args) {
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Text text = args.length > 0 ? () -> Files.newBufferedReader(Path.of(args[0])) : ReadNLines::bundledText;
        run(text, n, System.out);
    }

    static Reader bundledText() {
        InputStream in = ReadNLines.class.getResourceAsStream("lines.txt");
        if (in == null) {
            throw new IllegalStateException("lines.txt is missing from the examples' resources");
        }
        return new InputStreamReader(in, StandardCharsets.UTF_8);
    }

    // snippet:read-n
    /** The text {@code n} lines at a time; the last chunk may be shorter. */
    static Generator<String, Void, Void> readN(BufferedReader file, int n) {
        return Generator.of(y -> {
            while (true) {
                StringBuilder output = new StringBuilder();
                String line;
                for (int i = 0; i < n && (line = file.readLine()) != null; i++) {
                    output.append(line).append('\n');
                }
                if (output.isEmpty()) {
                    break;
                }
                y.yield(output.toString());
            }
            return null;
        });
    }
    // end-snippet

    // snippet:vowels
    /** Every vowel of the text, in order. */
    static Generator<Character, Void, Void> vowels(BufferedReader file) {
        return Generator.of(y -> {
            String line;
            while ((line = file.readLine()) != null) {
                for (char c : line.toCharArray()) {
                    if ("aeiou".indexOf(Character.toLowerCase(c)) >= 0) {
                        y.yield(c);
                    }
                }
            }
            return null;
        });
    }
    // end-snippet

    static void run(Text text, int n, PrintStream out) {
        try {
            // snippet:use-read-n
            try (BufferedReader file = new BufferedReader(text.open())) {
                int chunk = 0;
                for (String lines : readN(file, n)) {
                    out.println("--- chunk " + (++chunk) + " ---");
                    out.print(lines);
                }
            }
            // end-snippet
            try (BufferedReader file = new BufferedReader(text.open())) {
                StringBuilder first = new StringBuilder();
                int count = 0;
                for (char vowel : vowels(file)) {
                    if (count++ < 20) {
                        first.append(vowel);
                    }
                }
                out.println(String.format(Locale.ROOT, "--- %d vowels, the first 20: %s", count, first));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
