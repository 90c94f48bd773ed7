package dev.linen.flaxd.node;

/**
 * Which iptables flaxd drives ({@code FLAXD_IPTABLES}): the one the host uses, found as
 * iptables-wrapper does ({@code auto}, the default), or one named outright.
 */
public enum IptablesMode {
    AUTO, LEGACY, NFT;

    public static IptablesMode parse(String text) {
        return switch (text) {
            case "auto" -> AUTO;
            case "legacy" -> LEGACY;
            case "nft" -> NFT;
            default -> throw new IllegalArgumentException("FLAXD_IPTABLES must be auto, legacy or nft: " + text);
        };
    }
}
