package io.bulwark.gateway;

import io.bulwark.api.config.ConfigError;
import java.util.List;

/**
 * The outcome of a reload.
 *
 * @param success whether the new config is now serving
 * @param errors why the file was refused (empty on success)
 * @param warnings non-fatal findings, including settings that only take effect on restart
 * @param routes the number of routes now serving
 */
public record ReloadResult(boolean success, List<ConfigError> errors, List<String> warnings, int routes) {
    public ReloadResult {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }
}
