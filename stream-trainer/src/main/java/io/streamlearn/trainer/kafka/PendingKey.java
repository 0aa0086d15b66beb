package io.streamlearn.trainer.kafka;

/**
 * The key of an unlabelled event or a held label: model, generation and event id. The first generation's keys are
 * {@code model NUL id}, as before generations existed; a later one's are {@code model NUL NUL generation NUL id}, so
 * that an event of a model started afresh never meets a label meant for its predecessor's events.
 */
record PendingKey(String model, long generation, String id) {

    private static final char SEPARATOR = '\u0000';

    /** The beginning of every key of {@code model}, of all generations. */
    static String prefixOf(String model) {
        return model + SEPARATOR;
    }

    String encode() {
        return generation <= 1 ? model + SEPARATOR + id
                : model + SEPARATOR + SEPARATOR + generation + SEPARATOR + id;
    }

    static PendingKey decode(String key) {
        int first = key.indexOf(SEPARATOR);
        String model = key.substring(0, first);
        if (first + 1 < key.length() && key.charAt(first + 1) == SEPARATOR) {
            int end = key.indexOf(SEPARATOR, first + 2);
            if (end > 0) {
                try {
                    return new PendingKey(model, Long.parseLong(key.substring(first + 2, end)), key.substring(end + 1));
                } catch (NumberFormatException e) {
                    // An id that begins with NUL, of the first generation.
                }
            }
        }
        return new PendingKey(model, 1, key.substring(first + 1));
    }
}
