package dev.asyncio.docs;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every class, method, field and constant that the guides, the design rules, the API contract (docs/api.md)
 * and the README name in backticks exists in the compiled code; then the checker itself, on small documents.
 */
class ApiNamesTest {
    private static final Path DOCS = Path.of("").toAbsolutePath();
    private static final Path REPO = DOCS.getParent();

    /**
     * Names in the docs' prose that are not Java and that the checker cannot tell from Java by their form.
     * Keep it short: everything else must exist in the code.
     */
    static final Set<String> NOT_JAVA = Set.of(
            // Python's exception classes, named where the Java ones are explained
            "ExceptionGroup", "RuntimeError", "ValueError", "TypeError", "LookupError",
            // aiohttp's client class, in the HTTP guide's comparison
            "ClientSession",
            // what the project deliberately does not have ("there is no separate AsyncGenerator type, no aclose()")
            "AsyncGenerator", "aclose",
            // HTTP header names
            "Host", "Cookie", "Location", "Authorization",
            // stand-ins for the reader's own code: `Asyncio.run(() -> main())`, `coro()`, `g -> compute(g)`
            "main", "coro", "f", "fn", "compute",
            // environment variables, a Maven property and a POM element
            "JAVA_HOME", "PATH", "argLine", "dependencyManagement",
            // Project Reactor's own API, named in the Reactor guide beside ours (reactor-core, reactor-test)
            "StepVerifier", "subscribe", "toIterable");

    private static CodeIndex index;

    @BeforeAll
    static void index() {
        index = CodeIndex.load(REPO);
    }

    /** docs/**.md (build output excluded) and the README. */
    static List<Path> documents() {
        List<Path> files = new ArrayList<>(Snippets.markdownFiles(DOCS));
        files.add(REPO.resolve("README.md"));
        return files;
    }

    @Test
    void theDocsNameOnlyClassesAndMethodsThatExist() {
        List<Path> files = documents();
        assertTrue(files.contains(DOCS.resolve("api.md")), "the API contract is docs/api.md");
        ApiNames.Report report = ApiNames.check(files, REPO, index, NOT_JAVA);
        assertEquals(List.of(), report.problems(), report.describe());
        assertTrue(report.spans() > 500, "only " + report.spans() + " names checked: is the scan broken?");
        assertTrue(report.declarations() > 150, "only " + report.declarations()
                + " declarations of docs/api.md checked: is the scan broken?");
    }

