package io.bulwark.gateway.http;

import io.bulwark.api.Headers;
import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Set;

/** {@link Headers} over a Vert.x {@link MultiMap}; changes go straight to the map. */
public final class VertxHeaders implements Headers {
    private final MultiMap map;

    public VertxHeaders(MultiMap map) {
        this.map = map;
    }

    public MultiMap unwrap() {
        return map;
    }

    @Override
    public String get(String name) {
        return map.get(name);
    }

    @Override
    public List<String> getAll(String name) {
        return map.getAll(name);
    }

    @Override
    public boolean contains(String name) {
        return map.contains(name);
    }

    @Override
    public Set<String> names() {
        return map.names();
    }

    @Override
    public Headers set(String name, String value) {
        map.set(name, value);
        return this;
    }

    @Override
    public Headers add(String name, String value) {
        map.add(name, value);
        return this;
    }

    @Override
    public Headers remove(String name) {
        map.remove(name);
        return this;
    }
}
