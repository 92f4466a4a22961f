package com.example.echo;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.test.AsyncTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class EchoTest {
    /** A coroutine on a fresh loop (asyncio-test). */
    @AsyncTest
    void echoesALine() {
        assertEquals("hi there", Main.roundTrip("hi there"));
    }

    /** A plain JUnit test that runs its own loop. */
    @Test
    void echoesALineFromAPlainTest() {
        assertEquals("plain", Asyncio.run(() -> Main.roundTrip("plain")));
    }

    /** run-all.sh says which engine the launch must give (-Dconsumer.engine): the flag's, or the fallback. */
    @Test
    void runsOnTheEngineTheLaunchGives() {
        String expected = System.getProperty("consumer.engine");
        assumeTrue(expected != null, "not started by run-all.sh");
        assertEquals(expected, AsyncLoop.engine());
    }
}
