package dev.asyncio.net.internal;

import dev.asyncio.net.channel.NetErrors;

/**
 * Kept for code written against the old location only: the supported API is {@link NetErrors}, which every
 * method here calls.
 */
public final class Errors {
    private Errors() {
    }

    public static RuntimeException toNetError(Throwable cause, String context) {
        return NetErrors.toNetError(cause, context);
    }

    public static boolean isNetworkFailure(Throwable t) {
        return NetErrors.isNetworkFailure(t);
    }
}
