package dev.linen.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.linen.cni.json.Json;
import dev.linen.cni.json.JsonException;
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
    @ValueSource(strings = {"", "{", "{\"a\":}", "[1,]", "01", "\"unterminated", "{\"a\":1}x", "tru", "\"\t\""})
    void rejects(String text) {
        assertThrows(JsonException.class, () -> Json.parse(text));
    }
}
