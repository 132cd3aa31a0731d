package io.bulwark.cli;

/** Diagnostic log format; must be chosen before the first logger is created. */
enum LogFormat {
    text,
    json;

    void apply() {
        if (this == json && System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "logback-json.xml");
        }
    }
}
