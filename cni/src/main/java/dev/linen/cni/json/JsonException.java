package dev.linen.cni.json;

/** Input that is not valid JSON. */
public final class JsonException extends Exception {
    public JsonException(String message) {
        super(message);
    }
}
