package com.example.echo;

import dev.asyncio.Asyncio;
import dev.asyncio.test.AsyncTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
