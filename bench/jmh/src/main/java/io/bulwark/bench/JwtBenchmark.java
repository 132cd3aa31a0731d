package io.bulwark.bench;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.factories.DefaultJWSSignerFactory;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.bulwark.api.Decision;
import io.bulwark.api.Policy;
import io.bulwark.api.PolicyContext;
import io.bulwark.api.config.ConfigNode;
import io.bulwark.policies.auth.jwt.JwtPolicyFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The {@code jwt} policy per request: a cached token (the common case: clients reuse a token for minutes) and
 * an uncached one (a full signature verification every time), per algorithm.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JwtBenchmark {
    @Param({"ES256", "RS256", "EdDSA"})
    public String alg;

    @Param({"true", "false"})
    public boolean cached;

    private Policy policy;
    private BenchExchange exchange;
    private String bearer;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        JWSAlgorithm algorithm = JWSAlgorithm.parse(alg);
        JWK key = switch (alg) {
            case "RS256" -> new RSAKeyGenerator(2048).keyID("k").generate();
            case "EdDSA" -> new OctetKeyPairGenerator(Curve.Ed25519).keyID("k").generate();
            default -> new ECKeyGenerator(Curve.P_256).keyID("k").generate();
        };
        Path dir = Files.createTempDirectory("bulwark-jwt-bench");
        Files.writeString(dir.resolve("jwks.json"), new JWKSet(key.toPublicJWK()).toString());
        policy = new JwtPolicyFactory()
                .create(
                        ConfigNode.fromValue(
                                Map.of(
                                        "jwks_file",
                                        "jwks.json",
                                        "issuer",
                                        "https://issuer.example",
                                        "audiences",
                                        List.of("shop"),
                                        "algorithms",
                                        List.of(alg),
                                        "cache_size",
                                        cached ? 10_000 : 0),
                                "bench"),
                        new PolicyContext(dir, "bench"));
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject("alice")
                .issuer("https://issuer.example")
                .audience("shop")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(3600)))
                .claim("scope", "orders:read orders:write")
                .build();
        JWSSigner signer = new DefaultJWSSignerFactory().createJWSSigner(key, algorithm);
        SignedJWT jwt =
                new SignedJWT(new JWSHeader.Builder(algorithm).keyID("k").build(), claims);
        jwt.sign(signer);
        bearer = "Bearer " + jwt.serialize();
        exchange = new BenchExchange(null);
        exchange.requestHeaders().set("Authorization", bearer);
        Decision d = policy.onRequest(exchange).toCompletableFuture().join();
        if (!(d instanceof Decision.Proceed)) {
            throw new IllegalStateException("the benchmark token is refused: " + d);
        }
    }

    @Benchmark
    public CompletionStage<Decision> authenticate() {
        exchange.reset();
        exchange.requestHeaders().set("Authorization", bearer);
        return policy.onRequest(exchange);
    }
}
