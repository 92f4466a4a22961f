package dev.asyncio.programs;

import dev.asyncio.Asyncio;

/**
 * {@link SigintProgram}'s main task run by {@link Asyncio#runMain}: its cleanup takes {@code args[0]} seconds;
 * with {@code args[1]} = "finish" it returns at once; with {@code args[2]} = "run" it uses {@link Asyncio#run}
 * instead, for comparison. For the tests that send it SIGINT and SIGTERM.
 */
public final class RunMainProgram {
    public static void main(String[] args) {
        double cleanup = args.length > 0 ? Double.parseDouble(args[0]) : 0;
        boolean finish = args.length > 1 && args[1].equals("finish");
        boolean plainRun = args.length > 2 && args[2].equals("run");
        String result = plainRun ? Asyncio.run(SigintProgram.mainTask(cleanup, finish))
                : Asyncio.runMain(SigintProgram.mainTask(cleanup, finish));
        System.out.println("RETURNED " + result);
    }
}
