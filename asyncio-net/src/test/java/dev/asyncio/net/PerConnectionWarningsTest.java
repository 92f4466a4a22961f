package dev.asyncio.net;

import dev.asyncio.AsyncLoop;
import dev.asyncio.IoTransport;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static dev.asyncio.net.StreamsTest.b;
import static dev.asyncio.net.StreamsTest.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Making connections logs nothing: a warning per connection floods the log of a busy server (and each
 * record is one more chance for the logging itself to fail). NIO's Unix domain channels used to log
 * "Unknown channel option 'ALLOW_HALF_CLOSURE'" for every client and every accepted connection.
 */
class PerConnectionWarningsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(IoTransport.class)
    void unixAndTcpConnectionsLogNoWarning(IoTransport kind) {
        assumeTrue(kind.isAvailable(), () -> kind + " unavailable: " + kind.unavailabilityCause());
        Logger netty = Logger.getLogger("io.netty");
        List<String> warnings = new ArrayList<>();
        Handler record = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(r.getLoggerName() + ": " + r.getMessage() + " " + java.util.Arrays.toString(r.getParameters()));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        netty.addHandler(record);
        try (AsyncLoop loop = AsyncLoop.builder().transport(kind).build()) {
            loop.runUntilComplete(() -> {
                ConnectionHandler echo = (r, w) -> w.write(r.readLine());
                try (Server unix = Streams.startUnixServer(echo, dir.resolve("s.sock"));
                     Server tcp = Streams.startServer(echo, "127.0.0.1", 0)) {
                    for (Connection c : List.of(Streams.openUnixConnection(dir.resolve("s.sock")),
                            Streams.openConnection("127.0.0.1", tcp.port()))) {
                        try (c) {
                            c.writer().write(b("hi\n"));
                            assertEquals("hi\n", s(c.reader().readLine()));
                        }
                    }
                    unix.closeClients();
                    tcp.closeClients();
                }
            });
        } finally {
            netty.removeHandler(record);
        }
        assertEquals(List.of(), warnings);
    }
}
