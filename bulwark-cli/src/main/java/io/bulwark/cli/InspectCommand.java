package io.bulwark.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.bulwark.api.Decision;
import io.bulwark.api.config.ConfigException;
import io.bulwark.cli.inspect.CaptureFormatException;
import io.bulwark.cli.inspect.CaptureReader;
import io.bulwark.cli.inspect.CapturedRequest;
import io.bulwark.cli.inspect.SpecCheck;
import io.bulwark.inspect.Finding;
import io.bulwark.inspect.HttpRequestView;
import io.bulwark.inspect.Inspector;
import io.bulwark.inspect.InspectorConfig;
import io.bulwark.inspect.Report;
import io.bulwark.openapi.OpenApiException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bulwark inspect}: replays captured requests through the detectors, offline, and prints one JSON line per
 * request in input order. How teams check a policy against real traffic before switching it to enforce.
 */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description = {
            "Run the injection detectors over captured requests and print one JSON object per request.",
            "Exit status: 0 when no request is flagged, 1 when at least one is, 2 on a usage or input error."
        })
final class InspectCommand implements Callable<Integer> {
    @Option(
            names = "--input",
            required = true,
            paramLabel = "FILE",
            description = "The capture file ('-' for standard input).")
    String input;

    @Option(
            names = "--format",
            defaultValue = "http",
            paramLabel = "FORMAT",
            description = "http (raw HTTP/1.1 requests), jsonl (one {method,url,headers,body} a line) or har.")
    String format;

    @Option(
            names = "--level",
            defaultValue = "1",
            paramLabel = "N",
            description =
                    "Paranoia level, 1 (fewest false positives) to 4 (most detection) (default: ${DEFAULT-VALUE}).")
    int level;

    @Option(
            names = "--spec",
            paramLabel = "FILE",
            description = "An OpenAPI document: also check each request against it with the openapi policy.")
    Path specFile;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CaptureReader.Format f;
        try {
            f = CaptureReader.Format.valueOf(format.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return usage("--format " + format + " (expected: http, jsonl or har)");
        }
        if (level < 1 || level > 4) {
            return usage("--level " + level + " (expected: 1 to 4)");
        }
        SpecCheck specCheck = null;
        if (specFile != null) {
            try {
                specCheck = SpecCheck.load(specFile);
            } catch (OpenApiException e) {
                return usage("--spec " + e.getMessage());
            } catch (ConfigException e) {
                return usage("--spec " + specFile + ": " + e.getMessage());
            }
        }
        SpecCheck check = specCheck;
        Inspector inspector = Inspector.create(InspectorConfig.defaults().withParanoia(level));
        java.io.PrintWriter out = spec.commandLine().getOut();
        int[] counts = new int[2]; // requests, flagged
        try (InputStream in = input.equals("-") ? System.in : Files.newInputStream(Path.of(input));
                JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.setRootValueSeparator(null);
            new CaptureReader().read(in, f, request -> {
                Report report = inspector.inspect(view(request));
                Optional<Decision.Reject> reject = check == null ? Optional.empty() : check.check(request);
                write(g, counts[0], request, report, reject);
                counts[0]++;
                if (report.flagged() || reject.isPresent()) {
                    counts[1]++;
                }
            });
            g.flush();
        } catch (NoSuchFileException e) {
            return usage("--input " + input + ": no such file");
        } catch (CaptureFormatException e) {
            flushQuietly(out);
            return usage("--input " + input + ": " + e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            flushQuietly(out);
            return usage("--input " + input + ": cannot read (" + e.getClass().getSimpleName() + ")");
        }
        spec.commandLine()
                .getErr()
                .printf("inspect: %d request%s, %d flagged%n", counts[0], counts[0] == 1 ? "" : "s", counts[1]);
        spec.commandLine().getErr().flush();
        return counts[1] > 0 ? 1 : 0;
    }

    static HttpRequestView view(CapturedRequest r) {
        return new HttpRequestView(r.method(), r.target(), r.headers(), r.header("Content-Type"), r.body());
    }

    private static void write(
            JsonGenerator g, int index, CapturedRequest request, Report report, Optional<Decision.Reject> reject) {
        try {
            g.writeStartObject();
            g.writeNumberField("index", index);
            g.writeStringField("method", request.method());
            g.writeStringField("path", request.path());
            g.writeBooleanField("blocked", report.flagged() || reject.isPresent());
            g.writeArrayFieldStart("findings");
            for (Finding fd : report.findings()) {
                g.writeStartObject();
                g.writeStringField("category", fd.category().wireName());
                g.writeStringField("location", fd.location().toString());
                g.writeNumberField("confidence", Math.round(fd.confidence() * 100) / 100.0);
                g.writeStringField("evidence", fd.evidence());
                g.writeNumberField("paranoia", fd.paranoia());
                g.writeEndObject();
            }
            if (reject.isPresent()) {
                String detail = reject.get().detail();
                g.writeStartObject();
                g.writeStringField("category", "schema");
                g.writeStringField("location", reject.get().key().key());
                g.writeNumberField("confidence", 1.0);
                g.writeStringField("evidence", truncate(detail, 64));
                g.writeNumberField("paranoia", 1);
                g.writeEndObject();
            }
            g.writeEndArray();
            if (report.truncated()) {
                g.writeBooleanField("truncated", true);
            }
            g.writeEndObject();
            g.writeRaw('\n');
            g.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** At most {@code max} characters, without splitting a surrogate pair. */
    static String truncate(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, end);
    }

    private static void flushQuietly(java.io.PrintWriter out) {
        out.flush();
    }

    private int usage(String message) {
        spec.commandLine().getErr().println("inspect: " + message);
        spec.commandLine().getErr().flush();
        return 2;
    }
}
