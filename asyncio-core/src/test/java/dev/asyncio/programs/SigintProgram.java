package dev.asyncio.programs;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.Coroutine;
import dev.asyncio.KeyboardInterrupt;

/**
 * Waits forever in Asyncio.run until Ctrl-C; its cleanup takes {@code args[0]} seconds (default 0).
 * Prints what happened, for the test that sends it SIGINT. It catches the {@link KeyboardInterrupt}, then by
 * {@code args[1]}: {@code exit} (default) calls {@code System.exit(3)}, {@code return} returns from main normally,
 * {@code fail} lets another exception escape main.
 */
public final class SigintProgram {
    public static void main(String[] args) {
        double cleanup = args.length > 0 ? Double.parseDouble(args[0]) : 0;
        String then = args.length > 1 ? args[1] : "exit";
        try {
            Asyncio.run(mainTask(cleanup, false));
        } catch (KeyboardInterrupt e) {
            System.out.println("KEYBOARD INTERRUPT");
            switch (then) {
                case "exit" -> System.exit(3);
                case "return" -> System.out.println("RETURNING");
                case "fail" -> throw new IllegalStateException("failed after the interrupt");
                default -> throw new IllegalArgumentException("unknown mode " + then);
            }
        }
    }

    /**
     * A main task that starts one other task, prints READY and waits until cancelled (or, if {@code finish},
     * returns "finished" at once); its cleanup takes {@code cleanup} seconds. Both print how they ended.
     */
    static Coroutine<String> mainTask(double cleanup, boolean finish) {
        return () -> {
            Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(Double.POSITIVE_INFINITY);
                } finally {
                    System.out.println("OTHER TASK CLEANED UP");
                }
            });
            try {
                System.out.println("READY");
                if (!finish) {
                    Asyncio.sleep(Double.POSITIVE_INFINITY);
                }
                return "finished";
            } catch (CancelledError e) {
                System.out.println("CANCELLED: " + e.getMessage());
                throw e;
            } finally {
                Asyncio.sleep(cleanup);
                System.out.println("CLEANED UP");
            }
        };
    }
}
