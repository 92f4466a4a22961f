package dev.asyncio;

/**
 * The signals a loop can handle with {@link AsyncLoop#addSignalHandler(UnixSignal, Runnable)}: those that
 * Python's {@code loop.add_signal_handler} is used for in servers and tools, and that the JVM lets Java code
 * handle. Others can be named as a string ({@link AsyncLoop#addSignalHandler(String, Runnable)}), where the
 * JVM allows it.
 */
public enum UnixSignal {
    /** Hang-up: the terminal went away, or (by convention for daemons) "reload your configuration". */
    SIGHUP,
    /** Interrupt: Ctrl-C in a terminal. A shell starts background jobs with it ignored. */
    SIGINT,
    /** Terminate: what {@code kill}, systemd, Docker and Kubernetes send to stop a process politely. */
    SIGTERM,
    /** User-defined signal 1. */
    SIGUSR1,
    /** User-defined signal 2. */
    SIGUSR2;

    /** The name without the {@code SIG} prefix, as {@code kill -l} and {@code sun.misc.Signal} spell it. */
    String shortName() {
        return name().substring(3);
    }
}
