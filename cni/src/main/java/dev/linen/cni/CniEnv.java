package dev.linen.cni;

import java.util.Map;
import java.util.Optional;

/** The CNI_* environment of one invocation, validated per command. */
public record CniEnv(String command, Optional<String> containerId, Optional<String> netns,
                     Optional<String> ifName, Optional<String> path) {

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
                    "unknown CNI_COMMAND", "CNI_COMMAND must be ADD, DEL, CHECK, VERSION, STATUS or GC");
        }
    }

    private static void require(String name, Optional<String> value) throws CniException {
        if (value.isEmpty()) {
            throw new CniException(CniException.INVALID_ENV, name + " is not set");
        }
    }
}
