package io.bulwark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class KeysAndTokenCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new BulwarkCli());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ES256", "ES384", "RS256", "PS256", "EdDSA"})
    void generates_a_key_and_mints_a_token_it_verifies(String alg) throws Exception {
        Run gen = run("keys", "generate", "--alg", alg, "--out", dir.toString(), "--kid", "k1");
        assertThat(gen.code()).as(gen.err()).isZero();
        Path privateKey = dir.resolve("k1.private.jwk.json");
        assertThat(Files.getPosixFilePermissions(privateKey))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        String jwks = Files.readString(dir.resolve("jwks.json"), StandardCharsets.UTF_8);
        JWKSet set = JWKSet.parse(jwks);
        assertThat(set.getKeys()).hasSize(1);
        assertThat(set.getKeys().get(0).isPrivate()).isFalse();
        assertThat(jwks).doesNotContain("\"d\"");

        Run token = run(
                "token",
                "--key",
                privateKey.toString(),
                "--sub",
                "alice",
                "--scope",
                "orders:read orders:write",
                "--ttl",
                "15m",
                "--claim",
                "tenant=acme",
                "--claim",
                "level=3",
                "--claim",
                "admin=true",
                "--auth-time",
                "now",
                "--aud",
                "shop");
        assertThat(token.code()).as(token.err()).isZero();
        SignedJWT jwt = SignedJWT.parse(token.out().trim());
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo(alg);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo("k1");
        JWK publicKey = set.getKeyByKeyId("k1");
        com.nimbusds.jose.JWSVerifier verifier = alg.equals("EdDSA")
                ? new com.nimbusds.jose.crypto.Ed25519Verifier(publicKey.toOctetKeyPair())
                : new DefaultJWSVerifierFactory()
                        .createJWSVerifier(jwt.getHeader(), ((AsymmetricJWK) publicKey).toPublicKey());
        assertThat(jwt.verify(verifier)).isTrue();
        var claims = jwt.getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("alice");
        assertThat(claims.getAudience()).containsExactly("shop");
        assertThat(claims.getStringClaim("scope")).isEqualTo("orders:read orders:write");
        assertThat(claims.getStringClaim("tenant")).isEqualTo("acme");
        assertThat(claims.getLongClaim("level")).isEqualTo(3L);
        assertThat(claims.getBooleanClaim("admin")).isTrue();
        long lifetime =
                claims.getExpirationTime().getTime() - claims.getIssueTime().getTime();
        assertThat(lifetime).isEqualTo(15 * 60 * 1000L);
        assertThat(claims.getLongClaim("auth_time"))
                .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(5L));
    }

    @Test
    void adds_keys_to_the_set_for_rotation_and_refuses_a_duplicate_kid() throws Exception {
        assertThat(run("keys", "generate", "--out", dir.toString(), "--kid", "old")
                        .code())
                .isZero();
        assertThat(run("keys", "generate", "--out", dir.toString(), "--kid", "new", "--alg", "RS256")
                        .code())
                .isZero();
        assertThat(JWKSet.parse(Files.readString(dir.resolve("jwks.json"))).getKeys())
                .extracting(JWK::getKeyID)
                .containsExactly("old", "new");
        Run dup = run("keys", "generate", "--out", dir.toString(), "--kid", "new");
        assertThat(dup.code()).isEqualTo(1);
        assertThat(dup.err()).contains("already has a key with kid new");
    }

    @Test
    void refuses_bad_arguments_clearly() throws Exception {
        assertThat(run("keys", "generate", "--out", dir.toString(), "--alg", "HS256")
                        .err())
                .contains("expected: one of");
        assertThat(run("keys", "generate", "--out", dir.toString(), "--kid", "../x")
                        .code())
                .isEqualTo(2);
        run("keys", "generate", "--out", dir.toString(), "--kid", "k");
        Path key = dir.resolve("k.private.jwk.json");
        assertThat(run("token", "--key", key.toString(), "--sub", "a", "--ttl", "forever")
                        .err())
                .contains("--ttl forever");
        assertThat(run("token", "--key", dir.resolve("jwks.json").toString(), "--sub", "a")
                        .err())
                .contains("not a readable private key");
        assertThat(run("token", "--key", key.toString(), "--sub", "a", "--claim", "novalue")
                        .code())
                .isEqualTo(2);
        assertThat(run("token", "--key", key.toString(), "--sub", "a", "--auth-time", "yesterday")
                        .code())
                .isEqualTo(2);
    }
}
