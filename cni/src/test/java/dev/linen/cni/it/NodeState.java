package dev.linen.cni.it;

import dev.linen.ovs.db.BridgeInfo;
import dev.linen.ovs.db.OvsDatabase;
import dev.linen.ovs.db.OvsDatabases;
import dev.linen.ovs.db.OvsdbEndpoint;
import dev.linen.ovs.db.PortInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a failed ADD must leave as it found it, read from the node: every OVS bridge (its columns,
 * controllers by target, ports with their interface type and options; not OVS's own counters or
 * port numbers), every link of the namespace this JVM runs in (master, MTU, up), and the setup
 * records in the state directory. Compared with {@link #equals}; {@link #diff} says what moved.
 *
 * @param bridges bridge name -> its columns and ports, as text
 * @param links   link name -> master, MTU and whether it is up
 * @param records setup record file name -> its content
 */
record NodeState(Map<String, String> bridges, Map<String, String> links, Map<String, String> records) {

    /** Reads it all now: bridges from the node's OVSDB, links from {@code sysClassNet}. */
    static NodeState read(CniNode node, Path sysClassNet) {
        Map<String, String> bridges = new TreeMap<>();
        try (OvsDatabase db = OvsDatabases.connect(new OvsdbEndpoint.UnixSocket(node.socket), Duration.ofSeconds(5))) {
            for (String name : NodeFixture.bridges(node)) {
                BridgeInfo b = db.bridge(name).orElseThrow();
                List<String> ports = new ArrayList<>();
                for (PortInfo p : db.listPorts(name)) {
                    ports.add(p.name() + ":" + p.type() + ":" + new TreeMap<>(p.options()));
                }
                bridges.put(name, b.datapathType() + " fail=" + b.failMode() + " " + b.protocols().stream().sorted().toList()
                        + " " + new TreeMap<>(b.externalIds()) + " ctl=" + b.controllers() + " ports=" + ports);
            }
        }
        return new NodeState(bridges, links(sysClassNet), records(node.state()));
    }

    private static Map<String, String> links(Path root) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> names = Files.list(root)) {
            for (Path link : names.toList()) {
                String master = Files.isSymbolicLink(link.resolve("master"))
                        ? Files.readSymbolicLink(link.resolve("master")).getFileName().toString() : "-";
                int flags = Integer.decode(read(link.resolve("flags")));
                out.put(link.getFileName().toString(), "master=" + master + " mtu=" + read(link.resolve("mtu"))
                        + " up=" + ((flags & 1) != 0));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static Map<String, String> records(Path stateDir) {
        Map<String, String> out = new TreeMap<>();
        if (!Files.isDirectory(stateDir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(stateDir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (!name.endsWith(".lock") && !name.endsWith(".failed")) {
                    out.put(name, Files.readString(f));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file).trim();
    }

    /**
     * Empty when {@code after} (the state after a failed ADD) is this state, with one allowance: a
     * setup record may be gone (a failed ADD forgets the record, which only sends the next ADD down
     * the full path); none may be new or changed. Else the differences, one a line.
     */
    String diff(NodeState after) {
        List<String> out = new ArrayList<>();
        diff("bridge", bridges, after.bridges, false, out);
        diff("link", links, after.links, false, out);
        diff("state file", records, after.records, true, out);
        return String.join("\n", out);
    }

    private static void diff(String what, Map<String, String> before, Map<String, String> after, boolean mayGo,
                             List<String> out) {
        for (Map.Entry<String, String> e : before.entrySet()) {
            String now = after.get(e.getKey());
            if (now == null && !mayGo) {
                out.add(what + " " + e.getKey() + " is gone (was " + e.getValue() + ")");
            } else if (now != null && !now.equals(e.getValue())) {
                out.add(what + " " + e.getKey() + " changed: " + e.getValue() + " -> " + now);
            }
        }
        for (Map.Entry<String, String> e : after.entrySet()) {
            if (!before.containsKey(e.getKey())) {
                out.add(what + " " + e.getKey() + " is new: " + e.getValue());
            }
        }
    }
}
