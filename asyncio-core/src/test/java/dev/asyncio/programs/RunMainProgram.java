package dev.asyncio.programs;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;

/**
 * A program whose main is {@link Asyncio#runMain}: a main task and one other task wait until a signal (or, with
 * {@code args[1]} = "finish", the main task returns at once); the main task's cleanup takes {@code args[0]}
 * seconds. Prints what happened, for the tests that send it SIGINT and SIGTERM.
 */
public final class RunMainProgram {
    public static void main(String[] args) {
        double cleanup = args.length > 0 ? Double.parseDouble(args[0]) : 0;
        boolean finish = args.length > 1 && args[1].equals("finish");
        String result = Asyncio.runMain(() -> {
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
        });
        System.out.println("RETURNED " + result);
    }
}
