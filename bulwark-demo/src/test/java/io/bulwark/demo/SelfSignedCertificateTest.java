package io.bulwark.demo;

import static io.bulwark.demo.RunningShop.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfSignedCertificateTest {

    private static final List<String> NAMES = List.of("localhost", "127.0.0.1", "::1");
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;

    private static Vertx vertx;

    @TempDir
    Path dir;

    @BeforeAll
    static void start_vertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void close_vertx() {
        await(vertx.close());
    }

    @Test
    void writes_a_server_certificate_for_the_given_names() throws Exception {
        Path cert = dir.resolve("tls/cert.pem");
        Path key = dir.resolve("tls/key.pem");

        boolean generated = SelfSignedCertificate.generateIfAbsent(cert, key, Duration.ofDays(30), NAMES);

        assertThat(generated).isTrue();
        X509Certificate certificate = read(cert);
        assertThat(certificate.getSubjectAlternativeNames())
                .containsExactlyInAnyOrder(
                        List.of(DNS_NAME, "localhost"),
                        List.of(IP_ADDRESS, "127.0.0.1"),
                        List.of(IP_ADDRESS, "0:0:0:0:0:0:0:1"));
        assertThat(certificate.getBasicConstraints()).as("not a CA").isEqualTo(-1);
        assertThat(certificate.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
        assertThat(certificate.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(certificate.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(certificate.getSubjectX500Principal()).isEqualTo(certificate.getIssuerX500Principal());
        certificate.verify(certificate.getPublicKey());
        certificate.checkValidity();
        assertThat(certificate.getNotAfter().toInstant())
                .isBetween(
                        Instant.now().plus(Duration.ofDays(29)), Instant.now().plus(Duration.ofDays(30)));
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void makes_the_key_readable_by_the_owner_only() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");

        SelfSignedCertificate.generateIfAbsent(cert, key, Duration.ofDays(1), NAMES);

        if (Files.getFileStore(key).supportsFileAttributeView("posix")) {
            assertThat(Files.getPosixFilePermissions(key))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            assertThat(Files.getPosixFilePermissions(cert)).contains(PosixFilePermission.OTHERS_READ);
        }
        try (var leftovers = Files.list(dir)) {
            assertThat(leftovers.map(path -> path.getFileName().toString()))
                    .as("no temporary files")
                    .containsExactlyInAnyOrder("cert.pem", "key.pem");
        }
    }

    @Test
    void leaves_existing_files_alone() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        SelfSignedCertificate.generateIfAbsent(cert, key, Duration.ofDays(1), NAMES);
        String certBefore = Files.readString(cert);
        String keyBefore = Files.readString(key);

        boolean generated = SelfSignedCertificate.generateIfAbsent(cert, key, Duration.ofDays(1), NAMES);

        assertThat(generated).isFalse();
        assertThat(Files.readString(cert)).isEqualTo(certBefore);
        assertThat(Files.readString(key)).isEqualTo(keyBefore);
    }

    @Test
    void replaces_both_files_when_one_is_missing() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        SelfSignedCertificate.generateIfAbsent(cert, key, Duration.ofDays(1), NAMES);
        String keyBefore = Files.readString(key);
        Files.delete(cert);

        boolean generated = SelfSignedCertificate.generateIfAbsent(cert, key, Duration.ofDays(1), NAMES);

        assertThat(generated).isTrue();
        assertThat(Files.readString(key)).isNotEqualTo(keyBefore);
        assertThat(read(cert)).isNotNull();
    }

    @Test
    void refuses_invalid_arguments() {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");

        assertThatThrownBy(() -> SelfSignedCertificate.generateIfAbsent(cert, key, Duration.ZERO, NAMES))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SelfSignedCertificate.generateIfAbsent(cert, key, Duration.ofDays(1), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SelfSignedCertificate.generateIfAbsent(cert, key, Duration.ofDays(1), List.of(" ")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SelfSignedCertificate.generateIfAbsent(
                        cert, key, Duration.ofDays(1), List.of("bücher.example")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(cert).doesNotExist();
        assertThat(key).doesNotExist();
    }

    @Test
    void serves_https_with_vertx_to_a_client_that_trusts_the_certificate() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        SelfSignedCertificate.generateIfAbsent(cert, key, Duration.ofDays(1), NAMES);
        HttpServer server = await(vertx.createHttpServer(new HttpServerOptions()
                        .setSsl(true)
                        .setKeyCertOptions(new PemKeyCertOptions()
                                .setCertPath(cert.toString())
                                .setKeyPath(key.toString())))
                .requestHandler(request -> request.response().end("secure"))
                .listen(0, "127.0.0.1"));
        HttpClientAgent trusting = vertx.createHttpClient(new HttpClientOptions()
                .setSsl(true)
                .setVerifyHost(true)
                .setTrustOptions(new PemTrustOptions().addCertPath(cert.toString())));
        HttpClientAgent untrusting =
                vertx.createHttpClient(new HttpClientOptions().setSsl(true).setVerifyHost(true));
        try {
            int port = server.actualPort();

            // Host name verification against the IP address entry and, connecting to the same socket, the DNS entry.
            Exchange byAddress = await(get(trusting, port, "127.0.0.1"));
            Exchange byName = await(get(trusting, port, "localhost"));

            assertThat(byAddress.body()).isEqualTo("secure");
            assertThat(byName.body()).isEqualTo("secure");
            assertThat(((X509Certificate) byName.peerCertificates().get(0)).getSubjectAlternativeNames())
                    .contains(List.of(DNS_NAME, "localhost"));
            assertThat(get(trusting, port, "bulwark.example")
                            .toCompletionStage()
                            .toCompletableFuture())
                    .as("a name the certificate is not for")
                    .failsWithin(Duration.ofSeconds(10));
            assertThat(get(untrusting, port, "127.0.0.1").toCompletionStage().toCompletableFuture())
                    .as("a client that does not trust the certificate")
                    .failsWithin(Duration.ofSeconds(10));
        } finally {
            await(trusting.close());
            await(untrusting.close());
            await(server.close());
        }
    }

    /** A response body and the certificates the server presented. */
    record Exchange(String body, List<Certificate> peerCertificates) {}

    /** A GET to the server on 127.0.0.1:port, verifying its certificate for {@code host}. */
    private static Future<Exchange> get(HttpClientAgent client, int port, String host) {
        RequestOptions options = new RequestOptions()
                .setServer(SocketAddress.inetSocketAddress(port, "127.0.0.1"))
                .setHost(host)
                .setPort(port)
                .setURI("/");
        return client.request(options)
                .compose(request -> request.send()
                        .compose(response -> response.body().map(body -> {
                            try {
                                return new Exchange(
                                        body.toString(), request.connection().peerCertificates());
                            } catch (SSLPeerUnverifiedException e) {
                                throw new IllegalStateException(e);
                            }
                        })));
    }

    private static X509Certificate read(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
