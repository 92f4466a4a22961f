package dev.asyncio.examples.fetch;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Review 2 of the fetcher: a finding that fails today, disabled so that the build stays green. */
class ReviewFindingsTest {
    /*
     * exec:exec pipes the child's standard streams unless told to inherit them, so System.console().isTerminal()
     * is false even in a terminal and the documented command never shows the bar. Reproduce with a pseudo-terminal:
     *   script -qec "mvn -q -o -pl examples -am compile exec:exec -Dexample=Fetch -Dargs='--pages 30'" /dev/null
     * prints plain "n/30 done" lines; adding -Dexec.inheritIo=true draws the bar.
     */
    @Disabled("review finding 8: run the documented way (mvn exec:exec), the fetcher never sees a terminal, so never draws its bar")
    @Test
    void theExamplesRunWithTheTerminalAsTheirStandardStreams() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        assertTrue(pom.contains("<inheritIo>true</inheritIo>"), "exec:exec must inherit stdin/stdout for Fetch's terminal check");
    }
}
