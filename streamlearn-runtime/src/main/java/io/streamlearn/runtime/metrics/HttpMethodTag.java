package io.streamlearn.runtime.metrics;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.micrometer.Label;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The {@code method} tag of Vert.x's HTTP server meters, bounded: one of the methods of RFC 9110 (and PATCH, RFC 5789),
 * else {@value #OTHER}. Vert.x accepts any method token a client sends and would tag it as sent, so fifteen requests
 * with invented methods ({@code FOO1} ... {@code FOO15}) would otherwise add fifteen series to every scrape.
 */
public final class HttpMethodTag {

    /** The tag value of every method outside the standard set. */
    public static final String OTHER = "other";

    private static final Set<String> STANDARD = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
            "TRACE", "PATCH");
    private static final String NAME = Label.HTTP_METHOD.toString();
    private static final Map<String, Tags> TAGS = STANDARD.stream()
            .collect(Collectors.toUnmodifiableMap(method -> method, method -> Tags.of(NAME, method)));
    private static final Tags OTHER_TAGS = Tags.of(NAME, OTHER);

    private HttpMethodTag() {
    }

    /**
     * For {@code MicrometerMetricsOptions.setServerRequestTagsProvider}, with {@link Label#HTTP_METHOD} removed from
     * the options' labels so that this tag replaces Vert.x's own.
     */
    public static Function<HttpRequest, Iterable<Tag>> provider() {
        return request -> TAGS.getOrDefault(request.method().name(), OTHER_TAGS);
    }
}
