package dev.linen.cni;

import java.util.List;

/** The CNI spec versions Linen speaks, and what changes between them. */
public final class CniVersions {
    public static final List<String> SUPPORTED = List.of("0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0");
    public static final String LATEST = "1.1.0";

    private CniVersions() {
    }

    public static String requireSupported(String version) throws CniException {
        if (!SUPPORTED.contains(version)) {
            throw new CniException(CniException.INCOMPATIBLE_VERSION,
                    "incompatible CNI version " + version,
                    "supported versions: " + String.join(", ", SUPPORTED));
        }
        return version;
    }

    /** Result shape: before 1.0.0 each IP config carried a "version" field. */
    public static boolean ipsCarryVersion(String version) {
        return version.startsWith("0.");
    }

    /** CHECK exists from 0.4.0 on. */
    public static boolean hasCheck(String version) {
        return !version.startsWith("0.3");
    }

    /** STATUS and GC exist from 1.1.0 on. */
    public static boolean hasStatusAndGc(String version) {
        return version.equals("1.1.0");
    }
}
