package io.streamlearn.runtime.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A bearer token a route requires. The admin token of every admin route (serving's promote, rollback and unpin, the
 * retrainer's retrain trigger): no token configured disables the routes (403 for everyone), a request without the
 * token or with a wrong one is refused (401 with {@link #CHALLENGE}). The labels token of serving's labels route: no
 * token configured accepts every request, a missing or wrong one is refused (401 with {@link #LABELS_CHALLENGE}).
 */
public final class BearerToken {

    /** The {@code WWW-Authenticate} value of a 401. */
    public static final String CHALLENGE = "Bearer realm=\"streamlearn-admin\"";
    /** The {@code WWW-Authenticate} value of a labels route's 401. */
    public static final String LABELS_CHALLENGE = "Bearer realm=\"streamlearn-labels\"";
    private static final String BEARER = "Bearer ";

    private final byte[] token;

    private BearerToken(byte[] token) {
        this.token = token;
    }

    /** @param token {@code null} disables the admin routes */
    public static BearerToken of(String token) {
        return new BearerToken(token == null ? null : token.getBytes(StandardCharsets.UTF_8));
    }

    public boolean configured() {
        return token != null;
    }

    /** Whether an {@code Authorization} header (may be {@code null}) bears the configured token. */
    public boolean accepts(String authorization) {
        boolean bearer = token != null && authorization != null
                && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length());
        // Compared in constant time, so the answer's timing does not reveal how much of a guess was right.
        return bearer && MessageDigest.isEqual(token,
                authorization.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8));
    }
}
