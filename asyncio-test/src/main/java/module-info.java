/**
 * The test kit: {@code @AsyncTest} (a JUnit Jupiter extension running the test method as a coroutine on a
 * fresh loop on virtual time) and {@code OrderedSteps}.
 */
module asyncio.test {
    exports dev.asyncio.test;

    requires transitive asyncio.core;
    requires transitive org.junit.jupiter.api;
    requires org.junit.platform.launcher;
    requires io.netty.buffer;

    provides org.junit.platform.launcher.LauncherSessionListener with dev.asyncio.test.AsyncTestSessionListener;
}
