#!/usr/bin/env bash
# The flaxd lab: three nodes as network namespaces, each with its own OVS (userspace datapath, node
# IP on br-phy) and its own flaxd, one mock Kubernetes API holding the three
# Nodes (fabric8's mock server in CRUD mode, in its own namespace: the one stand-in), pods created
# through the conflists flaxd wrote once ready (no vtepIPs), and an "outside" namespace on the
# underlay. Prints the connectivity table, the resilience checks, a cross-node TCP transfer and the
# Services checks (services-lab.sh: kube-proxy's rule shape, hairpin, NodePort, hostPort via
# portmap); tears everything down.
# Everything it makes starts with "lnf".
#   flaxd-lab.sh [run [MODE]]   build, run, tear down (exit 1 if a check fails)
#   flaxd-lab.sh up [MODE]      build and bring up, print the table, leave it running
#   flaxd-lab.sh services [MODE]  as run, with the table and the Services checks only
#   flaxd-lab.sh down           tear down what a previous run left
# MODE is flaxd's tunnel mode: flow (default: one vxlan0 port, flaxd the bridge's OpenFlow
# controller, ARP for remote pods answered inside OVS) or per-node (a vxif port per peer, NORMAL).
set -euo pipefail
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 PATH=/usr/lib/jvm/temurin-25-jdk-amd64/bin:$PATH
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
lab=/run/linen-flaxd-lab
setup="$here/node-setup.sh"
cnicall="$top/tools/cnicall/target/cnicall"
api_ip=10.99.0.250 out_ip=10.99.0.254 api_port=6443
nodes=(lnf-n1 lnf-n2 lnf-n3)
declare -A nodeip=([lnf-n1]=10.99.0.11 [lnf-n2]=10.99.0.12 [lnf-n3]=10.99.0.13)
declare -A podcidr=([lnf-n1]=10.244.1.0/24 [lnf-n2]=10.244.2.0/24 [lnf-n3]=10.244.3.0/24)
mode=${2:-flow}
case $mode in flow|per-node) ;; *) echo "flaxd-lab.sh: mode must be flow or per-node" >&2; exit 2 ;; esac

[ "$(id -u)" = 0 ] || { echo "flaxd-lab.sh: run as root" >&2; exit 2; }

# shellcheck source=examples/lab/lib.sh
source "$here/lib.sh"
# shellcheck source=examples/lab/services-lab.sh
source "$here/services-lab.sh"

down() { lab_teardown lnf "$lab" "${nodes[@]}"; }

# a namespace with a veth on the underlay bridge and an address (api, outside)
plain_host() {
  local ns=$1 ip=$2
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  ip link add "$ns-ul" type veth peer name eth0 netns "$ns"
  ip link set "$ns-ul" master lnf-ul up
  ip -n "$ns" addr add "$ip/24" dev eth0
  ip -n "$ns" link set eth0 up
}

flaxd_env() { # node
  local ns=$1 dir="$lab/$1"
  echo NODE_NAME="$ns" FLAXD_DATAPATH_TYPE=netdev FLAXD_TUNNEL_MODE=$mode FLAXD_OVSDB="$dir/ovs/db.sock" \
    FLAXD_CNI_BIN_DIR="$dir/bin" FLAXD_CNI_CONF_DIR="$dir/net.d" FLAXD_CNI_STATE_DIR="$dir/state" \
    FLAXD_PLUGIN_DIR="$top/cni/target" FLAXD_CLUSTER_CIDR=10.244.0.0/16 FLAXD_API="$dir/api/api.sock" \
    KUBERNETES_MASTER="http://$api_ip:$api_port" KUBERNETES_AUTH_TRYKUBECONFIG=false \
    KUBERNETES_AUTH_TRYSERVICEACCOUNT=false KUBERNETES_NAMESPACE=default
}

node_up() {
  local ns=$1 dir="$lab/$1"
  lab_node "$ns" "${nodeip[$ns]}/24" lnf-ul "$dir"
  # shellcheck disable=SC2046
  ip netns exec "$ns" env $(flaxd_env "$ns") "$top/flax-daemon/flaxd" install >"$dir/install.log" 2>&1
  flaxd_start "$ns"
}

flaxd_start() {
  local ns=$1
  # shellcheck disable=SC2046
  ip netns exec "$ns" env $(flaxd_env "$ns") "$top/flax-daemon/flaxd" >>"$lab/$ns/flaxd.log" 2>&1 &
  echo $! > "$lab/$ns-flaxd.pid"
}

