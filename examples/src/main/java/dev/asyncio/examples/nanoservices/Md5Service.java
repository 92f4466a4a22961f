package dev.asyncio.examples.nanoservices;

import dev.asyncio.Generator;
import dev.asyncio.StopIteration;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A nanoservice that sends back the MD5 digest of each string sent to it (seed 002).
 *
 * <p>Send {@code null} (or an empty string) and it ends.
 */
public final class Md5Service {
    private Md5Service() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    // snippet:md5
    static Generator<String, String, Void> md5Service() {
        return Generator.of(y -> {
            String output = null;
            String s;
            while ((s = y.yield(output)) != null && !s.isEmpty()) {
                MessageDigest m = MessageDigest.getInstance("MD5");
                m.update(s.getBytes(StandardCharsets.UTF_8));
                output = HexFormat.of().formatHex(m.digest());
            }
            return null;
        });
    }
    // end-snippet

    static void run(PrintStream out) {
        // snippet:use
        Generator<String, String, Void> g = md5Service();
        g.next();                                   // prime it
        out.println("hello   -> " + g.send("hello"));
        out.println("goodbye -> " + g.send("goodbye"));
        try {
            g.send(null);
        } catch (StopIteration end) {
            out.println("null    -> StopIteration: the service has ended");
        }
        // end-snippet
    }
}
