package io.streamlearn.serve.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Generators of hostile request parts for {@link HttpFuzzTest}, driven by a seeded {@link Random}, so a run
 * is repeatable from its seed. Bodies range from random bytes to requests of the right shape with wrong values, so
 * that fuzzing reaches the handlers' checks and not only the JSON parser.
 */
final class HostileRequests {

    /** Features of the served test models, so that shaped bodies name real ones part of the time. */
    static final List<String> FEATURES = List.of("date", "day", "period", "nswprice", "nswdemand", "vicprice",
            "vicdemand", "transfer", "x", "input");

    /** The kinds of body tried; each a different way in. */
    enum BodyKind {
        RANDOM_BYTES, RANDOM_JSON, DEEP_NESTING, HUGE_STRING, HUGE_ARRAY, OVERSIZED, PREDICT_SHAPED, INFER_SHAPED,
        LABELS_SHAPED, JSON_TOKENS, INVALID_UTF8
    }

    private static final List<String> NAMES = List.of("electricity", "linear", "", ".", "..", "../", "..%2f",
            "%2e%2e", "%2e%2e%2f%2e%2e", "..\\..\\windows", "%00", "%ff%fe", "%", "%zz", "a%2fb", "gold",
            "électricité", "模型", "\uD83D\uDE80", "con", "null", "-1", "0", "9223372036854775808", "1e3", ";", "*",
            "'", "\"", "<script>", "${jndi:ldap://x}", "name?x=1", "name#frag", "//", "/..;/");

    private static final List<String> TOKENS = List.of("NaN", "Infinity", "-Infinity", "-0", "1e400", "-1e400",
            "123456789012345678901234567890", "0x10", "01", ".5", "true", "null", "\"\\u0000\"", "\"\\ud800\"",
            "'single'", "undefined", "[", "]", "{", "}", ",", ":", "//c", "/*c*/");

    private final Random random;
    private final int maxBodyBytes;

