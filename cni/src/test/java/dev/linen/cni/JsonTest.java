package dev.linen.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.linen.cni.json.Json;
import dev.linen.cni.json.JsonException;
import dev.linen.cni.json.JsonValue;
import dev.linen.cni.json.JsonValue.JObject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {
    @ParameterizedTest
    @ValueSource(strings = {
        "{\"a\":[1,-2.5e3,true,false,null,\"x\\\"y\\\\\"],\"b\":{}}",
        "[]", "\"\\u00e9\\n\"", "0", "{\"k\":\"ends with backslash\\\\\"}"
    })
    void roundTrips(String text) throws JsonException {
        assertEquals(Json.write(Json.parse(text)), Json.write(Json.parse(Json.write(Json.parse(text)))));
        assertEquals(text.replace("\\u00e9", "\u00e9"), Json.write(Json.parse(text)));
    }

    @Test
    void loneSurrogatesAreEscapedAndPairsWrittenAsTheyAre() throws JsonException {
        assertEquals("\"\\ud800x\\udc00\"", Json.write(Json.parse("\"\\ud800x\\udc00\"")));
        assertEquals("\"\ud83d\ude00\"", Json.write(Json.parse("\"\\ud83d\\ude00\"")));
        assertEquals("\"\\u0001\\u001f\"", Json.write(Json.parse("\"\\u0001\\u001F\"")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"a\":}", "[1,]", "01", "\"unterminated", "{\"a\":1}x", "tru", "\"\t\"",
        "\"\\u+041\"", "\"\\u-001\"", "\"\\u\u0660\u0660\u0664\u0661\"", "\"\\u12\""})
    void rejects(String text) {
        assertThrows(JsonException.class, () -> Json.parse(text));
    }

    @Test
    void errorsNameTheOffsetWhereTheStringWentWrong() {
        assertEquals("unexpected end of input at offset 3",
                assertThrows(JsonException.class, () -> Json.parse("\"ab")).getMessage());
        assertEquals("control character in string at offset 4",
                assertThrows(JsonException.class, () -> Json.parse("\"ab\tc\"")).getMessage());
        assertEquals("bad escape at offset 5",
                assertThrows(JsonException.class, () -> Json.parse("\"ab\\q\"")).getMessage());
    }

    @Test
    void parsedObjectsCannotBeChangedAndWithLeavesTheOriginal() throws JsonException {
        JObject o = (JObject) Json.parse("{\"a\":1,\"b\":{\"c\":\"d\"}}");
        assertThrows(UnsupportedOperationException.class, () -> o.members().put("x", JsonValue.of("y")));
        assertThrows(UnsupportedOperationException.class, () -> o.object("b").orElseThrow().members().clear());
        assertEquals("{\"a\":1,\"b\":{\"c\":\"d\"},\"x\":\"y\"}", Json.write(o.with("x", JsonValue.of("y"))));
        assertEquals("{\"b\":{\"c\":\"d\"}}", Json.write(o.without("a")));
        assertEquals("{\"a\":1,\"b\":{\"c\":\"d\"}}", Json.write(o));
    }

    @Test
    void anObjectMadeFromACallersMapIsACopy() {
        Map<String, JsonValue> mine = new LinkedHashMap<>();
        mine.put("k", JsonValue.of("v"));
        JObject o = new JObject(mine);
        mine.put("later", JsonValue.of("w"));
        assertEquals("{\"k\":\"v\"}", Json.write(o));
    }
}
