package dev.linen.cni;

import dev.linen.cni.json.Json;
import dev.linen.cni.json.JsonValue;
import dev.linen.cni.json.JsonValue.JArray;
import dev.linen.cni.json.JsonValue.JObject;
import dev.linen.cni.node.SysNet;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
        // stdout as bytes, not System.out: that one encodes in the locale's charset, which is
        // US-ASCII when a runtime starts plugins with an empty environment (non-ASCII became '?').
        int rc = new Linen(SysNet.system()).run(CniEnv.ofProcess(), System.in, new FileOutputStream(FileDescriptor.out));
        // halt, not exit: nothing needs shutdown hooks, and exit() sets up the JDK's logging
        // machinery (to log the exit), which costs more than the rest of a steady-state ADD.
        Runtime.getRuntime().halt(rc);
    }

    /**
     * Runs one CNI command; writes the result or a CNI error object to {@code out} as UTF-8 JSON
     * whatever the JVM's default charset. Stdin is read as UTF-8 (invalid UTF-8 is code 6).
     * Errors answer in the config's own {@code cniVersion} when it could be read and is spoken here;
     * an unexpected exception or a missing class (a broken installation) is code 104, never a
     * stack trace alone.
     */
    public int run(Map<String, String> env, InputStream in, OutputStream out) {
        String version = CniVersions.LATEST;
        int rc = 0;
        String answer;
        try {
            String stdin = readUtf8(in);
            Optional<JObject> raw = NetConfLoader.tryDecode(stdin);
            version = CniVersions.answerFor(raw);
            CniEnv cni = CniEnv.from(env);
            if (cni.command().equals("VERSION")) {
                answer = versionInfo(version);
            } else {
                NetConf conf = NetConfLoader.load(raw.isPresent() ? raw.get() : NetConfLoader.decode(stdin));
                answer = dispatch(cni, conf);
            }
        } catch (CniException e) {
            rc = 1;
            answer = JsonValue.Writer.error(version, e.code(), e.getMessage(), e.details());
        } catch (RuntimeException | LinkageError e) {
            // the runtime reads stdout: an error object there, not a stack trace on stderr only
            rc = 1;
            answer = JsonValue.Writer.error(version, CniException.INTERNAL_ERROR,
                    "internal error of the linen plugin (a bug, or a broken installation)", e.toString());
        }
        try {
            out.write(answer.getBytes(Json.UTF_8));
            out.flush();
        } catch (IOException e) {
            // stdout is gone: nobody is left to tell; the exit code still says what happened
        }
        return rc;
    }

    /** The command's stdout: the result of ADD, nothing for the others. */
    private String dispatch(CniEnv cni, NetConf conf) throws CniException {
        switch (cni.command()) {
            case "ADD" -> {
                return Json.write(new AddCommand(sys).add(conf));
            }
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
        return "";
    }

    /** Stdin as UTF-8, whatever the locale; a byte sequence that is not UTF-8 is refused. */
    static String readUtf8(InputStream in) throws CniException {
        byte[] bytes;
        try {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new CniException(CniException.IO_FAILURE, "cannot read stdin", e.getMessage());
        }
        String text = new String(bytes, Json.UTF_8);
        // the decoder puts U+FFFD for each malformed sequence; a real U+FFFD re-encodes the same
        if (text.indexOf('\uFFFD') >= 0 && !Arrays.equals(text.getBytes(Json.UTF_8), bytes)) {
            throw new CniException(CniException.DECODE_FAILURE, "network configuration is not valid UTF-8");
        }
        return text;
    }

    private static String versionInfo(String version) {
        List<JsonValue> supported = new ArrayList<>();
        for (String v : CniVersions.SUPPORTED) {
            supported.add(JsonValue.of(v));
        }
        Map<String, JsonValue> m = new LinkedHashMap<>();
        m.put("cniVersion", JsonValue.of(version));
        m.put("supportedVersions", new JArray(supported));
        return Json.write(new JObject(m));
    }
}
