package dev.linen.cni;

import dev.linen.ovs.db.VxlanPorts;
import dev.linen.cni.json.JsonValue.JObject;
import dev.linen.cni.node.SetupRecord;
import dev.linen.cni.node.SysNet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * ADD: make sure the node is set up, then pass {@code prevResult} on.
 *
 * <p>Steady state (the node was set up before) costs a few file reads and no OVSDB session: the
 * {@link SetupRecord} says the same settings were applied on this very OVSDB server, and sysfs says
 * the OVS internal port is still up in the Linux bridge. Otherwise the node-wide lock is taken
 * and {@link OvsSetup} applies everything, so parallel ADDs on a fresh node set it up once.
 */
final class AddCommand {
    /**
     * How long (seconds) an ADD waits for another one's setup: longer than a setup's own bounded
     * waits. A number, not a Duration: this class is loaded on every ADD, Duration only on the full path.
     */
    static final long LOCK_TIMEOUT_SECONDS = 20;

    private final SysNet sys;

    AddCommand(SysNet sys) {
        this.sys = sys;
    }

    /**
     * Idempotent; all-or-nothing (a failed setup is rolled back and not recorded). Bounded: the
     * setup lock is waited for at most {@link #LOCK_TIMEOUT_SECONDS} (then code 11), and an ADD
     * that waited while another one's setup failed answers that failure instead of repeating it.
     */
    JObject add(NetConf conf) throws CniException {
        if (conf.prevResult().isEmpty()) {
            throw new CniException(CniException.INVALID_CONFIG, "prevResult is required",
                    "linen is a chained plugin: put it after the bridge plugin");
        }
        JObject prev = conf.prevResult().get();
        OvsSettings s = conf.ovs();
        String linuxBridge = PrevResults.linuxBridge(prev, s.linuxBridge(), sys);
        SetupRecord record = SetupRecord.of(s.stateDir(), s.ovsdb(), s.ovsBridge());
        String fingerprint = fingerprint(s, linuxBridge);
        JObject result = PrevResults.reshape(prev, conf.cniVersion());
        if (!isSetUp(record, fingerprint, s.ovsBridge(), linuxBridge)) {
            setUp(record, fingerprint, s, linuxBridge);
        }
        return result;
    }

    /** The full path, under the node-wide lock; see {@link #add}. */
    private void setUp(SetupRecord record, String fingerprint, OvsSettings s, String linuxBridge)
            throws CniException {
        record.secure();
        Optional<String> failureBefore = record.failureNote();
        try (SetupRecord.Lock lock = record.lock(Duration.ofSeconds(LOCK_TIMEOUT_SECONDS))) {
            if (isSetUp(record, fingerprint, s.ovsBridge(), linuxBridge)) {
                return;
            }
            Optional<CniException> failedWhileWaiting = record.failureSince(failureBefore, fingerprint);
            if (failedWhileWaiting.isPresent()) {
                throw failedWhileWaiting.get();
            }
            record.forget();
            try {
                new OvsSetup(sys).apply(s, linuxBridge);
            } catch (CniException e) {
                record.noteFailure(fingerprint, e);
                throw e;
            }
            record.write(fingerprint);
        }
    }

    private boolean isSetUp(SetupRecord record, String fingerprint, String ovsBridge, String linuxBridge)
            throws CniException {
        return record.matches(fingerprint)
                && linuxBridge.equals(sys.master(ovsBridge).orElse(""))
                && sys.isUp(ovsBridge);
    }

    /** Everything the setup depends on, in a stable order. */
    static String fingerprint(OvsSettings s, String linuxBridge) {
        List<String> peers = new ArrayList<>();
        for (String ip : s.vtepIPs()) {
            insertSorted(peers, VxlanPorts.name(ip) + "=" + ip);
        }
        return String.join("|", List.of("v1", s.ovsBridge(), s.datapathType().orElse("-"), Boolean.toString(s.isMaster()),
                s.controller().orElse("-"), s.mtu().isPresent() ? Integer.toString(s.mtu().getAsInt()) : "-",
                linuxBridge, String.join(",", peers)));
    }

    /**
     * Adds {@code item} to the sorted, duplicate-free {@code list} in its place. A TreeSet would do
     * it, but loading its classes cost each start more than the few peers of a config take here.
     */
    static void insertSorted(List<String> list, String item) {
        int i = 0;
        while (i < list.size() && list.get(i).compareTo(item) < 0) {
            i++;
        }
        if (i == list.size() || !list.get(i).equals(item)) {
            list.add(i, item);
        }
    }
}
