package io.bulwark.policies.openapi;

import io.bulwark.openapi.response.FilterLimits;
import io.bulwark.openapi.response.ResponseContract;
import java.util.Objects;

/**
 * The response side of {@code openapi}: the compiled contract and what to do with what it does not declare.
 *
 * @param contract the route document's responses, compiled at load
 * @param replaceUndeclaredStatus true to answer 502 for a status the operation does not declare, false to log it
 * @param replaceUndeclaredContentType the same for a content type a declared status does not declare
 * @param limits the bounds of one filtered body
 */
record ResponseSettings(
        ResponseContract contract,
        boolean replaceUndeclaredStatus,
        boolean replaceUndeclaredContentType,
        FilterLimits limits) {
    /** The deepest JSON response the filter reads (the documented limit). */
    static final int MAX_DEPTH = 64;

    ResponseSettings {
        Objects.requireNonNull(contract, "contract");
        Objects.requireNonNull(limits, "limits");
    }
}
