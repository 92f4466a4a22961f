package dev.asyncio;

/** {@link Queue#putNowait(Object)} found the queue full; mirrors {@code asyncio.QueueFull}. */
public class QueueFull extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public QueueFull(int maxsize) {
        super("the queue is full (maxsize " + maxsize + ")");
    }
}
