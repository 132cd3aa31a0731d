package io.bulwark.cli;

import io.bulwark.api.config.ConfigError;
import io.bulwark.api.config.ConfigException;
import io.bulwark.gateway.config.ConfigLoader;
import io.bulwark.gateway.config.GatewayConfig;
import io.bulwark.gateway.config.RouteConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bulwark check}: validates a config without starting anything. */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = {
            "Validate a config file without starting the gateway.",
            "Every error names file:line:column, the key, what was found and what was expected.",
            "Exit codes: 0 valid, 1 invalid, 2 usage error."
        })
final class CheckCommand implements Callable<Integer> {
    @Option(
            names = {"-c", "--config"},
            required = true,
            paramLabel = "FILE",
            description = "The YAML config file.")
    Path config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            GatewayConfig c = ConfigLoader.standard().load(config);
            out.printf(
                    "%s: valid (%d listeners, %d upstreams, %d routes)%n",
                    config,
                    c.listeners().size(),
                    c.upstreams().size(),
                    c.routes().size());
            for (RouteConfig r : c.routes()) {
                out.printf(
                        "  route %-20s %s %s -> %s%s policies=%s%n",
                        r.id(),
                        String.join(",", r.hosts()),
                        r.pathPrefix(),
                        r.upstream(),
                        r.isPublic() ? " (public)" : "",
                        r.policyNames());
            }
            for (String w : c.warnings()) {
                out.println("warning: " + w);
            }
            out.flush();
            return 0;
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                err.println("error: " + error.message());
            }
            err.printf("%s: %d error(s)%n", config, e.errors().size());
            err.flush();
            return 1;
        }
    }
}
