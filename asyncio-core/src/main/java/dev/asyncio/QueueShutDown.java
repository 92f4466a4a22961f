package dev.asyncio;

/**
 * A put on a queue that was shut down, or a get on one that was shut down and is empty (or was shut down
 * with {@code immediate}); mirrors {@code asyncio.QueueShutDown} (Python 3.13). See {@link Queue#shutdown(boolean)}.
 */
public class QueueShutDown extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public QueueShutDown() {
        super("the queue is shut down");
    }
}
