package dev.linen.flaxd.node;

import dev.linen.ovs.proc.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The iptables flaxd drives: {@code iptables-legacy} or {@code iptables-nft} and their
 * {@code -save}/{@code -restore}. Inside a container the image's plain {@code iptables} may be the
 * other one than the host's kubelet and kube-proxy use, and rules written to the other backend are
 * invisible to theirs (and the host's {@code iptables} tools): so flaxd names its backend outright.
 *
 * @param mode   {@link IptablesMode#LEGACY} or {@link IptablesMode#NFT}, never AUTO
 * @param reason why this one (logged once at start)
 */
public record IptablesBackend(IptablesMode mode, String reason) {
    private static final Logger LOG = Logger.getLogger(IptablesBackend.class.getName());
    /** Chains the kubelet (1.17 and later) creates in the backend it uses, in the mangle table. */
    static final List<String> KUBELET_CHAINS = List.of("KUBE-IPTABLES-HINT", "KUBE-KUBELET-CANARY");
    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public IptablesBackend {
        if (mode == null || mode == IptablesMode.AUTO) {
            throw new IllegalArgumentException("an iptables backend is legacy or nft: " + mode);
        }
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("say why this backend");
        }
    }

    /** {@code legacy} or {@code nft}. */
    public String name() {
        return mode == IptablesMode.LEGACY ? "legacy" : "nft";
    }

    public String iptables() {
        return "iptables-" + name();
    }

    public String save() {
        return "iptables-" + name() + "-save";
    }

    public String restore() {
        return "iptables-" + name() + "-restore";
    }

    /**
     * The backend for {@code mode}: a named one (its binaries must be installed), or for AUTO the
     * one the host uses, decided as kubernetes-sigs' iptables-wrapper does (see
     * {@link #choose}). Runs at most three {@code -save} commands through {@code cmd} (so inside a
     * test's namespace too), changes nothing, and logs the choice with its reason.
     *
     * @throws NodeNetworkException neither backend (or not the named one) is installed
     */
    public static IptablesBackend detect(Commands cmd, IptablesMode mode) {
        IptablesBackend b = choose(mode, installed(IptablesMode.LEGACY), installed(IptablesMode.NFT),
                new CommandSaves(cmd));
        LOG.info("iptables backend " + b.name() + ": " + b.reason());
        return b;
    }

    /** What the backends hold, read only when the decision needs it. */
    interface Saves {
        /** {@code iptables-nft-save -t mangle}: cheap, and creates nothing. */
        String nftMangle();

        /** {@code iptables-legacy-save}, all tables: {@code -t mangle} would make the kernel create that table. */
        String legacyAll();

        /** {@code iptables-nft-save}, all tables. */
        String nftAll();
    }

    /**
     * The decision. A named mode is taken if installed. AUTO: if only one backend is installed,
     * that one; else the one holding the kubelet's {@link #KUBELET_CHAINS} (looked for in nft first,
     * as iptables-wrapper does); else the one holding more rules, nft on a tie (nft is what current
     * distributions and the wrapper default to).
     */
    static IptablesBackend choose(IptablesMode mode, boolean legacyInstalled, boolean nftInstalled, Saves saves) {
        if (mode != IptablesMode.AUTO) {
            IptablesBackend named = new IptablesBackend(mode, "FLAXD_IPTABLES=" + mode.name().toLowerCase());
            if (!(mode == IptablesMode.LEGACY ? legacyInstalled : nftInstalled)) {
                throw new NodeNetworkException("FLAXD_IPTABLES=" + named.name() + " but " + named.iptables()
                        + ", " + named.save() + " or " + named.restore() + " is not installed");
            }
            return named;
        }
        if (!legacyInstalled && !nftInstalled) {
            throw new NodeNetworkException("neither iptables-legacy nor iptables-nft (with -save and -restore)"
                    + " is installed");
        }
        if (!legacyInstalled || !nftInstalled) {
            IptablesMode only = legacyInstalled ? IptablesMode.LEGACY : IptablesMode.NFT;
            return new IptablesBackend(only, "only iptables-" + (legacyInstalled ? "legacy" : "nft") + " is installed");
        }
        String hint = kubeletChain(saves.nftMangle());
        if (!hint.isEmpty()) {
            return new IptablesBackend(IptablesMode.NFT, "the kubelet's " + hint + " chain is in iptables-nft");
        }
        hint = kubeletChain(saves.legacyAll());
        if (!hint.isEmpty()) {
            return new IptablesBackend(IptablesMode.LEGACY, "the kubelet's " + hint + " chain is in iptables-legacy");
        }
        int legacy = ruleCount(saves.legacyAll());
        int nft = ruleCount(saves.nftAll());
        return legacy > nft
                ? new IptablesBackend(IptablesMode.LEGACY, "no kubelet chain found; iptables-legacy holds more rules ("
                        + legacy + " against " + nft + ")")
                : new IptablesBackend(IptablesMode.NFT, "no kubelet chain found; iptables-nft holds as many rules or"
                        + " more (" + nft + " against " + legacy + " in legacy)");
    }

    /** The first of the kubelet's chains declared in an {@code iptables-save} output, or "". */
    static String kubeletChain(String save) {
        for (String line : save.split("\n", -1)) {
            for (String chain : KUBELET_CHAINS) {
                if (line.startsWith(":" + chain + " ")) {
                    return chain;
                }
            }
        }
        return "";
    }

    /** Rule lines ({@code -A ...}) in an {@code iptables-save} output. */
    static int ruleCount(String save) {
        int n = 0;
        for (String line : save.split("\n", -1)) {
            if (line.startsWith("-")) {
                n++;
            }
        }
        return n;
    }

    /** Whether the backend's three programs are on the PATH (as the commands will look them up). */
    static boolean installed(IptablesMode mode) {
        IptablesBackend b = new IptablesBackend(mode, "probe");
        return onPath(b.iptables()) && onPath(b.save()) && onPath(b.restore());
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", DEFAULT_PATH);
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** Saves read through the node's commands, each once; a save that fails counts as empty. */
    private static final class CommandSaves implements Saves {
        private final Commands cmd;
        private final Map<String, String> read = new java.util.HashMap<>();

        CommandSaves(Commands cmd) {
            this.cmd = cmd;
        }

        @Override
        public String nftMangle() {
            return once("iptables-nft-save", "-t", "mangle");
        }

        @Override
        public String legacyAll() {
            return once("iptables-legacy-save");
        }

        @Override
        public String nftAll() {
            return once("iptables-nft-save");
        }

        private String once(String... argv) {
            return read.computeIfAbsent(String.join(" ", argv), k -> {
                try {
                    ProcessRunner.Result r = cmd.run(argv);
                    if (r.ok()) {
                        return r.output();
                    }
                    LOG.warning(k + " failed (taken as empty): " + r.output().trim());
                } catch (NodeNetworkException e) {
                    LOG.warning(k + " could not run (taken as empty): " + e.getMessage());
                }
                return "";
            });
        }
    }
}
