package io.bulwark.policies.auth.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The verifiers for the configured keys, built once at load. Each key is bound to the algorithms of its own family
 * (RSA to RS and PS, an EC key to the ES algorithm of its curve, Ed25519 to EdDSA) so that a token can never make a
 * key serve an algorithm it was not made for (the classic RSA-key-as-HMAC-secret confusion among them).
 */
final class JwtKeys {
    /** Without a kid, a token may cost at most this many signature checks. */
    static final int MAX_CANDIDATES = 8;

    /** Signature algorithms each key family may serve; HMAC appears nowhere. */
    static final Set<JWSAlgorithm> RSA_ALGORITHMS = Set.of(
            JWSAlgorithm.RS256,
            JWSAlgorithm.RS384,
            JWSAlgorithm.RS512,
            JWSAlgorithm.PS256,
            JWSAlgorithm.PS384,
            JWSAlgorithm.PS512);

    record Entry(String kid, Set<JWSAlgorithm> algorithms, JWSVerifier verifier) {}

    private final Map<String, Entry> byKid;
    private final Map<JWSAlgorithm, List<Entry>> byAlgorithm;

    JwtKeys(List<JWK> keys, Set<JWSAlgorithm> allowed) throws JOSEException {
        Map<String, Entry> kids = new HashMap<>();
        Map<JWSAlgorithm, List<Entry>> algs = new HashMap<>();
        for (JWK key : keys) {
            Set<JWSAlgorithm> family = algorithmsFor(key);
            if (key.getAlgorithm() != null) {
                // A key that declares its alg serves that one only (RFC 7517 §4.4).
                JWSAlgorithm declared = JWSAlgorithm.parse(key.getAlgorithm().getName());
                family = family.contains(declared) ? Set.of(declared) : Set.of();
            }
            Entry entry = new Entry(key.getKeyID(), family, verifierFor(key));
            if (key.getKeyID() != null && kids.putIfAbsent(key.getKeyID(), entry) != null) {
                throw new IllegalArgumentException("kid: " + key.getKeyID() + " (expected: unique key ids)");
            }
            for (JWSAlgorithm alg : family) {
                if (allowed.contains(alg)) {
                    List<Entry> list = algs.computeIfAbsent(alg, a -> new ArrayList<>());
                    if (list.size() < MAX_CANDIDATES) {
                        list.add(entry);
                    }
                }
            }
        }
        this.byKid = Map.copyOf(kids);
        Map<JWSAlgorithm, List<Entry>> frozen = new HashMap<>();
        algs.forEach((alg, list) -> frozen.put(alg, List.copyOf(list)));
        this.byAlgorithm = Collections.unmodifiableMap(frozen);
    }

    /** The key with this kid, or null. */
    Entry byKid(String kid) {
        return byKid.get(kid);
    }

    /** The keys that may verify this algorithm, at most {@link #MAX_CANDIDATES}. */
    List<Entry> candidates(JWSAlgorithm alg) {
        return byAlgorithm.getOrDefault(alg, List.of());
    }

    /** True when at least one key can verify one allowed algorithm. */
    boolean usable() {
        return !byAlgorithm.isEmpty();
    }

    /** The algorithms a key may serve, or an IllegalArgumentException for a key type Bulwark refuses. */
    static Set<JWSAlgorithm> algorithmsFor(JWK key) {
        if (key instanceof RSAKey rsa) {
            if (rsa.size() < 2048) {
                throw new IllegalArgumentException("RSA key size: " + rsa.size() + " bits (expected: >= 2048)");
            }
            return RSA_ALGORITHMS;
        }
        if (key instanceof ECKey ec) {
            Curve c = ec.getCurve();
            if (Curve.P_256.equals(c)) {
                return Set.of(JWSAlgorithm.ES256);
            }
            if (Curve.P_384.equals(c)) {
                return Set.of(JWSAlgorithm.ES384);
            }
            if (Curve.P_521.equals(c)) {
                return Set.of(JWSAlgorithm.ES512);
            }
            throw new IllegalArgumentException("curve: " + c + " (expected: P-256, P-384 or P-521)");
        }
        if (key instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
            return Set.of(JWSAlgorithm.EdDSA);
        }
        throw new IllegalArgumentException(
                "key type: " + key.getKeyType() + " (expected: RSA, EC P-256/P-384/P-521 or Ed25519 public keys)");
    }

    private static JWSVerifier verifierFor(JWK key) throws JOSEException {
        return switch (key) {
            case RSAKey rsa -> new RSASSAVerifier(rsa);
            case ECKey ec -> new ECDSAVerifier(ec);
            case OctetKeyPair okp -> new Ed25519Verifier(okp);
            default -> throw new IllegalArgumentException("key type: " + key.getKeyType());
        };
    }
}
