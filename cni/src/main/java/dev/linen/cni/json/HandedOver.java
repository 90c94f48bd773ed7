package dev.linen.cni.json;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The members of one new object, filled by its only writer (the parser, {@code with},
 * {@code without}) and handed to {@link JsonValue.JObject}, which keeps it without copying. Nobody
 * changes it afterwards and nobody else sees it: the class is package-private, and JObject hands
 * out an unmodifiable view.
 */
final class HandedOver extends LinkedHashMap<String, JsonValue> {
    private static final long serialVersionUID = 1L;

    HandedOver() {
    }

    HandedOver(Map<String, JsonValue> from) {
        super(from);
    }
}
