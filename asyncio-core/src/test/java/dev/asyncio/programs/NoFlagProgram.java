package dev.asyncio.programs;

import dev.asyncio.Asyncio;

/** Runs a coroutine; started without the JVM flag by the test that checks the error message. */
public final class NoFlagProgram {
    public static void main(String[] args) {
        try {
            Asyncio.run(() -> "unreachable without the flag");
            System.out.println("RAN");
        } catch (IllegalStateException e) {
            System.out.println("ERROR: " + e.getMessage());
        }
    }
}
