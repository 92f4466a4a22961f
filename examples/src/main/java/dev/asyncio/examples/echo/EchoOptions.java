package dev.asyncio.examples.echo;

import dev.asyncio.AsyncLoop;
import dev.asyncio.AsyncRunnable;
import dev.asyncio.Asyncio;
import dev.asyncio.IoTransport;
import dev.asyncio.KeyboardInterrupt;
import dev.asyncio.LoopGroup;
import dev.asyncio.Runner;
import dev.asyncio.net.ConnectionError;
import dev.asyncio.net.ServerOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The command line of the echo examples: {@code --host H --port P --transport T}, for the servers
 * {@code --backlog N --loops N --grace SECONDS}, then any other arguments.
 */
record EchoOptions(String host, int port, int backlog, IoTransport transport, int loops, double grace, List<String> rest) {
    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_PORT = 8888;
    /** The usage of the options every echo program takes. */
    static final String COMMON_USAGE = "[--host HOST] [--port PORT] [--transport nio|epoll|io_uring]";
    /** The usage of the servers' options. */
    static final String SERVER_USAGE = COMMON_USAGE + " [--backlog N] [--loops N] [--grace SECONDS]";
    /** How long a server lets the connections in flight finish after SIGTERM or Ctrl-C, by default. */
    static final double DEFAULT_GRACE_SECONDS = 10;

    /** The client's options: {@code --backlog} is refused. */
    static EchoOptions parse(String... args) {
        return parse(false, args);
    }

    /**
     * Parses {@code args}; {@code --backlog}, {@code --loops} and {@code --grace} only for a {@code server}. The
     * backlog defaults to {@link ServerOptions#DEFAULT_BACKLOG}, the system's maximum; the transport to NIO; the
     * loops to one per available core; the grace period to {@value #DEFAULT_GRACE_SECONDS} seconds.
     *
     * @throws IllegalArgumentException naming the bad argument
     */
    static EchoOptions parse(boolean server, String... args) {
        String host = DEFAULT_HOST;
        int port = DEFAULT_PORT;
        int backlog = ServerOptions.DEFAULT_BACKLOG;
        IoTransport transport = IoTransport.NIO;
        int loops = Runtime.getRuntime().availableProcessors();
        double grace = DEFAULT_GRACE_SECONDS;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = value(args, ++i, "--host");
                case "--port" -> port = number(value(args, ++i, "--port"), "--port", 0, 65535);
                case "--backlog" -> {
                    if (!server) {
                        throw new IllegalArgumentException("--backlog is a server option");
                    }
                    backlog = number(value(args, ++i, "--backlog"), "--backlog", 1, Integer.MAX_VALUE);
                }
                case "--loops" -> {
                    serverOnly(server, "--loops");
                    loops = number(value(args, ++i, "--loops"), "--loops", 1, 1024);
                }
                case "--grace" -> {
                    serverOnly(server, "--grace");
                    grace = seconds(value(args, ++i, "--grace"), "--grace");
                }
                case "--transport" -> {
                    String t = value(args, ++i, "--transport");
                    try {
                        transport = IoTransport.valueOf(t.toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("--transport must be nio, epoll or io_uring, got '" + t + "'");
                    }
                }
                default -> {
                    if (args[i].startsWith("--")) {
                        throw new IllegalArgumentException("unknown option " + args[i]);
                    }
                    rest.add(args[i]);
                }
            }
        }
        return new EchoOptions(host, port, backlog, transport, loops, grace, List.copyOf(rest));
    }

    private static void serverOnly(boolean server, String option) {
        if (!server) {
            throw new IllegalArgumentException(option + " is a server option");
        }
    }

    private static double seconds(String value, String option) {
        double d;
        try {
            d = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number of seconds, got '" + value + "'");
        }
        if (!(d >= 0) || Double.isInfinite(d)) {
            throw new IllegalArgumentException(option + " must be a finite number of seconds >= 0, got " + value);
        }
        return d;
    }

    private static int number(String value, String option, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number, got '" + value + "'");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(option + " must be " + min + "-" + max + ", got " + n);
        }
        return n;
    }

    /**
     * The echo examples' {@code main}: parses {@code args} ({@code --backlog} only if {@code server}), runs
     * {@code body} with the options as {@code Asyncio.run} does, on a loop of the chosen transport, and ends
     * the JVM with the usual codes: 2 for a bad command line (with the usage), 1 for a network error (port
     * taken, connection refused, ...) or an unavailable transport, 130 after Ctrl-C.
     */
    static void runMain(String program, boolean server, String usage, String[] args,
                        Function<EchoOptions, AsyncRunnable> body) {
        EchoOptions options = parseOrExit(program, server, usage, args);
        try (Runner runner = new Runner(() -> AsyncLoop.builder().transport(options.transport()).build())) {
            runner.run(body.apply(options));
        } catch (ConnectionError e) {
            System.err.println(program + ": " + e.getMessage());
            System.exit(1);
        } catch (KeyboardInterrupt e) {
            System.exit(130);                  // Ctrl-C: the main task was cancelled and cleaned up
        }
    }

    /** What a server program runs: given its options and the loops to serve on. */
    @FunctionalInterface
    interface ServerMain {
        void serve(EchoOptions options, LoopGroup group);
    }

    /**
     * The echo servers' {@code main}: parses {@code args}, builds a {@link LoopGroup} of {@code --loops} loops
     * (one per core by default) of the chosen transport and runs {@code body} in {@link Asyncio#runMain}, so that
     * SIGTERM and Ctrl-C cancel it (it drains the server), then closes the group and exits with 143 or 130.
     * Exits with 2 for a bad command line, 1 for a network error or an unavailable transport.
     */
    static void runServer(String program, String[] args, ServerMain body) {
        EchoOptions options = parseOrExit(program, true, SERVER_USAGE, args);
        try {
            Asyncio.runMain(() -> {
                try (LoopGroup group = LoopGroup.builder().size(options.loops()).transport(options.transport())
                        .name(program).build()) {
                    body.serve(options, group);
                }
            });
        } catch (ConnectionError e) {
            System.err.println(program + ": " + e.getMessage());
            System.exit(1);
        }
    }

    /** Parses the command line, or exits: 2 with the usage if it is bad, 1 if the transport is unavailable. */
    private static EchoOptions parseOrExit(String program, boolean server, String usage, String[] args) {
        EchoOptions options;
        try {
            options = parse(server, args);
        } catch (IllegalArgumentException e) {
            System.err.println(program + ": " + e.getMessage() + "\nusage: " + program + " " + usage);
            System.exit(2);
            return null;
        }
        if (!options.transport().isAvailable()) {
            System.err.println(program + ": the " + options.transport() + " transport is not available here: "
                    + options.transport().unavailabilityCause());
            System.exit(1);
            return null;
        }
        return options;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
