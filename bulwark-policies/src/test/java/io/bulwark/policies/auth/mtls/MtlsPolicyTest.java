package io.bulwark.policies.auth.mtls;

import static io.bulwark.policies.TestExchange.decided;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.bulwark.api.Attributes;
import io.bulwark.api.Decision;
import io.bulwark.api.ErrorKey;
import io.bulwark.api.Phase;
import io.bulwark.api.Policy;
import io.bulwark.api.PolicyContext;
import io.bulwark.api.Principal;
import io.bulwark.api.config.ConfigException;
import io.bulwark.api.config.ConfigNode;
import io.bulwark.policies.TestExchange;
import io.bulwark.policies.TestPki;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MtlsPolicyTest {
    static final TestPki.Issued CA = TestPki.ca("CN=Clients CA,O=Acme");
    static final TestPki.Issued BILLING = TestPki.client(
            CA,
            "CN=billing,OU=Payments,O=Acme",
            TestPki.dns("Billing.Internal.Example"),
            TestPki.uri("spiffe://acme/billing"),
            TestPki.email("billing@acme.example"));
    static final TestPki.Issued BARE = TestPki.client(CA, "O=Acme");

    static Policy create(Map<String, Object> config) throws ConfigException {
        return create(config, Clock.systemUTC());
    }

    static Policy create(Map<String, Object> config, Clock clock) throws ConfigException {
        return new MtlsPolicyFactory(clock)
                .create(ConfigNode.fromValue(config, "test.yaml"), new PolicyContext(Path.of("."), "r1"));
    }

    static Map<String, Object> config(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static TestExchange withCert(TestPki.Issued cert) {
        return TestExchange.request("GET", "/orders").clientCertificates(cert.certificate(), CA.certificate());
    }

    static ErrorKey rejected(Policy p, TestExchange ex) {
        Decision d = decided(p.onRequest(ex));
        assertThat(d).isInstanceOf(Decision.Reject.class);
        assertThat(ex.attribute(Attributes.PRINCIPAL)).isEmpty();
        assertThat(ex.attribute(Attributes.CONSUMER_ID)).isEmpty();
        return ((Decision.Reject) d).key();
    }

    @Test
    void authenticates_by_the_subject_common_name_and_publishes_the_principal() throws Exception {
        Policy p = create(config("scopes", List.of("orders:read", "orders:write")));
        assertThat(p.phase()).isEqualTo(Phase.AUTHENTICATE);
        TestExchange ex = withCert(BILLING);
        assertThat(decided(p.onRequest(ex))).isInstanceOf(Decision.Proceed.class);
        Principal principal = ex.attribute(Attributes.PRINCIPAL).orElseThrow();
        assertThat(principal.consumerId()).isEqualTo("billing");
        assertThat(ex.attribute(Attributes.CONSUMER_ID)).contains("billing");
        assertThat(principal.subject()).isEqualTo("CN=billing,OU=Payments,O=Acme");
        assertThat(principal.authMethod()).isEqualTo("mtls");
        assertThat(principal.authTime()).isNull();
        assertThat(principal.scopes()).containsExactlyInAnyOrder("orders:read", "orders:write");
        String thumbprint = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(MessageDigest.getInstance("SHA-256")
                        .digest(BILLING.certificate().getEncoded()));
        assertThat(principal.claims())
                .containsEntry("x5t#S256", thumbprint)
                .containsEntry("subject", "CN=billing,OU=Payments,O=Acme")
                .containsEntry("issuer", "CN=Clients CA,O=Acme")
                .containsEntry("serial", BILLING.serial().toString(16))
                .containsEntry(
                        "sans",
                        List.of(
                                "DNS:billing.internal.example",
                                "URI:spiffe://acme/billing",
                                "email:billing@acme.example"));
    }

    @Test
    void takes_the_consumer_from_the_configured_name() throws Exception {
        Map<String, String> expected = Map.of(
                "san_dns", "billing.internal.example",
                "san_uri", "spiffe://acme/billing",
                "san_email", "billing@acme.example",
                "subject", "CN=billing,OU=Payments,O=Acme",
                "subject_cn", "billing");
        for (var e : expected.entrySet()) {
            TestExchange ex = withCert(BILLING);
            assertThat(decided(create(config("consumer_from", e.getKey())).onRequest(ex)))
                    .isInstanceOf(Decision.Proceed.class);
            assertThat(ex.attribute(Attributes.CONSUMER_ID)).as(e.getKey()).contains(e.getValue());
        }
    }

    @Test
    void refuses_a_certificate_without_the_name_the_consumer_comes_from() throws Exception {
        TestExchange bare = withCert(BARE);
        Decision.Reject r = (Decision.Reject) decided(create(config()).onRequest(bare));
        assertThat(r.key()).isEqualTo(MtlsErrors.MTLS_CERT_INVALID);
        assertThat(r.detail()).isEqualTo("the client certificate has no subject common name (CN)");
        assertThat(rejected(create(config("consumer_from", "san_uri")), withCert(BARE)))
                .isEqualTo(MtlsErrors.MTLS_CERT_INVALID);
    }

    @Test
    void refuses_a_request_without_a_client_certificate() throws Exception {
        ErrorKey key = rejected(create(config()), TestExchange.request("GET", "/"));
        assertThat(key).isEqualTo(MtlsErrors.MTLS_CERT_REQUIRED);
        assertThat(key.status()).isEqualTo(401);
    }

    @Test
    void refuses_expired_and_not_yet_valid_certificates_even_if_the_handshake_let_them_through() throws Exception {
        Instant now = Instant.now();
        TestPki.Issued expired =
                TestPki.client(CA, "CN=old", now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)));
        TestPki.Issued future =
                TestPki.client(CA, "CN=new", now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(10)));
        Policy p = create(config());
        assertThat(rejected(p, withCert(expired))).isEqualTo(MtlsErrors.MTLS_CERT_INVALID);
        assertThat(rejected(p, withCert(future))).isEqualTo(MtlsErrors.MTLS_CERT_INVALID);
        // A long-lived connection: the certificate was fine at the handshake, the clock has moved on since.
        Policy later = create(config(), Clock.fixed(now.plus(Duration.ofDays(3)), ZoneOffset.UTC));
        assertThat(rejected(later, withCert(BILLING))).isEqualTo(MtlsErrors.MTLS_CERT_INVALID);
    }

    @Test
    void applies_the_allow_lists_exactly() throws Exception {
        Policy bySubject = create(config("allowed_subjects", List.of("CN=billing, OU=Payments, O=Acme")));
        assertThat(decided(bySubject.onRequest(withCert(BILLING)))).isInstanceOf(Decision.Proceed.class);
        TestPki.Issued lookalike = TestPki.client(CA, "CN=billing,OU=Payments,O=Acme Evil");
        ErrorKey key = rejected(bySubject, withCert(lookalike));
        assertThat(key).isEqualTo(MtlsErrors.MTLS_CERT_NOT_ALLOWED);
        assertThat(key.status()).isEqualTo(403);

        Policy bySan = create(config("allowed_sans", List.of("URI:spiffe://acme/billing", "DNS:other.example")));
        assertThat(decided(bySan.onRequest(withCert(BILLING)))).isInstanceOf(Decision.Proceed.class);
        TestPki.Issued prefix = TestPki.client(CA, "CN=x", TestPki.uri("spiffe://acme/billing/evil"));
        assertThat(rejected(bySan, withCert(prefix))).isEqualTo(MtlsErrors.MTLS_CERT_NOT_ALLOWED);
        // A SAN value in the CN does not count as a SAN.
        TestPki.Issued cnOnly = TestPki.client(CA, "CN=spiffe://acme/billing");
        assertThat(rejected(bySan, withCert(cnOnly))).isEqualTo(MtlsErrors.MTLS_CERT_NOT_ALLOWED);

        Policy dnsCase = create(config("allowed_sans", "DNS:BILLING.internal.example"));
        assertThat(decided(dnsCase.onRequest(withCert(BILLING)))).isInstanceOf(Decision.Proceed.class);
    }

    @Test
    void reuses_the_parsed_certificate_and_still_checks_each_request() throws Exception {
        Policy p = create(config("allowed_sans", "URI:spiffe://acme/billing"));
        for (int i = 0; i < 3; i++) {
            TestExchange ex = withCert(BILLING);
            assertThat(decided(p.onRequest(ex))).isInstanceOf(Decision.Proceed.class);
            assertThat(ex.attribute(Attributes.CONSUMER_ID)).contains("billing");
        }
        assertThat(rejected(p, TestExchange.request("GET", "/"))).isEqualTo(MtlsErrors.MTLS_CERT_REQUIRED);
    }

    @Test
    void refuses_invalid_settings_at_load() {
        assertThat(failure(config("consumer_from", "cn")))
                .contains("consumer_from")
                .contains("subject_cn");
        assertThat(failure(config("allowed_sans", List.of("billing.example"))))
                .contains("allowed_sans[0]")
                .contains("DNS:name");
        assertThat(failure(config("allowed_subjects", List.of("not a dn")))).contains("allowed_subjects[0]");
        assertThat(failure(config("scopes", List.of("a b")))).contains("scopes[0]");
        assertThat(failure(config("allowed_subject", List.of("CN=x")))).contains("allowed_subjects");
    }

    static String failure(Map<String, Object> config) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> create(config));
        assertThat(e).as("expected a config error").isNotNull();
        return e.getMessage();
    }
}
