/**
 * An HTTP/1.1 client on the loop's own Netty event loop, in the style of aiohttp: {@link dev.asyncio.http.HttpClient}
 * sends {@link dev.asyncio.http.HttpRequest}s and hands back {@link dev.asyncio.http.HttpResponse}s, each call
 * suspending only the task that makes it.
 *
 * <pre>{@code
 * Asyncio.run(() -> {
 *     try (HttpClient client = HttpClient.create()) {
 *         List<Task<String>> pages = new ArrayList<>();
 *         for (String url : urls) {
 *             pages.add(Asyncio.createTask(() -> {
 *                 try (HttpResponse r = client.get(url)) {     // suspends this task only
 *                     return r.text();
 *                 }
 *             }));
 *         }
 *         return Asyncio.gather(pages);                        // all of them at once, on one thread
 *     }
 * });
 * }</pre>
 *
 * <p>The protocol is Netty's: {@code HttpClientCodec} (with limits on the status line and header block) and
 * {@code SslHandler} (certificate and host name checked by default); this package adds the asyncio side: a
 * connection pool per origin with keep-alive and limits, connections raced over a host's addresses (RFC 8305),
 * responses read on demand with backpressure, gzip and deflate bodies decompressed as they are read (with
 * the JDK's {@code Inflater}, never more than the read buffer ahead), redirects, the three time limits of
 * {@link dev.asyncio.http.ClientTimeout}, and failures as unchecked exceptions named for what happened. Host
 * names are resolved with asyncio-net's {@link dev.asyncio.net.Resolver}, and connection failures are
 * asyncio-net's {@link dev.asyncio.net.ConnectionError}s. {@link dev.asyncio.http.Json} parses and writes JSON
 * with no dependency. Not supported: HTTP/2, proxies, cookies, streamed request bodies.
 */
package dev.asyncio.http;
