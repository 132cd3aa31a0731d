package io.bulwark.policies;

import static java.util.Objects.requireNonNull;

import io.bulwark.api.Headers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** In-memory {@link Headers}: case-insensitive names, several values per name, like the gateway's. */
public final class TestHeaders implements Headers {
    private final Map<String, List<String>> values = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    @Override
    public String get(String name) {
        List<String> all = values.get(name);
        return all == null ? null : all.get(0);
    }

    @Override
    public List<String> getAll(String name) {
        return List.copyOf(values.getOrDefault(name, List.of()));
    }

    @Override
    public boolean contains(String name) {
        return values.containsKey(name);
    }

    @Override
    public Set<String> names() {
        return Set.copyOf(values.keySet());
    }

    @Override
    public TestHeaders set(String name, String value) {
        List<String> one = new ArrayList<>();
        one.add(requireNonNull(value, name));
        values.remove(name);
        values.put(requireNonNull(name, "name"), one);
        return this;
    }

    @Override
    public TestHeaders add(String name, String value) {
        requireNonNull(value, name);
        values.computeIfAbsent(requireNonNull(name, "name"), n -> new ArrayList<>())
                .add(value);
        return this;
    }

    @Override
    public TestHeaders remove(String name) {
        values.remove(name);
        return this;
    }

    /** A snapshot, names as last set, for whole-content assertions. */
    public Map<String, List<String>> snapshot() {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        values.forEach((name, list) -> copy.put(name, List.copyOf(list)));
        return copy;
    }
}
