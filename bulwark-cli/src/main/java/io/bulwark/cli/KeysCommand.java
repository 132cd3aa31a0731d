package io.bulwark.cli;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bulwark keys}: signing keys for tests, demos and small deployments. */
@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = "Manage JWT signing keys.",
        subcommands = {KeysCommand.Generate.class})
final class KeysCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code bulwark keys generate}. */
    @Command(
            name = "generate",
            mixinStandardHelpOptions = true,
            description = {
                "Generate a signing key pair and add its public key to DIR/jwks.json.",
                "Writes DIR/<kid>.private.jwk.json (mode 600; the private key: keep it secret) and DIR/jwks.json",
                "(public keys only: what the jwt policy's jwks_file reads). Running it again adds a key to the set,",
                "which is how keys are rotated: publish the new key, switch signing, then remove the old one."
            })
    static final class Generate implements Callable<Integer> {
        static final List<String> ALGORITHMS =
                List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA");

        @Option(
                names = "--alg",
                defaultValue = "ES256",
                description = "One of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
                completionCandidates = Algorithms.class)
        String alg;

        @Option(
                names = "--out",
                required = true,
                paramLabel = "DIR",
                description = "Output directory (created when missing).")
        Path out;

        @Option(names = "--kid", paramLabel = "KID", description = "Key id (default: random).")
        String kid;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter err = spec.commandLine().getErr();
            if (!ALGORITHMS.contains(alg)) {
                err.println(
                        "keys generate: --alg " + alg + " (expected: one of " + String.join(", ", ALGORITHMS) + ")");
                err.flush();
                return 2;
            }
            String id = kid != null ? kid : randomKid();
            if (!id.matches("[A-Za-z0-9._-]{1,64}")) {
                err.println("keys generate: --kid must be 1 to 64 letters, digits, '.', '_' or '-'");
                err.flush();
                return 2;
            }
            Files.createDirectories(out);
            Path privateFile = out.resolve(id + ".private.jwk.json");
            Path jwksFile = out.resolve("jwks.json");
            List<JWK> keys = new ArrayList<>();
            if (Files.exists(jwksFile)) {
                keys.addAll(JWKSet.parse(Files.readString(jwksFile, StandardCharsets.UTF_8))
                        .getKeys());
                if (keys.stream().anyMatch(k -> id.equals(k.getKeyID()))) {
                    err.println("keys generate: " + jwksFile + " already has a key with kid " + id);
                    err.flush();
                    return 1;
                }
            }
            JWK key = generate(JWSAlgorithm.parse(alg), id);
            writePrivate(privateFile, key.toJSONString());
            keys.add(key.toPublicJWK());
            Files.writeString(jwksFile, new JWKSet(keys).toString(true), StandardCharsets.UTF_8);
            PrintWriter o = spec.commandLine().getOut();
            o.printf(
                    "generated %s key %s%n  private key: %s (keep it secret)%n  public keys: %s (%d key%s)%n",
                    alg, id, privateFile, jwksFile, keys.size(), keys.size() == 1 ? "" : "s");
            o.flush();
            return 0;
        }

        static JWK generate(JWSAlgorithm alg, String kid) throws JOSEException {
            String name = alg.getName();
            if (name.startsWith("RS") || name.startsWith("PS")) {
                return new RSAKeyGenerator(name.endsWith("256") ? 2048 : 3072)
                        .keyID(kid)
                        .algorithm(alg)
                        .keyUse(KeyUse.SIGNATURE)
                        .generate();
            }
            if (name.startsWith("ES")) {
                Curve curve = name.equals("ES256") ? Curve.P_256 : name.equals("ES384") ? Curve.P_384 : Curve.P_521;
                return new ECKeyGenerator(curve)
                        .keyID(kid)
                        .algorithm(alg)
                        .keyUse(KeyUse.SIGNATURE)
                        .generate();
            }
            return new OctetKeyPairGenerator(Curve.Ed25519)
                    .keyID(kid)
                    .algorithm(alg)
                    .keyUse(KeyUse.SIGNATURE)
                    .generate();
        }

        private static String randomKid() {
            byte[] b = new byte[8];
            new SecureRandom().nextBytes(b);
            return HexFormat.of().formatHex(b);
        }

        static void writePrivate(Path file, String content) throws IOException {
            Files.deleteIfExists(file);
            try {
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        }
    }

    /** Completion candidates for --alg. */
    static final class Algorithms extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        Algorithms() {
            super(Generate.ALGORITHMS);
        }
    }

    /** Reads a private key: a JWK JSON file written by {@code keys generate}, or a PEM private key. */
    static JWK readPrivateKey(Path file) throws IOException, ParseException, JOSEException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        JWK jwk = text.trim().startsWith("{") ? JWK.parse(text) : JWK.parseFromPEMEncodedObjects(text);
        if (!jwk.isPrivate()) {
            throw new ParseException(file + " holds no private key", 0);
        }
        return jwk;
    }
}
