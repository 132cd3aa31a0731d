package io.bulwark.policies.auth.mtls;

import static io.bulwark.policies.auth.mtls.MtlsErrors.MTLS_CERT_INVALID;
import static io.bulwark.policies.auth.mtls.MtlsErrors.MTLS_CERT_NOT_ALLOWED;
import static io.bulwark.policies.auth.mtls.MtlsErrors.MTLS_CERT_REQUIRED;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.bulwark.api.Attributes;
import io.bulwark.api.Decision;
import io.bulwark.api.Exchange;
import io.bulwark.api.Phase;
import io.bulwark.api.Policy;
import io.bulwark.api.Principal;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Authenticates a request by the client certificate the listener verified during the TLS handshake, and publishes
 * the {@link Principal}. The handshake already proved possession of the key and the chain to a trusted CA (and,
 * with a CRL, that it is not revoked); this policy names the caller, applies the route's allow-lists, and checks
 * validity again in case a long-lived connection outlives its certificate.
 */
final class MtlsPolicy implements Policy {
    /** Parsed identities by certificate object; keep-alive and HTTP/2 connections hand out the same object. */
    private static final int CACHE_SIZE = 10_000;

    private final MtlsConfig config;
    private final Clock clock;
    /** Identity (weak) keys: an entry never outlives the connection's certificate object. */
    private final Cache<X509Certificate, CertificateIdentity> identities =
            Caffeine.newBuilder().weakKeys().maximumSize(CACHE_SIZE).build();

    MtlsPolicy(MtlsConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    @Override
    public Phase phase() {
        return Phase.AUTHENTICATE;
    }

    @Override
    public CompletionStage<Decision> onRequest(Exchange exchange) {
        return decide(exchange).asStage();
    }

    private Decision decide(Exchange exchange) {
        List<X509Certificate> chain = exchange.clientCertificates();
        if (chain.isEmpty()) {
            return Decision.reject(MTLS_CERT_REQUIRED, "a client certificate is required");
        }
        Date now = Date.from(clock.instant());
        for (X509Certificate cert : chain) {
            try {
                cert.checkValidity(now);
            } catch (CertificateExpiredException e) {
                return Decision.reject(MTLS_CERT_INVALID, "the client certificate has expired");
            } catch (CertificateNotYetValidException e) {
                return Decision.reject(MTLS_CERT_INVALID, "the client certificate is not valid yet");
            }
        }
        CertificateIdentity id = identity(chain.get(0));
        if (id == null) {
            return Decision.reject(MTLS_CERT_INVALID, "the client certificate's names cannot be read");
        }
        // The allow-list first: a certificate that may not be here gets 403 whatever names it lacks.
        if (config.restricted() && !allowed(id)) {
            return Decision.reject(MTLS_CERT_NOT_ALLOWED, "the client certificate is not allowed on this route");
        }
        String consumer = id.consumer(config.consumerFrom());
        if (consumer == null) {
            return Decision.reject(
                    MTLS_CERT_INVALID, "the client certificate has no " + config.consumerFrom().description);
        }
        Principal p = new Principal(consumer, id.subject(), config.scopes(), id.claims(), "mtls", null);
        exchange.attribute(Attributes.PRINCIPAL, p);
        exchange.attribute(Attributes.CONSUMER_ID, consumer);
        return Decision.proceed();
    }

    private boolean allowed(CertificateIdentity id) {
        if (config.allowedSubjects().contains(id.subject())) {
            return true;
        }
        for (String san : id.sans()) {
            if (config.allowedSans().contains(san)) {
                return true;
            }
        }
        return false;
    }

    private CertificateIdentity identity(X509Certificate cert) {
        CertificateIdentity hit = identities.getIfPresent(cert);
        if (hit != null) {
            return hit;
        }
        try {
            CertificateIdentity id = CertificateIdentity.of(cert);
            identities.put(cert, id);
            return id;
        } catch (CertificateParsingException | RuntimeException e) {
            return null;
        }
    }
}
