package dev.linen.cni.json;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A JSON value. The plugin reads and writes CNI JSON with this small model instead of a JSON
 * library: it runs once per pod and its start-up time is its cost (see bench/).
 * Numbers keep their source text so a result passes through unchanged.
 */
public sealed interface JsonValue {

    record JObject(Map<String, JsonValue> members) implements JsonValue {
        /**
         * Keeps its own map: a caller's is copied, one of ours (the parser's, with's, without's)
         * is taken as it is, since copying each doubled the cost of reading a config. The map
         * never leaves unwrapped: {@link #members()} is a read-only view.
         */
        public JObject {
            members = members instanceof HandedOver ? members : new HandedOver(members);
        }

        /** The members, in their order, read-only. */
        @Override
        public Map<String, JsonValue> members() {
            return java.util.Collections.unmodifiableMap(members);
        }

        /**
         * The members for reading in this package (the writer): the map itself, not a view, whose
         * entry iteration would load four classes more at each start of the plugin.
         */
        Map<String, JsonValue> own() {
            return members;
        }

        public Optional<JsonValue> get(String key) {
            return Optional.ofNullable(members.get(key));
        }

        // No lambdas here: these run on every ADD, and each lambda costs start-up time.

        public Optional<JObject> object(String key) {
            return members.get(key) instanceof JObject o ? Optional.of(o) : Optional.empty();
        }

        public Optional<String> string(String key) {
            return members.get(key) instanceof JString s ? Optional.of(s.value()) : Optional.empty();
        }

        public Optional<JArray> array(String key) {
            return members.get(key) instanceof JArray a ? Optional.of(a) : Optional.empty();
        }

        /** A copy with the key set (added at the end, or replaced in place). */
        public JObject with(String key, JsonValue value) {
            Map<String, JsonValue> copy = new HandedOver(members);
            copy.put(key, value);
            return new JObject(copy);
        }

        /** A copy without the key. */
        public JObject without(String key) {
            Map<String, JsonValue> copy = new HandedOver(members);
            copy.remove(key);
            return new JObject(copy);
        }
    }

    record JArray(List<JsonValue> items) implements JsonValue {
        public JArray {
            items = List.copyOf(items);
        }
    }

    record JString(String value) implements JsonValue {
        public JString {
            java.util.Objects.requireNonNull(value);
        }
    }

    /** A number, kept as its JSON text. */
    record JNumber(String text) implements JsonValue {
    }

    record JBool(boolean value) implements JsonValue {
    }

    /** JSON {@code null}. */
    enum JNull implements JsonValue {
        NULL
    }

    /** Builders for the few objects the plugin writes itself. */
    final class Writer {
        private Writer() {
        }

        /** A CNI error object. */
        public static String error(String version, int code, String msg, String details) {
            Map<String, JsonValue> m = new LinkedHashMap<>();
            m.put("cniVersion", of(version));
            m.put("code", of(code));
            m.put("msg", of(msg == null ? "" : msg));
            if (details != null && !details.isEmpty()) {
                m.put("details", of(details));
            }
            return Json.write(new JObject(m));
        }
    }

    static JString of(String s) {
        return new JString(s);
    }

    static JNumber of(long n) {
        return new JNumber(Long.toString(n));
    }
}
