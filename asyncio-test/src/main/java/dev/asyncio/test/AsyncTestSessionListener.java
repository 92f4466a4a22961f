package dev.asyncio.test;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Installs {@link LeakDetection} when the JUnit launcher opens, before any test touches a Netty buffer.
 * Registered through {@code META-INF/services}.
 */
public final class AsyncTestSessionListener implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        LeakDetection.install();
    }
}