ofctl() { OVS_RUNDIR="$lab/$1/ovs" ovs-ofctl -O OpenFlow13 "${@:2}"; }

# peers a node's br0 is programmed for: vxif ports (per-node) or L3 forwarding flows (flow mode)
peers_programmed() {
  if [ "$mode" = per-node ]; then
    ovs-vsctl --db="unix:$lab/$1/ovs/db.sock" --timeout=5 list-ports br0 2>/dev/null | grep -c '^vxif' || true
  else
    ofctl "$1" --no-stats dump-flows br0 table=20 2>/dev/null | grep -c 'priority=200,ip,nw_dst=' || true
  fi
}

await_ports() { # node, count: poll (at most 30 s) until br0 is programmed for that many peers
  local ns=$1 want=$2
  for _ in $(seq 1 300); do
    n=$(peers_programmed "$ns")
    [ "$n" = "$want" ] && return 0
    sleep 0.1
  done
  echo "$ns: expected $want peers programmed, have $n" >&2
  return 1
}

api_starts=0
# api_start NODE_SPEC...: the mock API in lnf-api holding these Nodes; returns once it answers (at
# most 30 s). Its stdin is the fifo api.in, kept open on fd 9 across restarts.
api_start() {
  api_starts=$((api_starts + 1))
  local log="$lab/api-$api_starts.log"
  ip netns exec lnf-api java -cp "$top/e2e/target/e2e.jar:$top/e2e/target/lib/*" dev.linen.e2e.MockApi \
    "$api_ip" "$api_port" "$@" < "$lab/api.in" > "$log" 2>&1 9>&- &
  echo $! > "$lab/api.pid"
  [ -e /dev/fd/9 ] || exec 9>"$lab/api.in"   # keeps the API's stdin open until we exit
  for _ in $(seq 1 300); do grep -q '^ready' "$log" && return 0; sleep 0.1; done
  echo "mock API did not start" >&2; cat "$log" >&2; return 1
}

api_kill() { # the mock API's process dies (kill -9): connections reset, new ones refused
  local pid; pid=$(cat "$lab/api.pid")
  { kill -9 "$pid" && wait "$pid"; } 2>/dev/null || true
}

up() {
  down
  lab_build
  mkdir -p "$lab"
  ip link add lnf-ul type bridge
  ip link set lnf-ul up
  plain_host lnf-api "$api_ip"
  plain_host lnf-out "$out_ip"
  api_specs=()
  for ns in "${nodes[@]}"; do api_specs+=("$ns=${podcidr[$ns]}=${nodeip[$ns]}"); done
  mkfifo "$lab/api.in"
  api_start "${api_specs[@]}"
  for ns in "${nodes[@]}"; do node_up "$ns"; done
  for ns in "${nodes[@]}"; do await_ports "$ns" 2; done
  for ns in "${nodes[@]}"; do   # flaxd writes the conflist once ready (polled every second): at most 10 s
    for _ in $(seq 1 100); do [ -f "$lab/$ns/net.d/00-linen.conflist" ] && break; sleep 0.1; done
  done
  declare -gA podip
  for ns in "${nodes[@]}"; do
    for p in p1 p2; do
      ip netns add "$ns-$p"
      mkdir -p "$lab/$ns/cache"
      podip[$ns-$p]=$(ip netns exec "$ns" "$setup" pod "$ns-$p" "$lab/$ns/net.d" "$lab/$ns/bin" "$lab/$ns/cache" "$cnicall")
      echo "pod $ns-$p: ${podip[$ns-$p]}"
    done
  done
}

masquerade() { # pod -> outside: the outside must see the node's IP
  local server_log="$lab/out.json" seen
  ip netns exec lnf-out timeout 20 iperf3 -s -1 -J -B "$out_ip" > "$server_log" 2>/dev/null &
  local pid=$!
  for _ in $(seq 1 50); do
    ip netns exec lnf-n1-p1 timeout 10 iperf3 -c "$out_ip" -t 1 >/dev/null 2>&1 && break
    sleep 0.1
  done
  wait "$pid" 2>/dev/null || true
  seen=$(jq -r '.start.connected[0].remote_host // empty' "$server_log" 2>/dev/null || true)
  if [ "$seen" = "${nodeip[lnf-n1]}" ]; then result=ok; else result="FAIL (outside saw '${seen}')"; failures=$((failures + 1)); fi
  printf '%-34s %-12s -> %-14s %s\n' "pod -> outside, seen as node IP" lnf-n1-p1 "$out_ip" "$result"
}

