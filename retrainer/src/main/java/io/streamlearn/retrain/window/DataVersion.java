package io.streamlearn.retrain.window;

import io.streamlearn.core.schema.FeatureSchema;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What a run trained on, exactly: the offset ranges of {@code events} and {@code labels} it read and the version of the
 * schema that encoded them. Reading the same ranges again with the same schema gives the same window, so the data
 * version is all a run needs to be reproduced; nothing is copied out of Kafka.
 *
 * @param schemaVersion {@link #schemaVersion(FeatureSchema)} of the schema used
 */
public record DataVersion(List<OffsetRange> events, List<OffsetRange> labels, String schemaVersion) {

    public DataVersion {
        events = List.copyOf(events);
        labels = List.copyOf(labels);
    }

    /** The first 16 hex digits of the SHA-256 of the schema's JSON: changes whenever the schema does. */
    public static String schemaVersion(FeatureSchema schema) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(schema.toJson().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
