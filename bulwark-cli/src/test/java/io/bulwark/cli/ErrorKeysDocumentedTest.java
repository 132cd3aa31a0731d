package io.bulwark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every stable error key defined in the code has a row in docs/errors.md: clients must never meet an undocumented one. */
class ErrorKeysDocumentedTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern DEFINITION = Pattern.compile("new ErrorKey\\(\\s*\"([A-Z][A-Z0-9_]*)\"");

    @Test
    void every_error_key_in_the_sources_is_in_the_error_table() throws IOException {
        Set<String> keys = new TreeSet<>();
        List<Path> sources;
        try (Stream<Path> files = Files.walk(REPO)) {
            sources = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/main/java/"))
                    .toList();
        }
        for (Path source : sources) {
            Matcher m = DEFINITION.matcher(Files.readString(source, StandardCharsets.UTF_8));
            while (m.find()) {
                keys.add(m.group(1));
            }
        }
        assertThat(keys).as("error keys found in the sources").hasSizeGreaterThan(30);
        String table = Files.readString(REPO.resolve("docs/errors.md"), StandardCharsets.UTF_8);
        assertThat(keys)
                .as("keys without a row in docs/errors.md")
                .allSatisfy(key -> assertThat(table).contains("| `" + key + "` |"));
    }
}
