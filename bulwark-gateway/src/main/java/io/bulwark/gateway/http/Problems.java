package io.bulwark.gateway.http;

import io.bulwark.api.ErrorKey;
import io.vertx.core.buffer.Buffer;

/** RFC 9457 problem documents. Every field is either a constant or was made safe by the caller. */
public final class Problems {
    public static final String CONTENT_TYPE = "application/problem+json";

    private Problems() {}

    /**
     * Renders {@code {"type","title","status","detail","error_key","request_id"}}.
     *
     * @param detail safe text for the client; escaped here
     */
    public static Buffer render(ErrorKey key, int status, String detail, String requestId) {
        StringBuilder b = new StringBuilder(256);
        b.append("{\"type\":\"urn:bulwark:error:").append(key.key()).append("\",\"title\":");
        Json.string(b, key.title());
        b.append(",\"status\":").append(status);
        if (detail != null && !detail.isEmpty()) {
            b.append(",\"detail\":");
            Json.string(b, detail);
        }
        b.append(",\"error_key\":\"").append(key.key()).append('"');
        if (requestId != null) {
            b.append(",\"request_id\":");
            Json.string(b, requestId);
        }
        b.append('}');
        return Buffer.buffer(b.toString());
    }
}
