package dev.linen.cni;

import dev.linen.cni.json.JsonValue.JObject;
import java.util.List;
import java.util.Optional;

/** The CNI spec versions Linen speaks, and what changes between them. */
public final class CniVersions {
    /** Every released spec version, as the reference plugins advertise them. */
    public static final List<String> SUPPORTED = List.of("0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0");
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

    /**
     * The version to answer a config in: its own {@code cniVersion} when Linen speaks it (also for
     * errors, so a runtime reads them in the shape it asked for), else {@link #LATEST}.
     */
    public static String answerFor(Optional<JObject> conf) {
        if (conf.isEmpty()) {
            return LATEST;
        }
        Optional<String> asked = conf.get().string("cniVersion");
        return asked.isPresent() && SUPPORTED.contains(asked.get()) ? asked.get() : LATEST;
    }

    /** Result shape of 0.1.0 and 0.2.0: {@code ip4}/{@code ip6} objects instead of {@code ips}. */
    public static boolean isLegacyResult(String version) {
        return version.equals("0.1.0") || version.equals("0.2.0");
    }

    /** Result shape: from 0.3.0 until 1.0.0 each IP config carried a "version" field. */
    public static boolean ipsCarryVersion(String version) {
        return version.startsWith("0.");
    }

    /** CHECK exists from 0.4.0 on. */
    public static boolean hasCheck(String version) {
        return !version.startsWith("0.") || version.equals("0.4.0");
    }

    /** STATUS and GC exist from 1.1.0 on. */
    public static boolean hasStatusAndGc(String version) {
        return version.equals("1.1.0");
    }
}
