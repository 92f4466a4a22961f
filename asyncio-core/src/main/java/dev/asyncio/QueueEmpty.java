package dev.asyncio;

/** {@link Queue#getNowait()} found the queue empty; mirrors {@code asyncio.QueueEmpty}. */
public class QueueEmpty extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public QueueEmpty() {
        super("the queue is empty");
    }
}
