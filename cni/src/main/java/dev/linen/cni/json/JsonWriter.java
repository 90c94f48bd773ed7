package dev.linen.cni.json;

import dev.linen.cni.json.JsonValue.JArray;
import dev.linen.cni.json.JsonValue.JBool;
import dev.linen.cni.json.JsonValue.JNumber;
import dev.linen.cni.json.JsonValue.JObject;
import dev.linen.cni.json.JsonValue.JString;
import java.util.Map;

final class JsonWriter {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonWriter() {
    }

    // instanceof, not a pattern switch: a type switch is bootstrapped at run time (a hidden class
    // per JVM start), and this runs on every ADD.
    static void write(JsonValue v, StringBuilder sb) {
        if (v instanceof JObject o) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonValue> e : o.own().entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                string(e.getKey(), sb);
                sb.append(':');
                write(e.getValue(), sb);
            }
            sb.append('}');
        } else if (v instanceof JArray a) {
            sb.append('[');
            for (int i = 0; i < a.items().size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(a.items().get(i), sb);
            }
            sb.append(']');
        } else if (v instanceof JString s) {
            string(s.value(), sb);
        } else if (v instanceof JNumber n) {
            sb.append(n.text());
        } else if (v instanceof JBool b) {
            sb.append(b.value());
        } else {
            sb.append("null");
        }
    }

    /**
     * A JSON string. Everything but quotes, backslashes and control characters is written as it
     * is (the caller encodes the text as UTF-8). A lone surrogate, which no UTF-8 byte sequence can
     * carry, is written as a backslash-u escape so that the output stays valid UTF-8 JSON.
     */
    private static void string(String s, StringBuilder sb) {
        sb.append('"');
        if (isPlain(s)) { // the usual string: appended in one piece
            sb.append(s).append('"');
            return;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        unicodeEscape(c, sb);
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        sb.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        unicodeEscape(c, sb);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** True when {@code s} has nothing to escape: no quote, backslash, control character or surrogate. */
    private static boolean isPlain(String s) {
        char[] cs = s.toCharArray(); // array reads: this runs interpreted, where charAt is a chain of calls
        for (char c : cs) {
            if (c == '"' || c == '\\' || c < 0x20 || (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE)) {
                return false;
            }
        }
        return true;
    }

    private static void unicodeEscape(char c, StringBuilder sb) {
        sb.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf])
                .append(HEX[c & 0xf]);
    }
}
