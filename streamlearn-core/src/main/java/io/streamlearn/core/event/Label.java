package io.streamlearn.core.event;

import com.fasterxml.jackson.databind.JsonNode;

/** A label that arrives after its event, on the {@code labels} topic: {@code {"id": "...", "label": ...}}. */
public record Label(String id, String model, JsonNode label) {
}
