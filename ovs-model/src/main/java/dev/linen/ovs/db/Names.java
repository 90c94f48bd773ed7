package dev.linen.ovs.db;

/**
 * Validation of names and targets before they reach OVSDB or a command line. Plain character
 * checks (no regular expressions): the CNI plugin runs this on every ADD, where start-up is cost.
 */
public final class Names {
    private static final int IFNAMSIZ = 15;

    private Names() {
    }

    /** True when the name is a valid Linux interface name: 1-15 of [A-Za-z0-9_.-], not . or .. */
    public static boolean isInterfaceName(String name) {
        if (name == null || name.isEmpty() || name.length() > IFNAMSIZ || name.equals(".") || name.equals("..")
                || name.charAt(0) == '-') {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(isAlnum(c) || c == '_' || c == '.' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    public static String requireInterfaceName(String name) {
        if (!isInterfaceName(name)) {
            throw new IllegalArgumentException("not a valid interface name: " + name);
        }
        return name;
    }

    /** {@code tcp:HOST:PORT}, {@code ssl:HOST:PORT}, {@code unix:/path} or {@code punix:/path}. */
    public static String requireControllerTarget(String target) {
        if (target == null || !(isHostPort(target, "tcp:") || isHostPort(target, "ssl:")
                || isPath(target, "unix:") || isPath(target, "punix:"))) {
            throw new IllegalArgumentException("not a valid OpenFlow controller target: " + target);
        }
        return target;
    }

    private static boolean isHostPort(String s, String prefix) {
        if (!s.startsWith(prefix)) {
            return false;
        }
        int colon = s.lastIndexOf(':');
        if (colon <= prefix.length() || colon == s.length() - 1 || s.length() - colon - 1 > 5) {
            return false;
        }
        for (int i = prefix.length(); i < s.length(); i++) {
            char c = s.charAt(i);
            boolean hostChar = isAlnum(c) || c == '.' || c == ':' || c == '[' || c == ']' || c == '-';
            if (i > colon ? !(c >= '0' && c <= '9') : !hostChar) {
                return false;
            }
        }
        int port = Integer.parseInt(s.substring(colon + 1));
        return port >= 1 && port <= 65535;
    }

    private static boolean isPath(String s, String prefix) {
        if (!s.startsWith(prefix) || s.length() <= prefix.length() + 1 || s.charAt(prefix.length()) != '/') {
            return false;
        }
        for (int i = prefix.length(); i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(isAlnum(c) || c == '_' || c == '.' || c == '/' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
