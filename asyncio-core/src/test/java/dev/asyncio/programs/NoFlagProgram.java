package dev.asyncio.programs;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;

/** Runs two loops one after the other and says on which engine; started with and without the JVM flag. */
public final class NoFlagProgram {
    public static void main(String[] args) {
        try {
            Asyncio.run(() -> Asyncio.sleep(0));
            Asyncio.run(() -> Asyncio.sleep(0));
            System.out.println("RAN on " + AsyncLoop.engine());
        } catch (IllegalStateException e) {
            System.out.println("ERROR: " + e.getMessage());
        }
    }
}
