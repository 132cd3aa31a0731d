package io.bulwark.api;

import java.nio.file.Path;

/**
 * What a {@link PolicyFactory} may use while building a policy.
 *
 * @param configDirectory the directory of the config file; relative paths in policy config resolve against it
 * @param routeId the route the policy is built for
 */
public record PolicyContext(Path configDirectory, String routeId) {}
