package dev.linen.flaxd.ctl;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code linenctl bundle DIR}: a support bundle in a new directory (mode 0700, files 0600, never
 * through a symlink): flaxd's status, pipeline and flows, OVS's flows and database, Linen's iptables
 * chains, routes, the Linen conflist, flaxd's log when given, versions. A part that cannot be read
 * is written as {@code NAME.error} with the reason, and the rest still made; exit 1 then.
 */
@Command(name = "bundle", description = "Write a support bundle into DIR (which must not exist).")
final class BundleCommand implements Callable<Integer> {
    /** At most this much of flaxd's log (its end). */
    static final long MAX_LOG = 4L << 20;

    @CommandLine.ParentCommand
    Linenctl root;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Parameters(index = "0", description = "directory to create")
    Path dir;
    @Option(names = "--flaxd-log", description = "flaxd's log file to include (in a cluster: its container log)")
    Optional<Path> flaxdLog = Optional.empty();
    @Option(names = "--cni-conf-dir", description = "where the conflist is (default /etc/cni/net.d)")
    Path confDir = Path.of("/etc/cni/net.d");

    /** Makes one part's text, or fails with the reason. */
    interface Part {
        String make() throws CtlException, IOException;
    }

    private final List<String> failed = new ArrayList<>();
    private final List<String> written = new ArrayList<>();

    @Override
    public Integer call() throws CtlException {
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new CtlException("cannot create the bundle directory " + dir + " (it must not exist): " + e);
        }
        ApiClient api = root.api();
        Ovs ovs = root.ovs();
        part("status.json", () -> api.status().toPrettyString());
        part("pipeline.json", () -> api.pipeline().toPrettyString());
        part("flows.txt", () -> {
            String mode = api.status().path("mode").asText();
            if (!mode.equals("flow")) {
                return "flaxd runs in " + mode + " mode: it programs no flows\n";
            }
            StringWriter w = new StringWriter();
            Linenctl.Flows.print(new PrintWriter(w), Linenctl.Flows.diff(root, Optional.empty(), Optional.empty()));
            return w.toString();
        });
        String bridge = read(() -> api.status().path("bridge").asText()).orElse("br0");
        part("ovs-flows.txt", () -> String.join("\n", ovs.dumpFlows(bridge)) + "\n");
        part("ovsdb-dump.txt", ovs::dumpDatabase);
        part("iptables-linen.txt", BundleCommand::linenChains);
        part("routes.txt", () -> Ovs.ok(List.of("ip", "-4", "route", "show", "table", "all"))
                + "\n" + Ovs.ok(List.of("ip", "-d", "link", "show")));
        part("conflist.txt", this::conflists);
        part("flaxd.log", this::log);
        part("versions.txt", () -> "linenctl 0.1.0\njava " + System.getProperty("java.version") + "\n"
                + ovs.vswitchdVersion() + Ovs.ok(List.of("iptables", "--version")) + Ovs.ok(List.of("ip", "-V")));
        PrintWriter out = spec.commandLine().getOut();
        out.println("bundle " + dir + ": " + String.join(" ", written)
                + (failed.isEmpty() ? "" : "; not readable (see *.error): " + String.join(" ", failed)));
        return failed.isEmpty() ? 0 : 1;
    }

    private static <T> Optional<T> read(CheckedSupplier<T> s) {
        try {
            return Optional.of(s.get());
        } catch (CtlException | RuntimeException e) {
            return Optional.empty();
        }
    }

    interface CheckedSupplier<T> {
        T get() throws CtlException;
    }

    private void part(String name, Part p) {
        String text;
        String file = name;
        try {
            text = p.make();
            written.add(name);
        } catch (CtlException | IOException | RuntimeException e) {
            text = e.getMessage() + "\n";
            file = name + ".error";
            failed.add(name);
        }
        try {
            Files.writeString(dir.resolve(file), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            Files.setPosixFilePermissions(dir.resolve(file), PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            failed.add(name + " (write: " + e.getMessage() + ")");
        }
    }

    /** Linen's chains and the rules jumping to them, from each iptables backend present. */
    private static String linenChains() throws CtlException {
        StringBuilder sb = new StringBuilder();
        for (String save : List.of("iptables-legacy-save", "iptables-nft-save")) {
            try {
                String all = Ovs.ok(List.of(save));
                sb.append("# ").append(save).append('\n');
                all.lines().filter(l -> l.contains("LINEN") || l.startsWith("*")).forEach(l -> sb.append(l).append('\n'));
            } catch (CtlException e) {
                sb.append("# ").append(save).append(": ").append(e.getMessage()).append('\n');
            }
        }
        return sb.toString();
    }

    private String conflists() throws IOException {
        StringBuilder sb = new StringBuilder();
        try (var files = Files.list(confDir)) {
            for (Path f : files.sorted().toList()) {
                if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) && f.getFileName().toString().contains("linen")) {
                    sb.append("# ").append(f).append('\n').append(Files.readString(f)).append('\n');
                }
            }
        }
        return sb.isEmpty() ? "no Linen conflist in " + confDir + "\n" : sb.toString();
    }

    private String log() throws IOException, CtlException {
        Path f = flaxdLog.orElseThrow(() -> new CtlException("no --flaxd-log given (in a cluster: kubectl logs of"
                + " the linen DaemonSet's flaxd container)"));
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            throw new CtlException(f + " is not a regular file");
        }
        try (var ch = Files.newByteChannel(f, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long size = ch.size();
            ch.position(Math.max(0, size - MAX_LOG));
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) Math.min(size, MAX_LOG));
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // reads to the end (bounded by the buffer)
            }
            return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        }
    }
}
