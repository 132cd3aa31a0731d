package io.bulwark.gateway.observe;

import java.util.List;
import java.util.Map;

/**
 * One finished exchange, as analysers and the access log see it. Never holds bodies, tokens or secret header
 * values.
 *
 * @param epochMillis when the request arrived
 * @param requestId the request id
 * @param routeId the route, or null when none matched
 * @param operationId the OpenAPI operation the request matched, or null
 * @param method the method
 * @param path the normalized path (raw when it could not be normalized), truncated
 * @param status the status sent, or 0 when the connection closed before a response
 * @param durationMicros from request arrival to the last response byte
 * @param bytesIn request body bytes received
 * @param bytesOut response body bytes sent
 * @param clientIp the resolved client IP
 * @param consumer the consumer id, or null
 * @param upstreamTarget the upstream target called ({@code host:port}), or null
 * @param errorKey the error key when the gateway answered with a problem, or null
 * @param headers request headers chosen for the log, secret ones redacted
 * @param monitored error keys that policies in monitor mode would have answered with (empty when none)
 */
public record TrafficEvent(
        long epochMillis,
        String requestId,
        String routeId,
        String operationId,
        String method,
        String path,
        int status,
        long durationMicros,
        long bytesIn,
        long bytesOut,
        String clientIp,
        String consumer,
        String upstreamTarget,
        String errorKey,
        Map<String, String> headers,
        List<String> monitored) {}
