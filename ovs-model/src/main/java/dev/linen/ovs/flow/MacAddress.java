package dev.linen.ovs.flow;

import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/** An Ethernet address, printed lower-case with colons. */
public record MacAddress(long value) {
    private static final Pattern TEXT = Pattern.compile("([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}");

    public MacAddress {
        if ((value >>> 48) != 0) {
            throw new IllegalArgumentException("MAC address has more than 48 bits");
        }
    }

    public static MacAddress parse(String text) {
        if (!TEXT.matcher(text).matches()) {
            throw new IllegalArgumentException("not a MAC address: " + text);
        }
        return new MacAddress(HexFormat.fromHexDigitsToLong(text.replace(":", "")));
    }

    @Override
    public String toString() {
        String hex = String.format(Locale.ROOT, "%012x", value);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 12; i += 2) {
            sb.append(i == 0 ? "" : ":").append(hex, i, i + 2);
        }
        return sb.toString();
    }
}