table() {
  lab_table_header
  lab_check "pod -> pod, same node" lnf-n1-p1 "${podip[lnf-n1-p2]}"
  lab_check "pod -> pod, across nodes" lnf-n1-p1 "${podip[lnf-n2-p1]}"
  lab_check "pod -> pod, across nodes" lnf-n2-p2 "${podip[lnf-n3-p1]}"
  lab_check "pod -> pod, across nodes" lnf-n3-p2 "${podip[lnf-n1-p2]}"
  lab_check "node -> pod, other node" lnf-n1 "${podip[lnf-n3-p2]}"
  lab_check "node -> pod, other node" lnf-n3 "${podip[lnf-n2-p1]}"
  masquerade
}

flaxd_kill() { # node: kill -9 its flaxd and reap it
  local victim; victim=$(cat "$lab/$1-flaxd.pid")
  { kill -9 "$victim" && wait "$victim"; } 2>/dev/null || true
}

# kill -9 of flaxd and its restart under a continuous ping: the tunnels stay, no packet is lost
restart_flaxd_under_ping() {
  local out
  lab_ping_start lnf-n1-p1 "${podip[lnf-n2-p1]}" 50 "$lab/ping.txt"
  local ping=$lab_ping_pid
  flaxd_kill lnf-n1
  flaxd_start lnf-n1
  wait "$ping" || true
  if out=$(lab_ping_result "$lab/ping.txt"); then result="ok ($out)"; else result="FAIL ($out)"; failures=$((failures + 1)); fi
  printf '%-34s %s\n' "kill -9 flaxd + restart, 5 s ping" "$result"
}

# vxlan0's transmit counter, live from the datapath (OVSDB's statistics column lags up to 5 s)
vxlan0_tx() { # node
  ofctl "$1" dump-ports br0 vxlan0 | grep -o 'tx pkts=[0-9]*' | cut -d= -f2
}

# flow mode: a pod's ARP for a remote pod is answered by OVS (virtual MAC) and nothing enters the
# tunnel: vxlan0's transmit counter on the pod's node does not move
arp_stays_local() {
  [ "$mode" = flow ] || return 0
  local before after replies
  before=$(vxlan0_tx lnf-n1)
  replies=$(ip netns exec lnf-n1-p1 arping -c 3 -w 5 -I eth0 "${podip[lnf-n2-p2]}" 2>&1 \
    | grep -ci 'reply from.*0e:4c:4e:00:00:01' || true)
  after=$(vxlan0_tx lnf-n1)
  if [ "$replies" -ge 1 ] && [ "$before" = "$after" ]; then result="ok ($replies replies, vxlan0 tx $before -> $after)"
  else result="FAIL (replies $replies, vxlan0 tx $before -> $after)"; failures=$((failures + 1)); fi
  printf '%-34s %s\n' "pod ARP answered in OVS, no tunnel" "$result"
}

# a Node added to the API gets tunnels on every node within 1 s; deleted, they go
node_join_and_leave() {
  local start end ms ok=1
  start=$(date +%s%N)
  echo "add lnf-n4=10.244.4.0/24=10.99.0.14" >&9
  for ns in "${nodes[@]}"; do await_ports "$ns" 3 || ok=0; done
  end=$(date +%s%N); ms=$(( (end - start) / 1000000 ))
  if [ "$ok" = 1 ] && [ "$ms" -le 1000 ]; then result="ok (${ms} ms)"; else result="FAIL (${ms} ms)"; failures=$((failures + 1)); fi
  printf '%-34s %s\n' "node joins: on all nodes in 1 s" "$result"
  echo "del lnf-n4" >&9
  ok=1
  for ns in "${nodes[@]}"; do await_ports "$ns" 2 || ok=0; done
  if [ "$ok" = 1 ]; then result=ok; else result=FAIL; failures=$((failures + 1)); fi
  printf '%-34s %s\n' "node leaves: its tunnels/flows go" "$result"
}

