/**
 * The bridge between Netty channels and the loop's tasks, shared by every module that speaks over a channel
 * (streams and protocols here, the HTTP client and server, WebSockets): a supported API for building such
 * modules, not needed by applications.
 *
 * <ul>
 *   <li>{@link dev.asyncio.net.channel.ChannelBridge}: the last handler of a pipeline; establishing (after the
 *   TLS handshake), read pause and resume, the per-step flush, the thread check.</li>
 *   <li>{@link dev.asyncio.net.channel.HappyEyeballs}: connecting to the first address that answers (RFC 8305),
 *   on the loop's clock.</li>
 *   <li>{@link dev.asyncio.net.channel.Tls}: client and server TLS handlers with one set of defaults, ALPN, the
 *   default client context.</li>
 *   <li>{@link dev.asyncio.net.channel.NetErrors}: Netty's and the JDK's exceptions as this project's
 *   ({@link dev.asyncio.net.ConnectionResetError}, {@link dev.asyncio.net.SslError}, ...).</li>
 *   <li>{@link dev.asyncio.net.channel.Channels}: the channel classes of a loop's transport kind;
 *   {@link dev.asyncio.net.channel.LoopThreads}: the loop-thread rules.</li>
 * </ul>
 */
package dev.asyncio.net.channel;
