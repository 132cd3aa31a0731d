package io.bulwark.demo;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * A self-signed TLS server certificate for local use (the demo, a first HTTPS listener), written as PEM files that
 * Vert.x {@code PemKeyCertOptions} and common tools load.
 *
 * <p>The key is EC P-256: fast to generate and to handshake with, and accepted by every current TLS client.
 */
public final class SelfSignedCertificate {

    /** Tolerates a client clock somewhat behind ours. */
    private static final Duration BACKDATE = Duration.ofHours(1);
    /** The longest common name X.520 allows. */
    private static final int MAX_COMMON_NAME_LENGTH = 64;

    /** Host name labels, optionally behind a wildcard: what a dNSName entry may hold (RFC 5280, 4.2.1.6). */
    private static final Pattern DNS_NAME = Pattern.compile(
            "(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    private static final String FALLBACK_COMMON_NAME = "Bulwark self-signed certificate";

    private SelfSignedCertificate() {}

    /**
     * Writes a new certificate and its private key unless both files already exist, in which case they are left
     * untouched (whatever they contain). If only one exists, both are replaced.
     *
     * @param certPem where the PEM certificate goes
     * @param keyPem where the unencrypted PKCS#8 PEM private key goes; readable by the owner only where the file
     *     system has POSIX permissions
     * @param validity how long from now the certificate is valid
     * @param subjectAltNames DNS names ({@code "localhost"}) and IPv4 or IPv6 addresses ({@code "127.0.0.1"},
     *     {@code "::1"}) the certificate is for; at least one
     * @return true when new files were written
     * @throws UncheckedIOException when a file or directory cannot be written
     */
    public static boolean generateIfAbsent(Path certPem, Path keyPem, Duration validity, List<String> subjectAltNames) {
        requireNonNull(certPem, "certPem");
        requireNonNull(keyPem, "keyPem");
        requireNonNull(validity, "validity");
        requireNonNull(subjectAltNames, "subjectAltNames");
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("validity must be positive, got " + validity);
        }
        if (subjectAltNames.isEmpty()) {
            throw new IllegalArgumentException("at least one subject alternative name is needed");
        }
        GeneralNames altNames = generalNames(subjectAltNames);
        if (Files.exists(certPem) && Files.exists(keyPem)) {
            return false;
        }

        KeyPair keyPair = newKeyPair();
        X509CertificateHolder certificate = selfSign(keyPair, commonName(subjectAltNames), altNames, validity);
        try {
            // The key first: if the process dies between the two writes, the certificate is missing and the next
            // call starts over instead of pairing a new certificate with a stale key.
            write(keyPem, pem("PRIVATE KEY", keyPair.getPrivate().getEncoded()), "rw-------");
            write(certPem, pem("CERTIFICATE", certificate.getEncoded()), "rw-r--r--");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the certificate to " + certPem + " and " + keyPem, e);
        }
        return true;
    }

    private static GeneralNames generalNames(List<String> subjectAltNames) {
        GeneralName[] names = new GeneralName[subjectAltNames.size()];
        for (int i = 0; i < names.length; i++) {
            String name = requireNonNull(subjectAltNames.get(i), "subject alternative name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("a subject alternative name is blank");
            }
            // Decided by syntax, never by resolving the name.
            if (IPAddress.isValid(name)) {
                names[i] = new GeneralName(GeneralName.iPAddress, name);
            } else if (DNS_NAME.matcher(name).matches()) {
                names[i] = new GeneralName(GeneralName.dNSName, name);
            } else {
                throw new IllegalArgumentException(
                        "not a DNS name (internationalized names in their xn-- form) or IP address: " + name);
            }
        }
        return new GeneralNames(names);
    }

    private static String commonName(List<String> subjectAltNames) {
        // Clients match the subject alternative names; the common name is only what people see.
        String first = subjectAltNames.get(0);
        return first.length() <= MAX_COMMON_NAME_LENGTH ? first : FALLBACK_COMMON_NAME;
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK supports EC P-256 keys", e);
        }
    }

    private static X509CertificateHolder selfSign(
            KeyPair keyPair, String commonName, GeneralNames altNames, Duration validity) {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, commonName)
                .build();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // 127 random bits: unique without coordination, positive, and within the 20 octets RFC 5280 allows.
        BigInteger serial = new BigInteger(127, new SecureRandom()).add(BigInteger.ONE);
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                            subject,
                            serial,
                            Date.from(now.minus(BACKDATE)),
                            Date.from(now.plus(validity)),
                            subject,
                            keyPair.getPublic())
                    .addExtension(Extension.subjectAlternativeName, false, altNames)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    // digitalSignature only: RFC 5480 forbids keyEncipherment for EC keys (TLS never encrypts to
                    // an EC key; it signs the key exchange).
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(
                            Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(
                            Extension.subjectKeyIdentifier,
                            false,
                            new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keyPair.getPublic()));
            return builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate()));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot sign the certificate", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the certificate", e);
        }
    }

    private static byte[] pem(String type, byte[] der) throws IOException {
        StringWriter text = new StringWriter();
        try (PemWriter writer = new PemWriter(text)) {
            writer.writeObject(new PemObject(type, der));
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Writes through a temporary file in the same directory, created with the final permissions, then moves it in
     * place: the file never exists with wider permissions or half written.
     */
    private static void write(Path target, byte[] content, String posixPermissions) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        boolean posix = directory.getFileSystem().supportedFileAttributeViews().contains("posix");
        String prefix = "." + target.getFileName();
        Path temporary = posix
                ? Files.createTempFile(
                        directory,
                        prefix,
                        ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(posixPermissions)))
                : Files.createTempFile(directory, prefix, ".tmp");
        try {
            Files.write(temporary, content);
            try {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
