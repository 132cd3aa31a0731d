package io.bulwark.api;

/** The status and headers of the response about to be sent; policies may change both in the response phase. */
public interface ResponseHead {
    int status();

    void status(int status);

    Headers headers();

    /** The error key when the gateway produced this response itself, or {@code null} for upstream responses. */
    ErrorKey errorKey();
}
