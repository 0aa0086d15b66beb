package io.streamlearn.core.event;

import java.util.Locale;

/**
 * Why a record was not learned from. The code travels in the dead-letter record's {@code reason} header and tags the
 * {@code streamlearn.dlq} counter, so the set is closed and small.
 */
public enum RejectReason {
    OVERSIZED,
    MALFORMED_JSON,
    NOT_AN_OBJECT,
    MISSING_ID,
    MISSING_MODEL,
    UNKNOWN_MODEL,
    BAD_TIMESTAMP,
    MISSING_FEATURES,
    UNKNOWN_FEATURE,
    MISSING_FEATURE,
    WRONG_TYPE,
    NOT_FINITE,
    UNSEEN_NOMINAL,
    INVALID_LABEL,
    MISSING_LABEL,
    UNKNOWN_ID,
    /** An id, model or feature name over {@link EventCodec#MAX_NAME_CHARS}, or a text value over {@link EventCodec#MAX_TEXT_CHARS}. */
    TOO_LONG,
    /**
     * Learning from a valid-looking record failed in a way no check foresaw (an exception inside the learner): the
     * record is set aside rather than failing the trainer on it at every restart.
     */
    PROCESSING_ERROR,
    /**
     * The model's definition in force is one its learned state cannot follow within its generation (another learner,
     * schema or alert rule written without {@code --reset}): its records are set aside until a definition it can
     * follow is written; other models go on.
     */
    INCOMPATIBLE_DEFINITION,
    /**
     * An event of a sharded model whose id is that of an earlier event still waiting for its shards' votes: the two
     * could not be told apart when the votes and the label come back.
     */
    DUPLICATE_ID;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
