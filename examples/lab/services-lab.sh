# The Services checks of the flaxd lab (sourced by flaxd-lab.sh, which has brought the three nodes
# and their pods up: needs $lab, $here, $setup, $cnicall, the podip and nodeip maps and $failures).
#
# kube-proxy itself cannot be installed here (no Debian package; nothing else may be downloaded),
# so the Service rules are written exactly in the shape of kube-proxy's iptables mode by
# kube-proxy-rules.py from a Service + Endpoints description, and loaded on every node as
# kube-proxy would load them (iptables-restore --noflush). Then, over TCP and UDP, with servers that
# answer with the client address they saw (svc-probe.py):
#   pod -> ClusterIP -> backend on the same node   (needs br_netfilter: the reply stays on kbr0)
#   pod -> ClusterIP -> backend on another node
#   pod -> ClusterIP -> itself                     (needs hairpin mode on its bridge port)
#   outside -> NodePort on lnf-n1 -> backend on lnf-n2
#   outside -> hostPort on lnf-n2 (portmap, chained in flaxd's conflist; the pod added with the
#              portMappings capability argument, as a runtime does)
#   pod -> ClusterIP with two endpoints: both answer (the statistic rule; TCP)
# and every reply must come from the address the client asked (the Service's, the node's), which
# for UDP is read on an unconnected socket, so a reply from the backend's own address shows.
# Before that: flaxd puts br_netfilter's sysctl back when it is turned off on a node.
# Everything made here starts with "lnf" (pods, servers' pid files in $lab) and goes with the lab.

svc_port=7000 svc_nodeport=30070 svc_hostport=7080
svc_same=10.96.0.11 svc_other=10.96.0.12 svc_self=10.96.0.13 svc_two=10.96.0.14

svc_row() { # label, 1 if ok, detail
  local result
  if [ "$2" = 1 ]; then result="ok ($3)"; else result="FAIL ($3)"; failures=$((failures + 1)); fi
  printf '  %-44s %s\n' "$1" "$result"
}

# svc_serve POD NAME: a svc-probe server in the pod (120 s at most), returned once it listens (5 s at most)
svc_serve() {
  local log="$lab/svc-$2.log"
  ip netns exec "$1" timeout 120 python3 "$here/svc-probe.py" serve "$2" "$svc_port" 110 > "$log" 2>&1 &
  echo $! > "$lab/svc-$2.pid"
  for _ in $(seq 1 50); do grep -q '^ready' "$log" && return 0; sleep 0.1; done
  echo "svc-probe server $2 in $1 did not start: $(cat "$log")" >&2
  return 1
}

# svc_check LABEL FROM_NS PROTO IP PORT NAME PEER_IP: asks (again while nothing comes, 10 s at most:
# the userspace datapath drops the packet that resolves a new underlay neighbour) and wants the
# answer from IP:PORT, by server NAME, which saw the client as PEER_IP
svc_check() {
  local label=$1 from=$2 proto=$3 ip=$4 port=$5 name=$6 peer=$7 out="" tries=0 start got
  start=$(date +%s%N)
  while [ $(( ($(date +%s%N) - start) / 1000000 )) -lt 10000 ] && [ "$tries" -lt 20 ]; do
    tries=$((tries + 1))
    out=$(ip netns exec "$from" timeout 5 python3 "$here/svc-probe.py" ask "$proto" "$ip" "$port" 2>&1) && break
    out="no answer: ${out//$'\n'/ }"
  done
  read -r got_from got_name got_peer <<<"$out"
  got="reply from $got_from, server $got_name saw ${got_peer%:*}"
  if [ "$got_from" = "$ip:$port" ] && [ "$got_name" = "$name" ] && [ "${got_peer%:*}" = "$peer" ]; then
    svc_row "$proto $label" 1 "$got, try $tries"
  else
    case $out in no\ answer*) got=$out ;; esac
    svc_row "$proto $label" 0 "$got; wanted reply from $ip:$port, server $name saw $peer"
  fi
}

