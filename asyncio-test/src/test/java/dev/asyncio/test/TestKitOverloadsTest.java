package dev.asyncio.test;

import dev.asyncio.test.internal.FunctionalOverloads;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * asyncio-test's part of the guard against overloads that make a caller's lambda or method reference ambiguous
 * (see asyncio-core's {@code dev.asyncio.apiguard.LambdaOverloadsTest}). Its only public method taking a
 * functional interface is JUnit's {@code interceptTestMethod}, which users do not call; so no calls here, only
 * the check that no overload pair appears.
 */
class TestKitOverloadsTest {
    @Test
    void noOverloadsTakeDifferentFunctionalInterfacesAtTheSamePosition() {
        assertEquals(Set.of("AsyncTestExtension.interceptTestMethod"),
                FunctionalOverloads.takingLambdas(FunctionalOverloads.publicClasses(AsyncTest.class)),
                "a new public method of the test kit takes a lambda: add a compile guard for it, as in asyncio-core");
        assertEquals(Set.of(), FunctionalOverloads.pairs(FunctionalOverloads.publicClasses(AsyncTest.class)));
    }
}
