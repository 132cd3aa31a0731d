package io.bulwark.policies.stepup;

import io.bulwark.api.ErrorKey;

/** The stable error keys of the {@code step-up} policy. */
public final class StepUpErrors {
    /** No principal: no authentication policy ran before {@code step-up}. Same key as the authentication policies'. */
    public static final ErrorKey AUTH_MISSING = new ErrorKey("AUTH_MISSING", 401, "Authentication required");

    /**
     * The operation is sensitive and the caller's authentication is too old, of unknown age, or of a level
     * ({@code acr}) the operation does not accept: the user must authenticate again (RFC 9470).
     */
    public static final ErrorKey AUTH_STEP_UP_REQUIRED =
            new ErrorKey("AUTH_STEP_UP_REQUIRED", 401, "Stronger or more recent authentication required");

    private StepUpErrors() {}
}
