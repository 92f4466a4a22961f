package dev.asyncio.examples.subprocess;

import dev.asyncio.Asyncio;
import dev.asyncio.Releaser;
import dev.asyncio.Semaphore;
import dev.asyncio.TaskGroup;
import dev.asyncio.net.Stdio;
import dev.asyncio.net.Subprocess;
import dev.asyncio.net.SubprocessOptions;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Hashes every file of a directory with {@code sha256sum}, a few child processes at a time, printing each digest as it comes.
 *
 * <pre>{@code
 * ./mvnw -q -pl examples -am compile exec:exec -Dexample=ParallelSha256 -Dargs="src --jobs 4"
 * }</pre>
 *
 * <p>Every file gets a task; a {@link Semaphore} lets at most {@code --jobs} of them run a child at once, so
 * a directory of ten thousand files never means ten thousand processes. Lines come out in the order the
 * children finish, not the order of the files. A relative directory is taken from the working directory,
 * which {@code exec:exec} sets to {@code examples/}.
 */
public final class ParallelSha256 {
    private ParallelSha256() {
    }

    public static void main(String[] args) {
        if (args.length == 0 || args[0].startsWith("-")) {
            System.err.println("usage: ParallelSha256 DIRECTORY [--jobs N]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        if (!Files.isDirectory(dir)) {
            System.err.println("ParallelSha256: not a directory: " + dir.toAbsolutePath());
            System.exit(2);
        }
        int jobs = args.length >= 3 && args[1].equals("--jobs") ? Integer.parseInt(args[2]) : 4;
        Asyncio.run(() -> hashAll(dir, jobs, System.out));
    }

    /** Every regular file under {@code dir}, sorted. */
    static List<Path> files(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // snippet:hash-all
    /** Hashes every file under {@code dir}, at most {@code jobs} children at a time; returns file to digest. */
    static Map<Path, String> hashAll(Path dir, int jobs, PrintStream out) {
        Semaphore slots = new Semaphore(jobs);
        Map<Path, String> digests = new TreeMap<>();
        List<Path> files = files(dir);
        TaskGroup.run(g -> {
            for (Path file : files) {
                g.createTask(() -> {
                    try (Releaser slot = slots.acquire()) {          // suspends while `jobs` children run
                        String digest = sha256sum(file);
                        digests.put(file, digest);
                        out.println(digest + "  " + dir.relativize(file)); // as each one finishes
                    }
                });
            }
            return null;
        });
        return digests;
    }

    /** Runs {@code sha256sum FILE} and returns the digest it prints. */
    static String sha256sum(Path file) {
        SubprocessOptions options = SubprocessOptions.defaults().stdout(Stdio.PIPE).stderr(Stdio.PIPE);
        try (Subprocess p = Subprocess.exec(List.of("sha256sum", "--", file.toString()), options)) {
            Subprocess.Output output = p.communicate();              // suspends until it exits
            if (p.returnCode() != 0) {
                throw new IllegalStateException("sha256sum " + file + " failed: " + output.stderrText().strip());
            }
            return output.stdoutText().substring(0, 64);
        }
    }
    // end-snippet
}
