package dev.asyncio.examples.echo;

import dev.asyncio.AsyncRunnable;
import dev.asyncio.Asyncio;
import dev.asyncio.KeyboardInterrupt;
import dev.asyncio.net.ConnectionError;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The command line of the echo examples: {@code --host H --port P}, then any other arguments. */
record EchoOptions(String host, int port, List<String> rest) {
    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_PORT = 8888;

    /**
     * Parses {@code args}.
     *
     * @throws IllegalArgumentException naming the bad argument
     */
    static EchoOptions parse(String... args) {
        String host = DEFAULT_HOST;
        int port = DEFAULT_PORT;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = value(args, ++i, "--host");
                case "--port" -> {
                    String p = value(args, ++i, "--port");
                    try {
                        port = Integer.parseInt(p);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--port needs a number, got '" + p + "'");
                    }
                    if (port < 0 || port > 65535) {
                        throw new IllegalArgumentException("--port must be 0-65535, got " + port);
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
        return new EchoOptions(host, port, List.copyOf(rest));
    }

    /**
     * The echo examples' {@code main}: parses {@code args}, runs {@code body} with the options in
     * {@link Asyncio#run}, and ends the JVM with the usual codes: 2 for a bad command line (with the usage),
     * 1 for a network error (port taken, connection refused, ...), 130 after Ctrl-C.
     */
    static void runMain(String program, String usage, String[] args, Function<EchoOptions, AsyncRunnable> body) {
        EchoOptions options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(program + ": " + e.getMessage() + "\nusage: " + program + " " + usage);
            System.exit(2);
            return;
        }
        try {
            Asyncio.run(body.apply(options));
        } catch (ConnectionError e) {
            System.err.println(program + ": " + e.getMessage());
            System.exit(1);
        } catch (KeyboardInterrupt e) {
            System.exit(130);                  // Ctrl-C: the main task was cancelled and cleaned up
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
