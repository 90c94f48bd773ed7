package dev.linen.cni;

import dev.linen.cni.json.JsonValue;
import dev.linen.cni.json.JsonValue.JArray;
import dev.linen.cni.json.JsonValue.JObject;
import dev.linen.cni.node.SysNet;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code linen} CNI plugin: entry point and command dispatch. Chained after the reference
 * {@code bridge} plugin, it makes sure the node's OVS bridge exists, is attached to the Linux
 * bridge from {@code prevResult}, and has its VXLAN ports; then it passes the result on.
 */
public final class Linen {
    private final SysNet sys;

    public Linen(SysNet sys) {
        this.sys = sys;
    }

    public static void main(String[] args) {
        int rc = new Linen(SysNet.system()).run(System.getenv(), System.in, System.out);
        System.out.flush();
        // halt, not exit: nothing needs shutdown hooks, and exit() sets up the JDK's logging
        // machinery (to log the exit), which costs more than the rest of a steady-state ADD.
        Runtime.getRuntime().halt(rc);
    }

    /** Runs one CNI command; writes the result or a CNI error object to {@code out}. */
    public int run(Map<String, String> env, InputStream in, PrintStream out) {
        String version = CniVersions.LATEST;
        try {
            CniEnv cni = CniEnv.from(env);
            String stdin = readAll(in);
            if (cni.command().equals("VERSION")) {
                out.print(versionInfo(stdin));
                return 0;
            }
            NetConf conf = NetConfLoader.load(stdin);
            version = conf.cniVersion();
            return dispatch(cni, conf, out);
        } catch (CniException e) {
            out.print(JsonValue.Writer.error(version, e.code(), e.getMessage(), e.details()));
            return 1;
        }
    }

    private int dispatch(CniEnv cni, NetConf conf, PrintStream out) throws CniException {
        switch (cni.command()) {
            case "ADD" -> out.print(dev.linen.cni.json.Json.write(new AddCommand(sys).add(conf)));
            case "CHECK" -> new CheckCommand(sys).check(conf);
            case "DEL" -> {
                // linen keeps no per-pod state: the OVS bridge and tunnels are shared by all pods on
                // the node, so removing one attachment leaves them. Nothing can be "already gone".
            }
            case "STATUS" -> StatusCommand.status(conf);
            case "GC" -> {
                // no per-attachment resources to collect (see DEL)
            }
            default -> throw new CniException(CniException.INVALID_ENV, "unknown CNI_COMMAND " + cni.command());
        }
        return 0;
    }

    private static String readAll(InputStream in) throws CniException {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CniException(CniException.IO_FAILURE, "cannot read stdin", e.getMessage());
        }
    }

    private static String versionInfo(String stdin) {
        String version = CniVersions.LATEST;
        if (!stdin.isBlank()) {
            try {
                String asked = NetConfLoader.decode(stdin).string("cniVersion").orElse("");
                version = CniVersions.SUPPORTED.contains(asked) ? asked : CniVersions.LATEST;
            } catch (CniException e) {
                // VERSION answers whatever the input; it has nothing to validate
            }
        }
        List<JsonValue> supported = new ArrayList<>();
        for (String v : CniVersions.SUPPORTED) {
            supported.add(JsonValue.of(v));
        }
        Map<String, JsonValue> m = new LinkedHashMap<>();
        m.put("cniVersion", JsonValue.of(version));
        m.put("supportedVersions", new JArray(supported));
        return dev.linen.cni.json.Json.write(new JObject(m));
    }
}