    HostileRequests(Random random, int maxBodyBytes) {
        this.random = random;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** A model name or version for a path: a real one, a traversal, odd characters, or a very long one. */
    String pathSegment() {
        return switch (random.nextInt(5)) {
            case 0 -> NAMES.get(random.nextInt(NAMES.size()));
            case 1 -> "../".repeat(1 + random.nextInt(8)) + NAMES.get(random.nextInt(NAMES.size()));
            case 2 -> "a".repeat(1 + random.nextInt(4000));
            case 3 -> randomText(1 + random.nextInt(40));
            default -> NAMES.get(random.nextInt(2));
        };
    }

    byte[] body(BodyKind kind) {
        return switch (kind) {
            case RANDOM_BYTES -> randomBytes(random.nextInt(2 * 1024));
            case RANDOM_JSON -> utf8(json(1 + random.nextInt(40)));
            case DEEP_NESTING -> utf8(deepNesting(1 + random.nextInt(Math.max(2, maxBodyBytes / 2 - 20))));
            case HUGE_STRING -> utf8("{\"features\": {\"day\": \"" + "x".repeat(random.nextInt(maxBodyBytes)) + "\"}}");
            case HUGE_ARRAY -> utf8("{\"instances\": [" + "{},".repeat(random.nextInt(maxBodyBytes / 3)) + "{}]}");
            case OVERSIZED -> randomBytes(maxBodyBytes + 1 + random.nextInt(2 * maxBodyBytes));
            case PREDICT_SHAPED -> utf8(predictShaped());
            case INFER_SHAPED -> utf8(inferShaped());
            case LABELS_SHAPED -> utf8(labelsShaped());
            case JSON_TOKENS -> utf8(tokens());
            case INVALID_UTF8 -> invalidUtf8();
        };
    }

    /** A Content-Type header: JSON (with odd parameters), other types, garbage, or none ({@code null}). */
    String contentType() {
        List<String> types = List.of("application/json", "application/json; charset=utf-8",
                "application/json; charset=utf-16", "application/json; charset=bogus", "APPLICATION/JSON",
                "application/jsonx", "application/json;;;", "text/plain", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "*/*", "application/*", "a/b/c", "", "\u00e9/\u00e9");
        int choice = random.nextInt(types.size() + 4);
        if (choice >= types.size() + 1) {
            return "application/json";
        }
        return choice == types.size() ? null : types.get(choice);
    }

    private String predictShaped() {
        if (random.nextBoolean()) {
            return "{\"features\": " + features() + maybeExtraField() + "}";
        }
        StringBuilder instances = new StringBuilder("{\"instances\": [");
        int count = random.nextInt(8);
        for (int i = 0; i < count; i++) {
            instances.append(i > 0 ? "," : "").append(random.nextInt(6) == 0 ? json(3) : features());
        }
        return instances.append("]").append(maybeExtraField()).append("}").toString();
    }

    private String inferShaped() {
        StringBuilder inputs = new StringBuilder("{\"inputs\": [");
        int count = random.nextInt(4);
        for (int i = 0; i < count; i++) {
            List<String> datatypes = List.of("FP64", "FP32", "INT64", "BYTES", "BOOL", "UINT8", "fp64", "COMPLEX");
            int rows = random.nextInt(4) - 1;
            StringBuilder data = new StringBuilder("[");
            for (int j = 0, n = random.nextInt(6); j < n; j++) {
                data.append(j > 0 ? "," : "").append(value());
            }
            inputs.append(i > 0 ? "," : "").append("{\"name\": ").append(quote(feature()))
                    .append(", \"shape\": ").append(random.nextInt(5) == 0 ? json(2) : "[" + rows
                            + (random.nextBoolean() ? ", " + (random.nextInt(12) - 1) : "") + "]")
                    .append(", \"datatype\": ").append(quote(datatypes.get(random.nextInt(datatypes.size()))))
                    .append(", \"data\": ").append(random.nextInt(5) == 0 ? json(3) : data + "]").append("}");
        }
        return inputs.append("]").append(random.nextBoolean() ? ", \"id\": " + value() : "")
                .append(random.nextBoolean() ? ", \"parameters\": " + json(3) : "")
                .append(random.nextBoolean() ? ", \"outputs\": " + json(3) : "").append("}").toString();
    }

    /**
     * A request in the binary tensor data extension: the value of its {@code Inference-Header-Content-Length} header
     * and the whole body (the JSON part, then the tensors' bytes).
     */
    record BinaryRequest(String headerLength, byte[] body, boolean wellFormed) {
    }

    /** The first six take any bytes as a valid value of a numeric feature; the others can be refused for it. */
    private static final List<String> BINARY_DATATYPES = List.of("FP64", "INT32", "INT16", "INT8", "UINT16",
            "UINT8", "FP32", "FP16", "INT64", "UINT64", "UINT32", "BOOL", "BYTES");

    /**
     * A binary tensor request for a model with the numeric feature {@code x}: a third of the time well formed (one
     * numeric tensor whose declared shape, size and bytes agree), otherwise with hostile parts: shapes far larger than
     * the bytes sent (the {@code [1000000000]} of issue 14 among them), sizes beyond the body or negative, BYTES
     * elements whose 4-byte length runs past the data, a wrong header length, bytes left over.
     */
    BinaryRequest binaryInfer() {
        boolean wellFormed = random.nextInt(3) == 0;
        StringBuilder json = new StringBuilder("{\"inputs\": [");
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (int i = 0, n = wellFormed ? 1 : 1 + random.nextInt(3); i < n; i++) {
            String datatype = BINARY_DATATYPES.get(random.nextInt(wellFormed ? 6 : BINARY_DATATYPES.size()));
            int rows = 1 + random.nextInt(3);
            byte[] bytes = switch (datatype) {
                case "BYTES" -> bytesElements(rows, !wellFormed && random.nextBoolean());
                case "FP64" -> finiteDoubles(rows);
                default -> randomBytes(rows * width(datatype));
            };
            String shape = wellFormed || random.nextBoolean() ? "[" + rows + "]" : hostileShape(rows);
            String size = wellFormed || random.nextBoolean() ? Integer.toString(bytes.length) : hostileSize(bytes);
            json.append(i > 0 ? ", " : "").append("{\"name\": ").append(quote(wellFormed ? "x" : feature()))
                    .append(", \"shape\": ").append(shape).append(", \"datatype\": ").append(quote(datatype))
                    .append(", \"parameters\": {\"binary_data_size\": ").append(size).append("}}");
            data.writeBytes(bytes);
        }
        if (!wellFormed && random.nextInt(4) == 0) {
            data.writeBytes(randomBytes(1 + random.nextInt(8)));
        }
        byte[] header = utf8(json.append("]}").toString());
        byte[] body = Arrays.copyOf(header, header.length + data.size());
        System.arraycopy(data.toByteArray(), 0, body, header.length, data.size());
        String length = wellFormed || random.nextInt(4) != 0 ? Integer.toString(header.length)
                : List.of("0", "-1", Integer.toString(body.length + 1), Integer.toString(header.length - 1), "x",
                        "99999999999").get(random.nextInt(6));
        return new BinaryRequest(length, body, wellFormed);
    }

    private String hostileShape(int rows) {
        return switch (random.nextInt(6)) {
            case 0 -> "[1000000000]";
            case 1 -> "[" + Integer.MAX_VALUE + ", " + Integer.MAX_VALUE + "]";
            case 2 -> "[1, " + Integer.MAX_VALUE + "]";
            case 3 -> "[" + (rows + 1) + "]";
            case 4 -> "[6]";
            default -> "[0]";
        };
    }

    private String hostileSize(byte[] bytes) {
        return switch (random.nextInt(6)) {
            case 0 -> "0";
            case 1 -> "-1";
            case 2 -> Integer.toString(bytes.length + 1 + random.nextInt(100));
            case 3 -> Long.toString(1L << 40);
            case 4 -> "\"8\"";
            default -> Integer.toString(Math.max(0, bytes.length - 1));
        };
    }

    /** BYTES elements, each a 4-byte little-endian length and the text; a lying length runs past the data. */
    private byte[] bytesElements(int count, boolean lyingLength) {
        ByteArrayOutputStream elements = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            byte[] text = utf8(Integer.toString(1 + random.nextInt(7)));
            int length = lyingLength && i == count - 1 ? (random.nextBoolean() ? -1 : text.length + 100) : text.length;
            elements.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(length)
                    .array());
            elements.writeBytes(text);
        }
        return elements.toByteArray();
    }

    private byte[] finiteDoubles(int count) {
        ByteBuffer values = ByteBuffer.allocate(8 * count).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            values.putDouble(random.nextGaussian());
        }
        return values.array();
    }

    private static int width(String datatype) {
        return switch (datatype) {
            case "FP64", "INT64", "UINT64" -> 8;
            case "FP32", "INT32", "UINT32" -> 4;
            case "FP16", "INT16", "UINT16" -> 2;
            default -> 1;
        };
    }

    private String labelsShaped() {
        String one = "{\"id\": " + value() + ", \"label\": " + value() + "}";
        if (random.nextBoolean()) {
            return one;
        }
        StringBuilder labels = new StringBuilder("{\"labels\": [");
        for (int i = 0, n = random.nextInt(8); i < n; i++) {
            labels.append(i > 0 ? "," : "").append(random.nextInt(5) == 0 ? value()
                    : "{\"id\": " + value() + ", \"label\": " + value() + "}");
        }
        return labels.append("]}").toString();
    }

    private String features() {
        StringBuilder features = new StringBuilder("{");
        for (int i = 0, n = random.nextInt(12); i < n; i++) {
            features.append(i > 0 ? "," : "").append(quote(feature())).append(": ").append(value());
        }
        return features.append("}").toString();
    }

    private String feature() {
        return random.nextInt(4) == 0 ? randomText(1 + random.nextInt(20)) : FEATURES.get(random.nextInt(
                FEATURES.size()));
    }

    private String maybeExtraField() {
        return random.nextInt(4) == 0 ? ", " + quote(randomText(5)) + ": " + json(2) : "";
    }

    /** A JSON value of any type, with edge cases: extreme numbers, nominal-looking strings, nested values. */
    private String value() {
        return switch (random.nextInt(9)) {
            case 0 -> Double.toString(random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20));
            case 1 -> Long.toString(random.nextLong());
            case 2 -> quote(Integer.toString(random.nextInt(10)));
            case 3 -> quote(List.of("UP", "DOWN", "up", "", "7").get(random.nextInt(5)));
            case 4 -> List.of("true", "false", "null", "-0", "1e308", "4.9e-324", "1e400").get(random.nextInt(7));
            case 5 -> quote(randomText(random.nextInt(30)));
            case 6 -> json(3);
            default -> Double.toString(random.nextDouble());
        };
    }

    /** A random JSON tree; unbalanced depth, so that some branches pass the parser's nesting limit. */
    private String json(int depth) {
        int choice = depth <= 0 ? random.nextInt(4) : random.nextInt(6);
        return switch (choice) {
            case 0 -> Long.toString(random.nextLong());
            case 1 -> quote(randomText(random.nextInt(20)));
            case 2 -> List.of("true", "false", "null", "1.5e-7", "-0.0").get(random.nextInt(5));
            case 3 -> Double.toString(random.nextDouble());
            case 4 -> {
                StringBuilder array = new StringBuilder("[");
                for (int i = 0, n = random.nextInt(5); i < n; i++) {
                    array.append(i > 0 ? "," : "").append(json(depth - 1 - random.nextInt(2)));
                }
                yield array.append("]").toString();
            }
            default -> {
                StringBuilder object = new StringBuilder("{");
                for (int i = 0, n = random.nextInt(5); i < n; i++) {
                    object.append(i > 0 ? "," : "").append(quote(random.nextBoolean() ? feature() : "features"))
                            .append(":").append(json(depth - 1 - random.nextInt(2)));
                }
                yield object.append("}").toString();
            }
        };
    }

    private String deepNesting(int depth) {
        String open = random.nextBoolean() ? "[" : "{\"features\":";
        String close = open.equals("[") ? "]" : "}";
        return open.repeat(depth) + "1" + (random.nextInt(4) == 0 ? "" : close.repeat(depth));
    }

    private String tokens() {
        StringBuilder text = new StringBuilder(random.nextBoolean() ? "{\"features\": {\"date\": " : "");
        for (int i = 0, n = 1 + random.nextInt(6); i < n; i++) {
            text.append(TOKENS.get(random.nextInt(TOKENS.size())));
        }
        return text.toString();
    }

    private byte[] invalidUtf8() {
        byte[] prefix = utf8("{\"features\": {\"day\": \"");
        byte[] bad = {(byte) 0xC3, (byte) 0x28, (byte) 0xED, (byte) 0xA0, (byte) 0x80, (byte) 0xFF, (byte) 0xC0};
        byte[] suffix = utf8("\"}}");
        byte[] body = new byte[prefix.length + 2 + suffix.length];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        body[prefix.length] = bad[random.nextInt(bad.length)];
        body[prefix.length + 1] = bad[random.nextInt(bad.length)];
        System.arraycopy(suffix, 0, body, prefix.length + 2, suffix.length);
        return body;
    }

    /** Text from the whole code point range: control characters, surrogates, quotes, non-BMP. */
    private String randomText(int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.appendCodePoint(switch (random.nextInt(4)) {
                case 0 -> random.nextInt(0x20);
                case 1 -> 0x20 + random.nextInt(0x5f);
                case 2 -> 0xa0 + random.nextInt(0xd800 - 0xa0);
                default -> 0x10000 + random.nextInt(0x10000);
            });
        }
        return text.toString();
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        text.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                quoted.append('\\').appendCodePoint(c);
            } else if (c < 0x20) {
                quoted.append(String.format("\\u%04x", c));
            } else {
                quoted.appendCodePoint(c);
            }
        });
        return quoted.append('"').toString();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
