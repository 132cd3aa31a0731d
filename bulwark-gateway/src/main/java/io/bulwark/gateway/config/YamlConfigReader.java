package io.bulwark.gateway.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.bulwark.api.config.ConfigError;
import io.bulwark.api.config.ConfigException;
import io.bulwark.api.config.ConfigNode;
import io.bulwark.api.config.Location;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads a YAML file into a {@link ConfigNode} tree that keeps the line and column of every value, and substitutes
 * {@code ${env:NAME}} and {@code ${file:PATH}} references. Values that came from a reference are marked secret so
 * that errors never print them.
 */
public final class YamlConfigReader {
    /** Config files are small; a larger file is a mistake (or an attack on the loader). */
    static final int MAX_FILE_BYTES = 4 << 20;

    static final int MAX_SECRET_FILE_BYTES = 64 << 10;
    private static final int MAX_DEPTH = 64;
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file):([^}]{1,1024})}");

    private final Function<String, String> environment;

    /** A reader that resolves {@code ${env:NAME}} from the process environment. */
    public YamlConfigReader() {
        this(System::getenv);
    }

    public YamlConfigReader(Function<String, String> environment) {
        this.environment = environment;
    }

    /** Reads and parses a config file. */
    public ConfigNode read(Path file) throws ConfigException {
        String source = file.toString();
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new ConfigException(new ConfigError(
                        new Location(source, 0, 0), "", "a file larger than 4 MiB", "a config file under 4 MiB"));
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(
                    new ConfigError(new Location(source, 0, 0), "", "no such file", "a readable YAML config file"));
        } catch (IOException e) {
            throw new ConfigException(new ConfigError(
                    new Location(source, 0, 0),
                    "",
                    "an unreadable file (" + e.getClass().getSimpleName() + ")",
                    "a readable YAML config file"));
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(new String(bytes, StandardCharsets.UTF_8), source, dir);
    }

    /**
     * Parses YAML text.
     *
     * @param baseDirectory where relative {@code ${file:...}} paths resolve
     */
    public ConfigNode parse(String yaml, String source, Path baseDirectory) throws ConfigException {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(20);
        options.setCodePointLimit(MAX_FILE_BYTES);
        options.setNestingDepthLimit(MAX_DEPTH);
        YAMLFactory factory = YAMLFactory.builder().loaderOptions(options).build();
        try (JsonParser parser = factory.createParser(yaml)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new ConfigException(
                        new ConfigError(new Location(source, 1, 1), "", "an empty file", "a YAML object"));
            }
            ConfigNode root = new Context(parser, source, baseDirectory).value("", 0);
            if (parser.nextToken() != null) {
                Location at = location(source, parser.currentTokenLocation());
                throw new ConfigException(new ConfigError(at, "", "a second document", "a single YAML document"));
            }
            return root;
        } catch (JsonProcessingException e) {
            Location at = location(source, e.getLocation());
            String reason = e.getOriginalMessage() == null ? "invalid YAML" : firstLine(e.getOriginalMessage());
            throw new ConfigException(new ConfigError(at, "", "invalid YAML: " + reason, "well-formed YAML"));
        } catch (IOException | RuntimeException e) {
            // SnakeYAML reports some limits (alias bombs, nesting) as runtime exceptions.
            throw new ConfigException(new ConfigError(
                    new Location(source, 0, 0),
                    "",
                    "invalid YAML: " + firstLine(String.valueOf(e.getMessage())),
                    "well-formed YAML"));
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    private static Location location(String source, JsonLocation loc) {
        if (loc == null) {
            return new Location(source, 0, 0);
        }
        return new Location(source, Math.max(0, loc.getLineNr()), Math.max(0, loc.getColumnNr()));
    }

    private final class Context {
        private final JsonParser parser;
        private final String source;
        private final Path baseDirectory;

        Context(JsonParser parser, String source, Path baseDirectory) {
            this.parser = parser;
            this.source = source;
            this.baseDirectory = baseDirectory;
        }

        /** Reads the value at the current token. */
        ConfigNode value(String path, int depth) throws IOException, ConfigException {
            Location at = location(source, parser.currentTokenLocation());
            if (parser instanceof YAMLParser yaml && (yaml.isCurrentAlias() || yaml.getObjectId() != null)) {
                // The streaming parser would hand an alias back as its anchor's name: refuse rather than misread.
                throw new ConfigException(new ConfigError(
                        at, path, "a YAML anchor or alias", "plain values (anchors and aliases are not supported)"));
            }
            if (depth > MAX_DEPTH) {
                throw new ConfigException(new ConfigError(at, path, "nesting deeper than 64", "a flatter document"));
            }
            JsonToken t = parser.currentToken();
            switch (t) {
                case START_OBJECT -> {
                    Map<String, ConfigNode> fields = new LinkedHashMap<>();
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String key = parser.currentName();
                        Location keyAt = location(source, parser.currentTokenLocation());
                        String childPath = ConfigNode.child(path, key);
                        if (fields.containsKey(key)) {
                            throw new ConfigException(new ConfigError(
                                    keyAt, childPath, "a duplicate key '" + key + "'", "each key once"));
                        }
                        parser.nextToken();
                        fields.put(key, value(childPath, depth + 1));
                    }
                    return ConfigNode.object(path, at, fields);
                }
                case START_ARRAY -> {
                    List<ConfigNode> items = new ArrayList<>();
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        items.add(value(path + "[" + items.size() + "]", depth + 1));
                    }
                    return ConfigNode.list(path, at, items);
                }
                case VALUE_NULL -> {
                    return ConfigNode.nullValue(path, at);
                }
                default -> {
                    if (!t.isScalarValue()) {
                        throw new ConfigException(new ConfigError(at, path, "unexpected " + t, "a YAML value"));
                    }
                    String text = parser.getText();
                    if (text.isEmpty() && t == JsonToken.VALUE_STRING) {
                        // 'key:' with nothing after it is null in YAML; treat it as absent, not as "".
                        return ConfigNode.nullValue(path, at);
                    }
                    return scalar(path, at, text);
                }
            }
        }

        private ConfigNode scalar(String path, Location at, String text) throws ConfigException {
            if (text.indexOf("${") < 0) {
                return ConfigNode.scalar(path, at, text, false);
            }
            Matcher m = REFERENCE.matcher(text);
            StringBuilder out = new StringBuilder();
            boolean any = false;
            while (m.find()) {
                any = true;
                String kind = m.group(1);
                String name = m.group(2).trim();
                String value = kind.equals("env") ? env(path, at, name) : file(path, at, name);
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            m.appendTail(out);
            return ConfigNode.scalar(path, at, out.toString(), any);
        }

        private String env(String path, Location at, String name) throws ConfigException {
            String value = environment.apply(name);
            if (value == null) {
                throw new ConfigException(new ConfigError(
                        at,
                        path,
                        "${env:" + name + "}, but " + name + " is not set",
                        "the environment variable " + name + " to be set"));
            }
            return value;
        }

        private String file(String path, Location at, String name) throws ConfigException {
            Path p = baseDirectory == null ? Path.of(name) : baseDirectory.resolve(name);
            try {
                if (Files.size(p) > MAX_SECRET_FILE_BYTES) {
                    throw new ConfigException(new ConfigError(
                            at, path, "${file:" + name + "}, a file larger than 64 KiB", "a small secret file"));
                }
                String content = Files.readString(p, StandardCharsets.UTF_8);
                // Secret files usually end with a newline that is not part of the secret.
                return content.endsWith("\r\n")
                        ? content.substring(0, content.length() - 2)
                        : content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
            } catch (NoSuchFileException e) {
                throw new ConfigException(new ConfigError(
                        at, path, "${file:" + name + "}, but " + p + " does not exist", "a readable secret file"));
            } catch (IOException e) {
                throw new ConfigException(new ConfigError(
                        at,
                        path,
                        "${file:" + name + "}, but " + p + " cannot be read ("
                                + e.getClass().getSimpleName() + ")",
                        "a readable secret file"));
            }
        }
    }
}
