package dev.asyncio.http;

import dev.asyncio.Asyncio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A {@link Handler} that serves the files under a directory, with {@code Range}, {@code If-Modified-Since}
 * and {@code sendfile} ({@link ServerResponse#sendFile}); mirrors aiohttp.web's {@code add_static}.
 *
 * <pre>{@code
 * router.get("/assets/{path...}", new StaticFiles(Path.of("public")));   // or router.staticFiles("/assets", dir)
 * }</pre>
 *
 * <p>The file is the route's {@code path} parameter (the whole request path if there is none) under the
 * directory; a directory gives its {@code index.html}. Nothing outside the directory is ever served: a path
 * with a {@code ..} segment, a backslash or a NUL is a 404 before the file system is asked, and a symbolic
 * link that leads out of the directory is a 404 too.
 */
public final class StaticFiles implements Handler {
    private final Path root;

    /**
     * @param directory the directory to serve
     * @throws IllegalArgumentException if it is not a directory
     */
    public StaticFiles(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("not a directory: " + directory);
        }
        try {
            this.root = directory.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serve " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * Sends the file (see the class comment). Suspends the current task while the file is looked up on another
     * thread ({@link Asyncio#toThread}: path resolution, symbolic links and attributes are file-system calls
     * that may block, never made on the loop's thread; the file is opened there too). Cancellation:
     * nothing is sent; a file opened meanwhile is closed.
     */
    @Override
    public void handle(ServerRequest request, ServerResponse response) throws IOException {
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            response.header("Allow", "GET, HEAD");
            response.send(405, "Method Not Allowed\n");
            return;
        }
        String relative = request.pathParam("path");
        if (relative == null) {
            relative = request.path();
        }
        String wanted = relative;
        response.sendFile(response.findFile(() -> resolve(wanted)));
    }

    /** The file {@code relative} names under the root, or {@code null} if it is outside or does not exist. */
    Path resolve(String relative) throws IOException {
        Path file = root;
        for (String segment : relative.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..") || segment.indexOf('\\') >= 0 || segment.indexOf('\0') >= 0 || segment.indexOf(':') >= 0) {
                return null;
            }
            file = file.resolve(segment);
        }
        if (Files.isDirectory(file)) {
            file = file.resolve("index.html");
        }
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.exists(file)) {
            return null;
        }
        Path real;
        try {
            real = file.toRealPath();
        } catch (IOException e) {
            return null;
        }
        return real.startsWith(root) ? real : null;
    }
}
