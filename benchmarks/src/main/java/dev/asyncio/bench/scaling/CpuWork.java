package dev.asyncio.bench.scaling;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The CPU work each scaling-benchmark server does per request: SHA-256 of the request, hashed again
 * {@code rounds} times, so that the server, not the network, is the bottleneck. The number of rounds for a
 * target time is measured once ({@code java ... CpuWork MICROS} prints it) and passed to every server of a
 * run, so that all do the same work whatever the machine's load was when each started.
 */
public final class CpuWork {
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    });

    private CpuWork() {
    }

    /** Hashes {@code data} {@code rounds} times (each round hashes the previous digest); returns the first byte. */
    public static byte hash(byte[] data, int offset, int length, int rounds) {
        MessageDigest sha = SHA256.get();
        sha.update(data, offset, length);
        byte[] digest = sha.digest();
        for (int i = 1; i < rounds; i++) {
            digest = sha.digest(digest);
        }
        return digest[0];
    }

    /** How many rounds of {@link #hash} on a {@code size}-byte request take {@code micros} on this machine. */
    static int calibrate(double micros, int size) {
        byte[] data = new byte[size];
        int sink = 0;
        for (int i = 0; i < 200_000; i++) {         // warm up until the JIT has compiled the digest
            sink += hash(data, 0, size, 1);
        }
        double best = Double.MAX_VALUE;             // the least disturbed of several samples
        for (int sample = 0; sample < 7; sample++) {
            long start = System.nanoTime();
            for (int i = 0; i < 20_000; i++) {
                sink += hash(data, 0, size, 1);
            }
            best = Math.min(best, (System.nanoTime() - start) / 20_000.0);
        }
        if (sink == 42) {
            System.err.print("");                   // keeps the loop from being optimised away
        }
        return Math.max(1, (int) Math.round(micros * 1000 / best));
    }

    /** Prints the rounds for {@code MICROS} [{@code SIZE}, default 64] and what one hash took. */
    public static void main(String[] args) {
        double micros = Double.parseDouble(args[0]);
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int rounds = calibrate(micros, size);
        System.out.println(rounds);
        System.err.println(String.format(Locale.ROOT, "# %d SHA-256 rounds per request = %.1f us of CPU", rounds, micros));
    }
}
