package io.bulwark.policies.requestsize;

/**
 * Validated request-size limits; -1 means "no limit of this kind".
 *
 * @param maxBodyBytes the largest request body, counted as it streams (chunked bodies too)
 * @param maxHeaders the largest number of header fields
 * @param maxQueryLength the longest raw query string, in characters
 */
record RequestSizeConfig(long maxBodyBytes, int maxHeaders, int maxQueryLength) {
    RequestSizeConfig {
        if (maxBodyBytes < -1 || maxHeaders < -1 || maxQueryLength < -1) {
            throw new IllegalArgumentException("limits must be -1 (none) or >= 0");
        }
    }
}
