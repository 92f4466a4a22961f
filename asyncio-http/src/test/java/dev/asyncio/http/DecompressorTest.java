package dev.asyncio.http;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.DataFormatException;

import static dev.asyncio.http.DecompressionTest.gzipMember;
import static dev.asyncio.http.DecompressionTest.rawDeflate;
import static dev.asyncio.http.HttpClientTest.deflate;
import static dev.asyncio.http.HttpClientTest.gzip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gzip and deflate framing read by hand, fed and drained in pieces of every size. */
class DecompressorTest {
    /** Compressible text, then random bytes (stored blocks), then zeros (long matches). */
    private static byte[] sample(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("some text that repeats, ".repeat(300).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        byte[] noise = new byte[5000];
        random.nextBytes(noise);
        out.writeBytes(noise);
        out.writeBytes(new byte[70_000]);
        return out.toByteArray();
    }

    /** Feeds {@code encoded} in random pieces, draining into random small buffers after each; all output. */
    private static byte[] decodeInPieces(Decompressor d, byte[] encoded, Random random) throws DataFormatException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < encoded.length) {
            int n = Math.min(encoded.length - at, 1 + random.nextInt(random.nextBoolean() ? 4 : 3000));
            d.feed(Arrays.copyOfRange(encoded, at, at + n));
            at += n;
            byte[] buf = new byte[1 + random.nextInt(random.nextBoolean() ? 8 : 40_000)];
            int got;
            while ((got = d.inflate(buf, 0, buf.length)) > 0) {
                assertTrue(got <= buf.length);
                out.write(buf, 0, got);
            }
            assertTrue(d.pending() <= 1, "what could be used was used; only deflate's first byte may wait for its second");
        }
        return out.toByteArray();
    }

    @Test
    void everyFramingRoundTripsWhateverThePiecesOfInputAndOutput() throws Exception {
        Random random = new Random(8305);
        byte[] data = sample(random);
        ByteArrayOutputStream twoMembers = new ByteArrayOutputStream();
        twoMembers.writeBytes(gzipMember(data, true));
        twoMembers.writeBytes(gzip(data));
        for (int round = 0; round < 20; round++) {
            for (String coding : List.of("gzip", "gzip2", "deflate", "raw")) {
                byte[] encoded = switch (coding) {
                    case "gzip" -> gzipMember(data, round % 2 == 0);
                    case "gzip2" -> twoMembers.toByteArray();
                    case "deflate" -> deflate(data);
                    default -> rawDeflate(data);
                };
                byte[] expected = coding.equals("gzip2") ? concat(data, data) : data;
                try (Decompressor d = Decompressor.forEncoding(coding.startsWith("gzip") ? "gzip" : "deflate")) {
                    assertArrayEquals(expected, decodeInPieces(d, encoded, random), coding + " round " + round);
                    assertTrue(d.atEnd(), coding);
                    assertEquals(0, d.pending());
                }
            }
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void theCodingNamesAreCaseInsensitiveAndOthersAreNotUndone() {
        assertEquals("gzip", Decompressor.forEncoding(" GZip ").encoding());
        assertEquals("x-gzip", Decompressor.forEncoding("x-gzip").encoding());
        assertEquals("deflate", Decompressor.forEncoding("Deflate").encoding());
        assertEquals("x-deflate", Decompressor.forEncoding("x-deflate").encoding());
        for (String other : new String[]{null, "identity", "br", "zstd", "gzip, identity"}) {
            assertNull(Decompressor.forEncoding(other), other);
        }
    }

    @Test
    void nothingFedIsAnEmptyBodyButAPartOfAStreamIsNot() throws Exception {
        byte[] buf = new byte[100];
        try (Decompressor empty = Decompressor.forEncoding("gzip")) {
            assertEquals(0, empty.inflate(buf, 0, buf.length));
            assertTrue(empty.atEnd());
        }
        byte[] zipped = gzip("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        try (Decompressor cut = Decompressor.forEncoding("gzip")) {
            cut.feed(Arrays.copyOf(zipped, 5));                     // half a header
            assertEquals(0, cut.inflate(buf, 0, buf.length));
            assertFalse(cut.atEnd());
        }
        try (Decompressor cut = Decompressor.forEncoding("gzip")) {
            cut.feed(Arrays.copyOf(zipped, zipped.length - 1));     // all but the last byte of the length
            assertEquals(5, cut.inflate(buf, 0, buf.length));
            assertFalse(cut.atEnd());
        }
    }

    @Test
    void badFramingSaysWhatIsWrong() throws Exception {
        byte[] data = "some data".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] badMagic = gzip(data);
        badMagic[1] = 0;
        byte[] reservedFlag = gzip(data);
        reservedFlag[3] = (byte) 0x20;
        byte[] badMethod = gzip(data);
        badMethod[2] = 7;
        byte[] badLength = gzip(data);
        badLength[badLength.length - 4]++;
        byte[] corrupt = deflate(data);
        corrupt[3] = (byte) 0xFF;                                    // within the deflate data
        byte[] needsDictionary = {0x78, (byte) 0xBB, 0, 0, 0, 1};  // FDICT set, a valid header check
        for (Object[] bad : new Object[][]{
                {"gzip", badMagic, "not in the gzip format"},
                {"gzip", reservedFlag, "reserved gzip header flags"},
                {"gzip", badMethod, "unknown gzip compression method 7"},
                {"gzip", badLength, "the gzip length field does not match"},
                {"deflate", corrupt, ""},
                {"deflate", needsDictionary, "preset dictionary"}}) {
            try (Decompressor d = Decompressor.forEncoding((String) bad[0])) {
                d.feed((byte[]) bad[1]);
                byte[] buf = new byte[1000];
                DataFormatException e = assertThrows(DataFormatException.class, () -> {
                    while (d.inflate(buf, 0, buf.length) > 0) {
                        // drain until the error
                    }
                }, (String) bad[2]);
                assertTrue(String.valueOf(e.getMessage()).contains((String) bad[2]), e.getMessage());
            }
        }
    }

    @Test
    void bytesAfterTheLastGzipMemberAreDropped() throws Exception {
        byte[] data = "the stream".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (byte[] after : new byte[][]{new byte[8], new byte[1], {0x1F, 0}, {0x1F},
                "junk that is no gzip member".getBytes(java.nio.charset.StandardCharsets.US_ASCII)}) {
            try (Decompressor d = Decompressor.forEncoding("gzip")) {
                d.feed(concat(gzip(data), after));
                byte[] buf = new byte[100];
                assertEquals(data.length, d.inflate(buf, 0, buf.length));
                assertEquals(0, d.inflate(buf, 0, buf.length));
                assertTrue(d.atEnd(), after.length + " bytes after the member");
                if (after[0] != 0x1F || after.length > 1) {
                    assertEquals(0, d.pending(), "dropped, not waiting");
                }
            }
        }
    }

    @Test
    void bytesAfterTheEndOfADeflateStreamAreIgnored() throws Exception {
        byte[] data = "the stream".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (Decompressor d = Decompressor.forEncoding("deflate")) {
            d.feed(concat(deflate(data), "trailing".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            byte[] buf = new byte[100];
            assertEquals(data.length, d.inflate(buf, 0, buf.length));
            assertEquals(0, d.inflate(buf, 0, buf.length));
            assertTrue(d.atEnd());
            assertEquals(0, d.pending(), "dropped, not waiting");
            d.feed(new byte[]{1, 2, 3});
            assertEquals(0, d.pending());
        }
    }
}
