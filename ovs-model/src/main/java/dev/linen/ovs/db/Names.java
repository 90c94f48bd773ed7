package dev.linen.ovs.db;

import java.util.regex.Pattern;

/** Validation of names and targets before they reach OVSDB or a command line. */
public final class Names {
    private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-]{0,14}");
    private static final Pattern TARGET = Pattern.compile(
            "(tcp|ssl):[0-9A-Za-z.:\\[\\]]+:[0-9]{1,5}|unix:/[A-Za-z0-9_./\\-]+|punix:/[A-Za-z0-9_./\\-]+");

    private Names() {
    }

    /** True when the name is a valid Linux interface name (1-15 chars, no '/', ':' or space). */
    public static boolean isInterfaceName(String name) {
        return name != null && IFNAME.matcher(name).matches() && !name.equals(".") && !name.equals("..");
    }

    public static String requireInterfaceName(String name) {
        if (!isInterfaceName(name)) {
            throw new IllegalArgumentException("not a valid interface name: " + name);
        }
        return name;
    }

    public static String requireControllerTarget(String target) {
        if (target == null || !TARGET.matcher(target).matches()) {
            throw new IllegalArgumentException("not a valid OpenFlow controller target: " + target);
        }
        return target;
    }
}
