#!/usr/bin/env bash
# The two-node Linen lab on one machine: two nodes as network namespaces on an underlay bridge,
# each with its own OVS (userspace datapath, node IP on br-phy), the example conflists (master and
# minion1, vtepIPs pointing at each other), two pods per node through the real libcni, then a
# connectivity table and an iperf3 transfer across nodes. Everything it makes starts with "lnl".
#
#   lab.sh          build, bring up, check, tear down (exit 1 if a check fails)
#   lab.sh up       build and bring up, print the table, leave it running
#   lab.sh down     tear down whatever a previous run left
set -euo pipefail
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 PATH=/usr/lib/jvm/temurin-25-jdk-amd64/bin:$PATH
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
lab=/run/linen-lab
setup="$here/node-setup.sh"
cnicall="$top/tools/cnicall/target/cnicall"
nodes=(lnl-n1 lnl-n2)
ips=(10.99.0.11 10.99.0.12)
confs=(master minion1)

[ "$(id -u)" = 0 ] || { echo "lab.sh: run as root" >&2; exit 2; }

down() {
  for ns in "${nodes[@]}"; do
    [ -d "$lab/$ns/ovs" ] && ip netns exec "$ns" "$top/scripts/private-ovs" stop "$lab/$ns/ovs" >/dev/null 2>&1 || true
  done
  if [ -d "$lab" ]; then
    for pidfile in "$lab"/*.iperf.pid; do
      [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
    done
  fi
  for ns in $(ip netns list | awk '{print $1}' | grep -E '^lnl-' || true); do ip netns del "$ns" || true; done
  for l in $(ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | grep -E '^lnl-' || true); do
    ip link del "$l" 2>/dev/null || true
  done
  rm -rf "$lab"
}

build() {
  if [ ! -x "$top/cni/target/linen" ] || [ -n "$(find "$top/cni/src" "$top/ovs-model/src" -newer "$top/cni/target/linen" -print -quit)" ]; then
    echo "== building linen"
    (cd "$top" && mvn -q -B -ntp -DskipTests package)
  fi
  "$top/tools/cnicall/build"
}

node_up() {
  local i=$1 ns=${nodes[$1]} dir="$lab/${nodes[$1]}"
  mkdir -p "$dir"
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  ip link add "$ns-ul" type veth peer name eth0 netns "$ns"
  ip link set "$ns-ul" master lnl-ul up
  ethtool -K "$ns-ul" tx off >/dev/null 2>&1 || true
  ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1
  ip netns exec "$ns" "$top/scripts/private-ovs" start "$dir/ovs" >/dev/null
  ip netns exec "$ns" "$setup" uplink-bridge "$dir/ovs/db.sock" eth0 "${ips[$i]}/24"
  "$setup" install-cni "$top/examples/conflists/${confs[$i]}.conflist" "$dir/net.d" "$dir/bin" \
    "$top/cni/target/linen" "$dir/ovs/db.sock" "$dir/state" "$dir/ipam"
}

pod_up() {
  local ns=$1 pod=$2 dir="$lab/$1"
  ip netns add "$pod"
  mkdir -p "$dir/cache"
  ip netns exec "$ns" "$setup" pod "$pod" "$dir/net.d" "$dir/bin" "$dir/cache" "$cnicall"
}

up() {
  down
  build
  mkdir -p "$lab"
  ip link add lnl-ul type bridge
  ip link set lnl-ul up
  for i in 0 1; do node_up "$i"; done
  declare -gA podip
  for ns in "${nodes[@]}"; do
    for p in p1 p2; do
      podip[$ns-$p]=$(pod_up "$ns" "$ns-$p")
      echo "pod $ns-$p: ${podip[$ns-$p]}"
    done
  done
}

failures=0
check() { # description, netns, target
  local what=$1 from=$2 to=$3 result
  if ip netns exec "$from" ping -c 3 -i 0.2 -W 1 -q "$to" >/dev/null 2>&1; then result=ok; else result=FAIL; failures=$((failures + 1)); fi
  printf '%-34s %-12s -> %-14s %s\n' "$what" "$from" "$to" "$result"
}

table() {
  echo
  printf '%-34s %-12s    %-14s %s\n' "check" "from" "to" "result"
  check "pod -> pod, same node" lnl-n1-p1 "${podip[lnl-n1-p2]}"
  check "pod -> pod, same node" lnl-n2-p2 "${podip[lnl-n2-p1]}"
  check "pod -> pod, across nodes" lnl-n1-p1 "${podip[lnl-n2-p1]}"
  check "pod -> pod, across nodes" lnl-n2-p2 "${podip[lnl-n1-p2]}"
  check "node -> pod, same node" lnl-n1 "${podip[lnl-n1-p1]}"
  check "node -> pod, other node" lnl-n1 "${podip[lnl-n2-p2]}"
  check "node -> pod, other node" lnl-n2 "${podip[lnl-n1-p1]}"
}

throughput() {
  echo
  local server=${podip[lnl-n2-p1]}
  ip netns exec lnl-n2-p1 timeout 20 iperf3 -s -1 -B "$server" >/dev/null 2>&1 &
  echo $! > "$lab/server.iperf.pid"
  local out bps=""
  for _ in $(seq 1 50); do   # wait (at most 5 s) for the server to listen
    out=$(ip netns exec lnl-n1-p1 timeout 15 iperf3 -c "$server" -t 3 -J 2>/dev/null) && break
    sleep 0.1
  done
  bps=$(echo "${out:-{\}}" | jq -r '.end.sum_received.bits_per_second // empty' 2>/dev/null || true)
  if [ -n "$bps" ]; then
    awk -v b="$bps" 'BEGIN { printf "iperf3 TCP lnl-n1-p1 -> lnl-n2-p1 (across nodes, pod MTU 1450): %.0f Mbit/s\n", b / 1e6 }'
  else
    echo "iperf3 TCP across nodes: FAIL"
    failures=$((failures + 1))
  fi
  wait 2>/dev/null || true
}

case ${1:-run} in
  down) down ;;
  up) up; table ;;
  run)
    trap down EXIT
    up
    table
    throughput
    echo
    if [ "$failures" -eq 0 ]; then echo "lab: all checks passed"; else echo "lab: $failures check(s) failed"; exit 1; fi
    ;;
  *) echo "usage: lab.sh [run|up|down]" >&2; exit 2 ;;
esac
