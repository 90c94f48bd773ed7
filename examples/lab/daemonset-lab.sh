#!/usr/bin/env bash
# The DaemonSet lab: Linen installed as a real CNI. Three nodes as network namespaces, each with its
# own OVS (userspace datapath); on each, the image (image/build) runs under podman + runc from the
# DaemonSet's own pod template in examples/kubernetes/linen.yaml (pod-from-daemonset.py: init
# container, unprivileged flaxd with NET_ADMIN+NET_RAW, ConfigMap env, hostPath mounts onto the
# node's directories). One mock Kubernetes API (the one stand-in). Pods are made through the
# conflist the container wrote and the plugins its init container installed. Checks: the table
# (with masquerade as the node IP), ARP answered in OVS, kill -9 of the flaxd container and its
# restart under ping, replacing the pod (upgrade) under ping, a Node joining and leaving,
# ovs-vswitchd restart, uninstall (the image's `flaxd uninstall`, from the same template) leaving
# nothing behind, a TCP transfer. Everything it makes starts with "lnd".
#   daemonset-lab.sh [run]   build, image, run, tear down (exit 1 if a check fails; ~1.5 min)
#   daemonset-lab.sh up      the same up to the table, left running;  ... checks  the rest on it
#   daemonset-lab.sh down    tear down what a previous run left
set -euo pipefail
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 PATH=/usr/lib/jvm/temurin-25-jdk-amd64/bin:$PATH
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
lab=/run/linen-ds-lab
manifest="$top/examples/kubernetes/linen.yaml"
setup="$here/node-setup.sh"
cnicall="$top/tools/cnicall/target/cnicall"
api_ip=10.99.0.250 out_ip=10.99.0.254 api_port=6443
nodes=(lnd-n1 lnd-n2 lnd-n3)
declare -A nodeip=([lnd-n1]=10.99.0.11 [lnd-n2]=10.99.0.12 [lnd-n3]=10.99.0.13)
declare -A podcidr=([lnd-n1]=10.244.1.0/24 [lnd-n2]=10.244.2.0/24 [lnd-n3]=10.244.3.0/24)
[ "$(id -u)" = 0 ] || { echo "daemonset-lab.sh: run as root" >&2; exit 2; }
# shellcheck source=examples/lab/lib.sh
source "$here/lib.sh"
# podman without systemd: cgroupfs, file events; limits no higher than this shell's (podman's
# defaults exceed what an unprivileged sandbox may set)
export CONTAINERS_CONF="$lab.containers.conf"
podman_conf() {
  printf '[containers]\ndefault_ulimits = ["nofile=%s:%s", "nproc=4096:4096"]\n[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n' \
    "$(ulimit -Hn)" "$(ulimit -Hn)" > "$CONTAINERS_CONF"
}

down() {
  podman_conf
  for ns in "${nodes[@]}"; do
    podman pod rm -f "linen-$ns" >/dev/null 2>&1 || true
    podman pod rm -f "linen-$ns-uninstall" >/dev/null 2>&1 || true
  done
  lab_teardown lnd "$lab" "${nodes[@]}"
  ip link del lnd-ul 2>/dev/null || true
  rm -f "$CONTAINERS_CONF"
}

plain_host() {
  local ns=$1 ip=$2
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  ip link add "$ns-ul" type veth peer name eth0 netns "$ns"
  ip link set "$ns-ul" master lnd-ul up
  ip -n "$ns" addr add "$ip/24" dev eth0
  ip -n "$ns" link set eth0 up
}

