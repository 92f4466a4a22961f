package dev.asyncio.internal;

import dev.asyncio.AsyncLoop;

import java.util.Objects;
import java.util.function.BiFunction;

/**
 * Resources of the sibling modules that a loop must release when it closes, though nobody closed them: a
 * {@code Subprocess} left open (its child would run on, orphaned, with its pipe threads). Not API: the loop's
 * side is package-private to {@code dev.asyncio}, reached through the function {@link AsyncLoop} installs here
 * when its class is initialized, before any loop exists.
 */
public final class LoopCloseHooks {
    private static volatile BiFunction<AsyncLoop, Runnable, Runnable> adder;

    private LoopCloseHooks() {
    }

    /** Called once, by {@link AsyncLoop}'s static initializer. */
    public static void install(BiFunction<AsyncLoop, Runnable, Runnable> add) {
        if (adder != null) {
            throw new IllegalStateException("close hooks already installed");
        }
        adder = Objects.requireNonNull(add, "add");
    }

    /**
     * Has {@code onClose} run by {@link AsyncLoop#close()} (on the thread that closes it, before the loop
     * drops its callbacks), unless the returned remover was run first. On the loop's thread, or while it is not
     * running. A hook that throws is reported to the loop's exception handler; the others still run.
     */
    public static Runnable add(AsyncLoop loop, Runnable onClose) {
        return adder.apply(loop, onClose);
    }
}
