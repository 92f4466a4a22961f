package dev.asyncio.net;

/**
 * What {@link Net#createConnection} and {@link Net#createDatagramEndpoint} return: the
 * {@code (transport, protocol)} pair of asyncio.
 *
 * @param <T> the transport type
 * @param <P> the protocol type
 */
public record TransportAndProtocol<T extends BaseTransport, P>(T transport, P protocol) {
}
