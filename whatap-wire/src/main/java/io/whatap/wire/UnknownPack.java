package io.whatap.wire;

/**
 * A frame the decoder skipped by its length: a type this codec does not read, or a transaction
 * pack of another agent family (version outside 20000–29999). Cannot be encoded.
 */
public record UnknownPack(int type, int version, int length) implements Pack {
}
