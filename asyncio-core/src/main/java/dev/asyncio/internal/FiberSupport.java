package dev.asyncio.internal;

/**
 * Whether this JVM lets the project use continuations. Kept apart from {@link Fiber} on purpose: a
 * {@code Fiber} is a {@code jdk.internal.vm.Continuation}, so the JVM refuses to even load it without the
 * flag; this class loads anywhere and turns the missing flag into a message that says where to put it,
 * instead of an {@code IllegalAccessError} from the depths of the first task.
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

    /**
     * Throws an {@link IllegalStateException} naming the missing JVM flag, and where to put it, if this
     * JVM does not let the project use continuations; returns quietly otherwise. Call it before anything
     * loads {@link Fiber}.
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
        return "asyncio-java needs the JVM option " + JVM_FLAG + " (java.base does not export jdk.internal.vm to "
                + self + "). Add it to the java command line, to the surefire argLine or exec arguments of a Maven "
                + "build" + (self.isNamed() ? "." : ", or as the manifest attribute 'Add-Exports: java.base/jdk.internal.vm' "
                + "of a runnable jar.");
    }
}
