package dev.asyncio;

import dev.asyncio.internal.NettyRequirement;
import dev.asyncio.programs.ChildJvm;
import dev.asyncio.programs.JavaRun;
import dev.asyncio.programs.NoFlagProgram;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Netty older than 4.2 on the path fails at start with one line naming the jar, not a NoClassDefFoundError. */
class NettyRequirementTest {
    @Test
    void allNetty42IsFine() {
        assertNull(NettyRequirement.problem(Map.of("netty-transport", Set.of("4.2.18.Final"), "netty-common", Set.of("4.2.17.Final")),
                true, "4.2.18.Final"));
    }

    @Test
    void aNetty41JarIsNamedWithTheBomThatAlignsIt() {
        String problem = NettyRequirement.problem(
                Map.of("netty-transport", Set.of("4.1.138.Final", "4.2.18.Final"), "netty-common", Set.of("4.2.18.Final")),
                true, "4.2.18.Final");
        assertTrue(problem.startsWith("asyncio-java needs Netty 4.2 (built with 4.2.18.Final) but found netty-transport 4.1.138.Final on"), problem);
        assertTrue(problem.contains("io.netty:netty-bom:4.2.18.Final"), problem);
        assertFalse(problem.contains("netty-common"), "only the jars at fault: " + problem);
        assertEquals(1, problem.lines().count(), problem);
    }

    @Test
    void aNettyWithoutIoEventLoopAndWithoutVersionFilesIsStillCaught() {
        String problem = NettyRequirement.problem(Map.of(), false, "4.2.18.Final");
        assertTrue(problem.contains("no io.netty.channel.IoEventLoop"), problem);
    }

    @Test
    void theNettyOfThisBuildPassesTheCheck() {
        assertDoesNotThrow(NettyRequirement::check);
    }

    /**
     * The user's situation: another dependency's netty-transport 4.1 won Maven's version mediation, so it stands
     * where the 4.2 one would (before the check: NoClassDefFoundError: io/netty/channel/IoEventLoop).
     */
    @Test
    void asyncioRunWithNetty41OnTheClassPathPrintsOneLineNamingIt() throws Exception {
        Path netty41 = Path.of("target/netty-4.1/netty-transport-4.1.138.Final.jar");
        assertTrue(Files.exists(netty41), "copied by the build (maven-dependency-plugin): " + netty41.toAbsolutePath());
        List<String> classPath = new ArrayList<>(List.of(netty41.toAbsolutePath().toString()));
        JavaRun.classPath().stream().filter(e -> !Path.of(e).getFileName().toString().startsWith("netty-transport-4.2"))
                .forEach(classPath::add);
        String out = JavaRun.output(List.of(ChildJvm.FLAG, "-cp", String.join(File.pathSeparator, classPath),
                NoFlagProgram.class.getName()));
        assertEquals(1, out.lines().count(), out);
        // "built with 4.2.<n>": the version comes from the filtered build.properties (its fallback is a bare "4.2")
        assertTrue(out.startsWith("ERROR: asyncio-java needs Netty 4.2 (built with 4.2."), out);
        assertTrue(out.contains("netty-transport 4.1.138.Final"), out);
        assertFalse(out.contains("NoClassDefFoundError"), out);
    }
}
