package dev.asyncio.net;

/**
 * The TLS handshake failed (untrusted certificate, host name mismatch, no common protocol, timeout) or a
 * TLS record could not be decoded; mirrors Python's {@code ssl.SSLError} and
 * {@code ssl.SSLCertVerificationError}. The {@link javax.net.ssl.SSLException} is the cause.
 */
public class SslError extends ConnectionError {
    private static final long serialVersionUID = 1L;

    public SslError(String message, Throwable cause) {
        super(message, cause);
    }
}
