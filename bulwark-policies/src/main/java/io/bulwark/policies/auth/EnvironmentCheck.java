package io.bulwark.policies.auth;

import static io.bulwark.policies.auth.AuthErrors.AUTH_ENVIRONMENT;

import io.bulwark.api.Decision;
import io.bulwark.api.PolicyContext;
import io.bulwark.api.config.ConfigException;
import io.bulwark.api.config.ConfigNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Environment segmentation: a gateway configured with {@code environment: prod} accepts only tokens issued for
 * {@code prod}, so that a staging token (often easier to obtain) never opens production. A token qualifies when its
 * environment claim equals the environment or, when it has no such claim, when one of its {@code aud} values does.
 * Without a configured environment every token qualifies.
 */
public final class EnvironmentCheck {
    /** The default claim that names a token's environment. */
    public static final String DEFAULT_CLAIM = "env";

    /** The {@code error_description} of the challenge. */
    public static final String DESCRIPTION = "token issued for another environment";

    private final String environment;
    private final String claim;
    private final String detail;
    private final Decision refusal;

    /**
     * @param environment the gateway's environment, or null for no check
     * @param claim the claim that names a token's environment
     */
    public EnvironmentCheck(String environment, String claim) {
        if (claim == null || claim.isBlank()) {
            throw new IllegalArgumentException("claim: " + claim + " (expected: a claim name)");
        }
        if (environment != null && environment.isBlank()) {
            throw new IllegalArgumentException("environment: blank (expected: null or a name)");
        }
        this.environment = environment;
        this.claim = claim;
        // The environment comes from the config, so it is safe to show; the token's claims never are.
        this.detail = environment == null
                ? null
                : "the token was not issued for this gateway's environment '" + environment + "'";
        this.refusal = environment == null ? null : BearerTokens.invalidToken(AUTH_ENVIRONMENT, detail, DESCRIPTION);
    }

    /** Reads {@code environment_claim} (default {@code env}) and takes the environment from the context. */
    public static EnvironmentCheck fromConfig(ConfigNode.Fields fields, PolicyContext context) throws ConfigException {
        Optional<ConfigNode> node = fields.optional("environment_claim");
        String claim = DEFAULT_CLAIM;
        if (node.isPresent()) {
            claim = node.get().asString();
            if (claim.isBlank()) {
                throw node.get().error("a claim name");
            }
        }
        return new EnvironmentCheck(context.environment(), claim);
    }

    /** The claim that names a token's environment. */
    public String claim() {
        return claim;
    }

    /** True when a token with these claims may be used here. */
    public boolean accepts(Map<String, ?> claims) {
        if (environment == null) {
            return true;
        }
        Object env = claims.get(claim);
        if (env != null) {
            // A claim of another type is not a match: never guess what a list or an object means.
            return env instanceof String s && s.equals(environment);
        }
        Object aud = claims.get("aud");
        if (aud instanceof String s) {
            return s.equals(environment);
        }
        if (aud instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof String s && s.equals(environment)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The problem detail of a refusal (names the gateway's environment, never the token's); null without one. */
    public String detail() {
        return detail;
    }

    /**
     * The rejection for a token {@link #accepts} refused: 401 {@code AUTH_ENVIRONMENT} with an {@code invalid_token}
     * challenge; null when no environment is configured.
     */
    public Decision refusal() {
        return refusal;
    }
}
