package dev.asyncio.internal;

import java.lang.ref.Cleaner;

/**
 * The one {@link Cleaner} of the project's safety nets (a failure never retrieved, a response never closed):
 * its actions only hand work to a loop's thread, so one daemon thread serves every loop and module.
 */
public final class Cleaners {
    /** Runs cleaning actions on a daemon thread named {@code asyncio-cleaner}, so it never keeps a JVM alive. */
    public static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "asyncio-cleaner");
        t.setDaemon(true);
        return t;
    });

    private Cleaners() {
    }
}