# pod_yaml NODE [--uninstall]: the DaemonSet's pod for that node, and the ConfigMap with the lab's settings
pod_yaml() {
  local ns=$1 dir="$lab/$1"
  python3 "$here/pod-from-daemonset.py" "$manifest" "$ns" "$dir/pod${2:+-uninstall}.yaml" "$dir/configmap.yaml" \
    --host-root "$dir/root" --map "/var/run/openvswitch=$dir/ovs" --map "/run/linen=$dir/state" --keep /run/xtables.lock \
    --set FLAXD_DATAPATH_TYPE=netdev --set FLAXD_OVSDB="$dir/ovs/db.sock" --set FLAXD_CNI_STATE_DIR="$dir/state" \
    --set FLAXD_API="$dir/state/flaxd/api.sock" \
    --set KUBERNETES_MASTER="http://$api_ip:$api_port" --set KUBERNETES_AUTH_TRYKUBECONFIG=false \
    --set KUBERNETES_AUTH_TRYSERVICEACCOUNT=false --set KUBERNETES_NAMESPACE=default ${2:+--uninstall}
}

play() { # node [--uninstall]
  local ns=$1 dir="$lab/$1"
  pod_yaml "$ns" "${2:-}"
  # nsenter, not ip netns exec: that remounts /sys, hiding the cgroup mount podman needs
  nsenter --net="/var/run/netns/$ns" podman kube play ${3:-} --configmap "$dir/configmap.yaml" "$dir/pod${2:+-uninstall}.yaml" >>"$dir/podman.log" 2>&1 \
    || { echo "podman kube play failed on $ns:" >&2; tail -20 "$dir/podman.log" >&2
         podman logs "linen-$ns-install-cni" 2>&1 | tail -20 >&2; return 1; }
}

