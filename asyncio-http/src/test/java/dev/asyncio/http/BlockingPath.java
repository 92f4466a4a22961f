package dev.asyncio.http;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A path on a file system whose attribute reads block until {@link #release()}d (a slow disk or a hung network
 * mount), then say the file does not exist: code that reads attributes on the loop's thread stalls the loop,
 * and gives up after a while ({@link #timedOut()} then says so). Only attribute reads are supported. Or
 * ({@link #vanishing}) a path whose attributes say it can be read but which cannot be opened.
 */
final class BlockingPath {
    /** Completed when an attribute read has started and is blocked. */
    final CompletableFuture<Void> entered = new CompletableFuture<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean timedOut;
    final Path path;
    /** The real file whose attributes it has, or {@code null}: see {@link #vanishing}. */
    private final Path attributesOf;

    BlockingPath(double maxBlockSeconds) {
        this(maxBlockSeconds, null);
    }

    /**
     * A path that has {@code real}'s attributes (a readable regular file: its reads do not block) but cannot be
     * opened, as if the file vanished between the two: {@link Path#toFile()} names a file that does not exist.
     */
    static Path vanishing(Path real) {
        return new BlockingPath(0, real).path;
    }

    private BlockingPath(double maxBlockSeconds, Path attributesOf) {
        this.attributesOf = attributesOf;
        Provider provider = new Provider((long) (maxBlockSeconds * 1000));
        Fs fs = new Fs(provider);
        path = (Path) Proxy.newProxyInstance(Path.class.getClassLoader(), new Class<?>[] {Path.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getFileSystem" -> fs;
                    case "toString" -> "blocking:/file.txt";
                    case "getFileName" -> attributesOf == null ? null : attributesOf.getFileName();
                    case "toFile" -> {
                        if (attributesOf == null) {
                            throw new UnsupportedOperationException("toFile");
                        }
                        yield new java.io.File(attributesOf + ".vanished");
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    void release() {
        release.countDown();
    }

    /** Whether the read gave up waiting: nothing released it in time (the loop could not run). */
    boolean timedOut() {
        return timedOut;
    }

    private final class Provider extends FileSystemProvider {
        private final long maxBlockMillis;

        Provider(long maxBlockMillis) {
            this.maxBlockMillis = maxBlockMillis;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <A extends BasicFileAttributes> A readAttributes(Path p, Class<A> type, LinkOption... options)
                throws IOException {
            if (attributesOf != null) {
                return java.nio.file.Files.readAttributes(attributesOf, type, options);
            }
            entered.complete(null);
            try {
                if (!release.await(maxBlockMillis, TimeUnit.MILLISECONDS)) {
                    timedOut = true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new NoSuchFileException(p.toString());
        }

        @Override public String getScheme() { return "blocking"; }
        @Override public FileSystem newFileSystem(URI uri, Map<String, ?> env) { throw new UnsupportedOperationException(); }
        @Override public FileSystem getFileSystem(URI uri) { throw new UnsupportedOperationException(); }
        @Override public Path getPath(URI uri) { throw new UnsupportedOperationException(); }
        @Override public SeekableByteChannel newByteChannel(Path p, Set<? extends OpenOption> o, FileAttribute<?>... a) { throw new UnsupportedOperationException(); }
        @Override public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> f) { throw new UnsupportedOperationException(); }
        @Override public void createDirectory(Path dir, FileAttribute<?>... attrs) { throw new UnsupportedOperationException(); }
        @Override public void delete(Path p) { throw new UnsupportedOperationException(); }
        @Override public void copy(Path s, Path t, CopyOption... o) { throw new UnsupportedOperationException(); }
        @Override public void move(Path s, Path t, CopyOption... o) { throw new UnsupportedOperationException(); }
        @Override public boolean isSameFile(Path a, Path b) { return a == b; }
        @Override public boolean isHidden(Path p) { return false; }
        @Override public FileStore getFileStore(Path p) { throw new UnsupportedOperationException(); }
        @Override public void checkAccess(Path p, AccessMode... modes) throws IOException {
            if (attributesOf == null) {
                throw new UnsupportedOperationException();
            }
            attributesOf.getFileSystem().provider().checkAccess(attributesOf, modes);
        }
        @Override public <V extends FileAttributeView> V getFileAttributeView(Path p, Class<V> t, LinkOption... o) { throw new UnsupportedOperationException(); }
        @Override public Map<String, Object> readAttributes(Path p, String a, LinkOption... o) { throw new UnsupportedOperationException(); }
        @Override public void setAttribute(Path p, String a, Object v, LinkOption... o) { throw new UnsupportedOperationException(); }
    }

    private static final class Fs extends FileSystem {
        private final FileSystemProvider provider;

        Fs(FileSystemProvider provider) {
            this.provider = provider;
        }

        @Override public FileSystemProvider provider() { return provider; }
        @Override public void close() { }
        @Override public boolean isOpen() { return true; }
        @Override public boolean isReadOnly() { return true; }
        @Override public String getSeparator() { return "/"; }
        @Override public Iterable<Path> getRootDirectories() { throw new UnsupportedOperationException(); }
        @Override public Iterable<FileStore> getFileStores() { throw new UnsupportedOperationException(); }
        @Override public Set<String> supportedFileAttributeViews() { return Set.of("basic"); }
        @Override public Path getPath(String first, String... more) { throw new UnsupportedOperationException(); }
        @Override public PathMatcher getPathMatcher(String syntax) { throw new UnsupportedOperationException(); }
        @Override public UserPrincipalLookupService getUserPrincipalLookupService() { throw new UnsupportedOperationException(); }
        @Override public WatchService newWatchService() { throw new UnsupportedOperationException(); }
    }
}
