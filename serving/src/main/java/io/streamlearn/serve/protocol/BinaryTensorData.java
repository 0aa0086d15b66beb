package io.streamlearn.serve.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary part of a request in the protocol's binary tensor data extension (KServe "Binary Tensor Data
 * Extension", Triton's {@code binary_tensor_data}): the tensors whose {@code parameters} give a
 * {@code binary_data_size} have no {@code data} in the JSON, their elements follow the JSON object in the body, one
 * tensor after another in the order of {@code inputs}, little-endian, row-major, in the datatype's native size (BOOL
 * one byte, BYTES a 4-byte length and the bytes). Each element is read into the JSON node its textual form would
 * have given, so both forms go through the same checks ({@link TensorInstances}).
 */
public final class BinaryTensorData {

    /** Each BYTES element starts with its length as a 4-byte integer. */
    private static final int BYTES_LENGTH_PREFIX = 4;

    private final ByteBuffer bytes;

    /** @param bytes the body after the JSON object; read from its position to its limit */
    public BinaryTensorData(ByteBuffer bytes) {
        this.bytes = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The next {@code size} bytes as {@code elements} elements of {@code datatype}. */
    List<JsonNode> read(String tensor, TensorDatatype datatype, long size, long elements)
            throws InvalidTensorException {
        if (size < 0 || size > bytes.remaining()) {
            throw new InvalidTensorException("invalid_tensor", tensor, "input tensor '" + tensor + "' declares "
                    + size + " bytes of binary data but " + bytes.remaining() + " remain in the body");
        }
        checkElementsFit(tensor, datatype, size, elements);
        ByteBuffer data = bytes.slice().limit((int) size).order(ByteOrder.LITTLE_ENDIAN);
        bytes.position(bytes.position() + (int) size);
        // Bounded by the bytes actually sent (checkElementsFit), never by the shape a client declares.
        List<JsonNode> nodes = new ArrayList<>((int) elements);
        try {
            while (data.hasRemaining()) {
                nodes.add(element(data, datatype, tensor));
            }
        } catch (BufferUnderflowException e) {
            throw new InvalidTensorException("invalid_tensor", tensor, "input tensor '" + tensor
                    + "' ends inside a BYTES element");
        }
        return nodes;
    }

    /**
     * The declared element count must fit the bytes sent before anything is allocated for it: exactly
     * {@code size / width} elements of a fixed-width datatype, and at most {@code size / 4} BYTES elements (each has
     * a 4-byte length). A shape of a billion elements over 0 bytes is refused here, not by the heap.
     */
    private static void checkElementsFit(String tensor, TensorDatatype datatype, long size, long elements)
            throws InvalidTensorException {
        int width = width(datatype);
        if (width > 0 && (size % width != 0 || elements != size / width)) {
            // The product as a BigInteger: a declared shape may make it overflow a long.
            throw new InvalidTensorException("invalid_tensor", tensor, "input tensor '" + tensor + "' needs "
                    + elements + " " + datatype + " elements (" + BigInteger.valueOf(elements).multiply(
                    BigInteger.valueOf(width)) + " bytes), its binary data holds " + size + " bytes");
        }
        if (width == 0 && elements > size / BYTES_LENGTH_PREFIX) {
            throw new InvalidTensorException("invalid_tensor", tensor, "input tensor '" + tensor + "' declares "
                    + elements + " BYTES elements, but its " + size + " bytes of binary data hold at most "
                    + size / BYTES_LENGTH_PREFIX + " (each element starts with a 4-byte length)");
        }
    }

    /** Bytes left after every binary tensor was read: a client's mistake when not 0. */
    int remaining() {
        return bytes.remaining();
    }

    private static int width(TensorDatatype datatype) {
        return switch (datatype) {
            case BOOL, UINT8, INT8 -> 1;
            case UINT16, INT16, FP16 -> 2;
            case UINT32, INT32, FP32 -> 4;
            case UINT64, INT64, FP64 -> 8;
            case BYTES -> 0;
        };
    }

    private static JsonNode element(ByteBuffer data, TensorDatatype datatype, String tensor)
            throws InvalidTensorException {
        return switch (datatype) {
            case BOOL -> BooleanNode.valueOf(data.get() != 0);
            case INT8 -> IntNode.valueOf(data.get());
            case UINT8 -> IntNode.valueOf(Byte.toUnsignedInt(data.get()));
            case INT16 -> IntNode.valueOf(data.getShort());
            case UINT16 -> IntNode.valueOf(Short.toUnsignedInt(data.getShort()));
            case INT32 -> IntNode.valueOf(data.getInt());
            case UINT32 -> LongNode.valueOf(Integer.toUnsignedLong(data.getInt()));
            case INT64 -> LongNode.valueOf(data.getLong());
            case UINT64 -> unsigned(data.getLong());
            case FP16 -> DoubleNode.valueOf(half(data.getShort()));
            case FP32 -> DoubleNode.valueOf(data.getFloat());
            case FP64 -> DoubleNode.valueOf(data.getDouble());
            case BYTES -> TextNode.valueOf(text(data, tensor));
        };
    }

    private static JsonNode unsigned(long value) {
        return value >= 0 ? LongNode.valueOf(value) : BigIntegerNode.valueOf(new BigInteger(Long.toUnsignedString(value)));
    }

    /** An IEEE 754 half-precision value, exactly (Java 17 has no {@code Float.float16ToFloat}). */
    static double half(short bits) {
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        double magnitude = exponent == 0 ? Math.scalb((double) mantissa, -24)
                : exponent == 0x1f ? (mantissa == 0 ? Double.POSITIVE_INFINITY : Double.NaN)
                : Math.scalb((double) (0x400 | mantissa), exponent - 25);
        return bits < 0 ? -magnitude : magnitude;
    }

    private static String text(ByteBuffer data, String tensor) throws InvalidTensorException {
        long length = Integer.toUnsignedLong(data.getInt());
        if (length > data.remaining()) {
            throw new BufferUnderflowException();
        }
        ByteBuffer value = data.slice().limit((int) length);
        data.position(data.position() + (int) length);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(value).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidTensorException("invalid_tensor", tensor, "input tensor '" + tensor
                    + "' holds a BYTES element that is not UTF-8 text");
        }
    }
}
