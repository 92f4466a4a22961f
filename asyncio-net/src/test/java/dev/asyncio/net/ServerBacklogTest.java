package dev.asyncio.net;

import dev.asyncio.AsyncLoop;
import dev.asyncio.IoTransport;
import dev.asyncio.test.ListenBacklog;
import io.netty.util.NetUtil;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Servers listen with the system's maximum backlog unless told otherwise, on every transport. */
class ServerBacklogTest {
    @ParameterizedTest
    @EnumSource(IoTransport.class)
    void theDefaultBacklogIsTheSystemsMaximumAndAGivenOneIsUsed(IoTransport kind) {
        assumeTrue(kind.isAvailable(), () -> kind + " unavailable: " + kind.unavailabilityCause());
        assertEquals(NetUtil.SOMAXCONN, ServerOptions.DEFAULT_BACKLOG);
        assertEquals(NetUtil.SOMAXCONN, ServerOptions.defaults().backlog());
        try (AsyncLoop loop = AsyncLoop.builder().transport(kind).build()) {
            loop.runUntilComplete(() -> {
                try (Server byDefault = Net.createServer(ProtocolsTest.Echo::new, "127.0.0.1", 0);
                     Server streams = Streams.startServer((r, w) -> { }, "127.0.0.1", 0);
                     Server given = Net.createServer(ProtocolsTest.Echo::new, "127.0.0.1", 0,
                             ServerOptions.builder().backlog(5).build())) {
                    assertEquals(NetUtil.SOMAXCONN, ListenBacklog.of(byDefault.port()));
                    assertEquals(NetUtil.SOMAXCONN, ListenBacklog.of(streams.port()));
                    assertEquals(5, ListenBacklog.of(given.port()));
                }
            });
        }
    }
}
