package dev.asyncio.http;

import dev.asyncio.Asyncio;
import dev.asyncio.Task;
import dev.asyncio.test.AsyncTest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import static dev.asyncio.http.HttpClientTest.deflate;
import static dev.asyncio.http.HttpClientTest.gzip;
import static dev.asyncio.http.RawServer.ascii;
import static dev.asyncio.http.RawServer.readHead;
import static dev.asyncio.http.TestServer.serving;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Compressed bodies come out decompressed, a read buffer's worth at a time, and bad ones fail clearly. */
class DecompressionTest {
    private static final byte[] TEXT = "decompress me, ".repeat(2000).getBytes(StandardCharsets.UTF_8);

    /** Body bytes the response's connection holds decompressed: what the read buffer is meant to bound. */
    private static long decompressedSoFar(HttpResponse r) {
        return r.exchange().received();
    }

    @AsyncTest(realTime = true)
    void aGzipBodyIsNotInflatedFarPastTheReadBuffer() throws Exception {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
            gz.write(new byte[64 << 20]);                       // 64 MiB of zeros, about 64 KiB gzipped
        }
        byte[] bomb = zipped.toByteArray();
        serving((req, reply) -> reply.header("Content-Encoding", "gzip").send(bomb), server -> {
            int limit = 16 << 10;
            try (HttpClient client = HttpClient.builder().readBufferSize(limit).build();
                 HttpResponse r = client.get(server.url("/bomb"))) {
                Asyncio.sleep(0.2);                              // the client reads as much as it allows itself
                long held = decompressedSoFar(r);
                assertTrue(held <= 8L * limit, "with a read buffer of " + limit + " bytes, " + held
                        + " decompressed bytes wait unread in memory (the gzip body is " + bomb.length + " bytes)");
                assertEquals(limit, r.read(1 << 20).length, "one read buffer's worth at a time");
                assertEquals(limit, decompressedSoFar(r), "nothing decompressed ahead of the reader");
                long total = limit;
                byte[] piece;
                while ((piece = r.read(1 << 20)).length > 0) {
                    total += piece.length;
                }
                assertEquals(64 << 20, total);
                assertEquals(1, client.idleConnections(), "read to the end: back in the pool");
            }
        });
    }

    @AsyncTest
    void chunksOfADecompressedBodyAreNoLargerThanTheReadBuffer() throws Exception {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
            gz.write(new byte[4 << 20]);
        }
        byte[] body = zipped.toByteArray();
        serving((req, reply) -> reply.header("Content-Encoding", "gzip").send(body), server -> {
            int limit = 16 << 10;
            try (HttpClient client = HttpClient.builder().readBufferSize(limit).build();
                 HttpResponse r = client.get(server.url("/"))) {
                int largest = 0;
                long total = 0;
                for (byte[] chunk : r.chunks()) {
                    largest = Math.max(largest, chunk.length);
                    total += chunk.length;
                }
                assertEquals(4 << 20, total);
                assertTrue(largest <= limit, "a piece of " + largest + " bytes, with readBufferSize " + limit);
            }
        });
    }

    @AsyncTest
    void readOfNBytesDecompressesAtMostN() throws Exception {
        serving((req, reply) -> reply.header("Content-Encoding", "gzip").send(gzip(TEXT)), server -> {
            try (HttpClient client = HttpClient.create(); HttpResponse r = client.get(server.url("/"))) {
                byte[] first = r.read(7);
                assertArrayEquals(Arrays.copyOf(TEXT, 7), first);
                assertEquals(7, decompressedSoFar(r));
                byte[] rest = r.read(-1);
                assertArrayEquals(Arrays.copyOfRange(TEXT, 7, TEXT.length), rest);
            }
        });
    }

    @AsyncTest
    void gzipMembersOneAfterAnotherWithEveryHeaderFieldAreOneBody() throws Exception {
        byte[] one = "first member, ".getBytes(StandardCharsets.US_ASCII);
        byte[] two = "second member".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(gzipMember(one, true));
        body.write(gzip(two));
        serving((req, reply) -> reply.header("Content-Encoding", "x-gzip").send(body.toByteArray()), server -> {
            try (HttpClient client = HttpClient.create()) {
                assertEquals("first member, second member", client.get(server.url("/")).text());
            }
        });
    }

    @AsyncTest
    void deflateComesWithOrWithoutTheZlibWrapper() throws Exception {
        serving((req, reply) -> reply.header("Content-Encoding", "deflate")
                .send(req.uri().equals("/raw") ? rawDeflate(TEXT) : deflate(TEXT)), server -> {
            try (HttpClient client = HttpClient.create()) {
                assertArrayEquals(TEXT, client.get(server.url("/raw")).body());
                assertArrayEquals(TEXT, client.get(server.url("/zlib")).body());
                assertEquals(1, server.accepted());
            }
        });
    }

    @AsyncTest(realTime = true)      // the client must have read each of the first bytes before the next is sent
    void aReadBufferOfOneByteStillGetsThroughTheHeadersOfGzipAndDeflate() throws Exception {
        for (String coding : List.of("gzip", "deflate")) {
            byte[] encoded = coding.equals("gzip") ? gzipMember(TEXT, true) : deflate(TEXT);
            RawServer.serving((reader, writer) -> {
                readHead(reader);
                writer.write(ascii("HTTP/1.1 200 OK\r\nContent-Encoding: " + coding + "\r\nContent-Length: "
                        + encoded.length + "\r\n\r\n"));
                int header = 40;
                for (int i = 0; i < header; i++) {     // a byte at a time: the reader has less than it needs
                    writer.write(new byte[]{encoded[i]});
                    writer.drain();
                    Asyncio.sleep(0.01);
                }
                writer.write(Arrays.copyOfRange(encoded, header, encoded.length));
                reader.read(-1);
            }, (server, url) -> {
                try (HttpClient client = HttpClient.builder().readBufferSize(1)
                        .timeout(ClientTimeout.DEFAULT.withRead(5)).build();
                     HttpResponse r = client.get(url + "/")) {
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    for (byte[] chunk : r.chunks()) {
                        assertEquals(1, chunk.length);
                        got.write(chunk);
                    }
                    assertArrayEquals(TEXT, got.toByteArray(), coding);
                }
            });
        }
    }

    @AsyncTest
    void closingACompressedResponseWakesTheTaskReadingItWithIllegalStateException() throws Exception {
        byte[] zipped = gzip(TEXT);
        RawServer.serving((reader, writer) -> {
            readHead(reader);
            writer.write(ascii("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " + zipped.length + "\r\n\r\n"));
            writer.write(Arrays.copyOf(zipped, 10));                  // the gzip header, then nothing
            writer.drain();
            reader.read(-1);
        }, (server, url) -> {
            try (HttpClient client = HttpClient.create()) {
                HttpResponse r = client.get(url + "/");
                Task<byte[]> reading = Asyncio.createTask(r::body);
                Asyncio.sleep(0.05);
                assertFalse(reading.done(), "waiting for compressed bytes");
                r.close();
                IllegalStateException e = assertThrows(IllegalStateException.class, reading::await);
                assertTrue(e.getMessage().endsWith("the response was closed"), e.getMessage());
                assertEquals(0, client.openConnections(), "closed before its body came: the connection is closed");
            }
        });
    }

    @AsyncTest
    void aGzipBodyCutShortIsAMalformedResponseErrorAfterItsBytes() throws Exception {
        byte[] zipped = gzip(TEXT);
        byte[] cut = Arrays.copyOf(zipped, zipped.length - 4);       // no length field in the trailer
        serving((req, reply) -> reply.header("Content-Encoding", "gzip").send(cut), server -> {
            try (HttpClient client = HttpClient.create(); HttpResponse r = client.get(server.url("/"))) {
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                MalformedResponseError e = assertThrows(MalformedResponseError.class, () -> {
                    for (byte[] chunk : r.chunks()) {
                        got.write(chunk);
                    }
                });
                assertTrue(e.getMessage().contains("ends before its compressed stream does"), e.getMessage());
                assertArrayEquals(TEXT, got.toByteArray(), "the bytes that could be decompressed came first");
                assertEquals(0, client.openConnections());
            }
        });
    }

    @AsyncTest
    void aGzipBodyWithAWrongChecksumIsAMalformedResponseError() throws Exception {
        byte[] zipped = gzip(TEXT);
        zipped[zipped.length - 8] ^= 1;                                 // the CRC-32 of the trailer
        serving((req, reply) -> reply.header("Content-Encoding", "gzip").send(zipped), server -> {
            try (HttpClient client = HttpClient.create(); HttpResponse r = client.get(server.url("/"))) {
                MalformedResponseError e = assertThrows(MalformedResponseError.class, r::body);
                assertTrue(e.getMessage().contains("cannot be decompressed (gzip): the gzip CRC-32 does not match"),
                        e.getMessage());
                assertEquals(0, client.openConnections());
            }
        });
    }

    @AsyncTest
    void aConnectionClosedInTheMiddleOfAGzipBodyIsAnIncompleteBodyErrorCountingDecompressedBytes() throws Exception {
        byte[] zipped = gzip(TEXT);
        RawServer.serving((reader, writer) -> {
            readHead(reader);
            writer.write(ascii("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " + zipped.length + "\r\n\r\n"));
            writer.write(Arrays.copyOf(zipped, zipped.length - 8));     // everything but the trailer
            writer.drain();
            writer.close();
        }, (server, url) -> {
            try (HttpClient client = HttpClient.create(); HttpResponse r = client.get(url + "/")) {
                long[] got = {0};
                IncompleteBodyError e = assertThrows(IncompleteBodyError.class, () -> {
                    for (byte[] chunk : r.chunks()) {
                        got[0] += chunk.length;
                    }
                });
                assertEquals(TEXT.length, got[0]);
                assertEquals(TEXT.length, e.received());
                assertTrue(e.getMessage().contains("(" + TEXT.length + " decompressed so far)"), e.getMessage());
            }
        });
    }

    @AsyncTest
    void aCodingNotUndoneHereComesAsItCameWithItsHeader() throws Exception {
        byte[] opaque = {1, 2, 3, 4, 5};
        serving((req, reply) -> reply.header("Content-Encoding", "br").send(opaque), server -> {
            try (HttpClient client = HttpClient.create(); HttpResponse r = client.get(server.url("/"))) {
                assertArrayEquals(opaque, r.body());
                assertEquals("br", r.headers().get("Content-Encoding"));
                assertEquals(5, r.contentLength());
            }
        });
    }

    /** {@code data} as raw deflate (RFC 1951), without the zlib wrapper some servers leave out. */
    static byte[] rawDeflate(byte[] data) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            d.setInput(data);
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (!d.finished()) {
                out.write(buf, 0, d.deflate(buf));
            }
            return out.toByteArray();
        } finally {
            d.end();
        }
    }

    /** One gzip member of {@code data}, with an extra field, a file name, a comment and a header CRC if {@code allFields}. */
    static byte[] gzipMember(byte[] data, boolean allFields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{0x1f, (byte) 0x8b, 8, (byte) (allFields ? 0x1E : 0), 0, 0, 0, 0, 0, (byte) 255});
        if (allFields) {
            out.writeBytes(new byte[]{3, 0, 'x', 'y', 'z'});
            out.writeBytes("name.txt\0".getBytes(StandardCharsets.US_ASCII));
            out.writeBytes("a comment\0".getBytes(StandardCharsets.US_ASCII));
            CRC32 headerCrc = new CRC32();
            headerCrc.update(out.toByteArray());
            long c = headerCrc.getValue();
            out.writeBytes(new byte[]{(byte) c, (byte) (c >> 8)});
        }
        out.writeBytes(rawDeflate(data));
        CRC32 crc = new CRC32();
        crc.update(data);
        long c = crc.getValue();
        int n = data.length;
        out.writeBytes(new byte[]{(byte) c, (byte) (c >> 8), (byte) (c >> 16), (byte) (c >> 24),
                (byte) n, (byte) (n >> 8), (byte) (n >> 16), (byte) (n >> 24)});
        return out.toByteArray();
    }
}
