/**
 * The loop, futures, tasks, generators, context variables, queues, locks, timeouts and task groups.
 *
 * <p>The continuation engine uses {@code jdk.internal.vm.Continuation}: on the module path it needs
 * {@code --add-exports java.base/jdk.internal.vm=asyncio.core} (on the class path,
 * {@code =ALL-UNNAMED}). {@code dev.asyncio.internal} is not API: it is exported only to the sibling
 * modules that share its helpers.
 */
@SuppressWarnings("module") // the qualified exports name modules built after this one
module asyncio.core {
    exports dev.asyncio;
    exports dev.asyncio.tools;
    exports dev.asyncio.internal to asyncio.net, asyncio.http, asyncio.test;

    // AsyncLoop hands out its Netty event loop and names Netty's channel types in its API.
    requires transitive io.netty.transport;
    requires transitive io.netty.common;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.classes.io_uring;
    requires java.management;   // Debugging: thread dumps of a blocked loop
    requires jdk.unsupported;   // sun.misc.Signal: Ctrl-C in Asyncio.run, task dumps on a signal
    requires jdk.jfr;           // JfrEvents: slow steps, task lifetimes, loop lag in a flight recording
    requires static jdk.attach; // tools.Ps only (add it with --add-modules jdk.attach to run the tool)
}
