package io.bulwark.cli;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.factories.DefaultJWSSignerFactory;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bulwark token}: mints a signed test token. */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = {
            "Mint a signed JWT for tests and demos, printed on standard output.",
            "Example: bulwark token --key keys/demo.private.jwk.json --sub alice --scope 'orders:read' --ttl 15m"
        })
final class TokenCommand implements Callable<Integer> {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(s|m|h|d)");

    @Option(
            names = "--key",
            required = true,
            paramLabel = "FILE",
            description = "Private key: a JWK file from 'bulwark keys generate', or a PEM private key.")
    Path key;

    @Option(names = "--sub", required = true, description = "Subject (sub).")
    String subject;

    @Option(names = "--scope", description = "Space-separated scopes (scope).")
    String scope;

    @Option(
            names = "--ttl",
            defaultValue = "15m",
            description = "Lifetime such as 30s, 15m, 2h, 1d (default: ${DEFAULT-VALUE}).")
    String ttl;

    @Option(
            names = "--iss",
            defaultValue = "https://issuer.bulwark.local",
            description = "Issuer (default: ${DEFAULT-VALUE}).")
    String issuer;

    @Option(names = "--aud", description = "Audience; repeat for several (default: bulwark).")
    List<String> audiences = new ArrayList<>();

    @Option(
            names = "--claim",
            paramLabel = "NAME=VALUE",
            description = "Extra claim; repeatable. Integers, true and false become JSON numbers and booleans.")
    List<String> claims = new ArrayList<>();

    @Option(
            names = "--auth-time",
            paramLabel = "WHEN",
            description = "auth_time: 'now', epoch seconds, or a duration ago such as 10m.")
    String authTime;

    @Option(names = "--alg", description = "Signing algorithm (default: the key's, or ES256/RS256/EdDSA by key type).")
    String alg;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws Exception {
        Duration lifetime = duration(ttl);
        if (lifetime == null) {
            return usage("--ttl " + ttl + " (expected: a duration such as 30s, 15m, 2h, 1d)");
        }
        JWK jwk;
        try {
            jwk = KeysCommand.readPrivateKey(key);
        } catch (java.io.IOException | java.text.ParseException | JOSEException e) {
            return usage("--key " + key + ": not a readable private key ("
                    + e.getClass().getSimpleName() + ")");
        }
        Instant now = clock.instant();
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder()
                .subject(subject)
                .issuer(issuer)
                .audience(audiences.isEmpty() ? List.of("bulwark") : audiences)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString());
        if (scope != null) {
            b.claim("scope", scope);
        }
        if (authTime != null) {
            Instant at = authTime(authTime, now);
            if (at == null) {
                return usage(
                        "--auth-time " + authTime + " (expected: now, epoch seconds, or a duration ago such as 10m)");
            }
            b.claim("auth_time", at.getEpochSecond());
        }
        for (String c : claims) {
            int eq = c.indexOf('=');
            if (eq <= 0) {
                return usage("--claim " + c + " (expected: NAME=VALUE)");
            }
            b.claim(c.substring(0, eq), value(c.substring(eq + 1)));
        }
        JWSAlgorithm algorithm = alg != null ? JWSAlgorithm.parse(alg) : algorithmOf(jwk);
        spec.commandLine().getOut().println(sign(jwk, algorithm, b.build()));
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** Signs a claim set with a private key, naming the key's {@code kid} in the header. */
    static String sign(JWK jwk, JWSAlgorithm algorithm, JWTClaimsSet claims) throws JOSEException {
        JWSSigner signer = new DefaultJWSSignerFactory().createJWSSigner(jwk, algorithm);
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(algorithm).keyID(jwk.getKeyID()).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private int usage(String message) {
        spec.commandLine().getErr().println("token: " + message);
        spec.commandLine().getErr().flush();
        return 2;
    }

    static JWSAlgorithm algorithmOf(JWK jwk) {
        if (jwk.getAlgorithm() != null) {
            return JWSAlgorithm.parse(jwk.getAlgorithm().getName());
        }
        if (jwk instanceof RSAKey) {
            return JWSAlgorithm.RS256;
        }
        if (jwk instanceof ECKey ec) {
            return ec.getCurve().getStdName().equals("secp384r1")
                    ? JWSAlgorithm.ES384
                    : ec.getCurve().getStdName().equals("secp521r1") ? JWSAlgorithm.ES512 : JWSAlgorithm.ES256;
        }
        if (jwk instanceof OctetKeyPair) {
            return JWSAlgorithm.EdDSA;
        }
        throw new IllegalArgumentException("unsupported key type " + jwk.getKeyType());
    }

    static Duration duration(String s) {
        Matcher m = DURATION.matcher(s);
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    private static Instant authTime(String s, Instant now) {
        if (s.equals("now")) {
            return now;
        }
        if (s.matches("\\d{1,12}")) {
            return Instant.ofEpochSecond(Long.parseLong(s));
        }
        Duration ago = duration(s);
        return ago == null ? null : now.minus(ago);
    }

    private static Object value(String v) {
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        if (v.matches("-?\\d{1,18}")) {
            return Long.parseLong(v);
        }
        return v;
    }
}
