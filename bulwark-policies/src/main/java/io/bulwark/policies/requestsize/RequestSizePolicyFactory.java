package io.bulwark.policies.requestsize;

import io.bulwark.api.Policy;
import io.bulwark.api.PolicyContext;
import io.bulwark.api.PolicyFactory;
import io.bulwark.api.config.ConfigException;
import io.bulwark.api.config.ConfigNode;

/** {@code request-size}: per-route limits on body size, header count and query length. */
public final class RequestSizePolicyFactory implements PolicyFactory {
    static final long MAX_BODY = 1L << 40;

    @Override
    public String name() {
        return "request-size";
    }

    @Override
    public Policy create(ConfigNode config, PolicyContext context) throws ConfigException {
        ConfigNode.Fields f = config.fields();
        long maxBody = f.bytes("max_body_bytes", 0, MAX_BODY, -1);
        int maxHeaders = f.integer("max_headers", 1, 10_000, -1);
        int maxQuery = f.integer("max_query_length", 0, 1 << 20, -1);
        f.finish();
        if (maxBody < 0 && maxHeaders < 0 && maxQuery < 0) {
            throw config.error("at least one of max_body_bytes, max_headers, max_query_length");
        }
        return new RequestSizePolicy(new RequestSizeConfig(maxBody, maxHeaders, maxQuery));
    }
}
