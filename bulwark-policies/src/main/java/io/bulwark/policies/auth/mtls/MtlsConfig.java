package io.bulwark.policies.auth.mtls;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/**
 * Validated settings of the {@code mtls} policy.
 *
 * @param consumerFrom which part of the client certificate is the consumer id
 * @param allowedSubjects subject DNs (RFC 2253 form, normalized) that are allowed; empty: no subject list
 * @param allowedSans subject alternative names ({@code DNS:...}, {@code URI:...}, {@code email:...},
 *     {@code IP:...}, normalized) that are allowed; empty: no name list
 * @param scopes the scopes granted to every certificate principal of the route
 */
record MtlsConfig(ConsumerFrom consumerFrom, Set<String> allowedSubjects, Set<String> allowedSans, Set<String> scopes) {
    /** Where the consumer id comes from. */
    enum ConsumerFrom {
        SUBJECT_CN("subject common name (CN)"),
        SAN_DNS("DNS subject alternative name"),
        SAN_URI("URI subject alternative name"),
        SAN_EMAIL("email subject alternative name"),
        SUBJECT("subject");

        /** What a certificate lacks when this source is empty; safe to show to the client. */
        final String description;

        ConsumerFrom(String description) {
            this.description = description;
        }
    }

    MtlsConfig {
        requireNonNull(consumerFrom, "consumerFrom");
        allowedSubjects = Set.copyOf(allowedSubjects);
        allowedSans = Set.copyOf(allowedSans);
        scopes = Set.copyOf(scopes);
        for (String san : allowedSans) {
            if (CertificateIdentity.sanKind(san) == null) {
                throw new IllegalArgumentException(
                        "allowedSans: " + san + " (expected: DNS:, URI:, email: or IP: followed by a name)");
            }
        }
    }

    /** True when the route restricts which certificates may pass beyond chaining to a trusted CA. */
    boolean restricted() {
        return !allowedSubjects.isEmpty() || !allowedSans.isEmpty();
    }
}
