package io.bulwark.gateway.proxy;

import static java.util.Objects.requireNonNull;

import io.bulwark.api.Body;
import io.vertx.core.buffer.Buffer;

/** A message body buffered for the policies that inspect it; the bytes are copied out of Netty once. */
final class BufferedBody implements Body {
    private final String contentType;
    private byte[] bytes;
    private boolean replaced;

    BufferedBody(Buffer buffer, String contentType) {
        this.bytes = buffer.getBytes();
        this.contentType = contentType;
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
    public void replace(byte[] newBytes) {
        requireNonNull(newBytes, "bytes");
        this.bytes = newBytes.clone();
        this.replaced = true;
    }

    boolean replaced() {
        return replaced;
    }

    Buffer toBuffer() {
        return Buffer.buffer(bytes);
    }
}
