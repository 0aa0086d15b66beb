package io.streamlearn.tools.bench;

import io.streamlearn.core.event.EventCodec;
import io.streamlearn.core.event.InvalidRecordException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The cost of Kafka alone: the trainer's input, JSON parsing and output, with no learning. The benchmark baseline
 * the trainer is measured against.
 */
final class PassThroughTopology {

    private PassThroughTopology() {
    }

    static Topology build(String input, String output) {
        EventCodec codec = new EventCodec();
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .filter((key, value) -> parses(codec, key, value))
                .to(output, Produced.with(Serdes.String(), Serdes.ByteArray()));
        return builder.build();
    }

    private static boolean parses(EventCodec codec, String key, byte[] value) {
        try {
            return codec.decodeEvent(value, key, 0L) != null;
        } catch (InvalidRecordException e) {
            return false;
        }
    }
}
