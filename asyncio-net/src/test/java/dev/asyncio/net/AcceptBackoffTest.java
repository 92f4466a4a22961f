package dev.asyncio.net;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The listening channel's reaction to failed accepts, on Netty's embedded channel with frozen time: the
 * pauses (5 ms doubling to 1 s, reset by an accept that works), the reports (the first, then at most one per
 * 10 s with the count of the others), and the failure never going further down the pipeline.
 */
class AcceptBackoffTest {
    private final List<Map<String, Object>> reports = new ArrayList<>();
    private final long[] now = {1_000_000_000L};
    private final EmbeddedChannel listener = new EmbeddedChannel();
    private boolean serving = true;
    private final AcceptBackoff backoff = new AcceptBackoff(reports::add, () -> now[0], "the server", () -> serving);

    AcceptBackoffTest() {
        listener.freezeTime();
        listener.pipeline().addLast(backoff);
    }

    private static final IOException EMFILE = new IOException("Too many open files");

    /** One failed accept; returns the pause it caused, after checking that accepting resumes after exactly it. */
    private long failAndWaitOut() {
        listener.pipeline().fireExceptionCaught(EMFILE);
        listener.checkException();                  // consumed: Netty's tail never logs it
        assertFalse(listener.config().isAutoRead(), "accepting paused");
        long pause = backoff.delayNanos();
        listener.advanceTimeBy(pause - 1, TimeUnit.NANOSECONDS);
        listener.runScheduledPendingTasks();
        assertFalse(listener.config().isAutoRead(), "still paused just before the pause ends");
        listener.advanceTimeBy(1, TimeUnit.NANOSECONDS);
        listener.runScheduledPendingTasks();
        assertTrue(listener.config().isAutoRead(), "accepting again once the pause is over");
        return TimeUnit.NANOSECONDS.toMillis(pause);
    }

    @Test
    void pausesDoubleFrom5MsTo1sAndAnAcceptThatWorksStartsThemOver() {
        List<Long> pauses = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            pauses.add(failAndWaitOut());
        }
        assertEquals(List.of(5L, 10L, 20L, 40L, 80L, 160L, 320L, 640L, 1000L, 1000L), pauses);

        Object accepted = new Object();
        listener.pipeline().fireChannelRead(accepted);
        assertSame(accepted, listener.readInbound(), "accepted channels go on to the acceptor");
        assertEquals(5L, failAndWaitOut());
        assertFalse(listener.finish());
    }

    @Test
    void failuresAreReportedAtMostOnceEvery10SecondsWithTheCountOfTheOthers() {
        failAndWaitOut();
        assertEquals(1, reports.size());
        Map<String, Object> first = reports.get(0);
        assertEquals("socket.accept() failed on embedded: accepting paused for 5 ms, then retried (backing off up "
                + "to 1000 ms); at most one report every 10 s", first.get("message"));
        assertSame(EMFILE, first.get("exception"));
        assertSame(listener, first.get("socket"));
        assertEquals("the server", first.get("server"));

        for (int i = 0; i < 5; i++) {
            now[0] += TimeUnit.SECONDS.toNanos(1);
            failAndWaitOut();
        }
        assertEquals(1, reports.size(), "5 failures within 10 s of the report: not reported");
        now[0] += TimeUnit.SECONDS.toNanos(5);
        failAndWaitOut();
        assertEquals(2, reports.size());
        assertTrue(((String) reports.get(1).get("message")).endsWith("(5 more failures since the last report)"),
                String.valueOf(reports.get(1).get("message")));
    }

    @Test
    void aListenerClosedWhileTheServerServesIsReportedAndOneClosedByTheServerIsNot() {
        listener.close();
        assertEquals(1, reports.size());
        assertTrue(((String) reports.get(0).get("message")).endsWith("was closed by a failure: the server no longer "
                + "accepts connections on it"), String.valueOf(reports.get(0).get("message")));
        assertEquals("the server", reports.get(0).get("server"));

        EmbeddedChannel closedByServer = new EmbeddedChannel(new AcceptBackoff(reports::add, () -> now[0], "s", () -> false));
        closedByServer.close();
        assertEquals(1, reports.size(), "Server.close() is no failure");
    }

    @Test
    void closingTheListenerWhilePausedCancelsTheResume() {
        serving = false;
        listener.pipeline().fireExceptionCaught(EMFILE);
        assertFalse(listener.config().isAutoRead());
        listener.close();
        listener.advanceTimeBy(1, TimeUnit.SECONDS);
        listener.runScheduledPendingTasks();
        assertFalse(listener.config().isAutoRead(), "a closed listener is not resumed");
        assertFalse(listener.hasPendingTasks());
    }
}
