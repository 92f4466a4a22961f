package dev.asyncio.examples.subprocess;

import dev.asyncio.test.AsyncTest;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParallelSha256Test {
    /** The example's digests and printed lines match Java's own SHA-256 of each file. */
    @AsyncTest
    void digestsMatchMessageDigest(@TempDir Path dir) throws Exception {
        Random random = new Random(256);
        Map<Path, String> expected = new TreeMap<>();
        Files.createDirectories(dir.resolve("sub dir"));
        for (int i = 0; i < 12; i++) {
            Path f = dir.resolve(i % 3 == 0 ? "sub dir/file " + i : "file-" + i);
            byte[] content = new byte[random.nextInt(200_000)];
            random.nextBytes(content);
            Files.write(f, content);
            expected.put(f, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
        }
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Map<Path, String> digests;
        try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            digests = ParallelSha256.hashAll(dir, 3, out);
        }
        assertEquals(expected, digests);
        List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().sorted().toList();
        List<String> wanted = expected.entrySet().stream()
                .map(e -> e.getValue() + "  " + dir.relativize(e.getKey())).sorted().toList();
        assertEquals(wanted, lines);
        assertEquals(List.of(), ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList());
    }

    /** A file sha256sum cannot hash fails with sha256sum's message naming it, and no child is left running. */
    @AsyncTest
    void aFailingChildIsReportedWithItsMessage(@TempDir Path dir) {
        Path missing = dir.resolve("missing file");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ParallelSha256.sha256sum(missing));
        assertTrue(e.getMessage().contains("missing file") && e.getMessage().contains("No such file or directory"), e.getMessage());
        assertEquals(List.of(), ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList());
    }
}
