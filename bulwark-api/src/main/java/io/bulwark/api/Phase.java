package io.bulwark.api;

/**
 * Where a policy sits in the chain. Phases fix the order of execution; within a phase, policies run in the
 * order the route lists them. The request travels down the phases, the response back up.
 */
public enum Phase {
    /** Cheap connection-level checks that need no identity: IP rules, geo, blocklist, CORS preflights. */
    CONNECT,
    /** Establishes who the caller is and publishes a principal. A route with no policy here must be public. */
    AUTHENTICATE,
    /** Decides whether the authenticated caller may do this. */
    AUTHORIZE,
    /** Rate limits, quotas and concurrency limits. */
    LIMIT,
    /** Contract and content checks: OpenAPI, injection detection, size limits. */
    VALIDATE,
    /** Works on the upstream response before it is sent: filtering, redaction, security headers. */
    RESPOND,
    /** Watches the finished exchange; never changes the response. */
    OBSERVE
}
