package com.example.echo;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.net.Connection;
import dev.asyncio.net.Server;
import dev.asyncio.net.StreamReader;
import dev.asyncio.net.StreamWriter;
import dev.asyncio.net.Streams;

import java.nio.charset.StandardCharsets;

/**
 * A small echo server on 127.0.0.1, and one client that talks to it; prints "echoed: hello", the engine it ran
 * on, and ends.
 */
public final class Main {
    private Main() {
    }

    /** One connection: every line read is written back, until EOF. */
    static void echo(StreamReader reader, StreamWriter writer) {
        byte[] line;
        while ((line = reader.readLine()).length > 0) {
            writer.write(line);
            writer.drain();
        }
        writer.close();
    }

    /** Starts the server on a free port, sends {@code text} through it, and returns what came back. */
    static String roundTrip(String text) {
        try (Server server = Streams.startServer(Main::echo, "127.0.0.1", 0);
             Connection c = Streams.openConnection("127.0.0.1", server.port())) {
            c.writer().write((text + "\n").getBytes(StandardCharsets.UTF_8));
            c.writer().drain();
            return new String(c.reader().readLine(), StandardCharsets.UTF_8).strip();
        }
    }

    // snippet:main
    public static void main(String[] args) {
        // runMain: Asyncio.run for a program's main. Ctrl-C or SIGTERM cancels the coroutine (its finally
        // blocks run), prints one line and exits 130 or 143, as a command-line user expects.
        String echoed = Asyncio.runMain(() -> roundTrip("hello"));
        System.out.println("echoed: " + echoed + " (engine: " + AsyncLoop.engine() + ")");
    }
    // end-snippet
}
