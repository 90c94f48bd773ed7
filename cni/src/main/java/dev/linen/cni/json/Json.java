package dev.linen.cni.json;

import dev.linen.cni.json.JsonValue.JArray;
import dev.linen.cni.json.JsonValue.JBool;
import dev.linen.cni.json.JsonValue.JNull;
import dev.linen.cni.json.JsonValue.JNumber;
import dev.linen.cni.json.JsonValue.JObject;
import dev.linen.cni.json.JsonValue.JString;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A strict RFC 8259 parser and a compact writer for {@link JsonValue}. Not thread-shared state. */
public final class Json {
    /**
     * UTF-8, the plugin's one charset (CNI's JSON, sysfs, the state files). Looked up by name, not
     * taken from StandardCharsets: that class makes all eight standard charsets at its first use,
     * which a steady-state ADD paid for at every start.
     */
    public static final Charset UTF_8 = Charset.forName("UTF-8");

    private static final int MAX_DEPTH = 64;
    private final String text;
    // the text as an array: the parser runs once per plugin start, interpreted, where an array
    // read is a bytecode and String.charAt a chain of calls (a third of a steady-state ADD's parse)
    private final char[] in;
    private int pos;

    private Json(String text) {
        this.text = text;
        this.in = text.toCharArray();
    }

    /** Parses one JSON document; anything but whitespace after it is an error. */
    public static JsonValue parse(String text) throws JsonException {
        Json p = new Json(text);
        p.skipWs();
        JsonValue v = p.value(0);
        p.skipWs();
        if (p.pos != p.in.length) {
            throw p.error("trailing characters");
        }
        return v;
    }

    private JsonValue value(int depth) throws JsonException {
        if (depth > MAX_DEPTH) {
            throw error("nesting too deep");
        }
        if (pos >= in.length) {
            throw error("unexpected end of input");
        }
        char c = in[pos];
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> new JString(string());
            case 't' -> literal("true", new JBool(true));
            case 'f' -> literal("false", new JBool(false));
            case 'n' -> literal("null", JNull.NULL);
            default -> number();
        };
    }

    private JObject object(int depth) throws JsonException {
        pos++;
        Map<String, JsonValue> members = new HandedOver();
        skipWs();
        if (peek() == '}') {
            pos++;
            return new JObject(members);
        }
        while (true) {
            skipWs();
            if (peek() != '"') {
                throw error("expected a member name");
            }
            String key = string();
            skipWs();
            expect(':');
            skipWs();
            members.put(key, value(depth + 1));
            skipWs();
            char c = next();
            if (c == '}') {
                return new JObject(members);
            }
            if (c != ',') {
                throw error("expected ',' or '}'");
            }
        }
    }

    private JArray array(int depth) throws JsonException {
        pos++;
        List<JsonValue> items = new ArrayList<>();
        skipWs();
        if (peek() == ']') {
            pos++;
            return new JArray(items);
        }
        while (true) {
            skipWs();
            items.add(value(depth + 1));
            skipWs();
            char c = next();
            if (c == ']') {
                return new JArray(items);
            }
            if (c != ',') {
                throw error("expected ',' or ']'");
            }
        }
    }

    private String string() throws JsonException {
        int start = ++pos;
        while (pos < in.length) { // the usual string: no escapes, copied in one piece
            char c = in[pos];
            if (c == '"') {
                pos++;
                return text.substring(start, pos - 1); // not new String(char[]): that loads StringUTF16
            }
            if (c == '\\' || c < 0x20) {
                break;
            }
            pos++;
        }
        StringBuilder sb = new StringBuilder().append(text, start, pos);
        while (true) {
            char c = next();
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                throw error("control character in string");
            }
            sb.append(c == '\\' ? escape() : c);
        }
    }

    private char escape() throws JsonException {
        char c = next();
        return switch (c) {
            case '"', '\\', '/' -> c;
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'u' -> unicode();
            default -> throw error("bad escape");
        };
    }

    private char unicode() throws JsonException {
        if (pos + 4 > in.length) {
            throw error("short unicode escape");
        }
        int c = 0;
        for (int i = pos; i < pos + 4; i++) { // four hex digits: Integer.parseInt would take a sign
            int d = hexDigit(in[i]);
            if (d < 0) {
                throw error("bad unicode escape");
            }
            c = c * 16 + d;
        }
        pos += 4;
        return (char) c;
    }

    /** The value of an ASCII hex digit, -1 for anything else (Character.digit takes other scripts' digits). */
    private static int hexDigit(char h) {
        if (h >= '0' && h <= '9') {
            return h - '0';
        }
        if (h >= 'a' && h <= 'f') {
            return h - 'a' + 10;
        }
        return h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
    }

    private JNumber number() throws JsonException {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        int intStart = pos;
        digits();
        if (pos == intStart || (in[intStart] == '0' && pos - intStart > 1)) {
            throw error("bad number");
        }
        if (peek() == '.') {
            pos++;
            requireDigits();
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            requireDigits();
        }
        return new JNumber(text.substring(start, pos));
    }

    private void requireDigits() throws JsonException {
        int s = pos;
        digits();
        if (pos == s) {
            throw error("bad number");
        }
    }

    private void digits() {
        while (pos < in.length && in[pos] >= '0' && in[pos] <= '9') {
            pos++;
        }
    }

    private JsonValue literal(String word, JsonValue v) throws JsonException {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected token");
        }
        pos += word.length();
        return v;
    }

    private void skipWs() {
        while (pos < in.length) {
            char c = in[pos];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private char peek() {
        return pos < in.length ? in[pos] : '\0';
    }

    private char next() throws JsonException {
        if (pos >= in.length) {
            throw error("unexpected end of input");
        }
        return in[pos++];
    }

    private void expect(char c) throws JsonException {
        if (next() != c) {
            throw error("expected '" + c + "'");
        }
    }

    private JsonException error(String what) {
        return new JsonException(what + " at offset " + pos);
    }

    /** Writes the value as compact JSON. */
    public static String write(JsonValue v) {
        StringBuilder sb = new StringBuilder();
        JsonWriter.write(v, sb);
        return sb.toString();
    }
}
