package io.bulwark.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code bulwark} command. */
@Command(
        name = "bulwark",
        mixinStandardHelpOptions = true,
        versionProvider = BulwarkCli.Version.class,
        description = {
            "Bulwark, an open-source API security gateway.",
            "",
            "Start with 'bulwark demo' to see it in front of a sample API, then write a config and run 'bulwark serve'."
        },
        subcommands = {
            ServeCommand.class,
            CheckCommand.class,
            DemoCommand.class,
            KeysCommand.class,
            TokenCommand.class,
            InspectCommand.class,
            CommandLine.HelpCommand.class
        })
public final class BulwarkCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (for tests). */
    public static int run(String... args) {
        return new CommandLine(new BulwarkCli())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Reads the version the build wrote. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"bulwark " + version(), "Java " + Runtime.version()};
        }
    }

    static String version() {
        try (InputStream in = BulwarkCli.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
