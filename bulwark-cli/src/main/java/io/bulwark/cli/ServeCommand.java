package io.bulwark.cli;

import io.bulwark.api.config.ConfigError;
import io.bulwark.api.config.ConfigException;
import io.bulwark.gateway.Gateway;
import io.bulwark.gateway.config.ConfigLoader;
import io.bulwark.gateway.config.GatewayConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bulwark serve}: runs the gateway until SIGTERM or SIGINT; SIGHUP reloads the config. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Run the gateway with a config file.",
            "SIGHUP or POST /admin/api/reload reloads the file.",
            "An invalid file is refused and the running config keeps serving.",
            "SIGTERM or Ctrl-C drains in-flight requests (drain_timeout), then stops."
        })
final class ServeCommand implements Callable<Integer> {
    @Option(
            names = {"-c", "--config"},
            required = true,
            paramLabel = "FILE",
            description = "The YAML config file.")
    Path config;

    @Option(
            names = "--log-format",
            defaultValue = "text",
            paramLabel = "FORMAT",
            description = "Diagnostic log format on stderr: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    LogFormat logFormat;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        logFormat.apply();
        ConfigLoader loader = ConfigLoader.standard();
        GatewayConfig c;
        try {
            c = loader.load(config);
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                spec.commandLine().getErr().println("error: " + error.message());
            }
            spec.commandLine().getErr().flush();
            return 1;
        }
        Runner runner = Runner.start(c, () -> loader.load(config));
        Signals.onHangup(runner.gateway()::reload);
        runner.awaitShutdown();
        return 0;
    }

    /** The gateway and its Vert.x instance, stopped together by a shutdown hook. */
    record Runner(io.vertx.core.Vertx vertx, Gateway gateway, java.util.concurrent.CountDownLatch stopped) {
        static Runner start(GatewayConfig c, Callable<GatewayConfig> source) throws Exception {
            io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
            Gateway gw;
            try {
                gw = Gateway.start(vertx, c, source).await();
            } catch (Exception e) {
                vertx.close().await();
                throw e;
            }
            Runner r = new Runner(vertx, gw, new java.util.concurrent.CountDownLatch(1));
            Runtime.getRuntime().addShutdownHook(new Thread(r::stop, "bulwark-shutdown"));
            return r;
        }

        void stop() {
            try {
                gateway.shutdown().await();
                vertx.close().await();
            } catch (Exception e) {
                // Nothing left to do at exit but say so.
                System.err.println("shutdown: " + e);
            } finally {
                stopped.countDown();
            }
        }

        void awaitShutdown() throws InterruptedException {
            stopped.await();
        }
    }
}
