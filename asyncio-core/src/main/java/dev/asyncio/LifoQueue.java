package dev.asyncio;

/**
 * A {@link Queue} that hands out the most recently added item first (a stack); mirrors
 * {@code asyncio.LifoQueue}.
 *
 * <pre>{@code
 * LifoQueue<Integer> stack = new LifoQueue<>();
 * stack.putNowait(1);
 * stack.putNowait(2);
 * stack.getNowait();                     // 2
 * }</pre>
 *
 * @param <T> the item type ({@code null} items are allowed)
 */
public final class LifoQueue<T> extends Queue<T> {
    /** An unbounded stack. */
    public LifoQueue() {
        this(0);
    }

    /** A stack of at most {@code maxsize} items; 0 (or less) means unbounded. */
    public LifoQueue(int maxsize) {
        super(maxsize, true, true);
    }
}
