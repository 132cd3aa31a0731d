package io.bulwark.gateway.config;

import java.time.Duration;

/**
 * The Strict-Transport-Security header sent on HTTPS responses.
 *
 * @param enabled whether the header is sent
 * @param maxAge how long browsers remember to use HTTPS only
 * @param includeSubdomains adds {@code includeSubDomains}
 * @param preload adds {@code preload}
 */
public record HstsConfig(boolean enabled, Duration maxAge, boolean includeSubdomains, boolean preload) {
    public static final HstsConfig DEFAULT = new HstsConfig(true, Duration.ofDays(365), true, false);

    /** The header value. */
    public String headerValue() {
        return "max-age=" + maxAge.toSeconds() + (includeSubdomains ? "; includeSubDomains" : "")
                + (preload ? "; preload" : "");
    }
}