readyz() { ip netns exec "$1" curl -fsS -m 2 http://127.0.0.1:9753/readyz >/dev/null 2>&1; }

await_ready() { # node: /readyz and the conflist (at most 60 s)
  local ns=$1
  for _ in $(seq 1 600); do
    readyz "$ns" && [ -f "$lab/$ns/root/etc/cni/net.d/00-linen.conflist" ] && return 0
    sleep 0.1
  done
  echo "$ns: not ready after 60 s" >&2; podman logs "linen-$ns-flaxd" 2>&1 | tail -20 >&2; return 1
}

up() {
  down
  podman_conf
  lab_build
  mkdir -p "$lab"
  "$top/image/build"
  podman load -q -i "$top/target/linen-image.tar" >/dev/null
  ip link add lnd-ul type bridge
  ip link set lnd-ul up
  plain_host lnd-api "$api_ip"
  plain_host lnd-out "$out_ip"
  local specs=()
  for ns in "${nodes[@]}"; do specs+=("$ns=${podcidr[$ns]}=${nodeip[$ns]}"); done
  mkfifo "$lab/api.in"
  # the API stops at the end of its input: a holder keeps the FIFO open while the lab is up
  # (`up`, then `checks` from another shell); teardown ends it by its pid file
  sleep 86400 > "$lab/api.in" &
  echo $! > "$lab/api-holder.pid"
  ip netns exec lnd-api java -cp "$top/e2e/target/e2e.jar:$top/e2e/target/lib/*" dev.linen.e2e.MockApi \
    "$api_ip" "$api_port" "${specs[@]}" < "$lab/api.in" > "$lab/api.log" 2>&1 &
  echo $! > "$lab/api.pid"
  exec 9>"$lab/api.in"
  for _ in $(seq 1 300); do grep -q '^ready' "$lab/api.log" && break; sleep 0.1; done
  grep -q '^ready' "$lab/api.log" || { echo "mock API did not start" >&2; return 1; }
  for ns in "${nodes[@]}"; do
    lab_node "$ns" "${nodeip[$ns]}/24" lnd-ul "$lab/$ns"
    ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1   # the node's own setting (kubeadm requires it)
    play "$ns"
  done
  for ns in "${nodes[@]}"; do await_ready "$ns" && await_peers "$ns" 2; done
  declare -gA podip
  for ns in "${nodes[@]}"; do
    for p in p1 p2; do
      # here, not inside `ip netns exec`: a netns made there is mounted in its private mount
      # namespace only, and outside it the pod's netns file is an empty file
      ip netns add "$ns-$p"
      mkdir -p "$lab/$ns/cache"
      podip[$ns-$p]=$(ip netns exec "$ns" "$setup" pod "$ns-$p" "$lab/$ns/root/etc/cni/net.d" "$lab/$ns/root/opt/cni/bin" "$lab/$ns/cache" "$cnicall")
      echo "pod $ns-$p: ${podip[$ns-$p]}"
      echo "$ns-$p ${podip[$ns-$p]}" >> "$lab/pods.txt"
    done
  done
}

load_pods() { # the pod IPs of a lab that `up` left running
  [ -f "$lab/pods.txt" ] || { echo "daemonset-lab.sh: no lab is up (run: daemonset-lab.sh up)" >&2; exit 2; }
  declare -gA podip
  local name ip
  while read -r name ip; do podip[$name]=$ip; done < "$lab/pods.txt"
}

table() {
  lab_table_header
  lab_check "pod -> pod, same node" lnd-n1-p1 "${podip[lnd-n1-p2]}"
  lab_check "pod -> pod, across nodes" lnd-n1-p1 "${podip[lnd-n2-p1]}"
  lab_check "pod -> pod, across nodes" lnd-n2-p2 "${podip[lnd-n3-p1]}"
  lab_check "pod -> pod, across nodes" lnd-n3-p2 "${podip[lnd-n1-p2]}"
  lab_check "node -> pod, other node" lnd-n1 "${podip[lnd-n3-p2]}"
  lab_check "node -> pod, other node" lnd-n3 "${podip[lnd-n2-p1]}"
  masquerade
}

masquerade() { # pod -> outside: the outside must see the node's IP
  local server_log="$lab/out.json" seen
  ip netns exec lnd-out timeout 20 iperf3 -s -1 -J -B "$out_ip" > "$server_log" 2>/dev/null &
  local pid=$!
  for _ in $(seq 1 50); do
    ip netns exec lnd-n1-p1 timeout 10 iperf3 -c "$out_ip" -t 1 >/dev/null 2>&1 && break
    sleep 0.1
  done
  wait "$pid" 2>/dev/null || true
  seen=$(jq -r '.start.connected[0].remote_host // empty' "$server_log" 2>/dev/null || true)
  if [ "$seen" = "${nodeip[lnd-n1]}" ]; then result=ok; else result="FAIL (outside saw '${seen}')"; failures=$((failures + 1)); fi
  printf '%-34s %-12s -> %-14s %s\n' "pod -> outside, seen as node IP" lnd-n1-p1 "$out_ip" "$result"
}

# remote pod CIDRs br0's flow table routes on a node (flow mode, the manifest's default)
peers_programmed() {
  OVS_RUNDIR="$lab/$1/ovs" ovs-ofctl -O OpenFlow13 --no-stats dump-flows br0 table=20 2>/dev/null \
    | grep -c 'priority=200,ip,nw_dst=' || true
}

await_peers() { # node, count: at most 30 s
  local n
  for _ in $(seq 1 300); do
    n=$(peers_programmed "$1")
    [ "$n" = "$2" ] && return 0
    sleep 0.1
  done
  echo "$1: expected $2 peers programmed, have $n" >&2
  return 1
}

# a pod's ARP for a remote pod is answered inside OVS (virtual MAC): real replies, and OVS's trace
# of that request turns it into a reply sent back (op=2) with nothing pushed into the tunnel
# (vxlan0's counter would also count the pods' IPv6 solicitations of the moment)
arp_stays_local() {
  local replies mac actions
  replies=$(ip netns exec lnd-n1-p1 arping -c 3 -w 5 -I eth0 "${podip[lnd-n2-p2]}" 2>&1 \
    | grep -ci 'reply from.*0e:4c:4e:00:00:01' || true)
  mac=$(ip -n lnd-n1-p1 -o link show eth0 | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2)
  actions=$(ovs-appctl -t "$lab/lnd-n1/ovs/ovs-vswitchd.ctl" ofproto/trace br0 \
    "in_port=LOCAL,arp,dl_src=$mac,dl_dst=ff:ff:ff:ff:ff:ff,arp_spa=${podip[lnd-n1-p1]},arp_tpa=${podip[lnd-n2-p2]},arp_op=1" \
    2>/dev/null | grep '^Datapath actions:' || true)
  if [ "$replies" -ge 1 ] && [[ $actions == *op=2* ]] && [[ $actions != *tnl_push* ]]; then
    result="ok ($replies replies, answered in OVS)"
  else result="FAIL (replies $replies; ${actions:-no trace})"; failures=$((failures + 1)); fi
  printf '%-34s %s\n' "pod ARP answered in OVS, no tunnel" "$result"
}

# a Node added to the API is programmed on every node within 1 s; deleted, its flows go
node_join_and_leave() {
  local start end ms ok=1 ns
  exec 9>"$lab/api.in"
  start=$(date +%s%N)
  echo "add lnd-n4=10.244.4.0/24=10.99.0.14" >&9
  for ns in "${nodes[@]}"; do await_peers "$ns" 3 || ok=0; done
  end=$(date +%s%N); ms=$(( (end - start) / 1000000 ))
  if [ "$ok" = 1 ] && [ "$ms" -le 1000 ]; then result="ok (${ms} ms)"; else result="FAIL (${ms} ms)"; failures=$((failures + 1)); fi
  printf '%-34s %s\n' "node joins: on all nodes in 1 s" "$result"
  echo "del lnd-n4" >&9
  ok=1
  for ns in "${nodes[@]}"; do await_peers "$ns" 2 || ok=0; done
  if [ "$ok" = 1 ]; then result=ok; else result=FAIL; failures=$((failures + 1)); fi
  printf '%-34s %s\n' "node leaves: its flows go" "$result"
}

# ovs-vswitchd restarts on lnd-n2: the flaxd container re-attaches br0, traffic comes back (30 tries)
vswitchd_restart() {
  ip netns exec lnd-n2 "$top/scripts/private-ovs" restart-vswitchd "$lab/lnd-n2/ovs" > "$lab/lnd-n2/ovs-restart.log" 2>&1
  result=FAIL
  for _ in $(seq 1 30); do
    if ip netns exec lnd-n1-p1 ping -c 1 -W 1 -q "${podip[lnd-n2-p1]}" >/dev/null 2>&1; then result=ok; break; fi
  done
  [ "$result" = ok ] || failures=$((failures + 1))
  printf '%-34s %s\n' "ovs-vswitchd restart on lnd-n2" "$result"
}

# under_ping LABEL CMD...: a ping every 0.1 s from lnd-n1-p1 to lnd-n2-p1 from before CMD until 2 s
# after it (the new flaxd's first flow round, which would drop what it does not own; at most 30 s in
# all); no packet may be lost and lnd-n2 must be ready again
under_ping() {
  local label=$1 out; shift
  ip netns exec lnd-n1-p1 ping -i 0.1 -W 1 -w 30 -q "${podip[lnd-n2-p1]}" > "$lab/ping.txt" 2>&1 &
  local ping=$!
  "$@" || true
  sleep 2   # the measuring window after CMD, not a synchronisation
  kill -INT "$ping" 2>/dev/null || true
  wait "$ping" || true
  out=$(grep -o '[0-9]* packets transmitted, [0-9]* received' "$lab/ping.txt" || true)
  if [ -n "$out" ] && [ "$(echo "$out" | awk '{print $1}')" = "$(echo "$out" | awk '{print $4}')" ] && readyz lnd-n2; then
    result="ok ($out)"; else result="FAIL (${out:-no ping result})"; failures=$((failures + 1)); fi
  printf '%-34s %s\n' "$label" "$result"
}

# kill -9 of flaxd's process: podman starts the container again by its restart policy, as the
# kubelet would (at most 10 s), and the node becomes ready again
kill_flaxd_container() {
  local pid restarts
  pid=$(podman inspect -f '{{.State.Pid}}' linen-lnd-n2-flaxd)
  restarts=$(podman inspect -f '{{.RestartCount}}' linen-lnd-n2-flaxd)
  kill -9 "$pid"
  for _ in $(seq 1 100); do
    [ "$(podman inspect -f '{{.RestartCount}} {{.State.Running}}' linen-lnd-n2-flaxd)" = "$((restarts + 1)) true" ] && break
    sleep 0.1
  done
  [ "$(podman inspect -f '{{.State.Pid}}' linen-lnd-n2-flaxd)" != "$pid" ] || { echo "lnd-n2: flaxd not restarted" >&2; return 1; }
  await_ready lnd-n2
}

# the DaemonSet's rolling update on lnd-n2: the pod replaced by a new one (init container again,
# then a new flaxd container) from the same template
upgrade() {
  local before
  before=$(podman inspect -f '{{.Id}}' linen-lnd-n2-flaxd)
  play lnd-n2 "" --replace && await_ready lnd-n2 \
    && [ "$(podman inspect -f '{{.Id}}' linen-lnd-n2-flaxd)" != "$before" ]
}

# uninstall on lnd-n3: pods gone, DaemonSet pod deleted, then the image's `flaxd uninstall`
uninstall_leaves_nothing() {
  local ns=lnd-n3 dir="$lab/lnd-n3" left=()
  ip netns del lnd-n3-p1; ip netns del lnd-n3-p2
  podman pod rm -f "linen-$ns" >/dev/null
  play "$ns" --uninstall
  for _ in $(seq 1 300); do [ "$(podman inspect -f '{{.State.Status}}' "linen-$ns-uninstall-flaxd" 2>/dev/null)" = exited ] && break; sleep 0.1; done
  [ "$(podman inspect -f '{{.State.ExitCode}}' "linen-$ns-uninstall-flaxd" 2>/dev/null)" = 0 ] || left+=("uninstall exit code")
  [ -z "$(ls -A "$dir/root/etc/cni/net.d")" ] || left+=("conflist")
  [ -z "$(ls -A "$dir/root/opt/cni/bin")" ] || left+=("bin: $(ls -A "$dir/root/opt/cni/bin" | tr '\n' ' ')")
  ip netns exec "$ns" iptables-legacy-save 2>/dev/null | grep -q LINEN && left+=("iptables-legacy")
  ip netns exec "$ns" iptables-nft-save 2>/dev/null | grep -q LINEN && left+=("iptables-nft")
  [ -z "$(ip -n "$ns" route show 10.244.0.0/16)" ] || left+=("route")
  ovs-vsctl --db="unix:$dir/ovs/db.sock" --timeout=5 br-exists br0 && left+=("OVS br0")
  ip -n "$ns" link show kbr0 >/dev/null 2>&1 && left+=("kbr0")
  [ -e "$dir/state/ipam/linen" ] && left+=("host-local state")
  [ -e "$dir/state/linen" ] && left+=("linen state")
  [ -e "$dir/state/flaxd" ] && left+=("flaxd API directory")
  if [ ${#left[@]} -eq 0 ]; then result=ok; else result="FAIL (left: ${left[*]})"; failures=$((failures + 1)); fi
  printf '%-34s %s\n' "uninstall leaves nothing (lnd-n3)" "$result"
}

# ---- linenctl (issue 10), kept apart for merging: the image's linenctl in the flaxd container
# (status; flows, which flaxd reads over its own OpenFlow connection: the image has no ovs-ofctl),
# and the build's on the node against the same socket
linenctl_checks() {
  local dir="$lab/lnd-n1" out ok
  out=$(podman exec linen-lnd-n1-flaxd /opt/flaxd/linenctl --socket "$dir/state/flaxd/api.sock" status 2>&1) || true
  if echo "$out" | grep -q '^ready      yes' && echo "$out" | grep -q '^peers      2$'; then ok="ok"; else ok="FAIL"; failures=$((failures + 1)); fi
  printf '%-34s %s\n' "image's linenctl status (lnd-n1)" "$ok ($(echo "$out" | grep -E '^(peers|OpenFlow)' | tr -s ' ' | tr '\n' ';'))"
  out=$(podman exec linen-lnd-n1-flaxd /opt/flaxd/linenctl --socket "$dir/state/flaxd/api.sock" flows 2>&1) \
    && ok=ok || { ok=FAIL; failures=$((failures + 1)); }
  printf '%-34s %s\n' "image's linenctl flows (lnd-n1)" "$ok ($(echo "$out" | tail -1))"
  # trace and bundle use OVS's clients (openvswitch-common, in the image) on the mounted OVS rundir
  out=$(podman exec linen-lnd-n1-flaxd /opt/flaxd/linenctl --socket "$dir/state/flaxd/api.sock" --ovs-rundir "$dir/ovs" \
        trace 10.244.1.5 10.244.2.7 2>&1) || true
  if echo "$out" | grep -q '^verdict  tunnelled through vxlan0 to node lnd-n2 '; then ok=ok; else ok=FAIL; failures=$((failures + 1)); fi
  printf '%-34s %s\n' "image's linenctl trace (lnd-n1)" "$ok ($(echo "$out" | grep '^verdict' | cut -c1-60))"
  # every part but flaxd's log, which is the container's stderr here (no --flaxd-log to give)
  out=$(podman exec linen-lnd-n1-flaxd /opt/flaxd/linenctl --socket "$dir/state/flaxd/api.sock" --ovs-rundir "$dir/ovs" \
        bundle --cni-conf-dir /host/etc/cni/net.d /tmp/lnd-bundle 2>&1) || true
  if echo "$out" | grep -q 'not readable (see \*.error): flaxd.log$'; then ok=ok; else ok=FAIL; failures=$((failures + 1)); fi
  printf '%-34s %s\n' "image's linenctl bundle (lnd-n1)" "$ok ($(echo "$out" | tail -1 | cut -c1-90))"
  out=$(ip netns exec lnd-n1 "$top/flax-daemon/linenctl" --socket "$dir/state/flaxd/api.sock" --ovs-rundir "$dir/ovs" flows 2>&1) \
    && ok=ok || { ok=FAIL; failures=$((failures + 1)); }
  printf '%-34s %s\n' "linenctl flows on lnd-n1" "$ok ($(echo "$out" | tail -1))"
}

# The image's flaxd runs on its AOT cache (trained in the image by image/build): its JVM has the
# cache mapped. Pid 1 of the flaxd container is that JVM (the launcher execs it).
aot_cache_in_use() {
  local pid ok
  pid=$(podman inspect --format '{{.State.Pid}}' linen-lnd-n1-flaxd 2>/dev/null) || pid=""
  if [ -n "$pid" ] && grep -q '/opt/flaxd/target/flaxd.aot' "/proc/$pid/maps" 2>/dev/null; then ok=ok
  else ok="FAIL (not mapped by pid ${pid:-none})"; failures=$((failures + 1)); fi
  printf '%-34s %s\n' "flaxd runs on its AOT cache" "$ok"
}

checks() {
  echo
  aot_cache_in_use
  linenctl_checks
  arp_stays_local
  under_ping "kill -9 flaxd container + restart" kill_flaxd_container
  under_ping "replace the pod (upgrade)" upgrade
  node_join_and_leave
  vswitchd_restart
  uninstall_leaves_nothing
  lab_throughput lnd-n1-p1 lnd-n2-p1 "${podip[lnd-n2-p1]}" "lnd-n1-p1 -> lnd-n2-p1 (across nodes)"
  echo
}

case ${1:-run} in
  down) down ;;
  up) echo "DaemonSet lab: linen.yaml under podman on three nodes"; up; table ;;
  checks) load_pods; checks; [ "$failures" -eq 0 ] ;;   # on a lab left up (uninstalls lnd-n3)
  run)
    trap down EXIT
    echo "DaemonSet lab: linen.yaml under podman on three nodes"
    up
    table
    checks
    if [ "$failures" -eq 0 ]; then echo "DaemonSet lab: all checks passed"; else echo "DaemonSet lab: $failures check(s) failed"; exit 1; fi
    ;;
  *) echo "usage: daemonset-lab.sh [run|up|checks|down]" >&2; exit 2 ;;
esac
