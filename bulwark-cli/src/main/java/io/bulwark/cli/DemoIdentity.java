package io.bulwark.cli;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * The demo's identity provider in miniature: an ES256 key pair kept in {@code data/keys/} (made on first start) and
 * tokens for the sample API's seeded users, alice (a customer, user 1) and carol (an administrator, user 3).
 */
final class DemoIdentity {
    static final String ISSUER = "https://demo.bulwark.local";
    static final String AUDIENCE = "acme-shop";
    static final String ENVIRONMENT = "demo";
    static final String KID = "demo-es256";
    static final Duration TOKEN_TTL = Duration.ofHours(8);
    static final String CUSTOMER_SCOPES = "users:read orders:read orders:write";
    static final String ADMIN_SCOPES = "users:read users:write orders:read orders:write admin";

    private final JWK privateKey;

    private DemoIdentity(JWK privateKey) {
        this.privateKey = privateKey;
    }

    /** Loads the demo key from {@code keyDir}, or generates it (private key mode 600, public JWKS beside it). */
    static DemoIdentity loadOrCreate(Path keyDir) throws IOException, ParseException, JOSEException {
        Files.createDirectories(keyDir);
        Path privateFile = keyDir.resolve(KID + ".private.jwk.json");
        Path jwks = keyDir.resolve("jwks.json");
        JWK key;
        if (Files.isRegularFile(privateFile)) {
            key = JWK.parse(Files.readString(privateFile, StandardCharsets.UTF_8));
        } else {
            key = KeysCommand.Generate.generate(JWSAlgorithm.ES256, KID);
            KeysCommand.Generate.writePrivate(privateFile, key.toJSONString());
        }
        Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString(true), StandardCharsets.UTF_8);
        return new DemoIdentity(key);
    }

    /** A token for a seeded user, authenticated now, for this demo's environment. */
    String token(String userId, String scopes, Instant now) throws JOSEException {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(List.of(AUDIENCE))
                .subject(userId)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(TOKEN_TTL)))
                .jwtID(UUID.randomUUID().toString())
                .claim("scope", scopes)
                .claim("auth_time", now.getEpochSecond())
                .claim("env", ENVIRONMENT)
                .build();
        return TokenCommand.sign(privateKey, JWSAlgorithm.ES256, claims);
    }

    /** The same user's token, but minted for another environment: the gateway must refuse it. */
    String tokenForEnvironment(String userId, String scopes, Instant now, String environment) throws JOSEException {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(List.of(AUDIENCE))
                .subject(userId)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(15))))
                .jwtID(UUID.randomUUID().toString())
                .claim("scope", scopes)
                .claim("env", environment)
                .build();
        return TokenCommand.sign(privateKey, JWSAlgorithm.ES256, claims);
    }
}
