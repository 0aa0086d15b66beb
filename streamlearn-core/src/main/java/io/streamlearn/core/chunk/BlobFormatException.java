package io.streamlearn.core.chunk;

/** A chunked blob that cannot be used: malformed, incomplete, mixed with another blob's chunks, or corrupt. */
public class BlobFormatException extends IllegalArgumentException {

    public BlobFormatException(String message) {
        super(message);
    }

    public BlobFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
