package io.streamlearn.tools.bench;

import io.streamlearn.core.event.EventCodec;
import io.streamlearn.core.event.InvalidRecordException;
import io.streamlearn.trainer.kafka.QuietCommit;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The cost of Kafka alone: the trainer's input, JSON parsing and output, with no learning. The benchmark baseline
 * the trainer is measured against, so it commits as the trainer does: also as soon as its input goes quiet
 * ({@link QuietCommit}). Without that, its last outputs waited for the next tick of the one-second exactly-once commit
 * interval, and its measured time was its work rounded up to a tick (81k or 150k events/s for the same work,
 * docs/benchmarks.md, issue #13).
 */
final class PassThroughTopology {

    private PassThroughTopology() {
    }

    static Topology build(String input, String output) {
        Topology topology = new Topology();
        topology.addSource("events", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), input);
        topology.addProcessor("parse", ParseAndForward::new, "events");
        topology.addSink("out", output, Serdes.String().serializer(), Serdes.ByteArray().serializer(), "parse");
        return topology;
    }

    /** Forwards each event that parses as the trainer's codec reads it. */
    private static final class ParseAndForward implements Processor<String, byte[], String, byte[]> {

        private final EventCodec codec = new EventCodec();
        private ProcessorContext<String, byte[]> context;
        private QuietCommit quiet;

        @Override
        public void init(ProcessorContext<String, byte[]> context) {
            this.context = context;
            this.quiet = QuietCommit.schedule(context);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            quiet.processed();
            if (parses(record.key(), record.value())) {
                context.forward(record);
            }
        }

        private boolean parses(String key, byte[] value) {
            try {
                return codec.decodeEvent(value, key, 0L) != null;
            } catch (InvalidRecordException e) {
                return false;
            }
        }
    }
}
