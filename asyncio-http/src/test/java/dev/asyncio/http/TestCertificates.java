package dev.asyncio.http;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Certificates made at test time with Netty's pkitesting: a self-signed one for localhost, and one for another name. */
final class TestCertificates {
    /** Self-signed, for "localhost" and 127.0.0.1: what a developer's local server has. */
    static final X509Bundle SELF_SIGNED;
    /** Self-signed, for "other.example" only. */
    static final X509Bundle OTHER_NAME;

    static {
        try {
            Instant now = Instant.now();
            CertificateBuilder base = new CertificateBuilder()
                    .notBefore(now.minus(1, ChronoUnit.DAYS))
                    .notAfter(now.plus(1, ChronoUnit.DAYS))
                    .ecp256();
            SELF_SIGNED = base.copy().subject("CN=localhost").addSanDnsName("localhost").addSanIpAddress("127.0.0.1")
                    .setIsCertificateAuthority(true).buildSelfSigned();
            OTHER_NAME = base.copy().subject("CN=other.example").addSanDnsName("other.example")
                    .setIsCertificateAuthority(true).buildSelfSigned();
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private TestCertificates() {
    }

    static SslContext server(X509Bundle identity) {
        try {
            return SslContextBuilder.forServer(identity.getKeyPair().getPrivate(), identity.getCertificatePath()).build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client context that trusts {@code certificate} (and nothing else). */
    static SslContext trusting(X509Bundle certificate) {
        try {
            return SslContextBuilder.forClient().trustManager(certificate.getCertificate()).build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** As {@link #trusting}, with a context that does not check host names itself. */
    static SslContext trustingWithoutNameCheck(X509Bundle certificate) {
        try {
            return SslContextBuilder.forClient().trustManager(certificate.getCertificate())
                    .endpointIdentificationAlgorithm(null).build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
