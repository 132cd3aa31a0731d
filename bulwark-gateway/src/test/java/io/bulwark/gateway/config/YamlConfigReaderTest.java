package io.bulwark.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bulwark.api.config.ConfigException;
import io.bulwark.api.config.ConfigNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The YAML layer: locations, duplicates, references and hostile documents. */
class YamlConfigReaderTest {
    @TempDir
    Path dir;

    final YamlConfigReader reader = new YamlConfigReader(Map.of("NAME", "value")::get);

    ConfigNode parse(String yaml) throws ConfigException {
        return reader.parse(yaml, "t.yaml", dir);
    }

    @Test
    void keeps_line_and_column_of_every_value() throws Exception {
        ConfigNode root = parse("a:\n  b: [1, 2]\n  c: x\n");
        ConfigNode b = root.asMap().get("a").asMap().get("b");
        assertThat(b.location().line()).isEqualTo(2);
        assertThat(b.asList().get(1).location().column()).isEqualTo(10);
        assertThat(b.asList().get(1).path()).isEqualTo("a.b[1]");
        assertThat(root.asMap().get("a").asMap().get("c").location().toString()).isEqualTo("t.yaml:3:6");
    }

    @Test
    void refuses_duplicate_keys() {
        assertThatThrownBy(() -> parse("a: 1\nb: 2\na: 3\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("t.yaml:3:1: a: found a duplicate key 'a'");
    }

    @Test
    void substitutes_references_inside_text_and_marks_them_secret() throws Exception {
        ConfigNode v = parse("k: \"Bearer ${env:NAME}\"\n").asMap().get("k");
        assertThat(v.asString()).isEqualTo("Bearer value");
        assertThat(v.describe()).isEqualTo("a secret value");
        assertThat(parse("k: plain\n").asMap().get("k").describe()).isEqualTo("\"plain\"");
    }

    @Test
    void refuses_oversized_secret_files() throws Exception {
        Files.write(dir.resolve("big"), new byte[70_000]);
        assertThatThrownBy(() -> parse("k: ${file:big}\n")).hasMessageContaining("larger than 64 KiB");
    }

    @Test
    void refuses_alias_bombs_and_deep_nesting() {
        StringBuilder bomb = new StringBuilder("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
        for (char c = 'b'; c <= 'k'; c++) {
            char p = (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [*").append(p);
            bomb.append(", *")
                    .append(p)
                    .append(", *")
                    .append(p)
                    .append(", *")
                    .append(p)
                    .append("]\n");
        }
        assertThatThrownBy(() -> parse(bomb.toString())).isInstanceOf(ConfigException.class);
        String deep = "a: " + "[".repeat(200) + "]".repeat(200) + "\n";
        assertThatThrownBy(() -> parse(deep)).isInstanceOf(ConfigException.class);
    }

    @Test
    void refuses_multiple_documents_and_files_over_the_size_limit() throws Exception {
        assertThatThrownBy(() -> parse("a: 1\n---\nb: 2\n")).hasMessageContaining("a second document");
        Path big = dir.resolve("big.yaml");
        Files.writeString(big, "# " + "x".repeat(YamlConfigReader.MAX_FILE_BYTES) + "\n");
        assertThatThrownBy(() -> reader.read(big)).hasMessageContaining("larger than 4 MiB");
    }

    @Test
    void reports_syntax_errors_with_a_location() {
        assertThatThrownBy(() -> parse("a: [1, 2\nb: 3\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("t.yaml:")
                .hasMessageContaining("invalid YAML");
    }
}
