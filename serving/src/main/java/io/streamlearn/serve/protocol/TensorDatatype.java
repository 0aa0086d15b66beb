package io.streamlearn.serve.protocol;

import java.util.Optional;

/**
 * The tensor element types of the Open Inference Protocol ("Tensor Data Types" in the KServe V2 protocol,
 * {@code docs/predict-api/v2/required_api.md}). JSON carries every number the same way, so the server reads FP16,
 * FP32 and FP64 elements at the precision the JSON number has, and integer types must hold integral numbers.
 */
public enum TensorDatatype {
    BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BYTES;

    /** The datatype named exactly so (names are case-sensitive in the protocol). */
    public static Optional<TensorDatatype> named(String name) {
        for (TensorDatatype type : values()) {
            if (type.name().equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    public boolean isInteger() {
        return switch (this) {
            case UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64 -> true;
            default -> false;
        };
    }

    public boolean isFloatingPoint() {
        return this == FP16 || this == FP32 || this == FP64;
    }

    public boolean isNumeric() {
        return isInteger() || isFloatingPoint();
    }
}
