package dev.asyncio.internal;

/**
 * Whether this JVM lets the project use continuations. Kept apart from {@link ContinuationFiber} on
 * purpose: that class is a {@code jdk.internal.vm.Continuation}, so the JVM refuses to even load it without
 * the flag; this class loads anywhere, lets {@link Engine} fall back to the thread engine, and turns the
 * missing flag into a message that says where to put it when the continuation engine was asked for.
 */
public final class FiberSupport {
    /**
     * The JVM option the engine needs, exactly as it must be written on a command line: it names the module
     * asyncio-core runs in, {@code asyncio.core} on the module path and {@code ALL-UNNAMED} on the class path
     * (an export to {@code ALL-UNNAMED} does not reach a named module).
     */
    public static final String JVM_FLAG = jvmFlag(FiberSupport.class.getModule());

    private static final String MISSING_FLAG_MESSAGE = missingFlagMessage();

    private FiberSupport() {
    }

    /** Whether {@code java.base} exports {@code jdk.internal.vm} to this library. */
    public static boolean isAvailable() {
        return MISSING_FLAG_MESSAGE == null;
    }

    /**
     * Throws an {@link IllegalStateException} naming the missing JVM flag, and where to put it, if this
     * JVM does not let the project use continuations; returns quietly otherwise.
     */
    public static void checkAvailable() {
        if (MISSING_FLAG_MESSAGE != null) {
            throw new IllegalStateException(MISSING_FLAG_MESSAGE);
        }
    }

    /** The {@code --add-exports} option that opens {@code jdk.internal.vm} to {@code module}. */
    public static String jvmFlag(Module module) {
        return "--add-exports java.base/jdk.internal.vm=" + (module.isNamed() ? module.getName() : "ALL-UNNAMED");
    }

    private static String missingFlagMessage() {
        Module self = FiberSupport.class.getModule();
        Module base = Object.class.getModule();
        if (base.isExported("jdk.internal.vm", self)) {
            return null;
        }
        // The manifest attribute only reaches the class path (java -jar), so it is offered only there.
        return "asyncio-java's continuation engine (-D" + Engine.PROPERTY + "=" + Engine.CONTINUATION
                + ") needs the JVM option " + JVM_FLAG + " (java.base does not export jdk.internal.vm to "
                + self + "). Add it to the java command line, to the surefire argLine or exec arguments of a Maven "
                + "build" + (self.isNamed() ? "" : ", or as the manifest attribute 'Add-Exports: java.base/jdk.internal.vm' "
                + "of a runnable jar") + "; or leave -D" + Engine.PROPERTY + " unset to run on the thread engine.";
    }
}
