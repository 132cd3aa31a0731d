package io.bulwark.policies;

import io.bulwark.api.Body;
import java.nio.charset.StandardCharsets;

/** An in-memory {@link Body} for policy tests. */
public final class TestBody implements Body {
    private byte[] bytes;
    private final String contentType;

    public TestBody(byte[] bytes, String contentType) {
        this.bytes = bytes;
        this.contentType = contentType;
    }

    public static TestBody json(String text) {
        return new TestBody(text.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    public static TestBody of(String text, String contentType) {
        return new TestBody(text.getBytes(StandardCharsets.UTF_8), contentType);
    }

    @Override
    public byte[] bytes() {
        return bytes;
    }

    @Override
    public String contentType() {
        return contentType;
    }

    @Override
    public void replace(byte[] bytes) {
        this.bytes = bytes;
    }
}