# ovs-vswitchd restarts on node 2: flaxd re-attaches br0 and traffic comes back (bounded wait)
vswitchd_restart() {
  ip netns exec lnf-n2 "$top/scripts/private-ovs" restart-vswitchd "$lab/lnf-n2/ovs" > "$lab/lnf-n2/ovs-restart.log" 2>&1
  result=FAIL
  for _ in $(seq 1 30); do
    if ip netns exec lnf-n1-p1 ping -c 1 -W 1 -q "${podip[lnf-n2-p1]}" >/dev/null 2>&1; then result=ok; break; fi
  done
  [ "$result" = ok ] || failures=$((failures + 1))
  printf '%-34s %s\n' "ovs-vswitchd restart on lnf-n2" "$result"
}

# what flaxd keeps on a node: br0's ports, its flows without cookies (a new round rewrites them in
# place), its iptables rules, the routes
node_state() { # node
  ovs-vsctl --db="unix:$lab/$1/ovs/db.sock" --timeout=5 list-ports br0 | sort || true
  ofctl "$1" --no-stats dump-flows br0 | sed -E 's/^ *cookie=0x[0-9a-f]+, //; s/^ +//' | sort || true
  ip netns exec "$1" iptables-save | grep '^-A LINEN' | sort || true
  ip -n "$1" -4 route show || true
}

state_count() { # state file: its tunnel ports (per-node) or flows (flow mode), counted
  if [ "$mode" = per-node ]; then echo "$(grep -c '^vxif' "$1") vxif"; else echo "$(grep -c 'actions=' "$1") flows"; fi
}

