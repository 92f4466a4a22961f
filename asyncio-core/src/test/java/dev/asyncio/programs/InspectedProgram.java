package dev.asyncio.programs;

import dev.asyncio.Asyncio;
import dev.asyncio.TaskGroup;

/**
 * A program to inspect from outside: a main task whose task group holds a worker waiting for ever. Turns on
 * the signal dump ({@code args[0]}, e.g. {@code USR1}, or "-" for none) and JMX ({@code args[1]}, true or
 * false) as the command line's -D options would, prints READY, and waits until killed.
 */
public final class InspectedProgram {
    public static void main(String[] args) {
        if (!args[0].equals("-")) {
            System.setProperty("asyncio.inspect.signal", args[0]);
        }
        System.setProperty("asyncio.inspect.jmx", args[1]);
        Asyncio.run(InspectedProgram::mainTask);
    }

    private static void mainTask() {
        TaskGroup.run(g -> {
            g.createTask(InspectedProgram::worker, "worker");
            Asyncio.sleep(0);
            System.out.println("READY");
            Asyncio.sleep(Double.POSITIVE_INFINITY);
            return null;
        });
    }

    private static void worker() {
        Asyncio.sleep(Double.POSITIVE_INFINITY);
    }
}