    /**
     * The contract is cited by its place in the repository: "API.md" alone (the design brief's file, which is
     * not in the repository) is a dead reference for a reader of the code.
     */
    @Test
    void everyCitationOfTheContractNamesDocsApiMd() throws IOException {
        Pattern bare = Pattern.compile("\\bAPI\\.md\\b"); // a link to api.md is fine, the brief's name is not
        List<String> found = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(REPO)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String rel = REPO.relativize(p).toString();
                if (rel.startsWith(".") || rel.startsWith("target/") || rel.contains("/target/") || rel.contains("/.")
                        || !rel.matches(".*\\.(java|md|xml|sh|py|txt|properties)$")) {
                    continue;
                }
                List<String> lines = Files.readAllLines(p);
                for (int i = 0; i < lines.size(); i++) {
                    if (bare.matcher(lines.get(i)).find() && !p.equals(DOCS.resolve("src/test/java/dev/asyncio/docs/ApiNamesTest.java"))) {
                        found.add(rel + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        assertEquals(List.of(), found, "cite the contract as docs/api.md");
    }

    // ------------------------------------------------------------------------- the checker itself

    @TempDir
    Path tmp;

    private List<String> problems(String markdown) throws IOException {
        Path file = tmp.resolve("guide.md");
        Files.writeString(file, markdown);
        return ApiNames.check(List.of(file), tmp, index, NOT_JAVA).problems().stream()
                .map(ApiNames.Problem::toString).toList();
    }

    @Test
    void aMethodTheClassDoesNotHaveFails() throws IOException {
        assertEquals(List.of(
                        "guide.md:1: `loop.createServer(...)`: AsyncLoop has no method createServer(...)",
                        "guide.md:2: `StreamReader.readBuff(n)`: StreamReader has no method readBuff(1)",
                        "guide.md:3: `Foo`: no class Foo in the code"),
                problems("""
                        Servers come from `loop.createServer(...)` (no: `Net.createServer(...)`).
                        Zero-copy reads: `StreamReader.readBuf` and `StreamReader.readBuff(n)`.
                        See `Foo`, `Asyncio.sleep(1)`, `dev.asyncio.net.IncompleteReadError` and `Generator.State.RUNNING`.
                        """));
    }

    @Test
    void argumentsAreCountedAndChainsFollowedThroughReturnTypes() throws IOException {
        assertEquals(List.of(
                        "guide.md:1: `loop.callLater(delay)`: AsyncLoop.callLater takes no 1 argument(s)",
                        "guide.md:2: `AsyncLoop.builder().virtualTim(true)`: Builder has no method virtualTim(1)",
                        "guide.md:3: `new Lock(3)`: Lock has no constructor taking 1 argument(s)"),
                problems("""
                        `loop.callLater(delay)`, `loop.callLater(delay, cb)`, `Asyncio.gather(a, b, c)`
                        `AsyncLoop.builder().virtualTime(true).build()` and `AsyncLoop.builder().virtualTim(true)`
                        `new Lock()`, `new Lock(3)`, `new Semaphore(n)`
                        """));
    }

    @Test
    void pythonColumnsMappingsCommandsAndMessagesAreNotJava() throws IOException {
        assertEquals(List.of("guide.md:8: `loop.createServer()`: AsyncLoop has no method createServer(0)"),
                problems("""
                        | Python | Java |
                        |---|---|
                        | `loop.create_server(...)`, `asyncio.Queue(maxsize)` | `Net.createServer(...)` |

                        The rule: `create_task` → `createTask`, `Event.wait()` → `Event.await()`.
                        Run `./mvnw -q verify`, see `Task exception was never retrieved` and `Content-Length`,
                        write `async def f(): ...` or `shutdown(immediate=True)`.
                        `loop.create_server` → `loop.createServer()`
                        """));
    }

    @Test
    void anExtendsColumnMustNameTheDirectSuperclass() throws IOException {
        assertEquals(List.of("guide.md:4: `InvalidStateError`: InvalidStateError extends IllegalStateException, not RuntimeException"),
                problems("""
                        | Python | Java | extends |
                        |---|---|---|
                        | `asyncio.CancelledError` | `CancelledError` | `Error` |
                        | `asyncio.InvalidStateError` | `InvalidStateError` | `RuntimeException` |
                        | `asyncio.QueueEmpty`, `QueueFull` | `QueueEmpty`, `QueueFull` | `RuntimeException` |
                        """));
    }

    @Test
    void signatureBlocksAreCheckedDeclarationByDeclaration() throws IOException {
        List<String> found = problems("""
                ## Package `dev.asyncio`

                <!-- signatures -->
                ```java
                final class Lock { Lock(); Releaser acquire(); void release(); boolean locked(); }
                final class Event { Event(int n); void set(); boolean clear(); void await(); void awaitAll(); }
                enum ReturnWhen { FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED, NEVER }
                record WaitResult<T>(Set<Future<T>> done, Set<Future<T>> failed) {}
                final class Barrier extends Lock { int await(); }
                class Missing { void x(); }
                final class Asyncio {
                  static <T> T run(Coroutine<T> main);
                  static void sleep(double seconds, int extra);
                  AsyncLoop getRunningLoop();
                  static <T> List<T> gather(Awaitable<? extends T>... aws);
                }
                ```
                """);
        assertEquals(List.of(
                "guide.md:6: `Event(int n)`: Event has no public constructor Event(int)",
                "guide.md:6: `boolean clear()`: Event.clear returns void, not boolean",
                "guide.md:6: `void awaitAll()`: Event has no public method awaitAll",
                "guide.md:7: `enum ReturnWhen`: ReturnWhen has no constant NEVER",
                "guide.md:8: `record WaitResult`: WaitResult has no component failed",
                "guide.md:9: `class Barrier`: Barrier does not extend or implement Lock",
                "guide.md:10: `class Missing`: no class dev.asyncio.Missing",
                "guide.md:13: `static void sleep(double seconds, int extra)`: Asyncio.sleep takes no (double, int); "
                        + "the code has sleep(Duration), sleep(double)",
                "guide.md:14: `AsyncLoop getRunningLoop()`: Asyncio.getRunningLoop is static in the code"), found);
    }
}
