package io.streamlearn.trainer.kafka;

import io.streamlearn.core.event.InvalidRecordException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Headers of a dead-letter record: why it was refused and where it came from. The value stays the original bytes, so
 * a fixed record can be replayed as it was.
 */
public final class DeadLetterHeaders {

    public static final String REASON = "reason";
    public static final String DETAIL = "detail";
    public static final String FIELD = "field";
    public static final String SOURCE_TOPIC = "source.topic";
    public static final String SOURCE_PARTITION = "source.partition";
    public static final String SOURCE_OFFSET = "source.offset";

    private DeadLetterHeaders() {
    }

    static Headers of(Headers original, InvalidRecordException problem, RecordMetadata source) {
        Headers headers = new RecordHeaders(original.toArray());
        add(headers, REASON, problem.reason().code());
        add(headers, DETAIL, problem.getMessage());
        if (problem.field() != null) {
            add(headers, FIELD, problem.field());
        }
        if (source != null) {
            add(headers, SOURCE_TOPIC, source.topic());
            add(headers, SOURCE_PARTITION, Integer.toString(source.partition()));
            add(headers, SOURCE_OFFSET, Long.toString(source.offset()));
        }
        return headers;
    }

    private static void add(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
