package io.bulwark.policies.requestsize;

import io.bulwark.api.Attributes;
import io.bulwark.api.Decision;
import io.bulwark.api.ErrorKey;
import io.bulwark.api.ErrorKeys;
import io.bulwark.api.Exchange;
import io.bulwark.api.Phase;
import io.bulwark.api.Policy;
import java.util.concurrent.CompletionStage;

/**
 * Tightens size limits for one route. A declared {@code Content-Length} over the limit is refused before any body
 * byte is read; for chunked bodies the limit is handed to the gateway, which counts bytes as they stream and
 * answers 413 the moment the limit is crossed.
 */
final class RequestSizePolicy implements Policy {
    static final ErrorKey TOO_MANY_HEADERS = new ErrorKey("TOO_MANY_HEADERS", 431, "Too many request header fields");
    static final ErrorKey QUERY_TOO_LONG = new ErrorKey("QUERY_TOO_LONG", 414, "Query string too long");

    private final RequestSizeConfig config;
    private final Long maxBody;

    RequestSizePolicy(RequestSizeConfig config) {
        this.config = config;
        this.maxBody = config.maxBodyBytes();
    }

    @Override
    public Phase phase() {
        return Phase.VALIDATE;
    }

    @Override
    public CompletionStage<Decision> onRequest(Exchange exchange) {
        if (config.maxQueryLength() >= 0) {
            String q = exchange.query();
            if (q != null && q.length() > config.maxQueryLength()) {
                return Decision.reject(
                                QUERY_TOO_LONG, "query string longer than " + config.maxQueryLength() + " characters")
                        .asStage();
            }
        }
        if (config.maxHeaders() >= 0) {
            int count = 0;
            for (String name : exchange.requestHeaders().names()) {
                count += exchange.requestHeaders().getAll(name).size();
            }
            if (count > config.maxHeaders()) {
                return Decision.reject(TOO_MANY_HEADERS, "more than " + config.maxHeaders() + " header fields")
                        .asStage();
            }
        }
        if (config.maxBodyBytes() >= 0) {
            long declared = exchange.requestContentLength();
            if (declared > config.maxBodyBytes()) {
                return Decision.reject(
                                ErrorKeys.BODY_TOO_LARGE,
                                "request body larger than " + config.maxBodyBytes() + " bytes")
                        .asStage();
            }
            exchange.attribute(Attributes.MAX_REQUEST_BODY_BYTES, maxBody);
        }
        return Decision.proceedStage();
    }
}
