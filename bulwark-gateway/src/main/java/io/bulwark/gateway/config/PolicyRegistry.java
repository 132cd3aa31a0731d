package io.bulwark.gateway.config;

import io.bulwark.api.PolicyFactory;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The policy factories on the class path, by config name. The gateway names no concrete policy. */
public final class PolicyRegistry {
    private final Map<String, PolicyFactory> factories;

    private PolicyRegistry(Map<String, PolicyFactory> factories) {
        this.factories = Map.copyOf(factories);
    }

    /** Finds every {@link PolicyFactory} through {@link ServiceLoader}. */
    public static PolicyRegistry load() {
        Map<String, PolicyFactory> found = new TreeMap<>();
        for (PolicyFactory f : ServiceLoader.load(PolicyFactory.class, PolicyRegistry.class.getClassLoader())) {
            PolicyFactory previous = found.put(f.name(), f);
            if (previous != null) {
                throw new IllegalStateException("two policy factories named '" + f.name() + "': "
                        + previous.getClass().getName() + " and " + f.getClass().getName());
            }
        }
        return new PolicyRegistry(found);
    }

    public static PolicyRegistry of(List<PolicyFactory> factories) {
        Map<String, PolicyFactory> map = new TreeMap<>();
        factories.forEach(f -> map.put(f.name(), f));
        return new PolicyRegistry(map);
    }

    public PolicyFactory get(String name) {
        return factories.get(name);
    }

    /** The known names, sorted. */
    public List<String> names() {
        return List.copyOf(new TreeMap<>(factories).keySet());
    }
}
