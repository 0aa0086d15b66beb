package io.streamlearn.runtime.definitions;

/** A definition change the topic's current state does not allow; the message says why and what to do instead. */
public final class DefinitionRefusedException extends IllegalArgumentException {

    public DefinitionRefusedException(String message) {
        super(message);
    }
}
