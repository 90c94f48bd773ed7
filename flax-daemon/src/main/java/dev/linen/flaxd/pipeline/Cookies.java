package dev.linen.flaxd.pipeline;

import dev.linen.ovs.flow.Cookie;

/**
 * How flaxd's cookies are laid out, declared once: the top 16 bits are the round (a flaxd session's
 * number, kept in the bridge's external_ids), the next 8 the category of the flow: the number of the
 * {@link Feature} that owns it, so a flow on the bridge names its feature. A round's flows
 * are deleted together with one cookie-masked delete.
 */
public final class Cookies {
    static final int ROUND_SHIFT = 48;
    static final int CATEGORY_SHIFT = 40;
    /** Rounds are 1..65535; 0 is never used, so no flaxd cookie is 0. */
    public static final int MAX_ROUND = 0xffff;
    public static final Cookie ROUND_MASK = new Cookie(0xffffL << ROUND_SHIFT);
    /** Round bits all zero: a flow flaxd did not install (and, as a mask, "every flow"). */
    public static final Cookie NO_ROUND = new Cookie(0);

    /** Categories are 1..255, one per feature in pipeline order ({@link Pipeline#build}). */
    public static final int MAX_CATEGORY = 0xff;

    private Cookies() {
    }

    /** The cookie of a flow of feature number {@code category} (1..255) in {@code round}. */
    public static Cookie of(int round, int category) {
        if (category < 1 || category > MAX_CATEGORY) {
            throw new IllegalArgumentException("cookie category out of range 1.." + MAX_CATEGORY + ": " + category);
        }
        return new Cookie(round(round).value() | ((long) category << CATEGORY_SHIFT));
    }

    /** The cookie bits of a round alone, to delete it with {@link #ROUND_MASK}. */
    public static Cookie round(int round) {
        if (round < 1 || round > MAX_ROUND) {
            throw new IllegalArgumentException("round out of range 1.." + MAX_ROUND + ": " + round);
        }
        return new Cookie((long) round << ROUND_SHIFT);
    }

    public static int roundOf(Cookie cookie) {
        return (int) (cookie.value() >>> ROUND_SHIFT);
    }

    /** The category field (0 for a cookie flaxd did not write). */
    public static int categoryOf(Cookie cookie) {
        return (int) (cookie.value() >>> CATEGORY_SHIFT) & MAX_CATEGORY;
    }

    /** The round after {@code round}, wrapping past 65535 to 1. */
    public static int next(int round) {
        return round >= MAX_ROUND ? 1 : round + 1;
    }
}
