package dev.asyncio.net;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * How to start a child process: the keyword arguments of {@code asyncio.create_subprocess_exec} and
 * {@code create_subprocess_shell}. Immutable; each setter returns a changed copy.
 *
 * <pre>{@code
 * SubprocessOptions o = SubprocessOptions.pipes()           // stdin, stdout and stderr as pipes
 *         .stderr(Stdio.DEVNULL)
 *         .cwd(Path.of("/tmp"))
 *         .limit(1 << 20);                                   // the StreamReaders' limit
 * }</pre>
 *
 * <p>By default, as in asyncio, the child inherits all three streams of this process, runs in this
 * process's working directory with its environment, and pipe readers have a 64 KiB limit.
 */
public final class SubprocessOptions {
    private static final SubprocessOptions DEFAULTS = new SubprocessOptions(Stdio.INHERIT, Stdio.INHERIT,
            Stdio.INHERIT, StreamReader.DEFAULT_LIMIT, null, null);

    private final Stdio stdin;
    private final Stdio stdout;
    private final Stdio stderr;
    private final int limit;
    private final Path cwd;
    private final Map<String, String> env;

    private SubprocessOptions(Stdio stdin, Stdio stdout, Stdio stderr, int limit, Path cwd, Map<String, String> env) {
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
        this.limit = limit;
        this.cwd = cwd;
        this.env = env;
    }

    /** Everything inherited, as asyncio's defaults. */
    public static SubprocessOptions defaults() {
        return DEFAULTS;
    }

    /** stdin, stdout and stderr all {@link Stdio#PIPE}: what {@link Subprocess#communicate} is for. */
    public static SubprocessOptions pipes() {
        return DEFAULTS.stdin(Stdio.PIPE).stdout(Stdio.PIPE).stderr(Stdio.PIPE);
    }

    /** Where the child's stdin comes from; {@link Stdio#STDOUT} and {@link Stdio#append} are refused. */
    public SubprocessOptions stdin(Stdio s) {
        Objects.requireNonNull(s, "stdin");
        if (s.kind() == Stdio.Kind.STDOUT || s.kind() == Stdio.Kind.APPEND) {
            throw new IllegalArgumentException(s + " cannot be stdin");
        }
        return new SubprocessOptions(s, stdout, stderr, limit, cwd, env);
    }

    /** Where the child's stdout goes; {@link Stdio#STDOUT} is refused. */
    public SubprocessOptions stdout(Stdio s) {
        Objects.requireNonNull(s, "stdout");
        if (s.kind() == Stdio.Kind.STDOUT) {
            throw new IllegalArgumentException("Stdio.STDOUT is for stderr only, not stdout");
        }
        return new SubprocessOptions(stdin, s, stderr, limit, cwd, env);
    }

    /** Where the child's stderr goes; {@link Stdio#STDOUT} merges it into stdout. */
    public SubprocessOptions stderr(Stdio s) {
        return new SubprocessOptions(stdin, stdout, Objects.requireNonNull(s, "stderr"), limit, cwd, env);
    }

    /**
     * The limit of the stdout and stderr {@link StreamReader}s (see {@link StreamReader#StreamReader(int)}):
     * past twice this many unread bytes, the thread reading the pipe stops, the pipe fills and the child
     * blocks in its writes.
     *
     * @throws IllegalArgumentException if {@code limit <= 0}
     */
    public SubprocessOptions limit(int bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("limit must be > 0, got " + bytes);
        }
        return new SubprocessOptions(stdin, stdout, stderr, bytes, cwd, env);
    }

    /** The child's working directory ({@code cwd=}); {@code null} for this process's. */
    public SubprocessOptions cwd(Path dir) {
        return new SubprocessOptions(stdin, stdout, stderr, limit, dir, env);
    }

    /** The child's whole environment ({@code env=}, replacing this process's); {@code null} to inherit it. */
    public SubprocessOptions env(Map<String, String> environment) {
        return new SubprocessOptions(stdin, stdout, stderr, limit, cwd, environment == null ? null : Map.copyOf(environment));
    }

    public Stdio stdin() {
        return stdin;
    }

    public Stdio stdout() {
        return stdout;
    }

    public Stdio stderr() {
        return stderr;
    }

    public int limit() {
        return limit;
    }

    /** The working directory, or {@code null} for this process's. */
    public Path cwd() {
        return cwd;
    }

    /** The environment, or {@code null} to inherit this process's. */
    public Map<String, String> env() {
        return env;
    }

    /** A process builder set up with these options. */
    ProcessBuilder toBuilder(java.util.List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectInput(stdin.toRedirect(true, "stdin"));
        pb.redirectOutput(stdout.toRedirect(false, "stdout"));
        if (stderr.kind() == Stdio.Kind.STDOUT) {
            pb.redirectErrorStream(true);
        } else {
            pb.redirectError(stderr.toRedirect(false, "stderr"));
        }
        if (cwd != null) {
            pb.directory(cwd.toFile());
        }
        if (env != null) {
            pb.environment().clear();
            pb.environment().putAll(env);
        }
        return pb;
    }

    @Override
    public String toString() {
        return "SubprocessOptions[stdin=" + stdin + ", stdout=" + stdout + ", stderr=" + stderr + ", limit=" + limit
                + (cwd != null ? ", cwd=" + cwd : "") + (env != null ? ", env=" + env.size() + " entries" : "") + "]";
    }
}
