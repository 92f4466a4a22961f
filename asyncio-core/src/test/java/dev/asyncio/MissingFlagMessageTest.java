package dev.asyncio;

import dev.asyncio.internal.FiberSupport;
import dev.asyncio.programs.FlagMessageProgram;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

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
        assertTrue(out.contains("MESSAGE: asyncio-java needs the JVM option --add-exports java.base/jdk.internal.vm=ALL-UNNAMED "), out);
        assertTrue(out.contains("Add-Exports: java.base/jdk.internal.vm"), out);
    }

    @Test
    void onTheClassPathWithTheFlagTheEngineIsAvailable() throws Exception {
        assertEquals("AVAILABLE", run(false, CLASS_PATH_FLAG));
    }

    @Test
    void onTheModulePathWithoutTheFlagTheMessageAsksForAnExportToAsyncioCore() throws Exception {
        String out = run(true);
        assertTrue(out.contains("MESSAGE: asyncio-java needs the JVM option --add-exports java.base/jdk.internal.vm=asyncio.core "), out);
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

    /** Runs the program on this JVM's java; {@code modulePath}: asyncio-core and Netty as modules. */
    private static String run(boolean modulePath, String... flags) throws IOException, InterruptedException {
        List<String> classPath = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        cmd.addAll(List.of(flags));
        // The program reads FiberSupport directly; on the module path its package is exported to the siblings only.
        if (modulePath) {
            Path core = Path.of(FiberSupport.class.getProtectionDomain().getCodeSource().getLocation().getPath());
            assertTrue(Files.exists(core.resolve("module-info.class")), "asyncio-core's compiled module: " + core);
            List<String> modules = new ArrayList<>(List.of(core.toString()));
            classPath.stream().filter(e -> Path.of(e).getFileName().toString().startsWith("netty-")).forEach(modules::add);
            List<String> rest = classPath.stream().filter(e -> !modules.contains(e)).toList();
            cmd.addAll(List.of("--module-path", String.join(File.pathSeparator, modules), "--add-modules", "asyncio.core",
                    "--add-exports", "asyncio.core/dev.asyncio.internal=ALL-UNNAMED",
                    "-cp", String.join(File.pathSeparator, rest)));
        } else {
            cmd.addAll(List.of("-cp", String.join(File.pathSeparator, classPath)));
        }
        cmd.add(FlagMessageProgram.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String out;
        try (var in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM ends");
        assertEquals(0, p.exitValue(), out);
        return out.lines().filter(l -> !l.startsWith("WARNING")).collect(Collectors.joining("\n"));
    }
}
