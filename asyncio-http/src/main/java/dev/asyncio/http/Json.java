package dev.asyncio.http;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON text to plain Java values and back, with no dependency; mirrors Python's {@code json.loads} and
 * {@code json.dumps}.
 *
 * <pre>{@code
 * Map<?, ?> user = (Map<?, ?>) Json.parse("{\"name\": \"Ada\", \"langs\": [\"en\", \"fr\"], \"age\": 36}");
 * long age = (Long) user.get("age");
 * String text = Json.write(Map.of("ok", true));             // {"ok":true}
 * }</pre>
 *
 * <p>Objects become {@link LinkedHashMap}s (key order kept; a repeated key keeps its last value, as in
 * Python), arrays {@link ArrayList}s, strings {@link String}s, {@code true}/{@code false} {@link Boolean}s,
 * {@code null} {@code null}. Numbers are what Python would make of them: an integer is a {@link Long}, or a
 * {@link BigInteger} when it does not fit; a number with a fraction or an exponent is a {@link Double}. The
 * parser is strict RFC 8259 (no comments, no trailing commas, no NaN), refuses nesting deeper than 512
 * levels rather than overflowing the stack, and integers of more than 4300 digits rather than spending
 * quadratic time converting them (Python's limit since 3.11).
 */
public final class Json {
    private static final int MAX_DEPTH = 512;
    /** The most digits an integer may have: Python's default {@code sys.get_int_max_str_digits()}. */
    static final int MAX_INT_DIGITS = 4300;

    private final String text;
    private int pos;
    private int depth;

    private Json(String text) {
        this.text = text;
    }

    /**
     * The value that {@code text} holds.
     *
     * @throws JsonDecodeError if {@code text} is not one valid JSON value (surrounding white space allowed)
     */
    public static Object parse(String text) {
        Json p = new Json(text);
        p.skipWhitespace();
        Object value = p.value();
        p.skipWhitespace();
        if (p.pos < text.length()) {
            throw new JsonDecodeError("Extra data after the JSON value", p.pos);
        }
        return value;
    }

    private Object value() {
        if (pos >= text.length()) {
            throw new JsonDecodeError("Expecting value, found the end of the text", pos);
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw new JsonDecodeError("Expecting value, found '" + c + "'", pos);
            }
        };
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw new JsonDecodeError("Nesting deeper than " + MAX_DEPTH + " levels", pos);
        }
    }

    private Map<String, Object> object() {
        enter();
        pos++;
        Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            depth--;
            return map;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw new JsonDecodeError("Expecting property name enclosed in double quotes", pos);
            }
            String key = string();
            skipWhitespace();
            if (peek() != ':') {
                throw new JsonDecodeError("Expecting ':' delimiter", pos);
            }
            pos++;
            skipWhitespace();
            map.put(key, value());
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == '}') {
                depth--;
                return map;
            }
            if (c != ',') {
                throw new JsonDecodeError("Expecting ',' delimiter or '}'", pos - 1);
            }
        }
    }

    private List<Object> array() {
        enter();
        pos++;
        List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            depth--;
            return list;
        }
        while (true) {
            skipWhitespace();
            list.add(value());
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == ']') {
                depth--;
                return list;
            }
            if (c != ',') {
                throw new JsonDecodeError("Expecting ',' delimiter or ']'", pos - 1);
            }
        }
    }

    private String string() {
        int start = ++pos;
        StringBuilder sb = null;
        while (true) {
            if (pos >= text.length()) {
                throw new JsonDecodeError("Unterminated string starting", start - 1);
            }
            char c = text.charAt(pos);
            if (c == '"') {
                String s = sb == null ? text.substring(start, pos) : sb.append(text, start, pos).toString();
                pos++;
                return s;
            }
            if (c < 0x20) {
                throw new JsonDecodeError("Invalid control character in a string", pos);
            }
            if (c == '\\') {
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(text, start, pos);
                pos++;
                if (pos >= text.length()) {
                    throw new JsonDecodeError("Unterminated string starting", start - 1);
                }
                char e = text.charAt(pos++);
                switch (e) {
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    case '/' -> sb.append('/');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> sb.append(hex4());
                    default -> throw new JsonDecodeError("Invalid \\escape '\\" + e + "'", pos - 2);
                }
                start = pos;
            } else {
                pos++;
            }
        }
    }

    private char hex4() {
        if (pos + 4 > text.length()) {
            throw new JsonDecodeError("Invalid \\uXXXX escape", pos - 2);
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(pos + i), 16);
            if (d < 0) {
                throw new JsonDecodeError("Invalid \\uXXXX escape", pos - 2);
            }
            v = v * 16 + d;
        }
        pos += 4;
        return (char) v;          // surrogate pairs come as two escapes and pair up in the String by themselves
    }

    private Object number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            while (isDigit(peek())) {
                pos++;
            }
        } else {
            throw new JsonDecodeError("Expecting a digit", pos);
        }
        boolean integral = true;
        if (peek() == '.') {
            integral = false;
            pos++;
            if (!isDigit(peek())) {
                throw new JsonDecodeError("Expecting a digit after the decimal point", pos);
            }
            while (isDigit(peek())) {
                pos++;
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw new JsonDecodeError("Expecting a digit in the exponent", pos);
            }
            while (isDigit(peek())) {
                pos++;
            }
        }
        String digits = text.substring(start, pos);
        if (!integral) {
            return Double.parseDouble(digits);
        }
        if (digits.length() <= 18) {
            return Long.parseLong(digits);
        }
        int count = digits.length() - (digits.charAt(0) == '-' ? 1 : 0);
        if (count > MAX_INT_DIGITS) {
            // Converting n digits to binary takes time quadratic in n: a million digits would hold the loop
            // thread for seconds. Python refuses the same (int_max_str_digits, CVE-2020-10735).
            throw new JsonDecodeError("Exceeds the limit (" + MAX_INT_DIGITS + " digits) for integer string "
                    + "conversion: value has " + count + " digits", start);
        }
        BigInteger big = new BigInteger(digits);
        return big.bitLength() < 64 ? (Object) big.longValue() : big;
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw new JsonDecodeError("Expecting value", pos);
        }
        pos += word.length();
        return value;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    // ---------------------------------------------------------------- writing

    /**
     * {@code value} as compact JSON text: maps (keys by {@code toString()}), iterables and arrays, strings,
     * numbers, booleans and {@code null}.
     *
     * @throws IllegalArgumentException for a value of another type, or a number that is NaN or infinite
     */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v, java.util.Set<Object> open) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            quote(sb, s);
        } else if (v instanceof Boolean b) {
            sb.append(b.booleanValue());
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("JSON has no " + d);
            }
            sb.append(d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) + ".0" : Double.toString(d));
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
                || v instanceof BigInteger) {
            sb.append(v);
        } else if (v instanceof BigDecimal d) {
            sb.append(d.toString());
        } else if (v instanceof Map<?, ?> map) {
            enterWrite(open, v);
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                quote(sb, String.valueOf(e.getKey()));
                sb.append(':');
                write(sb, e.getValue(), open);
            }
            sb.append('}');
            open.remove(v);
        } else if (v instanceof Iterable<?> items) {
            enterWrite(open, v);
            sb.append('[');
            boolean first = true;
            for (Object item : items) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                write(sb, item, open);
            }
            sb.append(']');
            open.remove(v);
        } else if (v instanceof Object[] array) {
            write(sb, java.util.Arrays.asList(array), open);
        } else {
            throw new IllegalArgumentException("Object of type " + v.getClass().getName() + " is not JSON serializable");
        }
    }

    private static void enterWrite(java.util.Set<Object> open, Object v) {
        if (!open.add(v)) {
            throw new IllegalArgumentException("Circular reference detected");
        }
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
