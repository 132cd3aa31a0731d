package io.bulwark.policies;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/** Test certificate authorities, client certificates and CRLs (EC P-256, BouncyCastle), written as PEM. */
public final class TestPki {
    private static final AtomicLong SERIALS = new AtomicLong(1000);

    private TestPki() {}

    /** A key pair and its certificate. */
    public record Issued(KeyPair keys, X509Certificate certificate) {
        public BigInteger serial() {
            return certificate.getSerialNumber();
        }

        /** Writes {@code <name>.pem} (certificate) and {@code <name>-key.pem} (PKCS#8 key) into {@code dir}. */
        public Path writeTo(Path dir, String name) {
            Path cert = dir.resolve(name + ".pem");
            write(cert, pem("CERTIFICATE", der(certificate)));
            write(
                    dir.resolve(name + "-key.pem"),
                    pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
            return cert;
        }

        public Path keyPath(Path dir, String name) {
            return dir.resolve(name + "-key.pem");
        }
    }

    public static Issued ca(String dn) {
        KeyPair kp = newKeyPair();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        X500Name name = X500Name.getInstance(new javax.security.auth.x500.X500Principal(dn).getEncoded());
        try {
            var b = new JcaX509v3CertificateBuilder(
                            name,
                            nextSerial(),
                            Date.from(now.minus(Duration.ofHours(1))),
                            Date.from(now.plus(Duration.ofDays(2))),
                            name,
                            kp.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new Issued(kp, sign(b.build(signer(kp.getPrivate()))));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client certificate valid from an hour ago for a day. */
    public static Issued client(Issued ca, String dn, GeneralName... sans) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return client(ca, dn, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), sans);
    }

    public static Issued client(Issued ca, String dn, Instant notBefore, Instant notAfter, GeneralName... sans) {
        KeyPair kp = newKeyPair();
        try {
            var b = new JcaX509v3CertificateBuilder(
                            ca.certificate(),
                            nextSerial(),
                            Date.from(notBefore),
                            Date.from(notAfter),
                            new javax.security.auth.x500.X500Principal(dn),
                            kp.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(
                            Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            if (sans.length > 0) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
            }
            return new Issued(kp, sign(b.build(signer(ca.keys().getPrivate()))));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PEM CRL issued by {@code ca} that revokes the given serials. */
    public static String crl(Issued ca, BigInteger... revoked) {
        Instant now = Instant.now();
        X509v2CRLBuilder b = new X509v2CRLBuilder(
                X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()), Date.from(now));
        b.setNextUpdate(Date.from(now.plus(Duration.ofDays(1))));
        for (BigInteger s : revoked) {
            b.addCRLEntry(s, Date.from(now.minusSeconds(60)), CRLReason.keyCompromise);
        }
        try {
            return new String(
                    pem("X509 CRL", b.build(signer(ca.keys().getPrivate())).getEncoded()), StandardCharsets.US_ASCII);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pemOf(X509Certificate c) {
        return new String(pem("CERTIFICATE", der(c)), StandardCharsets.US_ASCII);
    }

    public static void write(Path file, String text) {
        write(file, text.getBytes(StandardCharsets.US_ASCII));
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static GeneralName dns(String name) {
        return new GeneralName(GeneralName.dNSName, name);
    }

    public static GeneralName uri(String uri) {
        return new GeneralName(GeneralName.uniformResourceIdentifier, uri);
    }

    public static GeneralName email(String email) {
        return new GeneralName(GeneralName.rfc822Name, email);
    }

    private static BigInteger nextSerial() {
        return BigInteger.valueOf(SERIALS.incrementAndGet());
    }

    private static org.bouncycastle.operator.ContentSigner signer(PrivateKey key) throws Exception {
        return new JcaContentSignerBuilder("SHA256withECDSA").build(key);
    }

    private static X509Certificate sign(X509CertificateHolder holder) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(holder.getEncoded()));
    }

    private static byte[] der(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] pem(String type, byte[] der) {
        StringWriter text = new StringWriter();
        try (PemWriter w = new PemWriter(text)) {
            w.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
