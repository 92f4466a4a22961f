package dev.asyncio.programs;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.KeyboardInterrupt;

/**
 * Waits forever in Asyncio.run until Ctrl-C; its cleanup takes {@code args[0]} seconds (default 0).
 * Prints what happened, for the test that sends it SIGINT.
 */
public final class SigintProgram {
    public static void main(String[] args) {
        double cleanup = args.length > 0 ? Double.parseDouble(args[0]) : 0;
        try {
            Asyncio.run(() -> {
                try {
                    System.out.println("READY");
                    Asyncio.sleep(Double.POSITIVE_INFINITY);
                } catch (CancelledError e) {
                    System.out.println("CANCELLED: " + e.getMessage());
                    throw e;
                } finally {
                    Asyncio.sleep(cleanup);
                    System.out.println("CLEANED UP");
                }
            });
        } catch (KeyboardInterrupt e) {
            System.out.println("KEYBOARD INTERRUPT");
            System.exit(3);
        }
    }
}
