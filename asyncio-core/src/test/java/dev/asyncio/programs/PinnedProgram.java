package dev.asyncio.programs;

/** Not a program: a class whose static initializer awaits, for the pinned-suspension test. */
public final class PinnedProgram {
    public static final String VALUE;

    static {
        dev.asyncio.Asyncio.sleep(1); // suspends inside <clinit>: pinned
        VALUE = "never";
    }

    private PinnedProgram() {
    }
}
