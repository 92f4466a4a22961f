package dev.asyncio.net;

import java.io.File;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a child process's standard stream goes, for {@link SubprocessOptions}: the {@code stdin=},
 * {@code stdout=} and {@code stderr=} values of {@code asyncio.create_subprocess_exec}.
 *
 * <pre>{@code
 * SubprocessOptions o = SubprocessOptions.defaults()
 *         .stdout(Stdio.PIPE)                       // read it from Subprocess.stdout()
 *         .stderr(Stdio.STDOUT)                     // merged into stdout
 *         .stdin(Stdio.file(Path.of("input.txt")));
 * }</pre>
 */
public final class Stdio {
    enum Kind { PIPE, INHERIT, DEVNULL, STDOUT, FILE, APPEND }

    /** A pipe to this process: a {@link StreamWriter} for stdin, a {@link StreamReader} for stdout and stderr. */
    public static final Stdio PIPE = new Stdio(Kind.PIPE, null);
    /** The stream of this (the parent) process, as {@code None} in asyncio; the default. */
    public static final Stdio INHERIT = new Stdio(Kind.INHERIT, null);
    /** The null device: stdin reads EOF at once, output is discarded; {@code asyncio.subprocess.DEVNULL}. */
    public static final Stdio DEVNULL = new Stdio(Kind.DEVNULL, null);
    /** For stderr only: into the same place as stdout; {@code asyncio.subprocess.STDOUT}. */
    public static final Stdio STDOUT = new Stdio(Kind.STDOUT, null);

    private final Kind kind;
    private final Path path;

    private Stdio(Kind kind, Path path) {
        this.kind = kind;
        this.path = path;
    }

    /** A file: read from for stdin; for stdout and stderr, created or truncated, then written. */
    public static Stdio file(Path path) {
        return new Stdio(Kind.FILE, Objects.requireNonNull(path, "path"));
    }

    /** For stdout and stderr: a file created if missing and appended to. */
    public static Stdio append(Path path) {
        return new Stdio(Kind.APPEND, Objects.requireNonNull(path, "path"));
    }

    Kind kind() {
        return kind;
    }

    /** The JDK's redirect for this choice, for a stream read by the child ({@code input}) or written by it. */
    ProcessBuilder.Redirect toRedirect(boolean input, String stream) {
        switch (kind) {
            case PIPE:
                return ProcessBuilder.Redirect.PIPE;
            case INHERIT:
                return ProcessBuilder.Redirect.INHERIT;
            case DEVNULL:
                return input ? ProcessBuilder.Redirect.from(nullDevice()) : ProcessBuilder.Redirect.DISCARD;
            case FILE:
                return input ? ProcessBuilder.Redirect.from(path.toFile()) : ProcessBuilder.Redirect.to(path.toFile());
            case APPEND:
                if (input) {
                    throw new IllegalArgumentException("Stdio.append() is for stdout and stderr, not " + stream);
                }
                return ProcessBuilder.Redirect.appendTo(path.toFile());
            default:
                throw new IllegalArgumentException("Stdio.STDOUT is for stderr only, not " + stream);
        }
    }

    private static File nullDevice() {
        return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    @Override
    public String toString() {
        return path == null ? "Stdio." + kind : "Stdio." + kind.name().toLowerCase(java.util.Locale.ROOT) + "(" + path + ")";
    }
}
