# Shared by lab.sh and flaxd-lab.sh (sourced; needs $top). Every name the labs make starts with
# their prefix, so teardown finds it all; every wait is bounded in count and time.

failures=0

# Builds what the labs run, when missing or older than the sources.
lab_build() {
  local newest
  newest=$(find "$top/cni/src" "$top/ovs-model/src" "$top/flax-daemon/src" "$top/e2e/src" -newer "$top/cni/target/linen" -print -quit 2>/dev/null || true)
  if [ ! -x "$top/cni/target/linen" ] || [ ! -f "$top/flax-daemon/target/flax-daemon.jar" ] \
     || [ ! -f "$top/e2e/target/e2e.jar" ] || [ -n "$newest" ]; then
    # Maven's and the JDK's notes (Unsafe warnings, the AOT run's "Picked up JAVA_TOOL_OPTIONS")
    # go to the log; shown only when the build fails
    echo "== building (log: $top/target/lab-build.log)"
    mkdir -p "$top/target"
    (cd "$top" && mvn -q -B -ntp -DskipTests package) > "$top/target/lab-build.log" 2>&1 \
      || { tail -40 "$top/target/lab-build.log" >&2; return 1; }
  fi
  "$top/tools/cnicall/build"
}

# lab_teardown PREFIX LABDIR NODE...: stops what the lab started (pid files, each node's OVS) and
# removes its namespaces, links and directory. Idempotent.
lab_teardown() {
  local prefix=$1 dir=$2; shift 2
  if [ -d "$dir" ]; then
    for pidfile in "$dir"/*.pid; do
      [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
    done
    for ns in "$@"; do
      [ -d "$dir/$ns/ovs" ] && ip netns exec "$ns" "$top/scripts/private-ovs" stop "$dir/$ns/ovs" >/dev/null 2>&1 || true
    done
  fi
  for ns in $(ip netns list | awk '{print $1}' | grep -E "^$prefix-" || true); do ip netns del "$ns" || true; done
  for l in $(ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | grep -E "^$prefix-" || true); do
    ip link del "$l" 2>/dev/null || true
  done
  rm -rf "$dir"
}

# lab_node NS NODE_CIDR UNDERLAY DIR: a node namespace on the underlay bridge with its own OVS and
# the node IP on br-phy (what userspace VXLAN needs).
lab_node() {
  local ns=$1 cidr=$2 underlay=$3 dir=$4
  mkdir -p "$dir"
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  ip link add "$ns-ul" type veth peer name eth0 netns "$ns"
  ip link set "$ns-ul" master "$underlay" up
  ethtool -K "$ns-ul" tx off >/dev/null 2>&1 || true
  # OVS's "opened log file" vlog lines go to a log; shown only when OVS does not start
  ip netns exec "$ns" "$top/scripts/private-ovs" start "$dir/ovs" > "$dir/ovs-start.log" 2>&1 \
    || { cat "$dir/ovs-start.log" >&2; return 1; }
  ip netns exec "$ns" "$top/examples/lab/node-setup.sh" uplink-bridge "$dir/ovs/db.sock" eth0 "$cidr"
}

# lab_check WHAT FROM_NS TO_IP: one row of the connectivity table (3 pings, bounded).
lab_check() {
  local what=$1 from=$2 to=$3 result
  if ip netns exec "$from" ping -c 3 -i 0.2 -W 1 -q "$to" >/dev/null 2>&1; then result=ok; else result=FAIL; failures=$((failures + 1)); fi
  printf '%-34s %-12s -> %-14s %s\n' "$what" "$from" "$to" "$result"
}

# lab_ping_start FROM_NS TO_IP COUNT OUT: a ping in the background, ten echoes a second (COUNT/10 s),
# its output to OUT; its pid in $lab_ping_pid.
lab_ping_start() {
  ip netns exec "$1" ping -n -c "$3" -i 0.1 -W 1 "$2" > "$4" 2>&1 &
  lab_ping_pid=$!
}

# lab_ping_result OUT: prints "RECEIVED/SENT replies" (and which echoes were lost); true only when
# every echo was answered.
lab_ping_result() {
  local out sent got lost
  out=$(grep -o '[0-9]* packets transmitted, [0-9]* received' "$1" 2>/dev/null || true)
  sent=$(echo "$out" | awk '{print $1}')
  got=$(echo "$out" | awk '{print $4}')
  if [ -n "$out" ] && [ "$sent" = "$got" ]; then echo "$got/$sent replies"; return 0; fi
  lost=$(seq 1 "${sent:-0}" | grep -vxF -f <(grep -o 'icmp_seq=[0-9]*' "$1" | cut -d= -f2) | head -5 | tr '\n' ' ' || true)
  echo "${got:-0}/${sent:-?} replies${lost:+, lost icmp_seq $lost}"
  return 1
}

lab_table_header() {
  echo
  printf '%-34s %-12s    %-14s %s\n' "check" "from" "to" "result"
}

# lab_throughput CLIENT_NS SERVER_NS SERVER_IP LABEL: a 3 s iperf3 TCP transfer. The server keeps
# listening (not one-off) so that a client attempt that fails early can be retried: at most 5
# attempts, each bounded by `timeout`.
lab_throughput() {
  local client=$1 server_ns=$2 server=$3 label=$4 out="" bps="" err=""
  echo
  ip netns exec "$server_ns" timeout 60 iperf3 -s -B "$server" >/dev/null 2>&1 &
  local pid=$!
  for _ in $(seq 1 5); do
    for _ in $(seq 1 50); do   # wait (at most 5 s) until the server accepts connections
      ip netns exec "$client" timeout 2 bash -c "exec 3<>/dev/tcp/$server/5201" 2>/dev/null && break
      sleep 0.1
    done
    out=$(ip netns exec "$client" timeout 15 iperf3 -c "$server" -t 3 -J 2>/dev/null) || true
    bps=$(echo "${out:-{\}}" | jq -r '.end.sum_received.bits_per_second // empty' 2>/dev/null || true)
    [ -n "$bps" ] && break
    err=$(echo "${out:-{\}}" | jq -r '.error // empty' 2>/dev/null || true)
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [ -n "$bps" ]; then
    awk -v b="$bps" -v l="$label" 'BEGIN { printf "iperf3 TCP %s: %.0f Mbit/s\n", l, b / 1e6 }'
  else
    echo "iperf3 TCP $label: FAIL ${err}"
    failures=$((failures + 1))
  fi
}
