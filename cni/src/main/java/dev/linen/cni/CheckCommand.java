package dev.linen.cni;

import dev.linen.cni.json.JsonValue.JObject;
import dev.linen.cni.node.SetupRecord;
import dev.linen.cni.node.SysNet;
import dev.linen.ovs.db.BridgeInfo;
import dev.linen.ovs.db.OvsDatabase;
import dev.linen.ovs.db.OvsdbException;
import dev.linen.ovs.db.PortInfo;
import dev.linen.ovs.db.VxlanPortSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** CHECK: verifies the bridge, its attachment and the tunnel ports, naming what is missing. */
final class CheckCommand {
    private final SysNet sys;

    CheckCommand(SysNet sys) {
        this.sys = sys;
    }

    /**
     * Read-only on OVS and the kernel. Fails with code 101 listing every difference found, and
     * then drops the plugin's record of the setup so that the next ADD repairs the node.
     */
    void check(NetConf conf) throws CniException {
        JObject prev = conf.prevResult().orElseThrow(() -> new CniException(CniException.INVALID_CONFIG,
                "prevResult is required for CHECK"));
        OvsSettings s = conf.ovs();
        String linuxBridge = PrevResults.linuxBridge(prev, s.linuxBridge(), sys);
        List<String> problems = new ArrayList<>();
        try (OvsDatabase db = OvsSetup.connect(s.ovsdb())) {
            Optional<BridgeInfo> bridge = db.bridge(s.ovsBridge());
            if (bridge.isEmpty()) {
                problems.add("OVS bridge " + s.ovsBridge() + " does not exist");
            } else {
                checkBridge(bridge.get(), s, problems);
                checkPorts(db.listPorts(s.ovsBridge()), s, problems);
            }
        } catch (OvsdbException e) {
            throw OvsSetup.translate(e);
        }
        checkAttachment(s.ovsBridge(), linuxBridge, problems);
        if (!problems.isEmpty()) {
            // the next ADD must not trust its record of a setup that no longer holds
            SetupRecord.of(s.stateDir(), s.ovsdb(), s.ovsBridge()).forget();
            throw new CniException(CniException.CHECK_FAILED, "node does not match the linen configuration",
                    String.join("; ", problems));
        }
    }

    private static void checkBridge(BridgeInfo b, OvsSettings s, List<String> problems) {
        // without datapathType in the config any type of an existing bridge is the right one
        String have = b.datapathType().isEmpty() ? OvsSettings.DEFAULT_DATAPATH_TYPE : b.datapathType();
        s.datapathType().ifPresent(want -> {
            if (!have.equals(want)) {
                problems.add("bridge " + b.name() + " has datapath_type " + have + ", want " + want);
            }
        });
        s.controller().ifPresent(c -> {
            if (!b.controllers().equals(List.of(c))) {
                problems.add("bridge " + b.name() + " has controllers " + b.controllers() + ", want [" + c + "]");
            }
        });
    }

    private static void checkPorts(List<PortInfo> ports, OvsSettings s, List<String> problems) {
        Map<String, PortInfo> byName = ports.stream().collect(Collectors.toMap(PortInfo::name, Function.identity()));
        for (VxlanPortSpec want : OvsSetup.vxlanPorts(s.vtepIPs())) {
            PortInfo have = byName.get(want.name());
            if (have == null) {
                problems.add("VXLAN port " + want.name() + " is missing");
            } else if (!have.type().equals("vxlan")
                    || !want.options().get("remote_ip").equals(have.options().get("remote_ip"))) {
                problems.add("port " + want.name() + " is " + have.type() + " " + have.options()
                        + ", want vxlan " + want.options());
            }
        }
    }

    private void checkAttachment(String ovsBridge, String linuxBridge, List<String> problems) {
        Optional<String> master = sys.master(ovsBridge);
        if (master.filter(linuxBridge::equals).isEmpty()) {
            problems.add("OVS port " + ovsBridge + " is not in Linux bridge " + linuxBridge
                    + master.map(m -> " (it is in " + m + ")").orElse(""));
        }
        if (!sys.isUp(ovsBridge)) {
            problems.add("interface " + ovsBridge + " is not up");
        }
    }
}
