package dev.asyncio;

import java.util.NoSuchElementException;

/**
 * Thrown by {@link Generator#next}, {@link Generator#send} and {@link Generator#throwInto} when the
 * generator's body returns; mirrors Python's {@code StopIteration}, and is a
 * {@link NoSuchElementException} as {@link java.util.Iterator#next()} demands. {@link #value()} holds what
 * the body returned (also available from {@link Generator#returnValue()}).
 */
public class StopIteration extends NoSuchElementException {
    private static final long serialVersionUID = 1L;

    private final transient Object value;

    public StopIteration(Object value) {
        super(value == null ? "generator finished" : "generator finished with " + value);
        this.value = value;
    }

    /** The generator's return value. */
    public Object value() {
        return value;
    }
}
