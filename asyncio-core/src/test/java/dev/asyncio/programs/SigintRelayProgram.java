package dev.asyncio.programs;

import dev.asyncio.test.internal.Signals;

import java.util.List;

/**
 * Plays a build started as a background job (the test starts it with SIGINT ignored): reports whether SIGINT
 * is ignored here, then starts {@link SigintProgram} as the Ctrl-C tests do, sends it SIGINT and reports how it
 * ended.
 */
public final class SigintRelayProgram {
    public static void main(String[] args) throws Exception {
        System.out.println("IGNORED HERE: " + Signals.ignoredHere("INT"));
        try (ChildJvm child = ChildJvm.startReceiving(List.of("INT"), SigintProgram.class, true)) {
            child.awaitLine("READY", 60);
            child.signal("INT");
            int status = child.waitFor(60);
            System.out.println("CHILD OUTPUT: " + child.output().replace('\n', '|'));
            System.out.println("CHILD EXIT " + status);
        }
    }
}
