package dev.asyncio;

import io.netty.channel.Channel;
import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandle;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUringServerSocketChannel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What {@link AsyncLoop#close()} does with the channels still registered on the loop: it closes them and waits
 * until their closes completed, on whatever thread closes the loop, within a bound that a channel whose close
 * never completes cannot exceed (and is reported).
 */
class LoopCloseTest {

    /** Runs {@code body} as a task of {@code loop} on {@code thread}, which then returns to other work. */
    private static void runOn(ExecutorService thread, AsyncLoop loop, AsyncRunnable body) throws Exception {
        thread.submit(() -> loop.runUntilComplete(body)).get();
    }

    private static Channel serverChannel(IoTransport kind) {
        return switch (kind) {
            case NIO -> new NioServerSocketChannel();
            case EPOLL -> new EpollServerSocketChannel();
            case IO_URING -> new IoUringServerSocketChannel();
        };
    }

    /**
     * A loop run by one thread and closed by another (the owner returned from {@code runForever}) closes its
     * listening socket: a connect after {@code close()} returned is refused. Before, the close from another
     * thread released the selector without closing the channels, and the socket went on listening. io_uring
     * cannot do it (its ring refuses other threads): that close is refused with the reason.
     */
    @ParameterizedTest
    @EnumSource(IoTransport.class)
    void aCloseFromAnotherThreadClosesTheLoopsChannels(IoTransport kind) throws Exception {
        assumeTrue(kind.isAvailable(), () -> kind + ": " + kind.unavailabilityCause());
        AsyncLoop loop = AsyncLoop.builder().transport(kind).build();
        List<Map<String, Object>> reports = new ArrayList<>();
        loop.setExceptionHandler((l, context) -> reports.add(context));
        Channel[] server = new Channel[1];
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try {
            runOn(runner, loop, () -> {
                Channel ch = serverChannel(kind);
                awaitNetty(Asyncio.getRunningLoop().ioEventLoop().register(ch));
                server[0] = ch;
                awaitNetty(ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
            });
            InetSocketAddress address = (InetSocketAddress) server[0].localAddress();
            try (Socket probe = new Socket()) {
                probe.connect(address);                  // listening while the loop is open
            }
            if (kind == IoTransport.IO_URING) {
                // The ring takes work from the thread that ran the loop only: refused with the reason, nothing closed.
                IllegalStateException e = assertThrows(IllegalStateException.class, loop::close);
                assertTrue(e.getMessage().contains("must be closed on the thread that ran it"), e.getMessage());
                assertFalse(loop.isClosed());
                runner.submit(loop::close).get();
                assertFalse(server[0].isOpen());
                return;
            }
            loop.close();                                // on this thread, not the one that ran the loop
            assertEquals(List.of(), reports);
            assertFalse(server[0].isOpen(), "the server channel is still open");
            try (Socket late = new Socket()) {
                assertThrows(ConnectException.class, () -> late.connect(address));
            }
        } finally {
            runner.submit(loop::close).get();
            runner.shutdown();
        }
    }

    /** Suspends the task until Netty's {@code future} is done; throws its failure. */
    private static void awaitNetty(io.netty.util.concurrent.Future<?> future) {
        Future<Void> done = Asyncio.getRunningLoop().createFuture();
        future.addListener(f -> {
            if (f.isSuccess()) {
                done.setResult(null);
            } else {
                done.setException(f.cause());
            }
        });
        done.await();
    }

    /** An NIO handle whose close does nothing: its registration stays valid, its close never completes. */
    private static final class StuckHandle implements NioIoHandle {
        final Pipe pipe;

        StuckHandle() throws java.io.IOException {
            pipe = Pipe.open();
            pipe.source().configureBlocking(false);
        }

        @Override
        public SelectableChannel selectableChannel() {
            return pipe.source();
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
        }

        @Override
        public void close() {
            // never closes
        }

        @Override
        public String toString() {
            return "stuck-handle";
        }
    }

    /**
     * A channel whose close never completes holds {@code close()} up to the bound only (set to 50 ms here; 5 s
     * by default), on the loop's own thread and on another, and the loop's exception handler hears which
     * channel it was. Before, the bound was fixed and the report did not name the channel.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aChannelWhoseCloseNeverCompletesDoesNotHoldCloseBeyondTheBoundAndIsReported(boolean fromAnotherThread)
            throws Exception {
        long saved = AsyncLoop.closeWaitNanos;
        AsyncLoop.closeWaitNanos = TimeUnit.MILLISECONDS.toNanos(50);
        StuckHandle handle = new StuckHandle();
        List<Map<String, Object>> reports = new ArrayList<>();
        AsyncLoop loop = AsyncLoop.create();
        try {
            loop.setExceptionHandler((l, context) -> reports.add(context));
            AsyncRunnable register = () -> awaitNetty(Asyncio.getRunningLoop().ioEventLoop().register(handle));
            if (fromAnotherThread) {
                ExecutorService runner = Executors.newSingleThreadExecutor();
                runOn(runner, loop, register);
                runner.shutdown();
            } else {
                loop.runUntilComplete(register);
            }
            loop.close();
            assertTrue(loop.isClosed());
            assertEquals(1, reports.size(), reports::toString);
            String message = (String) reports.get(0).get("message");
            assertTrue(message.contains("1 channel(s) still closing 50 ms") && message.contains("stuck-handle"), message);
            assertEquals(List.of("stuck-handle"), reports.get(0).get("channels"));
        } finally {
            AsyncLoop.closeWaitNanos = saved;
            loop.close();
            handle.pipe.source().close();
            handle.pipe.sink().close();
        }
    }
}
