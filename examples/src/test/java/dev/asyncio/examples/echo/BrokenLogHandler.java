package dev.asyncio.examples.echo;

import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * A java.util.logging handler that fails on every record with an Error, as the JDK's console handler does
 * when its formatter cannot open {@code tzdb.dat} because the process is out of file descriptors; and a
 * {@code main} that runs {@link EchoServer} with it as the only handler, for a child JVM.
 */
public final class BrokenLogHandler extends Handler {
    @Override
    public void publish(LogRecord record) {
        throw new ExceptionInInitializerError("logging is broken (" + record.getMessage() + ")");
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    /** EchoServer's main with every log record failing (installed now, not lazily once descriptors run out). */
    public static void main(String[] args) {
        LogManager.getLogManager().reset();
        Logger.getLogger("").addHandler(new BrokenLogHandler());
        EchoServer.main(args);
    }
}
