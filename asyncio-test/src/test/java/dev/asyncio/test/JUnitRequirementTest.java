package dev.asyncio.test;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JUnitRequirementTest {
    @Test
    void theJUnitOfThisBuildPasses() {
        assertDoesNotThrow(JUnitRequirement::check);
    }

    @Test
    void matchingReleasesPass() {
        assertNull(JUnitRequirement.problem(Map.of("junit-jupiter-api", "5.10.3", "junit-jupiter-engine", "5.10.3",
                "junit-platform-engine", "1.10.3", "junit-platform-launcher", "1.10.5")));
        assertNull(JUnitRequirement.problem(Map.of("junit-jupiter-api", "6.0.1", "junit-platform-launcher", "6.0.1")));
    }

    @Test
    void aJupiterOlderThan510IsNamed() {
        String p = JUnitRequirement.problem(Map.of("junit-jupiter-api", "5.9.2", "junit-platform-launcher", "1.9.2"));
        assertTrue(p.startsWith("asyncio-test needs JUnit Jupiter 5.10 or later") && p.contains("5.9.2"), p);
    }

    @Test
    void mixedReleasesAreNamedWithTheBom() {
        String p = JUnitRequirement.problem(Map.of("junit-jupiter-api", "5.14.4", "junit-jupiter-engine", "5.10.3",
                "junit-platform-launcher", "1.14.4"));
        assertTrue(p.contains("junit-jupiter-engine 5.10.3") && p.contains("junit-bom"), p);
        assertTrue(p.lines().count() == 1, p);
    }
}
