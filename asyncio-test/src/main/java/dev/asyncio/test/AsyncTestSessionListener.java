package dev.asyncio.test;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Installs {@link LeakDetection} when the JUnit launcher opens, before any test touches a Netty buffer, after
 * checking that the JUnit and the Netty on the test path are versions asyncio-test runs with.
 * Registered through {@code META-INF/services}.
 */
public final class AsyncTestSessionListener implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        // Startup checks, one line each: a JUnit asyncio-test cannot run with, a Netty older than 4.2.
        JUnitRequirement.check();
        dev.asyncio.internal.NettyRequirement.check();
        LeakDetection.install();
    }
}