# readyz NODE: prints "CODE BODY" of the node's flaxd /readyz (000: no answer)
readyz() {
  local code
  rm -f "$lab/$1.readyz"
  code=$(ip netns exec "$1" curl -s -m 2 -o "$lab/$1.readyz" -w '%{http_code}' http://127.0.0.1:9753/readyz) || true
  echo "${code:-000} $(head -c 90 "$lab/$1.readyz" 2>/dev/null | tr '\n' ' ')"
}

# await_readyz NODE GLOB MS: polls /readyz until its code matches GLOB (at most MS ms); prints the
# last answer
await_readyz() {
  local r="" start; start=$(date +%s%N)
  while :; do
    r=$(readyz "$1")
    # shellcheck disable=SC2053
    [[ "${r%% *}" == $2 ]] && break
    [ "$(ms_since "$start")" -lt "$3" ] || break
    sleep 0.1
  done
  echo "$r"
}

ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

row() { # label, 1 if ok, detail
  if [ "$2" = 1 ]; then result="ok ($3)"; else result="FAIL ($3)"; failures=$((failures + 1)); fi
  printf '%-34s %s\n' "$1" "$result"
}

# The API's process is killed under cross-node traffic, and flaxd on lnf-n1 is killed -9 and
# restarted while it is down: for 30 s no echo may be lost, no node's ports, flows, rules or routes
# may change, and the restarted flaxd's /readyz answers 503 with the reason, every time it is asked.
# Then the API comes back.
api_outage() {
  local ns pa pb r r2 rbad="" out ok samples=0 changed="" counts=""
  # traffic already flows on both paths (userspace tunnels drop the packet that resolves a new underlay neighbour)
  ip netns exec lnf-n1-p1 ping -c 2 -i 0.2 -W 1 -q "${podip[lnf-n2-p1]}" >/dev/null 2>&1 || true
  ip netns exec lnf-n2-p2 ping -c 2 -i 0.2 -W 1 -q "${podip[lnf-n3-p1]}" >/dev/null 2>&1 || true
  for ns in "${nodes[@]}"; do node_state "$ns" > "$lab/$ns.before"; done
  lab_ping_start lnf-n1-p1 "${podip[lnf-n2-p1]}" 300 "$lab/outage-a.txt"; pa=$lab_ping_pid
  lab_ping_start lnf-n2-p2 "${podip[lnf-n3-p1]}" 300 "$lab/outage-b.txt"; pb=$lab_ping_pid
  api_kill
  flaxd_kill lnf-n1
  flaxd_start lnf-n1
  r=$(await_readyz lnf-n1 '[1-9]*' 15000)   # its first answer (a JVM start: at most 15 s)
  for _ in $(seq 1 60); do   # two samples a second while the pings run (30 s)
    kill -0 "$pa" 2>/dev/null || kill -0 "$pb" 2>/dev/null || break
    for ns in "${nodes[@]}"; do
      node_state "$ns" > "$lab/$ns.now"
      cmp -s "$lab/$ns.before" "$lab/$ns.now" \
        || changed=${changed:-"$ns: $(diff "$lab/$ns.before" "$lab/$ns.now" | grep -m1 '^[<>]' || true)"}
    done
    r2=$(readyz lnf-n1)
    [[ "$r2" == "503 not ready"* ]] || rbad=${rbad:-"then $r2"}
    samples=$((samples + 1))
    sleep 0.5
  done
  wait "$pa" || true; wait "$pb" || true
  echo "API down, lnf-n1's flaxd kill -9 + restart:"
  if out=$(lab_ping_result "$lab/outage-a.txt"); then ok=1; else ok=0; fi
  row "  30 s ping lnf-n1-p1 -> lnf-n2-p1" "$ok" "$out"
  if out=$(lab_ping_result "$lab/outage-b.txt"); then ok=1; else ok=0; fi
  row "  30 s ping lnf-n2-p2 -> lnf-n3-p1" "$ok" "$out"
  for ns in "${nodes[@]}"; do
    [ -f "$lab/$ns.now" ] && counts="$counts$ns $(state_count "$lab/$ns.before") -> $(state_count "$lab/$ns.now"), "
  done
  if [ -z "$changed" ] && [ "$samples" -ge 10 ]; then ok=1; else ok=0; fi
  row "  OVS, iptables, routes unchanged" "$ok" "${changed:-$counts$samples samples}"
  if [[ "$r" == "503 not ready"* ]] && [ -z "$rbad" ]; then ok=1; else ok=0; fi
  row "  restarted flaxd /readyz" "$ok" "$r${rbad:+; $rbad}"
  api_back
}

# The API comes back with its Nodes plus lnf-n5, added during the outage (the mock keeps Nodes in
# memory only, so the restart is given them all, as etcd would have kept them): every flaxd is
# ready within 5 s and lnf-n5 is programmed on every node within 5 s.
api_back() {
  local ns start ok=1 why="" r
  echo "API back, with lnf-n5 added during the outage:"
  api_start "${api_specs[@]}" lnf-n5=10.244.5.0/24=10.99.0.15 || true
  start=$(date +%s%N)
  for ns in "${nodes[@]}"; do
    r=$(await_readyz "$ns" 200 5000)
    [ "${r%% *}" = 200 ] || { ok=0; why="$ns: $r"; }
  done
  [ "$(ms_since "$start")" -le 5000 ] || ok=0
  row "  every flaxd ready within 5 s" "$ok" "${why:-$(ms_since "$start") ms}"
  ok=1 why=""
  for ns in "${nodes[@]}"; do
    until [ "$(peers_programmed "$ns")" = 3 ] || [ "$(ms_since "$start")" -gt 5000 ]; do sleep 0.1; done
    [ "$(peers_programmed "$ns")" = 3 ] || { ok=0; why="${why}$ns: $(peers_programmed "$ns") peers programmed; "; }
  done
  row "  lnf-n5 on every node within 5 s" "$ok" "${why:-$(ms_since "$start") ms}"
}

# ---- linenctl (issue 10): what flaxd programmed, as an operator sees it. Kept apart for merging.
linenctl() { # node, args...: linenctl run on that node against its flaxd and OVS
  ip netns exec "$1" env FLAXD_API="$lab/$1/api/api.sock" OVS_RUNDIR="$lab/$1/ovs" "$top/flax-daemon/linenctl" "${@:2}"
}

linenctl_checks() {
  local ns out ok why="" names="" attempt seen=0 start
  echo
  echo "linenctl:"
  for ns in "${nodes[@]}"; do   # every node lists the other two, ready
    out=$(linenctl "$ns" status 2>&1) || true
    names="$names $(echo "$out" | awk '$1 ~ /^lnf-n[0-9]$/ {print $1}' | tr '\n' ' ')"
    echo "$out" | grep -q '^ready      yes' || why="$why$ns not ready; "
    echo "$out" | grep -q '^peers      2$' || why="$why$ns: $(echo "$out" | grep '^peers' || echo "$out" | tail -1); "
  done
  names=$(echo "$names" | tr ' ' '\n' | grep . | sort | uniq -c | awk '{printf "%s:%s ", $2, $1}')
  if [ -z "$why" ] && [ "$names" = "lnf-n1:2 lnf-n2:2 lnf-n3:2 " ]; then ok=1; else ok=0; fi
  row "  status: the three nodes' peers" "$ok" "${why:-peers seen $names}"
  linenctl lnf-n1 bundle "$lab/bundle-n1" --flaxd-log "$lab/lnf-n1/flaxd.log" --cni-conf-dir "$lab/lnf-n1/net.d" \
    > "$lab/bundle.out" 2>&1 && ok=1 || ok=0
  out=$(cd "$lab/bundle-n1" 2>/dev/null && ls | tr '\n' ' ')
  [ "$(echo "$out" | wc -w)" = 10 ] || ok=0
  row "  bundle writes its 10 files" "$ok" "${out:-$(tail -1 "$lab/bundle.out")}"
  if [ "$mode" != flow ]; then
    out=$(linenctl lnf-n1 flows 2>&1) && ok=0 || ok=1
    [[ "$out" == *"per-node mode: it programs no flows"* ]] || ok=0
    row "  flows: none in per-node mode" "$ok" "$out"
    return
  fi
  ok=1 why=""
  for ns in "${nodes[@]}"; do
    out=$(linenctl "$ns" flows 2>&1) || { ok=0; why="$why$ns: $(echo "$out" | tail -1); "; continue; }
    why="$why$ns $(echo "$out" | tail -1 | cut -d: -f1), "
  done
  row "  flows: all installed, none extra" "$ok" "$why"
  # one flow deleted by hand shows as missing until flaxd's next check (2 s) repairs it; linenctl
  # takes about a second, so the deletion is repeated if the repair came first (at most 5 times)
  for attempt in 1 2 3 4 5; do
    ofctl lnf-n1 del-flows br0 --strict "table=20,priority=200,ip,nw_dst=10.244.2.0/24"
    out=$(linenctl lnf-n1 flows --peer lnf-n2 2>&1) || true
    if echo "$out" | grep -q '^missing    20    l3-forwarding    lnf-n2'; then seen=1; break; fi
  done
  start=$(date +%s%N)
  until linenctl lnf-n1 flows > "$lab/flows-after.txt" 2>&1 || [ "$(ms_since "$start")" -gt 10000 ]; do :; done
  if [ "$seen" = 1 ] && linenctl lnf-n1 flows >/dev/null 2>&1; then ok=1; else ok=0; fi
  row "  a hand-deleted flow: missing, repaired" "$ok" "seen on attempt $attempt, repaired within $(ms_since "$start") ms"
  out=$(linenctl lnf-n1 trace "${podip[lnf-n1-p1]}" "${podip[lnf-n2-p1]}" --proto tcp --dport 5201 2>&1) || true
  echo "$out" > "$lab/trace.txt"
  if [[ "$out" == *"verdict  tunnelled through vxlan0 to node lnf-n2 (10.99.0.12)"* ]] \
    && [[ "$out" == *"l3-forwarding"* ]]; then ok=1; else ok=0; fi
  row "  trace lnf-n1-p1 -> lnf-n2-p1" "$ok" "$(echo "$out" | grep '^verdict' || echo "$out" | tail -1)"
}

resilience() {
  echo
  arp_stays_local
  restart_flaxd_under_ping
  node_join_and_leave
  vswitchd_restart
  api_outage
}

throughput() {
  lab_throughput lnf-n1-p1 lnf-n2-p1 "${podip[lnf-n2-p1]}" "lnf-n1-p1 -> lnf-n2-p1 (across nodes, flaxd tunnels)"
}

case ${1:-run} in
  down) down ;;
  up) echo "flaxd lab, tunnel mode $mode"; up; table ;;
  services)   # only the connectivity table and the Services checks
    trap down EXIT
    echo "flaxd lab, tunnel mode $mode"
    up
    table
    services
    echo
    if [ "$failures" -eq 0 ]; then echo "flaxd lab: all checks passed"; else echo "flaxd lab: $failures check(s) failed"; exit 1; fi
    ;;
  run)
    trap down EXIT
    echo "flaxd lab, tunnel mode $mode"
    up
    table
    linenctl_checks
    resilience
    throughput
    services
    echo
    if [ "$failures" -eq 0 ]; then echo "flaxd lab: all checks passed"; else echo "flaxd lab: $failures check(s) failed"; exit 1; fi
    ;;
  *) echo "usage: flaxd-lab.sh [run|up|services [flow|per-node]] | down" >&2; exit 2 ;;
esac
