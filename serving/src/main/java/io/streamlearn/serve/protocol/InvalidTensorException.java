package io.streamlearn.serve.protocol;

/**
 * An inference request whose tensors do not fit the protocol or the model's schema. The code is one of a closed set
 * (the feature reject reasons, {@code invalid_tensor}, {@code invalid_request}, {@value #TOO_MANY_INSTANCES}) and the field names the tensor or the
 * feature at fault when one is.
 */
public final class InvalidTensorException extends Exception {

    /** The code of a tensor declaring more rows than a request may hold: a 413, where the others are 400s. */
    public static final String TOO_MANY_INSTANCES = "too_many_instances";

    private final String code;
    private final String field;

    public InvalidTensorException(String code, String field, String detail) {
        super(detail, null, false, false);
        this.code = code;
        this.field = field;
    }

    public String code() {
        return code;
    }

    /** The tensor or feature at fault, or {@code null}. */
    public String field() {
        return field;
    }
}
