package dev.linen.cni;

import dev.linen.cni.json.Json;
import java.io.FileInputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The CNI_* environment of one invocation, validated per command. */
public record CniEnv(String command, Optional<String> containerId, Optional<String> netns,
                     Optional<String> ifName, Optional<String> path) {

    /**
     * The process's {@code CNI_*} variables, read from {@code /proc/self/environ} and decoded as
     * UTF-8, the first of a name winning as with getenv(3). Not {@link System#getenv()}: that one
     * decodes in the locale's charset (US-ASCII when a runtime starts the plugin with an empty
     * environment, so a non-ASCII value became '?'), and building it cost a steady-state ADD more
     * than its config checks. Falls back to {@link System#getenv()} when /proc cannot be read or
     * names no {@code CNI_COMMAND} (then the error, if any, is the JDK's view's). A value that is
     * not UTF-8 is decoded with U+FFFD for each bad sequence, as the JDK's view would in a UTF-8
     * locale. Read-only; thread-safe.
     */
    public static Map<String, String> ofProcess() {
        byte[] environ;
        try (FileInputStream in = new FileInputStream("/proc/self/environ")) {
            environ = in.readAllBytes();
        } catch (IOException e) {
            return System.getenv();
        }
        Map<String, String> vars = cniVariables(environ);
        return vars.containsKey("CNI_COMMAND") ? vars : System.getenv();
    }

    /** The {@code CNI_*} entries of an environ block (NUL-separated {@code NAME=value}). Pure. */
    static Map<String, String> cniVariables(byte[] environ) {
        Map<String, String> vars = new HashMap<>();
        int start = 0;
        while (start < environ.length) {
            int end = start;
            while (end < environ.length && environ[end] != 0) {
                end++;
            }
            if (end - start > 4 && environ[start] == 'C' && environ[start + 1] == 'N' && environ[start + 2] == 'I'
                    && environ[start + 3] == '_') {
                String entry = new String(environ, start, end - start, Json.UTF_8);
                int eq = entry.indexOf('=');
                if (eq > 0 && !vars.containsKey(entry.substring(0, eq))) {
                    vars.put(entry.substring(0, eq), entry.substring(eq + 1));
                }
            }
            start = end + 1;
        }
        return vars;
    }

    public static CniEnv from(Map<String, String> env) throws CniException {
        String cmd = env.get("CNI_COMMAND");
        if (cmd == null || cmd.isEmpty()) {
            throw new CniException(CniException.INVALID_ENV, "CNI_COMMAND is not set");
        }
        CniEnv e = new CniEnv(cmd, opt(env, "CNI_CONTAINERID"), opt(env, "CNI_NETNS"),
                opt(env, "CNI_IFNAME"), opt(env, "CNI_PATH"));
        e.validate();
        return e;
    }

    private static Optional<String> opt(Map<String, String> env, String key) {
        String v = env.get(key);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    private void validate() throws CniException {
        switch (command) {
            case "ADD", "CHECK" -> {
                require("CNI_CONTAINERID", containerId);
                require("CNI_NETNS", netns);
                require("CNI_IFNAME", ifName);
            }
            case "DEL" -> {
                require("CNI_CONTAINERID", containerId);
                require("CNI_IFNAME", ifName);
            }
            case "VERSION", "STATUS", "GC" -> {
                // no per-attachment variables
            }
            default -> throw new CniException(CniException.INVALID_ENV,
                    "unknown CNI_COMMAND " + command, "CNI_COMMAND must be ADD, DEL, CHECK, VERSION, STATUS or GC");
        }
    }

    private static void require(String name, Optional<String> value) throws CniException {
        if (value.isEmpty()) {
            throw new CniException(CniException.INVALID_ENV, name + " is not set");
        }
    }
}
