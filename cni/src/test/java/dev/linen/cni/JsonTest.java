package dev.linen.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.linen.cni.json.Json;
import dev.linen.cni.json.JsonException;
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

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"a\":}", "[1,]", "01", "\"unterminated", "{\"a\":1}x", "tru", "\"\t\""})
    void rejects(String text) {
        assertThrows(JsonException.class, () -> Json.parse(text));
    }
}
