package io.bulwark.policies.auth.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.bulwark.api.Policy;
import io.bulwark.api.PolicyContext;
import io.bulwark.api.config.ConfigException;
import io.bulwark.api.config.ConfigNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** Keys, key files, tokens and a settable clock for the jwt tests. Keys are generated once per JVM. */
final class JwtFixtures {
    static final String ISSUER = "https://issuer.example.com";
    static final String AUDIENCE = "orders-api";
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    static final RSAKey RSA = generateRsa("rsa-1");
    /** Same kid as {@link #RSA}, different key: what an attacker holding their own key would send. */
    static final RSAKey OTHER_RSA = generateRsa("rsa-1");

    static final ECKey EC = generateEc("ec-1");
    static final OctetKeyPair ED = generateEd("ed-1");

    private JwtFixtures() {}

    /** A clock that tests move by hand. */
    static final class MutableClock extends Clock {
        private Instant now = NOW;

        void set(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Writes jwks.json (RSA and EC) and ed.pem (Ed25519) to the directory. */
    static void writeKeyFiles(Path dir) throws IOException {
        String jwks = "{\"keys\":[" + RSA.toPublicJWK().toJSONString() + ","
                + EC.toPublicJWK().toJSONString() + "]}";
        Files.writeString(dir.resolve("jwks.json"), jwks);
        Files.writeString(dir.resolve("ed.pem"), pem("PUBLIC KEY", ed25519Spki(ED)));
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    static byte[] ed25519Spki(OctetKeyPair key) {
        byte[] prefix = HexFormat.of().parseHex("302a300506032b6570032100");
        byte[] x = key.getX().decode();
        byte[] out = new byte[prefix.length + x.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(x, 0, out, prefix.length, x.length);
        return out;
    }

    /** The base config, to which a test adds or overrides keys. */
    static Map<String, Object> baseConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jwks_file", "jwks.json");
        m.put("public_keys", java.util.List.of("ed.pem"));
        m.put("issuer", ISSUER);
        m.put("audiences", java.util.List.of(AUDIENCE));
        return m;
    }

    static Policy policy(Map<String, Object> config, Path dir, Clock clock) throws ConfigException {
        return new JwtPolicyFactory(clock)
                .create(ConfigNode.fromValue(config, "test.yaml"), new PolicyContext(dir, "r1"));
    }

    /** Valid claims: right issuer and audience, issued now, expiring in five minutes. */
    static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject("user-1")
                .issueTime(Date.from(NOW))
                .expirationTime(Date.from(NOW.plusSeconds(300)));
    }

    static String sign(JWSAlgorithm alg, JWK key, String kid, JWTClaimsSet claims) {
        try {
            JWSSigner signer = switch (key) {
                case RSAKey r -> new RSASSASigner(r);
                case ECKey e -> new ECDSASigner(e);
                case OctetKeyPair o -> new Ed25519Signer(o);
                default -> throw new IllegalArgumentException();
            };
            JWSHeader.Builder header = new JWSHeader.Builder(alg);
            if (kid != null) {
                header.keyID(kid);
            }
            SignedJWT jwt = new SignedJWT(header.build(), claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey generateRsa(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECKey generateEc(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OctetKeyPair generateEd(String kid) {
        try {
            return new OctetKeyPairGenerator(Curve.Ed25519).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
