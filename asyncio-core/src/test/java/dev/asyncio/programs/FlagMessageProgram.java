package dev.asyncio.programs;

import dev.asyncio.internal.FiberSupport;

/**
 * Prints what the continuation engine's check says in this JVM: "AVAILABLE", or "MESSAGE: " and the error that
 * names the missing flag. Started on the class path and on the module path by MissingFlagMessageTest; it asks
 * the check directly, so that what it tests does not depend on which engine a loop would pick.
 */
public final class FlagMessageProgram {
    public static void main(String[] args) {
        try {
            FiberSupport.checkAvailable();
            System.out.println("AVAILABLE");
        } catch (IllegalStateException e) {
            System.out.println("MESSAGE: " + e.getMessage());
        }
    }
}
