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

# shellcheck source=examples/lab/lib.sh
source "$here/lib.sh"

down() { lab_teardown lnl "$lab" "${nodes[@]}"; }

node_up() {
  local i=$1 ns=${nodes[$1]} dir="$lab/${nodes[$1]}"
  lab_node "$ns" "${ips[$i]}/24" lnl-ul "$dir"
  ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1
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
  lab_build
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

table() {
  lab_table_header
  lab_check "pod -> pod, same node" lnl-n1-p1 "${podip[lnl-n1-p2]}"
  lab_check "pod -> pod, same node" lnl-n2-p2 "${podip[lnl-n2-p1]}"
  lab_check "pod -> pod, across nodes" lnl-n1-p1 "${podip[lnl-n2-p1]}"
  lab_check "pod -> pod, across nodes" lnl-n2-p2 "${podip[lnl-n1-p2]}"
  lab_check "node -> pod, same node" lnl-n1 "${podip[lnl-n1-p1]}"
  lab_check "node -> pod, other node" lnl-n1 "${podip[lnl-n2-p2]}"
  lab_check "node -> pod, other node" lnl-n2 "${podip[lnl-n1-p1]}"
}

throughput() {
  lab_throughput lnl-n1-p1 lnl-n2-p1 "${podip[lnl-n2-p1]}" "lnl-n1-p1 -> lnl-n2-p1 (across nodes, pod MTU 1450)"
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
