package dev.asyncio;

/**
 * A {@link Semaphore} that refuses to be released above its initial value; mirrors
 * {@code asyncio.BoundedSemaphore}. Releasing more often than acquiring is a bug this class catches early.
 *
 * <pre>{@code
 * BoundedSemaphore slots = new BoundedSemaphore(2);
 * try (var slot = slots.acquire()) { ... }
 * slots.release();                       // IllegalStateException: released too many times
 * }</pre>
 */
public final class BoundedSemaphore extends Semaphore {
    private final int bound;

    /**
     * @param value the initial, and maximal, number of permits
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public BoundedSemaphore(int value) {
        super(value);
        this.bound = value;
    }

    /**
     * Gives a permit back; see {@link Semaphore#release()}.
     *
     * @throws IllegalStateException if that would raise the count above the initial value (Python raises
     *                               {@code ValueError})
     */
    @Override
    public void release() {
        if (value() >= bound) {
            throw new IllegalStateException("BoundedSemaphore released too many times");
        }
        super.release();
    }
}
