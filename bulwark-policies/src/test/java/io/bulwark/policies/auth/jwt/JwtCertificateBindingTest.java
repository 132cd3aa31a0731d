package io.bulwark.policies.auth.jwt;

import static io.bulwark.policies.TestExchange.decided;
import static io.bulwark.policies.auth.jwt.JwtFixtures.RSA;
import static io.bulwark.policies.auth.jwt.JwtFixtures.baseConfig;
import static io.bulwark.policies.auth.jwt.JwtFixtures.claims;
import static io.bulwark.policies.auth.jwt.JwtFixtures.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.JWSAlgorithm;
import io.bulwark.api.Attributes;
import io.bulwark.api.Decision;
import io.bulwark.api.Policy;
import io.bulwark.api.config.ConfigException;
import io.bulwark.policies.TestExchange;
import io.bulwark.policies.TestPki;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RFC 8705 certificate-bound access tokens: {@code cnf.x5t#S256} against the request's client certificate. */
class JwtCertificateBindingTest {
    static final TestPki.Issued CA = TestPki.ca("CN=Clients CA");
    static final TestPki.Issued CERT_A = TestPki.client(CA, "CN=client-a");
    static final TestPki.Issued CERT_B = TestPki.client(CA, "CN=client-b");

    @TempDir
    Path dir;

    private final JwtFixtures.MutableClock clock = new JwtFixtures.MutableClock();

    @BeforeEach
    void setUp() throws Exception {
        JwtFixtures.writeKeyFiles(dir);
    }

    private Policy policy(String binding) throws ConfigException {
        Map<String, Object> c = baseConfig();
        if (binding != null) {
            c.put("certificate_binding", binding);
        }
        return JwtFixtures.policy(c, dir, clock);
    }

    static String thumbprint(X509Certificate cert) throws Exception {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
    }

    static String boundTo(Object x5t) {
        return sign(
                JWSAlgorithm.RS256,
                RSA,
                "rsa-1",
                claims().claim("cnf", Map.of("x5t#S256", x5t)).build());
    }

    static String unbound() {
        return sign(JWSAlgorithm.RS256, RSA, "rsa-1", claims().build());
    }

    static TestExchange request(String token, TestPki.Issued cert) {
        TestExchange ex = TestExchange.request("GET", "/orders").header("Authorization", "Bearer " + token);
        return cert == null ? ex : ex.clientCertificates(cert.certificate(), CA.certificate());
    }

    static void assertBindingRefused(Policy p, TestExchange ex) {
        Decision d = decided(p.onRequest(ex));
        assertThat(d).isInstanceOf(Decision.Reject.class);
        Decision.Reject r = (Decision.Reject) d;
        assertThat(r.key()).isEqualTo(JwtErrors.JWT_CERT_BINDING);
        assertThat(r.key().status()).isEqualTo(401);
        assertThat(r.headers().get("WWW-Authenticate"))
                .isEqualTo("Bearer realm=\"bulwark\", error=\"invalid_token\","
                        + " error_description=\"certificate binding mismatch\"");
        assertThat(ex.attribute(Attributes.PRINCIPAL)).isEmpty();
        assertThat(ex.attribute(Attributes.CONSUMER_ID)).isEmpty();
    }

    static void assertAccepted(Policy p, TestExchange ex) {
        assertThat(decided(p.onRequest(ex))).isInstanceOf(Decision.Proceed.class);
        assertThat(ex.attribute(Attributes.CONSUMER_ID)).contains("user-1");
    }

    @Test
    void accepts_a_bound_token_with_its_certificate() throws Exception {
        Policy p = policy(null);
        String token = boundTo(thumbprint(CERT_A.certificate()));
        assertAccepted(p, request(token, CERT_A));
        // Again from the cache of verified tokens: the binding is checked on every request.
        assertAccepted(p, request(token, CERT_A));
    }

    @Test
    void refuses_a_bound_token_with_another_certificate_or_none() throws Exception {
        Policy p = policy("if_present");
        String token = boundTo(thumbprint(CERT_A.certificate()));
        assertBindingRefused(p, request(token, CERT_B));
        assertBindingRefused(p, request(token, null));
        // The cache must not let the token through once it has been seen with the right certificate.
        assertAccepted(p, request(token, CERT_A));
        assertBindingRefused(p, request(token, CERT_B));
    }

    @Test
    void refuses_a_thumbprint_in_another_encoding_or_of_another_type() throws Exception {
        Policy p = policy(null);
        String thumb = thumbprint(CERT_A.certificate());
        assertBindingRefused(p, request(boundTo(thumb + "="), CERT_A));
        String hex = java.util.HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(CERT_A.certificate().getEncoded()));
        assertBindingRefused(p, request(boundTo(hex), CERT_A));
        assertBindingRefused(p, request(boundTo(42), CERT_A));
        assertBindingRefused(p, request(boundTo(""), CERT_A));
        String notAnObject = sign(
                JWSAlgorithm.RS256, RSA, "rsa-1", claims().claim("cnf", thumb).build());
        assertBindingRefused(p, request(notAnObject, CERT_A));
    }

    @Test
    void if_present_accepts_unbound_tokens_with_or_without_a_certificate() throws Exception {
        Policy p = policy(null);
        assertAccepted(p, request(unbound(), null));
        assertAccepted(p, request(unbound(), CERT_B));
        // A confirmation of another kind (a DPoP key, RFC 9449) does not bind the token to a certificate.
        String dpop = sign(
                JWSAlgorithm.RS256,
                RSA,
                "rsa-1",
                claims().claim("cnf", Map.of("jkt", "abc")).build());
        assertAccepted(p, request(dpop, CERT_B));
    }

    @Test
    void required_refuses_unbound_tokens() throws Exception {
        Policy p = policy("required");
        assertBindingRefused(p, request(unbound(), CERT_A));
        assertBindingRefused(p, request(unbound(), null));
        assertAccepted(p, request(boundTo(thumbprint(CERT_A.certificate())), CERT_A));
        assertBindingRefused(p, request(boundTo(thumbprint(CERT_A.certificate())), CERT_B));
    }

    @Test
    void off_ignores_the_binding() throws Exception {
        Policy p = policy("off");
        assertAccepted(p, request(boundTo(thumbprint(CERT_A.certificate())), CERT_B));
        assertAccepted(p, request(boundTo(thumbprint(CERT_A.certificate())), null));
    }

    @Test
    void refuses_an_unknown_binding_mode() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> policy("sometimes"));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("certificate_binding").contains("if_present");
    }
}
