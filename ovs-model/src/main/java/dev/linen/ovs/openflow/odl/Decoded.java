package dev.linen.ovs.openflow.odl;

/** One match field or action read back from the switch: one of our values, or what it was instead. */
sealed interface Decoded<T> {
    record Known<T>(T value) implements Decoded<T> {
    }

    /** Not expressible in the model; {@code text} is what the switch sent, as far as we can name it. */
    record Unknown<T>(String text) implements Decoded<T> {
    }
}
