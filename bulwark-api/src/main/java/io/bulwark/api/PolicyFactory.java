package io.bulwark.api;

import io.bulwark.api.config.ConfigException;
import io.bulwark.api.config.ConfigNode;

/**
 * Builds a {@link Policy} from its config. Factories are found through {@link java.util.ServiceLoader} and
 * referenced by {@link #name()} in the config file. Build and validate everything here, at config load, so the
 * request path only runs compiled work.
 */
public interface PolicyFactory {
    /** The name used in config, lower-case words joined by '-', such as {@code request-size}. */
    String name();

    /**
     * Builds the policy.
     *
     * @param config the policy's config node (an object, possibly empty)
     * @throws ConfigException when the config is invalid; the message names the key and what was expected
     */
    Policy create(ConfigNode config, PolicyContext context) throws ConfigException;

    /**
     * Why this policy is discouraged, or null when it is not. {@code bulwark check} and the start-up log show the
     * reason for every route that uses it (API keys, for example, are allowed but weaker than signed tokens).
     */
    default String discouragedBecause() {
        return null;
    }
}
