package dev.linen.cni.node;

import dev.linen.cni.json.Json;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

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
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The interface's MTU; empty when it does not exist. */
    public OptionalInt mtu(String ifname) {
        Optional<String> text = read(ifname, "mtu");
        try {
            return text.isPresent() ? OptionalInt.of(Integer.parseInt(text.get())) : OptionalInt.empty();
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
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
        Optional<String> text = readSmallFile(root.resolve(ifname).resolve(attr));
        return text.isPresent() ? Optional.of(text.get().trim()) : text;
    }

    /**
     * Reads a small file with java.io (Files.readString would open an NIO channel, which loads
     * classes that a steady-state ADD otherwise never needs). Empty when it cannot be read.
     */
    public static Optional<String> readSmallFile(Path file) {
        try (FileInputStream in = new FileInputStream(file.toString())) {
            return Optional.of(new String(in.readAllBytes(), Json.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
