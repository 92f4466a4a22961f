package dev.asyncio.http;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JSON to plain values the way Python's json module does it, and back. */
class JsonTest {
    @Test
    void valuesBecomeMapsListsStringsNumbersBooleansAndNull() {
        Object v = Json.parse(" {\"a\": [1, -2.5, 3e2, true, false, null], \"b\": {\"c\": \"d\"}, \"e\": []} ");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("a", Arrays.asList(1L, -2.5, 300.0, true, false, null));
        expected.put("b", Map.of("c", "d"));
        expected.put("e", List.of());
        assertEquals(expected, v);
        assertEquals(List.of("a", "b", "e"), List.copyOf(((Map<?, ?>) v).keySet()), "key order kept");
        assertNull(Json.parse("null"));
        assertEquals("x", Json.parse("\"x\""));
    }

    @Test
    void integersAreLongsOrBigIntegersAsTheyNeed() {
        assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
        assertEquals(new BigInteger("9223372036854775808"), Json.parse("9223372036854775808"));
        assertEquals(0L, Json.parse("-0"));
        assertEquals(-0.0, Json.parse("-0.0"));
    }

    @Test
    void integersOfMoreThan4300DigitsAreRefusedAsPythonDoes() {
        // Converting n digits is quadratic: 100,000 digits took ~0.5 s, a million ~13 s of the loop's thread.
        assertEquals(new BigInteger("9".repeat(4300)), Json.parse("9".repeat(4300)));
        assertEquals(new BigInteger("-" + "9".repeat(4300)), Json.parse("-" + "9".repeat(4300)));
        JsonDecodeError e = assertThrows(JsonDecodeError.class, () -> Json.parse("[1, " + "9".repeat(100_000) + "]"));
        assertEquals("Exceeds the limit (4300 digits) for integer string conversion: value has 100000 digits "
                + "at position 4", e.getMessage());
        assertThrows(JsonDecodeError.class, () -> Json.parse("-" + "9".repeat(4301)));
        assertEquals(Double.POSITIVE_INFINITY, Json.parse("9".repeat(5000) + ".0"),
                "a float is no integer: its conversion is linear, and it overflows to infinity as in Python");
    }

    @Test
    void escapesIncludingSurrogatePairsAreDecoded() {
        assertEquals("a\"b\\c/d\b\f\n\r\t é 😀", Json.parse("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t \\u00e9 \\ud83d\\ude00\""));
    }

    @Test
    void aRepeatedKeyKeepsItsLastValue() {
        assertEquals(Map.of("k", 2L), Json.parse("{\"k\": 1, \"k\": 2}"));
    }

    @Test
    void invalidTextIsAJsonDecodeErrorNamingWhereAndWhat() {
        String[][] cases = {
                {"", "Expecting value, found the end of the text at position 0"},
                {"[1, 2,]", "Expecting value, found ']' at position 6"},
                {"{\"a\" 1}", "Expecting ':' delimiter at position 5"},
                {"{a: 1}", "Expecting property name enclosed in double quotes at position 1"},
                {"[1 2]", "Expecting ',' delimiter or ']' at position 3"},
                {"\"abc", "Unterminated string starting at position 0"},
                {"\"a\nb\"", "Invalid control character in a string at position 2"},
                {"\"\\x\"", "Invalid \\escape '\\x' at position 1"},
                {"01", "Extra data after the JSON value at position 1"},
                {"1.", "Expecting a digit after the decimal point at position 2"},
                {"NaN", "Expecting value, found 'N' at position 0"},
                {"[] []", "Extra data after the JSON value at position 3"},
                {"tru", "Expecting value at position 0"},
        };
        for (String[] c : cases) {
            JsonDecodeError e = assertThrows(JsonDecodeError.class, () -> Json.parse(c[0]), c[0]);
            assertEquals(c[1], e.getMessage(), c[0]);
        }
        assertTrue(assertThrows(JsonDecodeError.class, () -> Json.parse("[".repeat(600) + "]".repeat(600)))
                .getMessage().startsWith("Nesting deeper than 512 levels"));
    }

    @Test
    void writingGivesCompactTextThatParsesBack() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("s", "quote \" backslash \\ newline \n control \u0001");
        value.put("n", List.of(1, 2L, 2.5, -0.5, new BigInteger("123456789012345678901234567890")));
        value.put("b", true);
        value.put("z", null);
        value.put("arr", new Object[] {"x", 1});
        String text = Json.write(value);
        assertEquals("{\"s\":\"quote \\\" backslash \\\\ newline \\n control \\u0001\",\"n\":[1,2,2.5,-0.5,"
                + "123456789012345678901234567890],\"b\":true,\"z\":null,\"arr\":[\"x\",1]}", text);
        Map<?, ?> back = (Map<?, ?>) Json.parse(text);
        assertEquals(value.get("s"), back.get("s"));
        assertEquals("1.0", Json.write(1.0), "a float stays a float, as in Python");
    }

    @Test
    void valuesJsonCannotHoldAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
        List<Object> loop = new java.util.ArrayList<>();
        loop.add(loop);
        assertEquals("Circular reference detected", assertThrows(IllegalArgumentException.class, () -> Json.write(loop)).getMessage());
    }
}
