package io.bulwark.openapi.response;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What the contract says about one response: whether its status and content type are declared and, for a JSON
 * body, the {@link Shape} to filter it with.
 */
public final class ResponseCheck {
    /** Whether the response is one the operation declares. */
    public enum Verdict {
        /** The status (exactly, by range such as {@code 2XX}, or by {@code default}) and content type are declared. */
        DECLARED,
        /** The operation declares no response for this status, and no {@code default}. */
        UNDECLARED_STATUS,
        /** The status is declared, but not with this content type (or not with a body at all). */
        UNDECLARED_CONTENT_TYPE
    }

    static final ResponseCheck UNDECLARED_STATUS = new ResponseCheck(Verdict.UNDECLARED_STATUS, null, null);

    private final Verdict verdict;
    private final Shape shape;
    private final String declaredStatus;

    ResponseCheck(Verdict verdict, Shape shape, String declaredStatus) {
        this.verdict = requireNonNull(verdict, "verdict");
        this.shape = shape;
        this.declaredStatus = declaredStatus;
    }

    public Verdict verdict() {
        return verdict;
    }

    /** True when the verdict is {@link Verdict#DECLARED}. */
    public boolean declared() {
        return verdict == Verdict.DECLARED;
    }

    /**
     * The shape to filter the body with: present when the response is declared and its content type is JSON
     * ({@code application/json}, {@code text/json} or any {@code +json} type). {@link Shape#isAny()} when the
     * declared media type has no schema.
     */
    public Optional<Shape> shape() {
        return Optional.ofNullable(shape);
    }

    /** The response key that matched ({@code 200}, {@code 2XX} or {@code default}); empty for an undeclared status. */
    public Optional<String> declaredStatus() {
        return Optional.ofNullable(declaredStatus);
    }

    @Override
    public String toString() {
        return "ResponseCheck[" + verdict + (declaredStatus == null ? "" : ", " + declaredStatus)
                + (shape == null ? "" : ", " + shape) + "]";
    }
}