# flaxd turns br_netfilter's sysctl back on when it is turned off in a node's namespace (a tick: 2 s)
svc_br_netfilter() {
  local start v="" metric
  if ! ip netns exec lnf-n1 test -d /proc/sys/net/bridge; then
    echo "  br_netfilter is not available on this kernel (no /proc/sys/net/bridge, modprobe failed):"
    echo "  flaxd says so (flaxd_br_netfilter 0, a warning); the same-node and hairpin checks below cannot pass"
    failures=$((failures + 1))
    return 0
  fi
  ip netns exec lnf-n1 sysctl -qw net.bridge.bridge-nf-call-iptables=0
  start=$(date +%s%N)
  for _ in $(seq 1 60); do
    v=$(ip netns exec lnf-n1 sysctl -n net.bridge.bridge-nf-call-iptables)
    [ "$v" = 1 ] && break
    sleep 0.1
  done
  metric=$(ip netns exec lnf-n1 curl -s -m 2 http://127.0.0.1:9753/metrics | grep '^flaxd_br_netfilter ' || true)
  if [ "$v" = 1 ] && [ "$metric" = "flaxd_br_netfilter 1" ]; then
    svc_row "bridge-nf-call-iptables=0 on lnf-n1: back to 1" 1 "$(( ($(date +%s%N) - start) / 1000000 )) ms, $metric"
  else
    svc_row "bridge-nf-call-iptables=0 on lnf-n1: back to 1" 0 "still $v after 6 s, '$metric'"
  fi
}

# the bridge plugin set hairpin mode on the pod's port (hairpinMode in flaxd's conflist), and the
# hairpin check sees its absence: with it turned off for a moment, lnf-n1-p1 gets no answer from
# itself through its Service (one UDP ask, 2 s), then it is turned back on
svc_hairpin_needed() {
  local idx port mode_on out ok=0
  idx=$(ip netns exec lnf-n1-p1 cat /sys/class/net/eth0/iflink)
  port=$(ip -n lnf-n1 -o link show | awk -F': ' -v i="$idx" '$1 == i { print $2 }' | cut -d@ -f1)
  mode_on=$(ip -n lnf-n1 -d link show dev "$port" | grep -o 'hairpin on' || true)
  ip netns exec lnf-n1 bridge link set dev "$port" hairpin off
  out=$(ip netns exec lnf-n1-p1 timeout 5 python3 "$here/svc-probe.py" ask udp "$svc_self" "$svc_port" 2>&1) \
    || { out="no answer"; ok=1; }
  ip netns exec lnf-n1 bridge link set dev "$port" hairpin on
  [ "$mode_on" = "hairpin on" ] || ok=0
  svc_row "lnf-n1-p1's port: ${mode_on:-hairpin not on}; off: no answer" "$ok" "$port, $out"
}

# the Service + Endpoints description kube-proxy would get from the API
svc_description() {
  jq -n --arg same "$svc_same" --arg other "$svc_other" --arg self "$svc_self" --arg two "$svc_two" \
    --arg n1p1 "${podip[lnf-n1-p1]}" --arg n1p2 "${podip[lnf-n1-p2]}" --arg n2p1 "${podip[lnf-n2-p1]}" \
    --argjson port "$svc_port" --argjson nodeport "$svc_nodeport" '
    def ports(np): [{name: "tcp", protocol: "TCP", port: $port, targetPort: $port},
                    {name: "udp", protocol: "UDP", port: $port, targetPort: $port}]
                   | if np then map(. + {nodePort: $nodeport}) else . end;
    {clusterCidr: "10.244.0.0/16", services: [
      {namespace: "lnf", name: "same-node", clusterIP: $same, ports: ports(false),
       endpoints: [{ip: $n1p2, node: "lnf-n1"}]},
      {namespace: "lnf", name: "other-node", clusterIP: $other, ports: ports(true),
       endpoints: [{ip: $n2p1, node: "lnf-n2"}]},
      {namespace: "lnf", name: "hairpin", clusterIP: $self, ports: ports(false),
       endpoints: [{ip: $n1p1, node: "lnf-n1"}]},
      {namespace: "lnf", name: "two", clusterIP: $two, ports: ports(false),
       endpoints: [{ip: $n1p2, node: "lnf-n1"}, {ip: $n2p1, node: "lnf-n2"}]}]}'
}

# two endpoints: kube-proxy's statistic rule sends new connections to either; both must answer
# within 30 connections (each misses with probability 1/2: all 30 to one of them, 2 in a billion)
svc_spread() {
  local seen="" out i
  for i in $(seq 1 30); do
    out=$(ip netns exec lnf-n1-p1 timeout 5 python3 "$here/svc-probe.py" ask tcp "$svc_two" "$svc_port" 2>/dev/null) || continue
    out=${out#* }; out=${out%% *}
    [[ " $seen " == *" $out "* ]] || seen="$seen $out"
    [[ "$seen" == *lnf-n1-p2* && "$seen" == *lnf-n2-p1* ]] && break
  done
  if [[ "$seen" == *lnf-n1-p2* && "$seen" == *lnf-n2-p1* ]]; then
    svc_row "tcp pod -> ClusterIP, 2 endpoints: both answer" 1 "after $i connections:$seen"
  else
    svc_row "tcp pod -> ClusterIP, 2 endpoints: both answer" 0 "30 connections reached only:${seen:- none}"
  fi
}

services() {
  local ns hp gw1=10.244.1.1 start ok=1 why="" out proto
  start=$(date +%s%N)
  echo
  echo "Services: kube-proxy's iptables-mode rules from examples/lab/kube-proxy-rules.py (kube-proxy itself"
  echo "cannot be installed here), the hostPort through portmap; tcp and udp, tunnel mode $mode"
  if out=$(python3 "$here/kube-proxy-rules-test.py" 2>&1 | tail -1); then ok=1; else ok=0; fi
  svc_row "kube-proxy-rules.py against hand-written rules" "$ok" "$out"
  svc_br_netfilter
  ip netns add lnf-n2-hp
  hp=$(ip netns exec lnf-n2 env CNICALL_CAPABILITY_ARGS="{\"portMappings\":[
      {\"hostPort\":$svc_hostport,\"containerPort\":$svc_port,\"protocol\":\"tcp\"},
      {\"hostPort\":$svc_hostport,\"containerPort\":$svc_port,\"protocol\":\"udp\"}]}" \
    "$setup" pod lnf-n2-hp "$lab/lnf-n2/net.d" "$lab/lnf-n2/bin" "$lab/lnf-n2/cache" "$cnicall") || hp=""
  svc_serve lnf-n1-p1 lnf-n1-p1 && svc_serve lnf-n1-p2 lnf-n1-p2 && svc_serve lnf-n2-p1 lnf-n2-p1 || ok=0
  [ -n "$hp" ] && { svc_serve lnf-n2-hp lnf-n2-hp || ok=0; }
  svc_description > "$lab/services.json"
  python3 "$here/kube-proxy-rules.py" "$lab/services.json" > "$lab/kube-proxy-rules.txt" || ok=0
  for ns in "${nodes[@]}"; do
    ip netns exec "$ns" iptables-restore --noflush < "$lab/kube-proxy-rules.txt" || { ok=0; why="$ns refused the rules"; }
  done
  svc_row "servers, hostPort pod ($hp), rules on 3 nodes" "$ok" "${why:-$(grep -c '^-A' "$lab/kube-proxy-rules.txt") rules each}"
  for proto in tcp udp; do
    svc_check "pod -> ClusterIP -> same-node pod" lnf-n1-p1 "$proto" "$svc_same" "$svc_port" lnf-n1-p2 "${podip[lnf-n1-p1]}"
    svc_check "pod -> ClusterIP -> other-node pod" lnf-n1-p1 "$proto" "$svc_other" "$svc_port" lnf-n2-p1 "${podip[lnf-n1-p1]}"
    # hairpin: kube-proxy masquerades a pod reaching itself, so it sees its node's bridge address
    svc_check "pod -> ClusterIP -> itself (hairpin)" lnf-n1-p1 "$proto" "$svc_self" "$svc_port" lnf-n1-p1 "$gw1"
    # external traffic to a NodePort is masqueraded too: to the address lnf-n1 leaves by (kbr0's)
    svc_check "outside -> NodePort lnf-n1 -> lnf-n2 pod" lnf-out "$proto" "${nodeip[lnf-n1]}" "$svc_nodeport" lnf-n2-p1 "$gw1"
    # portmap DNATs without SNAT: the pod sees the outside's own address
    svc_check "outside -> hostPort lnf-n2 (portmap)" lnf-out "$proto" "${nodeip[lnf-n2]}" "$svc_hostport" lnf-n2-hp "$out_ip"
  done
  svc_spread
  svc_hairpin_needed
  echo "  (Services checks: $(( ($(date +%s%N) - start) / 1000000 )) ms)"
}
