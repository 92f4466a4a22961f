package dev.asyncio.net;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** A test CA and certificates it issued, made at test time (no files, no BouncyCastle). */
final class TestCertificates {
    static final X509Bundle CA;
    /** For "localhost" and 127.0.0.1. */
    static final X509Bundle LOCALHOST;
    /** For "other.example" only: a host name mismatch when connecting to localhost. */
    static final X509Bundle OTHER_NAME;

    static {
        try {
            Instant now = Instant.now();
            CertificateBuilder base = new CertificateBuilder()
                    .notBefore(now.minus(1, ChronoUnit.DAYS))
                    .notAfter(now.plus(1, ChronoUnit.DAYS))
                    .ecp256();
            CA = base.copy().subject("CN=asyncio-java test CA").setIsCertificateAuthority(true).buildSelfSigned();
            LOCALHOST = base.copy().subject("CN=localhost").addSanDnsName("localhost").addSanIpAddress("127.0.0.1")
                    .addExtendedKeyUsageServerAuth().buildIssuedBy(CA);
            OTHER_NAME = base.copy().subject("CN=other.example").addSanDnsName("other.example")
                    .addExtendedKeyUsageServerAuth().buildIssuedBy(CA);
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

    /** A client that trusts the test CA only. */
    static SslContext client() {
        try {
            return SslContextBuilder.forClient().trustManager(CA.getCertificate()).build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client that trusts the test CA and whose context does not check host names itself. */
    static SslContext clientNotCheckingNames() {
        try {
            return SslContextBuilder.forClient().trustManager(CA.getCertificate()).endpointIdentificationAlgorithm(null).build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client with the JDK's default trust store: it does not know the test CA. */
    static SslContext clientTrustingSystemCAs() {
        try {
            return SslContextBuilder.forClient().build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
