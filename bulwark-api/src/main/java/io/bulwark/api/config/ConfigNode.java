package io.bulwark.api.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed config value that remembers where it came from, so that every error can name the file, line, column
 * and key. Nodes are immutable; reading an object goes through {@link #fields()}, which also reports unknown keys.
 *
 * <pre>{@code
 * ConfigNode.Fields f = node.fields();
 * long max = f.bytes("max_body_bytes", 1 << 20);
 * List<String> origins = f.stringList("allow_origins");
 * f.finish(); // unknown keys are errors, with a "did you mean"
 * }</pre>
 */
public final class ConfigNode {
    /** The shape of a node. */
    public enum Kind {
        OBJECT,
        LIST,
        SCALAR,
        NULL
    }

    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,15}) ?(B|KB|KiB|MB|MiB|GB|GiB)?");
    /** ASCII digits only ({@code \\d} is ASCII in Java), '_' only between digits. */
    private static final Pattern INTEGER = Pattern.compile("-?[0-9](_?[0-9]){0,18}");

    private final Kind kind;
    private final String path;
    private final Location location;
    private final String scalar;
    private final boolean secret;
    private final Map<String, ConfigNode> fields;
    private final List<ConfigNode> items;

    private ConfigNode(
            Kind kind,
            String path,
            Location location,
            String scalar,
            boolean secret,
            Map<String, ConfigNode> fields,
            List<ConfigNode> items) {
        this.kind = kind;
        this.path = requireNonNull(path, "path");
        this.location = requireNonNull(location, "location");
        this.scalar = scalar;
        this.secret = secret;
        this.fields = fields;
        this.items = items;
    }

    /**
     * A scalar.
     *
     * @param secret true when the value came from a secret reference; it is then never printed in errors
     */
    public static ConfigNode scalar(String path, Location location, String value, boolean secret) {
        return new ConfigNode(Kind.SCALAR, path, location, requireNonNull(value, "value"), secret, Map.of(), List.of());
    }

    public static ConfigNode nullValue(String path, Location location) {
        return new ConfigNode(Kind.NULL, path, location, null, false, Map.of(), List.of());
    }

    /** An object; keys keep their order. */
    public static ConfigNode object(String path, Location location, Map<String, ConfigNode> fields) {
        return new ConfigNode(
                Kind.OBJECT,
                path,
                location,
                null,
                false,
                Collections.unmodifiableMap(new LinkedHashMap<>(fields)),
                List.of());
    }

    public static ConfigNode list(String path, Location location, List<ConfigNode> items) {
        return new ConfigNode(Kind.LIST, path, location, null, false, Map.of(), List.copyOf(items));
    }

    /**
     * Builds a node tree from plain Java values (maps, lists, strings, numbers, booleans, null), for tests and for
     * config built in code. Locations name {@code source} without line numbers.
     */
    public static ConfigNode fromValue(Object value, String source) {
        return fromValue(value, "", new Location(source, 0, 0));
    }

    private static ConfigNode fromValue(Object value, String path, Location location) {
        if (value == null) {
            return nullValue(path, location);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, ConfigNode> fields = new LinkedHashMap<>();
            map.forEach((k, v) ->
                    fields.put(String.valueOf(k), fromValue(v, child(path, String.valueOf(k)), location)));
            return object(path, location, fields);
        }
        if (value instanceof List<?> list) {
            List<ConfigNode> items = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                items.add(fromValue(list.get(i), path + "[" + i + "]", location));
            }
            return list(path, location, items);
        }
        return scalar(path, location, String.valueOf(value), false);
    }

    /** The path of a child key, {@code parent.key}. */
    public static String child(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    public Kind kind() {
        return kind;
    }

    /** The dotted path of this node, such as {@code routes[2].policies[0].cors}. */
    public String path() {
        return path;
    }

    public Location location() {
        return location;
    }

    public boolean isNull() {
        return kind == Kind.NULL;
    }

    /** A description of the value that is safe to print in an error. */
    public String describe() {
        return switch (kind) {
            case NULL -> "null";
            case OBJECT -> "an object";
            case LIST -> "a list";
            case SCALAR -> secret ? "a secret value" : quote(scalar);
        };
    }

    /** An error about this node. */
    public ConfigException error(String expected) {
        return new ConfigException(new ConfigError(location, path, describe(), expected));
    }

    /** An error about this node with a custom description of what was found. */
    public ConfigException error(String found, String expected) {
        return new ConfigException(new ConfigError(location, path, found, expected));
    }

    // ---- scalars

    public String asString() throws ConfigException {
        if (kind != Kind.SCALAR) {
            throw error("a string");
        }
        return scalar;
    }

    /** A string that is not blank. */
    public String asNonBlankString() throws ConfigException {
        String s = asString();
        if (s.isBlank()) {
            throw error("a non-empty string");
        }
        return s;
    }

    public boolean asBoolean() throws ConfigException {
        if (kind == Kind.SCALAR) {
            if (scalar.equals("true")) {
                return true;
            }
            if (scalar.equals("false")) {
                return false;
            }
        }
        throw error("true or false");
    }

    public long asLong(long min, long max) throws ConfigException {
        String expected = "an integer in " + min + ".." + max;
        if (kind != Kind.SCALAR) {
            throw error(expected);
        }
        if (!INTEGER.matcher(scalar).matches()) {
            throw error(expected);
        }
        try {
            long v = Long.parseLong(scalar.replace("_", ""));
            if (v < min || v > max) {
                throw error(expected);
            }
            return v;
        } catch (NumberFormatException e) {
            throw error(expected);
        }
    }

    public int asInt(int min, int max) throws ConfigException {
        return (int) asLong(min, max);
    }

    /** A duration such as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d}. */
    public Duration asDuration(Duration min, Duration max) throws ConfigException {
        String expected = "a duration such as 500ms, 30s, 5m, 2h or 7d, from " + format(min) + " to " + format(max);
        if (kind != Kind.SCALAR) {
            throw error(expected);
        }
        Matcher m = DURATION.matcher(scalar);
        if (!m.matches()) {
            throw error(expected);
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw error(expected);
        }
        return d;
    }

    /** A size in bytes: a number, or a number with B, KB, KiB, MB, MiB, GB, GiB. */
    public long asBytes(long min, long max) throws ConfigException {
        String expected = "a size such as 8192, 64KiB, 10MiB or 1GiB, from " + min + " to " + max + " bytes";
        if (kind != Kind.SCALAR) {
            throw error(expected);
        }
        Matcher m = SIZE.matcher(scalar);
        if (!m.matches()) {
            throw error(expected);
        }
        long n = Long.parseLong(m.group(1));
        long unit = m.group(2) == null
                ? 1
                : switch (m.group(2)) {
                    case "KB" -> 1000L;
                    case "KiB" -> 1024L;
                    case "MB" -> 1000L * 1000;
                    case "MiB" -> 1024L * 1024;
                    case "GB" -> 1000L * 1000 * 1000;
                    case "GiB" -> 1024L * 1024 * 1024;
                    default -> 1L;
                };
        if (n > max / unit) {
            throw error(expected);
        }
        long v = n * unit;
        if (v < min) {
            throw error(expected);
        }
        return v;
    }

    /** One of the given lower-case words. */
    public String asChoice(List<String> choices) throws ConfigException {
        String expected = "one of " + String.join(", ", choices);
        if (kind != Kind.SCALAR) {
            throw error(expected);
        }
        if (!choices.contains(scalar)) {
            String suggestion = Suggestions.closest(scalar, choices);
            throw error(expected + (suggestion == null ? "" : "; did you mean '" + suggestion + "'?"));
        }
        return scalar;
    }

    // ---- collections

    public List<ConfigNode> asList() throws ConfigException {
        if (kind != Kind.LIST) {
            throw error("a list");
        }
        return items;
    }

    /** The items of a list; a single scalar is accepted as a list of one (so each item can report its own error). */
    public List<ConfigNode> asItems() throws ConfigException {
        return kind == Kind.SCALAR ? List.of(this) : asList();
    }

    /** A list of strings; a single string is accepted as a list of one. */
    public List<String> asStringList() throws ConfigException {
        if (kind == Kind.SCALAR) {
            return List.of(scalar);
        }
        List<String> out = new ArrayList<>(asList().size());
        for (ConfigNode item : items) {
            out.add(item.asString());
        }
        return List.copyOf(out);
    }

    /** The entries of an object, for maps keyed by user-chosen names (upstreams by name, for example). */
    public Map<String, ConfigNode> asMap() throws ConfigException {
        if (kind != Kind.OBJECT) {
            throw error("an object");
        }
        return fields;
    }

    /** Starts reading this node as an object with a known set of keys. A null node reads as an empty object. */
    public Fields fields() throws ConfigException {
        if (kind == Kind.NULL) {
            return new Fields(this, Map.of());
        }
        if (kind != Kind.OBJECT) {
            throw error("an object");
        }
        return new Fields(this, fields);
    }

    @Override
    public String toString() {
        return path + "@" + location + "=" + describe();
    }

    private static String quote(String s) {
        String shown = s;
        if (s.length() > 80) {
            // Cut on a code point boundary so no half of a surrogate pair is left behind.
            int end = Character.isHighSurrogate(s.charAt(76)) ? 76 : 77;
            shown = s.substring(0, end) + "...";
        }
        StringBuilder b = new StringBuilder(shown.length() + 2).append('"');
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            // C0, DEL and C1 controls (terminal escapes among them) and line separators never reach a log verbatim.
            boolean unsafe = Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
            b.append(unsafe ? String.format(Locale.ROOT, "\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.append('"').toString();
    }

    private static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.toMillis() % 86_400_000L == 0) {
            return d.toDays() + "d";
        }
        if (d.toMillis() % 3_600_000L == 0) {
            return d.toHours() + "h";
        }
        if (d.toMillis() % 60_000L == 0) {
            return d.toMinutes() + "m";
        }
        if (d.toMillis() % 1000L == 0) {
            return d.toSeconds() + "s";
        }
        return d.toMillis() + "ms";
    }

    /**
     * Reads the keys of an object. Each accessor marks its key as known; {@link #finish()} then reports every key
     * that no accessor asked for, with the closest known key as a suggestion.
     */
    public static final class Fields {
        private final ConfigNode node;
        private final Map<String, ConfigNode> values;
        private final List<String> known = new ArrayList<>();

        Fields(ConfigNode node, Map<String, ConfigNode> values) {
            this.node = node;
            this.values = values;
        }

        /** The value of an optional key; an explicit null counts as absent. */
        public Optional<ConfigNode> optional(String key) {
            known.add(key);
            ConfigNode v = values.get(key);
            return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
        }

        public ConfigNode required(String key) throws ConfigException {
            Optional<ConfigNode> v = optional(key);
            if (v.isEmpty()) {
                throw new ConfigException(new ConfigError(
                        node.location, child(node.path, key), "nothing", "the required key '" + key + "'"));
            }
            return v.get();
        }

        public boolean has(String key) {
            return values.containsKey(key);
        }

        public String string(String key, String defaultValue) throws ConfigException {
            Optional<ConfigNode> v = optional(key);
            return v.isPresent() ? v.get().asString() : defaultValue;
        }

        public boolean bool(String key, boolean defaultValue) throws ConfigException {
            Optional<ConfigNode> v = optional(key);
            return v.isPresent() ? v.get().asBoolean() : defaultValue;
        }

        public int integer(String key, int min, int max, int defaultValue) throws ConfigException {
            Optional<ConfigNode> v = optional(key);
            return v.isPresent() ? v.get().asInt(min, max) : defaultValue;
        }

        public Duration duration(String key, Duration min, Duration max, Duration defaultValue) throws ConfigException {
            Optional<ConfigNode> v = optional(key);
            return v.isPresent() ? v.get().asDuration(min, max) : defaultValue;
        }

        public long bytes(String key, long min, long max, long defaultValue) throws ConfigException {
            Optional<ConfigNode> v = optional(key);
            return v.isPresent() ? v.get().asBytes(min, max) : defaultValue;
        }

        public String choice(String key, List<String> choices, String defaultValue) throws ConfigException {
            Optional<ConfigNode> v = optional(key);
            return v.isPresent() ? v.get().asChoice(choices) : defaultValue;
        }

        public List<String> stringList(String key) throws ConfigException {
            Optional<ConfigNode> v = optional(key);
            return v.isPresent() ? v.get().asStringList() : List.of();
        }

        /** Fails on the first key that no accessor asked for. */
        public void finish() throws ConfigException {
            List<ConfigError> errors = new ArrayList<>();
            for (Map.Entry<String, ConfigNode> e : values.entrySet()) {
                if (!known.contains(e.getKey())) {
                    String suggestion = Suggestions.closest(e.getKey(), known);
                    String expected = suggestion != null
                            ? "a known key; did you mean '" + suggestion + "'?"
                            : "one of the keys " + String.join(", ", known);
                    errors.add(new ConfigError(
                            e.getValue().location, e.getValue().path, "unknown key '" + e.getKey() + "'", expected));
                }
            }
            if (!errors.isEmpty()) {
                throw new ConfigException(errors);
            }
        }
    }
}
