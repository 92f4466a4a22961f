package dev.asyncio.net.internal;

/** Rethrows a stored exception, the same instance, checked or not, without declaring it. */
public final class Rethrow {
    private Rethrow() {
    }

    public static RuntimeException unchecked(Throwable t) {
        throw Rethrow.<RuntimeException>sneaky(t);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }
}
