package io.bulwark.policies.stepup;

import io.bulwark.api.Attributes;
import io.bulwark.api.Decision;
import io.bulwark.api.Exchange;
import io.bulwark.api.OperationMatch;
import io.bulwark.api.Phase;
import io.bulwark.api.Policy;
import io.bulwark.api.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * {@code step-up}: sensitive operations need a recent and/or strong enough user authentication, else the client gets
 * the RFC 9470 challenge that tells it to send the user back to the authorization server.
 */
final class StepUpPolicy implements Policy {
    static final String SENSITIVE = "x-bulwark-sensitive";
    static final String ACR_CLAIM = "acr";
    /** An {@code auth_time} further in the future than this is not believed: it would stay "fresh" for ever. */
    static final Duration FUTURE_SKEW = Duration.ofSeconds(60);

    private static final String WWW_AUTHENTICATE = "WWW-Authenticate";
    private static final CompletionStage<Decision> MISSING = Decision.reject(
                    StepUpErrors.AUTH_MISSING, "authentication is required", Map.of(WWW_AUTHENTICATE, "Bearer"))
            .asStage();

    private final StepUpConfig config;
    private final Clock clock;
    private final CompletionStage<Decision> tooOld;
    private final CompletionStage<Decision> wrongLevel;

    StepUpPolicy(StepUpConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.tooOld = challenge("More recent authentication is required");
        this.wrongLevel = challenge("A different authentication level is required");
    }

    private CompletionStage<Decision> challenge(String description) {
        StringBuilder h = new StringBuilder("Bearer error=\"insufficient_user_authentication\", error_description=\"")
                .append(description)
                .append('"');
        if (config.maxAge() != null) {
            h.append(", max_age=").append(config.maxAge().toSeconds());
        }
        if (!config.acrValues().isEmpty()) {
            h.append(", acr_values=\"")
                    .append(String.join(" ", config.acrValues()))
                    .append('"');
        }
        return Decision.reject(
                        StepUpErrors.AUTH_STEP_UP_REQUIRED,
                        description.toLowerCase(java.util.Locale.ROOT) + " for this operation",
                        Map.of(WWW_AUTHENTICATE, h.toString()))
                .asStage();
    }

    @Override
    public Phase phase() {
        return Phase.AUTHORIZE;
    }

    @Override
    public CompletionStage<Decision> onRequest(Exchange exchange) {
        if (!config.everyRequest()) {
            OperationMatch match = exchange.attribute(Attributes.OPERATION).orElse(null);
            if (match == null
                    || !config.operations().contains(match.operation().id())
                            && !match.operation().flag(SENSITIVE)) {
                return Decision.proceedStage();
            }
        }
        Principal principal = exchange.attribute(Attributes.PRINCIPAL).orElse(null);
        if (principal == null) {
            return MISSING;
        }
        if (!config.acrValues().isEmpty()
                && !(principal.claims().get(ACR_CLAIM) instanceof String acr
                        && config.acrValues().contains(acr))) {
            return wrongLevel;
        }
        if (config.maxAge() != null) {
            Instant authTime = principal.authTime();
            Instant now = clock.instant();
            // Unknown age is treated as too old: a token without auth_time cannot prove a recent login.
            if (authTime == null
                    || authTime.isAfter(now.plus(FUTURE_SKEW))
                    || authTime.plus(config.maxAge()).isBefore(now)) {
                return tooOld;
            }
        }
        return Decision.proceedStage();
    }
}
