package io.streamlearn.core.chunk;

/**
 * A manifest whose chunks are not all there: expected after log compaction kept an older manifest whose chunks a newer
 * blob replaced, or when a reader starts between a blob's chunks. Not corruption; the newer blob follows.
 */
public final class IncompleteBlobException extends BlobFormatException {

    public IncompleteBlobException(String message) {
        super(message);
    }
}
