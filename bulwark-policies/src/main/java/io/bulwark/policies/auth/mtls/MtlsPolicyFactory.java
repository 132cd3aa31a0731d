package io.bulwark.policies.auth.mtls;

import static java.util.Objects.requireNonNull;

import io.bulwark.api.Policy;
import io.bulwark.api.PolicyContext;
import io.bulwark.api.PolicyFactory;
import io.bulwark.api.config.ConfigException;
import io.bulwark.api.config.ConfigNode;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code mtls}: authenticates requests by the client certificate verified by an HTTPS listener with
 * {@code tls.client_auth}. A policy cannot see which listeners serve its route, so a request that arrives without
 * a verified certificate (a listener without client_auth, or {@code optional} mode and none sent) is refused with
 * {@code 401 MTLS_CERT_REQUIRED}.
 */
public final class MtlsPolicyFactory implements PolicyFactory {
    private static final List<String> SOURCES = List.of("subject_cn", "san_dns", "san_uri", "san_email", "subject");
    private static final String SAN_EXPECTED =
            "a subject alternative name written DNS:name, URI:uri, email:address or IP:address";

    private final Clock clock;

    /** For {@link java.util.ServiceLoader}. */
    public MtlsPolicyFactory() {
        this(Clock.systemUTC());
    }

    MtlsPolicyFactory(Clock clock) {
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public String name() {
        return "mtls";
    }

    @Override
    public Policy create(ConfigNode config, PolicyContext context) throws ConfigException {
        ConfigNode.Fields f = config.fields();
        String from = f.choice("consumer_from", SOURCES, "subject_cn");
        Set<String> subjects = new LinkedHashSet<>();
        Optional<ConfigNode> subjectsNode = f.optional("allowed_subjects");
        if (subjectsNode.isPresent()) {
            for (ConfigNode item : subjectsNode.get().asItems()) {
                String dn = CertificateIdentity.normalizeDn(item.asNonBlankString());
                if (dn == null) {
                    throw item.error("a subject DN such as 'CN=billing,O=Acme,C=DE'");
                }
                subjects.add(dn);
            }
        }
        Set<String> sans = new LinkedHashSet<>();
        Optional<ConfigNode> sansNode = f.optional("allowed_sans");
        if (sansNode.isPresent()) {
            for (ConfigNode item : sansNode.get().asItems()) {
                String san = item.asNonBlankString();
                if (CertificateIdentity.sanKind(san) == null) {
                    throw item.error(SAN_EXPECTED);
                }
                sans.add(CertificateIdentity.normalizeSan(san));
            }
        }
        Set<String> scopes = new LinkedHashSet<>();
        Optional<ConfigNode> scopesNode = f.optional("scopes");
        if (scopesNode.isPresent()) {
            for (ConfigNode item : scopesNode.get().asItems()) {
                String scope = item.asNonBlankString();
                if (scope.indexOf(' ') >= 0) {
                    throw item.error("a scope without spaces");
                }
                scopes.add(scope);
            }
        }
        f.finish();
        MtlsConfig c =
                new MtlsConfig(MtlsConfig.ConsumerFrom.valueOf(from.toUpperCase(Locale.ROOT)), subjects, sans, scopes);
        return new MtlsPolicy(c, clock);
    }
}
