package dev.asyncio.test.internal;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SignalsTest {
    @Test
    void readsTheIgnoredMaskOfAProcessStatus() {
        // what a background job of a POSIX shell shows: SIGINT (2) and SIGQUIT (3) ignored
        assertEquals(0b110, Signals.ignoredMask("Name:\tjava\nSigBlk:\t0000000000000000\nSigIgn:\t0000000000000006\n"));
        assertEquals(0, Signals.ignoredMask("SigIgn:\t0000000000000000"));
        assertEquals(-1L, Signals.ignoredMask("SigIgn:\tffffffffffffffff"));
        assertThrows(IllegalArgumentException.class, () -> Signals.ignoredMask("Name:\tjava\n"));
    }

    @Test
    void aCommandIsLeftAsItIsWhenNoSignalItNeedsIsIgnored() {
        List<String> cmd = List.of("java", "-version");
        if (Signals.ignoredHere("TERM").isEmpty()) {
            assertSame(cmd, Signals.command(cmd, "TERM"));
        } else {
            assertEquals(List.of("env", "--default-signal=TERM", "java", "-version"), Signals.command(cmd, "TERM"));
        }
        assertThrows(IllegalArgumentException.class, () -> Signals.command(cmd, "NOSUCH"));
    }
}
