package dev.asyncio.programs;

import dev.asyncio.Asyncio;

/**
 * {@link SigintProgram}'s main task run by {@link Asyncio#runMain}: its cleanup takes {@code args[0]} seconds;
 * with {@code args[1]} = "finish" it returns at once. For the tests that send it SIGINT and SIGTERM.
 */
public final class RunMainProgram {
    public static void main(String[] args) {
        double cleanup = args.length > 0 ? Double.parseDouble(args[0]) : 0;
        boolean finish = args.length > 1 && args[1].equals("finish");
        String result = Asyncio.runMain(SigintProgram.mainTask(cleanup, finish));
        System.out.println("RETURNED " + result);
    }
}
