package io.streamlearn.tools.demo;

/** A part the demo drives has failed; the message is its reason, naming the part. */
public final class PartFailedException extends Exception {

    private static final long serialVersionUID = 1L;

    PartFailedException(String reason) {
        super(reason);
    }
}
