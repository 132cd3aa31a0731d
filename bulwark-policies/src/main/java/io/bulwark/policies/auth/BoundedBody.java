package io.bulwark.policies.auth;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.Supplier;

/**
 * Collects a response body of an identity-provider call up to a limit and cancels the subscription as soon as it
 * is exceeded, so that a hostile or broken server cannot make the gateway buffer without bound.
 */
public final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final long max;
    private final Supplier<? extends RuntimeException> overLimit;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    /**
     * @param max the largest body accepted; a negative max refuses any body at once
     * @param overLimit the failure of a body over the limit
     */
    public BoundedBody(long max, Supplier<? extends RuntimeException> overLimit) {
        this.max = max;
        this.overLimit = overLimit;
    }

    /**
     * A body handler for 200 responses up to {@code max} bytes (refused at once when the declared length is larger);
     * any other status gets an empty body, unread.
     */
    public static HttpResponse.BodySubscriber<byte[]> forResponse(
            HttpResponse.ResponseInfo info, long max, Supplier<? extends RuntimeException> overLimit) {
        if (info.statusCode() != 200) {
            return HttpResponse.BodySubscribers.replacing(new byte[0]);
        }
        long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
        return new BoundedBody(declared > max ? -1 : max, overLimit);
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        this.subscription = s;
        if (max < 0) {
            s.cancel();
            result.completeExceptionally(overLimit.get());
            return;
        }
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer b : buffers) {
            if (out.size() + (long) b.remaining() > max) {
                subscription.cancel();
                result.completeExceptionally(overLimit.get());
                return;
            }
            byte[] chunk = new byte[b.remaining()];
            b.get(chunk);
            out.write(chunk, 0, chunk.length);
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        result.complete(out.toByteArray());
    }
}
