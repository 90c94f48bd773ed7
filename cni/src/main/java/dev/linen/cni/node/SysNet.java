package dev.linen.cni.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads link state from sysfs ({@code /sys/class/net}): cheap file reads, no netlink, no process.
 * This is what lets a steady-state ADD finish without an OVSDB session. Read-only, thread-safe.
 */
public record SysNet(Path root) {
    private static final int IFF_UP = 0x1;

    public static SysNet system() {
        return new SysNet(Path.of("/sys/class/net"));
    }

    public boolean exists(String ifname) {
        return Files.isDirectory(root.resolve(ifname));
    }

    /** True when the interface is a Linux bridge. */
    public boolean isBridge(String ifname) {
        return Files.isDirectory(root.resolve(ifname).resolve("bridge"));
    }

    /** The name of the device this one is enslaved to (e.g. its Linux bridge). */
    public Optional<String> master(String ifname) {
        try {
            Path link = Files.readSymbolicLink(root.resolve(ifname).resolve("master"));
            return Optional.of(link.getFileName().toString());
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /** True when the interface is administratively up. */
    public boolean isUp(String ifname) {
        Optional<String> flags = read(ifname, "flags");
        try {
            return flags.isPresent() && (Integer.decode(flags.get()) & IFF_UP) != 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private Optional<String> read(String ifname, String attr) {
        try {
            return Optional.of(Files.readString(root.resolve(ifname).resolve(attr)).trim());
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
