package io.streamlearn.trainer.kafka;

import io.streamlearn.core.event.InvalidRecordException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Headers of a dead-letter record: why it was refused and where it came from. The value stays the original bytes, so
 * a fixed record can be replayed as it was, except for an {@code oversized} one: its first {@code max.record.bytes}
 * bytes and {@link #ORIGINAL_BYTES}, so that the copy, headers added, always fits the dead-letter topic.
 */
public final class DeadLetterHeaders {

    public static final String REASON = "reason";
    public static final String DETAIL = "detail";
    public static final String FIELD = "field";
    public static final String SOURCE_TOPIC = "source.topic";
    public static final String SOURCE_PARTITION = "source.partition";
    public static final String SOURCE_OFFSET = "source.offset";
    /** On an {@code oversized} dead letter, whose value keeps only the first {@code max.record.bytes} bytes. */
    public static final String ORIGINAL_BYTES = "original.bytes";

    private DeadLetterHeaders() {
    }

    static Headers of(Headers original, InvalidRecordException problem, RecordMetadata source) {
        Headers headers = reason(new RecordHeaders(original.toArray()), problem);
        if (source != null) {
            source(headers, source.topic(), source.partition(), source.offset());
        }
        return headers;
    }

    /** For a record refused later than it was read (a held label that expired): its origin is given, not current. */
    static Headers of(InvalidRecordException problem, String topic, int partition, long offset) {
        return source(reason(new RecordHeaders(), problem), topic, partition, offset);
    }

    /** Marks a dead letter whose value was cut to fit: the original's length. */
    static Headers truncated(Headers headers, int originalBytes) {
        add(headers, ORIGINAL_BYTES, Integer.toString(originalBytes));
        return headers;
    }

    private static Headers reason(Headers headers, InvalidRecordException problem) {
        add(headers, REASON, problem.reason().code());
        add(headers, DETAIL, problem.getMessage());
        if (problem.field() != null) {
            add(headers, FIELD, problem.field());
        }
        return headers;
    }

    private static Headers source(Headers headers, String topic, int partition, long offset) {
        add(headers, SOURCE_TOPIC, topic);
        add(headers, SOURCE_PARTITION, Integer.toString(partition));
        add(headers, SOURCE_OFFSET, Long.toString(offset));
        return headers;
    }

    private static void add(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
