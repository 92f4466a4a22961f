package dev.asyncio.examples.echo;

import dev.asyncio.net.Connection;
import dev.asyncio.net.Streams;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends each of its arguments as a line to an echo server and prints what comes back.
 *
 * <pre>{@code
 * ./mvnw -q -pl examples -am compile exec:exec -Dexample=EchoClient -Dargs="--port 8888 hello world"
 * }</pre>
 */
public final class EchoClient {
    private EchoClient() {
    }

    public static void main(String[] args) {
        EchoOptions.runMain("EchoClient", false, EchoOptions.COMMON_USAGE + " MESSAGE...", args, options -> {
            List<String> messages = options.rest().isEmpty() ? List.of("hello") : options.rest();
            return () -> talk(options.host(), options.port(), messages, System.out);
        });
    }

    // snippet:client
    /** Sends each message as a line and prints the echo; returns the echoes. */
    static List<String> talk(String host, int port, List<String> messages, PrintStream out) {
        List<String> echoes = new ArrayList<>();
        try (Connection c = Streams.openConnection(host, port)) {     // suspends until connected
            for (String message : messages) {
                c.writer().write((message + "\n").getBytes(StandardCharsets.UTF_8));
                c.writer().drain();
                String echo = new String(c.reader().readLine(), StandardCharsets.UTF_8).strip();
                out.println("sent " + message + ", got back " + echo);
                echoes.add(echo);
            }
            c.writer().writeEof();                                    // we are done; the server sees EOF
        }
        return echoes;
    }
    // end-snippet
}
