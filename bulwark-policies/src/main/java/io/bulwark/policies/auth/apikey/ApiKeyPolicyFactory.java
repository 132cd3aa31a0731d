package io.bulwark.policies.auth.apikey;

import io.bulwark.api.Policy;
import io.bulwark.api.PolicyContext;
import io.bulwark.api.PolicyFactory;
import io.bulwark.api.config.ConfigException;
import io.bulwark.api.config.ConfigNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code api-key}: authenticates requests by a static key sent in a header (default {@code X-Api-Key}), checked
 * against SHA-256 hashes in the config. Discouraged: prefer {@code jwt}. Keys never expire, are not bound to a
 * scope-limited, short-lived token, and every copy of one is as good as the original.
 */
public final class ApiKeyPolicyFactory implements PolicyFactory {
    static final String DEFAULT_HEADER = "X-Api-Key";
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}");
    private static final String PREFIX = "sha256:";
    private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final String HASH_EXPECTED =
            "'sha256:' followed by the 64 hex digits of the SHA-256 of the key (never the key itself)";

    @Override
    public String name() {
        return "api-key";
    }

    @Override
    public String discouragedBecause() {
        return "an API key is a long-lived shared secret with no expiry, audience or binding to the caller;"
                + " prefer jwt";
    }

    @Override
    public Policy create(ConfigNode config, PolicyContext context) throws ConfigException {
        ConfigNode.Fields f = config.fields();
        String header = DEFAULT_HEADER;
        var headerNode = f.optional("header");
        if (headerNode.isPresent()) {
            header = headerNode.get().asString();
            if (!TOKEN.matcher(header).matches()) {
                throw headerNode.get().error("a header name (an HTTP token)");
            }
            if (header.equalsIgnoreCase("Authorization")) {
                throw headerNode
                        .get()
                        .error("a header other than Authorization (bearer tokens belong to the jwt policy)");
            }
        }
        ConfigNode keysNode = f.required("keys");
        f.finish();
        List<ConfigNode> items = keysNode.asItems();
        if (items.isEmpty()) {
            throw keysNode.error("at least one key");
        }
        List<ApiKeyPolicy.Key> keys = new ArrayList<>();
        Map<String, String> idsSeen = new HashMap<>();
        Map<String, String> hashesSeen = new HashMap<>();
        for (ConfigNode item : items) {
            ConfigNode.Fields k = item.fields();
            ConfigNode idNode = k.required("id");
            String id = idNode.asNonBlankString();
            ConfigNode hashNode = k.required("hash");
            byte[] hash = hash(hashNode);
            List<String> scopes = k.stringList("scopes");
            k.finish();
            if (idsSeen.putIfAbsent(id, id) != null) {
                throw idNode.error("a duplicate id '" + id + "'", "a unique consumer id");
            }
            String hex = HexFormat.of().formatHex(hash);
            String previous = hashesSeen.putIfAbsent(hex, id);
            if (previous != null) {
                throw hashNode.error("the hash of key '" + previous + "' again", "a unique hash for each key");
            }
            keys.add(new ApiKeyPolicy.Key(id, hash, new LinkedHashSet<>(scopes)));
        }
        return new ApiKeyPolicy(header, keys);
    }

    /** Never echoes the value: a key pasted here by mistake must not reach the error output. */
    private static byte[] hash(ConfigNode node) throws ConfigException {
        String value = node.asString();
        if (!value.startsWith(PREFIX)) {
            throw node.error("a value without the 'sha256:' prefix", HASH_EXPECTED);
        }
        String hex = value.substring(PREFIX.length());
        if (!HEX64.matcher(hex).matches()) {
            throw node.error("'sha256:' and " + hex.length() + " characters that are not 64 hex digits", HASH_EXPECTED);
        }
        return HexFormat.of().parseHex(hex);
    }
}
