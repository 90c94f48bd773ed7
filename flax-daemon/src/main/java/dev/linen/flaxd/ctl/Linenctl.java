package dev.linen.flaxd.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linen.flaxd.FlaxdConfig;
import dev.linen.flaxd.api.FlowDiffJson;
import dev.linen.flaxd.pipeline.FlowDiff;
import dev.linen.ovs.flow.Ipv4Prefix;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * linenctl: what flaxd programmed on this node, read from flaxd's local API and the node's OVS.
 * Exit codes: 0 ok; 1 the check failed (flows missing or extra); 2 bad usage; 3 flaxd or OVS could
 * not be read (the message says why). Read-only, except {@code bundle}, which writes only into the
 * new directory it is given.
 */
@Command(name = "linenctl", mixinStandardHelpOptions = true, version = "linenctl 0.1.0",
        description = "Inspect and trace what flaxd programmed on this node.",
        subcommands = {Linenctl.Status.class, Linenctl.Flows.class, Linenctl.TraceCommand.class, BundleCommand.class})
public final class Linenctl {
    @Option(names = "--socket", description = "flaxd's API socket (default: $FLAXD_API, else " + FlaxdConfig.DEFAULT_API + ")",
            scope = CommandLine.ScopeType.INHERIT)
    Optional<Path> socket = Optional.empty();

    @Option(names = "--ovs-rundir", description = "OVS's run directory (default: $OVS_RUNDIR, else /var/run/openvswitch)",
            scope = CommandLine.ScopeType.INHERIT)
    Optional<Path> ovsRundir = Optional.empty();

    @Option(names = {"-o", "--output"}, description = "table (default) or json", scope = CommandLine.ScopeType.INHERIT)
    String output = "table";

    ApiClient api() {
        return new ApiClient(socket.orElseGet(() -> Path.of(System.getenv().getOrDefault("FLAXD_API", FlaxdConfig.DEFAULT_API))));
    }

    Ovs ovs() {
        return new Ovs(ovsRundir.orElseGet(() -> Path.of(System.getenv().getOrDefault("OVS_RUNDIR", "/var/run/openvswitch"))));
    }

