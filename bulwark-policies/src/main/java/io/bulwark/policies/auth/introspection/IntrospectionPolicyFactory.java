package io.bulwark.policies.auth.introspection;

import static java.util.Objects.requireNonNull;

import io.bulwark.api.Policy;
import io.bulwark.api.PolicyContext;
import io.bulwark.api.PolicyFactory;
import io.bulwark.api.config.ConfigException;
import io.bulwark.api.config.ConfigNode;
import io.bulwark.policies.auth.BearerTokens;
import io.bulwark.policies.auth.EnvironmentCheck;
import io.bulwark.policies.auth.RemoteUrls;
import io.bulwark.policies.auth.TokenSource;
import io.bulwark.policies.auth.introspection.IntrospectionConfig.ClientAuth;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code introspection}: authenticates requests by opaque tokens, asking the authorization server about each one
 * through OAuth 2.0 Token Introspection (RFC 7662), with a bounded cache of the answers.
 */
public final class IntrospectionPolicyFactory implements PolicyFactory {
    private static final List<String> CLIENT_AUTH = List.of("client_secret_basic", "client_secret_post");

    private final Clock clock;

    /** For {@link java.util.ServiceLoader}. */
    public IntrospectionPolicyFactory() {
        this(Clock.systemUTC());
    }

    IntrospectionPolicyFactory(Clock clock) {
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public String name() {
        return "introspection";
    }

    @Override
    public Policy create(ConfigNode config, PolicyContext context) throws ConfigException {
        ConfigNode.Fields f = config.fields();
        ConfigNode endpointNode = f.required("endpoint");
        URI endpoint;
        try {
            endpoint = RemoteUrls.remoteUri(endpointNode.asNonBlankString());
        } catch (IllegalArgumentException e) {
            throw endpointNode.error(e.getMessage(), RemoteUrls.EXPECTED);
        }
        String clientId = f.required("client_id").asNonBlankString();
        ConfigNode secretNode = f.required("client_secret");
        if (secretNode.kind() != ConfigNode.Kind.SCALAR || secretNode.asString().isEmpty()) {
            // Never describe the value: a literal secret would be printed.
            throw secretNode.error(
                    secretNode.kind() == ConfigNode.Kind.SCALAR ? "an empty value" : "not a string",
                    "a non-empty string, best a ${env:NAME} or ${file:PATH} reference");
        }
        String clientSecret = secretNode.asString();
        ClientAuth clientAuth = ClientAuth.valueOf(
                f.choice("client_auth", CLIENT_AUTH, "client_secret_basic").toUpperCase(Locale.ROOT));
        TokenSource source = BearerTokens.tokenSource(f.optional("token"));
        Duration timeout = f.duration(
                "timeout", IntrospectionConfig.MIN_TIMEOUT, IntrospectionConfig.MAX_TIMEOUT, Duration.ofSeconds(2));
        int maxEntries = 10_000;
        Duration maxTtl = Duration.ofMinutes(5);
        Duration inactiveTtl = Duration.ofSeconds(10);
        Optional<ConfigNode> cacheNode = f.optional("cache");
        if (cacheNode.isPresent()) {
            ConfigNode.Fields c = cacheNode.get().fields();
            maxEntries = c.integer("max_entries", 0, IntrospectionConfig.MAX_ENTRIES, maxEntries);
            maxTtl = c.duration("max_ttl", Duration.ofSeconds(1), IntrospectionConfig.MAX_TTL_CEILING, maxTtl);
            inactiveTtl = c.duration("inactive_ttl", Duration.ZERO, IntrospectionConfig.MAX_INACTIVE_TTL, inactiveTtl);
            c.finish();
        }
        int maxConcurrent = f.integer("max_concurrent", 1, IntrospectionConfig.MAX_CONCURRENT, 64);
        String issuer = null;
        Optional<ConfigNode> issuerNode = f.optional("issuer");
        if (issuerNode.isPresent()) {
            issuer = issuerNode.get().asNonBlankString();
        }
        Set<String> audiences = new LinkedHashSet<>();
        Optional<ConfigNode> audiencesNode = f.optional("audiences");
        if (audiencesNode.isPresent()) {
            List<String> list = audiencesNode.get().asStringList();
            if (list.isEmpty() || list.stream().anyMatch(String::isBlank)) {
                throw audiencesNode.get().error("a non-empty list of non-empty strings");
            }
            audiences.addAll(list);
        }
        Optional<ConfigNode> consumerNode = f.optional("consumer_claim");
        String consumerClaim = "client_id";
        if (consumerNode.isPresent()) {
            consumerClaim = consumerNode.get().asString();
            if (consumerClaim.isBlank()) {
                throw consumerNode.get().error("a claim name");
            }
        }
        EnvironmentCheck environment = EnvironmentCheck.fromConfig(f, context);
        long maxResponseBytes = f.bytes(
                "max_response_bytes",
                IntrospectionConfig.MIN_RESPONSE_BYTES,
                IntrospectionConfig.MAX_RESPONSE_BYTES,
                64 * 1024);
        f.finish();
        IntrospectionConfig settings;
        try {
            settings = new IntrospectionConfig(
                    endpoint,
                    clientId,
                    clientSecret,
                    clientAuth,
                    source,
                    timeout,
                    maxEntries,
                    maxTtl,
                    inactiveTtl,
                    maxConcurrent,
                    issuer,
                    audiences,
                    consumerClaim,
                    environment,
                    maxResponseBytes);
        } catch (IllegalArgumentException e) {
            // Every value was checked above; the record's own messages never hold the secret.
            throw config.error("invalid settings", "valid settings (" + e.getMessage() + ")");
        }
        return new IntrospectionPolicy(settings, clock);
    }
}
