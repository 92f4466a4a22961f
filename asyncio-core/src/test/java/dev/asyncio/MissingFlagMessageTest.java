package dev.asyncio;

import dev.asyncio.internal.FiberSupport;
import dev.asyncio.programs.FlagMessageProgram;
import dev.asyncio.programs.JavaRun;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The missing-flag message names the flag that works where asyncio-core runs: {@code =ALL-UNNAMED} on the class
 * path, {@code =asyncio.core} on the module path (where an export to ALL-UNNAMED does not help). Each case runs
 * {@link FlagMessageProgram} in a fresh JVM: asyncio-core's compiled module (target/classes, with its
 * module-info) and Netty's jars on the module path, the test classes on the class path.
 */
class MissingFlagMessageTest {
    private static final String CLASS_PATH_FLAG = "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED";
    private static final String MODULE_PATH_FLAG = "--add-exports=java.base/jdk.internal.vm=asyncio.core";

    @Test
    void theFlagNamesTheModuleOrAllUnnamed() {
        assertEquals("--add-exports java.base/jdk.internal.vm=ALL-UNNAMED", FiberSupport.jvmFlag(getClass().getModule()));
        assertEquals("--add-exports java.base/jdk.internal.vm=java.base", FiberSupport.jvmFlag(Object.class.getModule()));
    }

    @Test
    void onTheClassPathWithoutTheFlagTheMessageAsksForAllUnnamedAndOffersTheManifest() throws Exception {
        String out = run(false);
        assertTrue(out.contains("MESSAGE: asyncio-java's continuation engine (-Dasyncio.engine=continuation) needs the JVM option --add-exports java.base/jdk.internal.vm=ALL-UNNAMED "), out);
        assertTrue(out.contains("Add-Exports: java.base/jdk.internal.vm"), out);
    }

    @Test
    void onTheClassPathWithTheFlagTheEngineIsAvailable() throws Exception {
        assertEquals("AVAILABLE", run(false, CLASS_PATH_FLAG));
    }

    @Test
    void onTheModulePathWithoutTheFlagTheMessageAsksForAnExportToAsyncioCore() throws Exception {
        String out = run(true);
        assertTrue(out.contains("MESSAGE: asyncio-java's continuation engine (-Dasyncio.engine=continuation) needs the JVM option --add-exports java.base/jdk.internal.vm=asyncio.core "), out);
        assertTrue(out.contains("to module asyncio.core"), out);
        assertFalse(out.contains("ALL-UNNAMED"), "ALL-UNNAMED does not reach a named module:\n" + out);
        assertFalse(out.contains("Add-Exports"), "a manifest attribute does not reach the module path:\n" + out);
    }

    @Test
    void onTheModulePathTheClassPathFlagDoesNotHelpAndTheMessageSaysWhichDoes() throws Exception {
        String out = run(true, CLASS_PATH_FLAG);
        assertTrue(out.contains("--add-exports java.base/jdk.internal.vm=asyncio.core"), out);
    }

    @Test
    void onTheModulePathWithTheModulesFlagTheEngineIsAvailable() throws Exception {
        assertEquals("AVAILABLE", run(true, MODULE_PATH_FLAG));
    }

    /** Runs the program in a fresh JVM; {@code modulePath}: asyncio-core and Netty as modules. */
    private static String run(boolean modulePath, String... flags) throws IOException, InterruptedException {
        List<String> classPath = JavaRun.classPath();
        List<String> args = new ArrayList<>(List.of(flags));
        // The program reads FiberSupport directly; on the module path its package is exported to the siblings only.
        if (modulePath) {
            Path core = Path.of(FiberSupport.class.getProtectionDomain().getCodeSource().getLocation().getPath());
            assertTrue(Files.exists(core.resolve("module-info.class")), "asyncio-core's compiled module: " + core);
            List<String> modules = new ArrayList<>(List.of(core.toString()));
            classPath.stream().filter(e -> Path.of(e).getFileName().toString().startsWith("netty-")).forEach(modules::add);
            List<String> rest = classPath.stream().filter(e -> !modules.contains(e)).toList();
            args.addAll(List.of("--module-path", String.join(File.pathSeparator, modules), "--add-modules", "asyncio.core",
                    "--add-exports", "asyncio.core/dev.asyncio.internal=ALL-UNNAMED",
                    "-cp", String.join(File.pathSeparator, rest)));
        } else {
            args.addAll(List.of("-cp", String.join(File.pathSeparator, classPath)));
        }
        args.add(FlagMessageProgram.class.getName());
        return JavaRun.output(args);
    }
}
