package io.streamlearn.core.data;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;

/**
 * What MOA's {@code ArffLoader} reads from. It keeps the text read while the loader parses the header, because MOA
 * keeps no declared types (a {@code string} or {@code date} attribute becomes numeric), and it throws I/O failures
 * unchecked: MOA's loader catches {@link IOException}, logs it and returns what it has, so a truncated gzip file would
 * end the data early without a word.
 */
final class ArffLoaderInput extends FilterReader {

    private StringBuilder captured = new StringBuilder();

    ArffLoaderInput(Reader in) {
        super(in);
    }

    /** The text read so far (the header and at most one buffer beyond it); nothing more is kept after this. */
    String stopCapturing() {
        String text = captured.toString();
        captured = null;
        return text;
    }

    @Override
    public int read() {
        try {
            int c = in.read();
            if (c >= 0 && captured != null) {
                captured.append((char) c);
            }
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int read(char[] buffer, int offset, int length) {
        try {
            int n = in.read(buffer, offset, length);
            if (n > 0 && captured != null) {
                captured.append(buffer, offset, n);
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
