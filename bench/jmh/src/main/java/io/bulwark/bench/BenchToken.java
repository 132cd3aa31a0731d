package io.bulwark.bench;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.factories.DefaultJWSSignerFactory;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;

/**
 * The credential of the benchmark request, as bench/run.sh makes it for scenario (d): an ES256 key whose JWKS sits
 * in {@link #KEY_DIR}, and one bearer token (issuer {@code https://bench.bulwark.local}, audience {@code bench}).
 */
final class BenchToken {
    static final String ISSUER = "https://bench.bulwark.local";
    static final String AUDIENCE = "bench";
    static final Path KEY_DIR;
    static final String BEARER;

    static {
        try {
            ECKey key = new ECKeyGenerator(Curve.P_256).keyID("bench").generate();
            KEY_DIR = Files.createTempDirectory("bulwark-bench-keys");
            KEY_DIR.toFile().deleteOnExit();
            Files.writeString(KEY_DIR.resolve("jwks.json"), new JWKSet(key.toPublicJWK()).toString());
            Instant now = Instant.now();
            JWTClaimsSet claims = new JWTClaimsSet.Builder()
                    .subject("bench-user")
                    .issuer(ISSUER)
                    .audience(AUDIENCE)
                    .issueTime(Date.from(now))
                    .expirationTime(Date.from(now.plusSeconds(86_400)))
                    .claim("scope", "bench:read")
                    .claim("auth_time", now.getEpochSecond())
                    .build();
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("bench").build(), claims);
            jwt.sign(new DefaultJWSSignerFactory().createJWSSigner(key, JWSAlgorithm.ES256));
            BEARER = "Bearer " + jwt.serialize();
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private BenchToken() {}
}
