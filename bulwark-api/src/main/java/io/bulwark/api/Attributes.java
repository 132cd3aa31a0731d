package io.bulwark.api;

/** Attribute keys that the gateway itself reads or writes. */
public final class Attributes {
    /**
     * A tighter request body limit for this exchange, in bytes. The gateway enforces the smaller of this and the
     * listener limit while the body streams, so chunked bodies are counted too.
     */
    public static final AttributeKey<Long> MAX_REQUEST_BODY_BYTES =
            AttributeKey.of("max-request-body-bytes", Long.class);

    /** The consumer id once a policy has identified the caller; shown in the access log and in traffic events. */
    public static final AttributeKey<String> CONSUMER_ID = AttributeKey.of("consumer-id", String.class);

    /** The authenticated caller; set by the authentication policy of the route. */
    public static final AttributeKey<Principal> PRINCIPAL = AttributeKey.of("principal", Principal.class);

    /**
     * The OpenAPI operation the request matched, with its path parameters; set by the gateway before the chain runs
     * when the route has an {@code openapi} document and the request matches one of its operations.
     */
    public static final AttributeKey<OperationMatch> OPERATION = AttributeKey.of("operation", OperationMatch.class);

    /** What policies in monitor mode would have rejected; add to it with {@link Exchange#monitor(ErrorKey)}. */
    public static final AttributeKey<Monitored> MONITORED = AttributeKey.of("monitored", Monitored.class);

    private Attributes() {}
}
