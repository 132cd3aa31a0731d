package io.bulwark.policies.auth.mtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * What the {@code mtls} policy reads from a client certificate, parsed once per certificate.
 *
 * @param thumbprint the RFC 8705 {@code x5t#S256}: base64url (no padding) of the SHA-256 of the DER encoding
 * @param subject the subject DN in RFC 2253 form
 * @param issuer the issuer DN in RFC 2253 form
 * @param serial the serial number in lower-case hex
 * @param commonName the most specific CN of the subject, or null
 * @param sans the subject alternative names in certificate order, each {@code DNS:}, {@code URI:}, {@code email:}
 *     or {@code IP:} followed by the name (DNS names lower-cased)
 */
record CertificateIdentity(
        String thumbprint, String subject, String issuer, String serial, String commonName, List<String> sans) {
    static final String DNS = "DNS:";
    static final String URI = "URI:";
    static final String EMAIL = "email:";
    static final String IP = "IP:";

    CertificateIdentity {
        sans = List.copyOf(sans);
    }

    /**
     * @throws CertificateParsingException when the certificate's names cannot be read
     */
    static CertificateIdentity of(X509Certificate cert) throws CertificateParsingException {
        String subject = cert.getSubjectX500Principal().getName(X500Principal.RFC2253);
        String issuer = cert.getIssuerX500Principal().getName(X500Principal.RFC2253);
        try {
            return new CertificateIdentity(
                    thumbprint(cert),
                    subject,
                    issuer,
                    cert.getSerialNumber().toString(16),
                    commonName(subject),
                    sans(cert));
        } catch (CertificateEncodingException e) {
            throw new CertificateParsingException("cannot encode the certificate", e);
        }
    }

    /** The x5t#S256 thumbprint of a certificate (RFC 8705 section 3.1). */
    static String thumbprint(X509Certificate cert) throws CertificateEncodingException {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** The consumer id this certificate yields for the given source, or null when the certificate has none. */
    String consumer(MtlsConfig.ConsumerFrom from) {
        return switch (from) {
            case SUBJECT_CN -> commonName;
            case SAN_DNS -> firstSan(DNS);
            case SAN_URI -> firstSan(URI);
            case SAN_EMAIL -> firstSan(EMAIL);
            case SUBJECT -> subject.isEmpty() ? null : subject;
        };
    }

    /** The claims published on the principal; never anything secret (a certificate is public). */
    Map<String, Object> claims() {
        return Map.of("x5t#S256", thumbprint, "subject", subject, "issuer", issuer, "serial", serial, "sans", sans);
    }

    private String firstSan(String prefix) {
        for (String s : sans) {
            if (s.startsWith(prefix)) {
                String value = s.substring(prefix.length());
                return value.isEmpty() ? null : value;
            }
        }
        return null;
    }

    /** The prefix of a SAN written in config ({@code DNS:}, ...), or null when it has none of the known ones. */
    static String sanKind(String san) {
        for (String p : List.of(DNS, URI, EMAIL, IP)) {
            if (san.startsWith(p) && san.length() > p.length()) {
                return p;
            }
        }
        return null;
    }

    /** A SAN in the form {@link #sans} uses: DNS names compare case-insensitively, everything else exactly. */
    static String normalizeSan(String san) {
        return san.startsWith(DNS) ? DNS + san.substring(DNS.length()).toLowerCase(Locale.ROOT) : san;
    }

    /** The subject DN in the form certificates are compared in, or null when it does not parse. */
    static String normalizeDn(String dn) {
        try {
            return new X500Principal(dn).getName(X500Principal.RFC2253);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String commonName(String rfc2253) {
        try {
            List<Rdn> rdns = new LdapName(rfc2253).getRdns();
            // LdapName lists RDNs from the root: walk backwards so the most specific CN wins.
            for (int i = rdns.size() - 1; i >= 0; i--) {
                Rdn rdn = rdns.get(i);
                if (rdn.getType().equalsIgnoreCase("CN") && rdn.getValue() instanceof String s && !s.isEmpty()) {
                    return s;
                }
            }
            return null;
        } catch (InvalidNameException e) {
            return null;
        }
    }

    private static List<String> sans(X509Certificate cert) throws CertificateParsingException {
        Collection<List<?>> names = cert.getSubjectAlternativeNames();
        if (names == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (List<?> name : names) {
            if (name.size() < 2 || !(name.get(0) instanceof Integer type) || !(name.get(1) instanceof String value)) {
                continue;
            }
            switch (type) {
                case 1 -> out.add(EMAIL + value);
                case 2 -> out.add(DNS + value.toLowerCase(Locale.ROOT));
                case 6 -> out.add(URI + value);
                case 7 -> out.add(IP + value);
                default -> {
                    // otherName, directoryName, ...: not used for identity here.
                }
            }
        }
        return out;
    }
}
