package dev.asyncio.programs;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.Queue;
import dev.asyncio.UnixSignal;

/**
 * The task-dump signal ({@code -Dasyncio.inspect.signal=USR1}, set here as the command line would) shared with the
 * program's own {@link AsyncLoop#addSignalHandler} for SIGUSR1: prints READY, then "GOT SIGUSR1" for the first
 * signal its handler receives, removes the handler ("REMOVED true"), and waits until killed.
 */
public final class DumpSignalSharedProgram {
    public static void main(String[] args) {
        System.setProperty("asyncio.inspect.signal", "USR1");
        Asyncio.run(() -> {
            AsyncLoop loop = Asyncio.getRunningLoop();
            Queue<UnixSignal> got = new Queue<>();
            loop.addSignalHandler(UnixSignal.SIGUSR1, () -> got.putNowait(UnixSignal.SIGUSR1));
            System.out.println("READY");
            System.out.println("GOT " + got.get());
            System.out.println("REMOVED " + loop.removeSignalHandler(UnixSignal.SIGUSR1));
            Asyncio.sleep(Double.POSITIVE_INFINITY);
        });
    }
}
