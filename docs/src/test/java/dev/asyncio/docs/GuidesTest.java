package dev.asyncio.docs;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every guide under {@code docs/} (this module's folder), whoever wrote it, shows only code that is a marked
 * region of a source file of the repository. Surefire runs this with the module folder as working directory.
 */
class GuidesTest {
    private static final Path DOCS = Path.of("").toAbsolutePath();
    private static final Path REPO = DOCS.getParent();

    @Test
    void everyJavaBlockOfEveryGuideIsARegionOfCompiledSource() {
        assertTrue(Files.isRegularFile(REPO.resolve("pom.xml")) && Files.isDirectory(DOCS.resolve("guides")),
                "run from the docs module folder (got " + DOCS + ")");
        Snippets.Report report = Snippets.check(DOCS, REPO);
        assertTrue(report.problems().isEmpty(), report.describe());
        assertTrue(report.javaBlocks() >= 20, "the guides should show code; found only " + report.javaBlocks()
                + " Java blocks, is the scan broken?");
    }
}
