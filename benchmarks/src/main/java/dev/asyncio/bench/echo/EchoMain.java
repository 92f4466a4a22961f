package dev.asyncio.bench.echo;

import dev.asyncio.AsyncLoop;
import dev.asyncio.IoTransport;
import dev.asyncio.net.Server;

/** What the asyncio echo servers' mains share: arguments {@code PORT [NIO|EPOLL|IO_URING]}, a loop, a server. */
final class EchoMain {
    private EchoMain() {
    }

    /** Starts a server on 127.0.0.1, on the loop it runs on. */
    interface Starter {
        Server start(String host, int port) throws Exception;
    }

    /** Runs {@code starter}'s server on a new loop until the process is killed. */
    static void serve(String[] args, String what, Starter starter) {
        int port = Integer.parseInt(args[0]);
        IoTransport transport = args.length > 1 ? IoTransport.valueOf(args[1]) : IoTransport.NIO;
        try (AsyncLoop loop = AsyncLoop.builder().transport(transport).build()) {
            loop.runUntilComplete(() -> {
                Server server = starter.start("127.0.0.1", port);
                System.out.println(what + " on " + server.sockets() + " (" + transport + ")");
                server.serveForever();
            });
        }
    }
}
