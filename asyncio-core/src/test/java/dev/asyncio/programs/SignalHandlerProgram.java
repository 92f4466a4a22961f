package dev.asyncio.programs;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.Queue;
import dev.asyncio.UnixSignal;

import java.util.List;

/**
 * Handles SIGHUP, SIGUSR1, SIGUSR2 and SIGTERM with {@link AsyncLoop#addSignalHandler} inside {@link Asyncio#run}
 * (with {@code args[0]} = "int", SIGINT too) and prints each one it gets, and on which loop; after the fourth it
 * removes its SIGTERM handler, so that the next SIGTERM goes to the runner, which cancels the main task.
 */
public final class SignalHandlerProgram {
    public static void main(String[] args) {
        boolean alsoInt = args.length > 0 && args[0].equals("int");
        Asyncio.run(() -> {
            AsyncLoop loop = Asyncio.getRunningLoop();
            Queue<String> got = new Queue<>();
            List<UnixSignal> handled = alsoInt
                    ? List.of(UnixSignal.SIGHUP, UnixSignal.SIGUSR1, UnixSignal.SIGUSR2, UnixSignal.SIGTERM, UnixSignal.SIGINT)
                    : List.of(UnixSignal.SIGHUP, UnixSignal.SIGUSR1, UnixSignal.SIGUSR2, UnixSignal.SIGTERM);
            for (UnixSignal s : handled) {
                loop.addSignalHandler(s, () -> got.putNowait(s + (Asyncio.getRunningLoop() == loop ? " on the loop" : " ELSEWHERE")));
            }
            try {
                System.out.println("READY");
                for (int i = 0; i < 4; i++) {
                    System.out.println("GOT " + got.get());
                }
                boolean removed = loop.removeSignalHandler(UnixSignal.SIGTERM);
                System.out.println("REMOVED " + removed + " AGAIN " + loop.removeSignalHandler("TERM"));
                Asyncio.sleep(Double.POSITIVE_INFINITY);
            } finally {
                System.out.println("FINALLY");
            }
        });
        System.out.println("RETURNED"); // must not be reached: SIGTERM ends the program after the cleanup
    }
}