    /** @throws IllegalArgumentException (bad usage, exit 2) for anything but table or json */
    boolean json() {
        return switch (output) {
            case "json" -> true;
            case "table" -> false;
            default -> throw new IllegalArgumentException("-o must be table or json: " + output);
        };
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line, writing to {@code out} and {@code err}; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Linenctl());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof CtlException || e instanceof IllegalArgumentException) {
                line.getErr().println("linenctl: " + e.getMessage());
                return e instanceof CtlException ? 3 : 2;
            }
            throw e;
        });
        return cl.execute(args);
    }

    /** Base of the subcommands: the root's options and the output stream. */
    abstract static class Sub implements Callable<Integer> {
        @CommandLine.ParentCommand
        Linenctl root;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        void printJson(JsonNode doc) {
            out().println(doc.toPrettyString());
        }
    }

    @Command(name = "status", description = "Node, pod CIDR, mode, peers, flow round, readiness and why.")
    static final class Status extends Sub {
        @Override
        public Integer call() throws CtlException {
            boolean json = root.json();
            JsonNode s = root.api().status();
            if (json) {
                printJson(s);
                return 0;
            }
            PrintWriter o = out();
            o.printf("node       %s (%s)%n", s.path("node").asText(), text(s, "internalIp"));
            o.printf("pod CIDR   %s (cluster %s)%n", text(s, "podCidr"), s.path("clusterCidr").asText());
            o.printf("mode       %s, bridge %s%n", s.path("mode").asText(), s.path("bridge").asText());
            o.printf("ready      %s%n", s.path("ready").asBoolean() ? "yes" : "no: " + s.path("notReadyReason").asText());
            JsonNode api = s.path("api");
            o.printf("API        %s, %s%s%n", api.path("synced").asBoolean() ? "synced" : "not synced",
                    api.path("watching").asBoolean() ? "watching" : "watch down", lastError(api));
            o.printf("OVSDB      %s%n", s.path("ovsdb").path("connected").asBoolean() ? "connected" : "not connected");
            JsonNode of = s.path("openflow");
            if (of.isObject()) {
                o.printf("OpenFlow   %s, round %d, %d flows%n", of.path("connected").asBoolean() ? "connected" : "not connected",
                        of.path("round").asInt(), of.path("flows").asInt());
            }
            JsonNode rec = s.path("reconcile");
            o.printf("reconcile  %d ok, %d failed%s%n", rec.path("ok").asLong(), rec.path("failed").asLong(), lastError(rec));
            o.printf("peers      %d%n", s.path("peers").size());
            for (JsonNode p : s.path("peers")) {
                o.printf("  %-24s %-20s %s%n", p.path("name").asText(), p.path("internalIp").asText(),
                        String.join(",", p.path("podCidrs").valueStream().map(JsonNode::asText).toList()));
            }
            return 0;
        }

        private static String text(JsonNode o, String field) {
            return o.path(field).isTextual() ? o.path(field).asText() : "none yet";
        }

        private static String lastError(JsonNode o) {
            JsonNode e = o.path("lastError");
            return e.isObject() ? "; last error " + e.path("at").asText() + ": " + e.path("error").asText() : "";
        }
    }

    @Command(name = "flows", description = "The pipeline with table names, and whether each desired flow is installed;"
            + " extra flows the bridge holds. Exit 1 when any flow is missing or extra.")
    static final class Flows extends Sub {
        @Option(names = "--table", description = "only this table (by name)")
        Optional<String> table = Optional.empty();
        @Option(names = "--peer", description = "only this peer node's flows")
        Optional<String> peer = Optional.empty();

        @Override
        public Integer call() throws CtlException {
            boolean json = root.json();
            FlowDiff d = diff(root, table, peer);
            if (json) {
                printJson(json(d));
            } else {
                print(out(), d);
            }
            return d.clean() ? 0 : 1;
        }

        /** flaxd's diff (its {@code /v1/flows}: desired flows against the switch's, read by flaxd), filtered. */
        static FlowDiff diff(Linenctl root, Optional<String> table, Optional<String> peer) throws CtlException {
            JsonNode doc = root.api().flows();
            if (!doc.path("mode").asText().equals("flow")) {
                throw new CtlException("flaxd runs in " + doc.path("mode").asText() + " mode: it programs no flows");
            }
            FlowDiff all;
            try {
                all = FlowDiffJson.read(doc);
            } catch (IllegalArgumentException e) {
                throw new CtlException("flaxd's flows document is not what this linenctl reads: " + e.getMessage(), e);
            }
            if (table.isPresent() && all.tables().stream().noneMatch(t -> t.name().equals(table.get()))) {
                throw new CtlException("no table named " + table.get() + " (tables: " + String.join(", ",
                        all.tables().stream().map(FlowDiff.TableInfo::name).toList()) + ")");
            }
            return all.filter(table, peer);
        }

        static ObjectNode json(FlowDiff d) {
            return FlowDiffJson.write(d);
        }

        static void print(PrintWriter o, FlowDiff d) {
            o.printf("%-5s %-16s %-9s %-16s %s%n", "TABLE", "NAME", "STAGE", "FEATURE", "MISS");
            d.tables().forEach(t -> o.printf("%-5d %-16s %-9s %-16s %s%n", t.number(), t.name(), t.stage(), t.feature(), t.miss()));
            o.printf("%nflows of round %d%n", d.round());
            o.printf("%-10s %-5s %-16s %-16s %s%n", "STATE", "TABLE", "NAME", "PEER", "FLOW");
            for (FlowDiff.Row r : d.rows()) {
                line(o, r);
            }
            d.extra().forEach(r -> line(o, r));
            o.printf("%d desired: %d installed, %d missing; %d extra%n", d.rows().size(), d.count(FlowDiff.State.INSTALLED),
                    d.count(FlowDiff.State.MISSING), d.count(FlowDiff.State.EXTRA));
        }

        private static void line(PrintWriter o, FlowDiff.Row r) {
            o.printf("%-10s %-5d %-16s %-16s %s%n", r.state().name().toLowerCase(java.util.Locale.ROOT), r.table(),
                    r.tableName().orElse("?"), r.peer().orElse("-"), r.flow());
        }
    }

    @Command(name = "trace", description = "Trace a packet from a pod through this node's bridge (ofproto/trace).")
    static final class TraceCommand extends Sub {
        @Parameters(index = "0", description = "source pod IP")
        String src;
        @Parameters(index = "1", description = "destination pod IP")
        String dst;
        @Option(names = "--proto", description = "tcp, udp or icmp (default icmp)")
        String proto = "icmp";
        @Option(names = "--dport", description = "destination port (tcp, udp)")
        Optional<Integer> dport = Optional.empty();

        @Override
        public Integer call() throws CtlException {
            root.json();
            Trace.Packet p = new Trace.Packet(proto, Ipv4Prefix.parse(src), Ipv4Prefix.parse(dst), dport);
            JsonNode status = root.api().status();
            Optional<String> flow = Trace.flow(status, p);
            if (flow.isEmpty()) {
                return report(new Trace.Result("", java.util.List.of(),
                        "delivered locally: both pods are on this node's Linux bridge (the packet never enters OVS)", ""));
            }
            JsonNode pipeline = root.api().pipeline();
            String output = root.ovs().trace(status.path("bridge").asText(), flow.get());
            return report(Trace.read(flow.get(), output, status, pipeline));
        }

        private int report(Trace.Result r) throws CtlException {
            if (root.json()) {
                printJson(ApiClient.JSON.valueToTree(r));
                return 0;
            }
            PrintWriter o = out();
            o.println("packet   " + (r.flow().isEmpty() ? src + " -> " + dst : r.flow()));
            for (Trace.Step s : r.steps()) {
                o.printf("table %-3d %-16s feature %-16s %s%s%n", s.table(), s.tableName(), s.feature(),
                        s.priority() == 0 ? "miss" : "priority " + s.priority(), s.match().isEmpty() ? "" : ": " + s.match());
                s.actions().forEach(a -> o.println("          " + a));
            }
            o.println("verdict  " + r.verdict());
            return 0;
        }
    }
}
