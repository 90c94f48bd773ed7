#!/usr/bin/env bash
# Node-level set-up shared by the netns lab (lab.sh, one call per node namespace) and the Vagrant
# demo (one call per VM). Every argument is validated before use; nothing goes through eval.
#
#   node-setup.sh uplink-bridge DB_SOCKET UPLINK NODE_CIDR
#       Userspace (netdev) datapath only: put the uplink on an OVS bridge br-phy and move the node
#       IP onto it, as userspace VXLAN needs (OVS routes and ARPs for tunnels through br-phy).
#   node-setup.sh install-cni CONFLIST CONF_DIR BIN_DIR PLUGIN [OVSDB_SOCKET STATE_DIR IPAM_DIR]
#       Install the linen plugin (a symlink to PLUGIN) into BIN_DIR and the node's conflist into
#       CONF_DIR/10-linen.conflist; with the optional three, point linen at a private OVS (netdev
#       datapath) and keep plugin and IPAM state in scratch directories (the lab).
#   node-setup.sh pod NAME CONF_DIR BIN_DIR CACHE_DIR CNICALL
#       Create pod namespace NAME and attach it through the libcni caller; prints the pod's IP.
set -euo pipefail

die() { echo "node-setup: $*" >&2; exit 2; }
name_ok() { [[ $1 =~ ^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$ ]] || die "bad name: $1"; }
path_ok() { [[ $1 =~ ^/[A-Za-z0-9._/-]+$ ]] || die "bad path: $1"; }
cidr_ok() { [[ $1 =~ ^([0-9]{1,3}\.){3}[0-9]{1,3}/[0-9]{1,2}$ ]] || die "bad CIDR: $1"; }

uplink_bridge() {
  local sock=$1 uplink=$2 cidr=$3
  path_ok "$sock"; name_ok "$uplink"; cidr_ok "$cidr"
  local vsctl=(ovs-vsctl "--db=unix:$sock" --timeout=10)
  "${vsctl[@]}" --may-exist add-br br-phy -- set bridge br-phy datapath_type=netdev \
    -- --may-exist add-port br-phy "$uplink"
  ip addr flush dev "$uplink"
  ip link set "$uplink" up
  # the userspace datapath reads the veth with AF_PACKET: let the kernel finish checksums first
  ethtool -K "$uplink" tx off >/dev/null 2>&1 || true
  ip addr replace "$cidr" dev br-phy
  ip link set br-phy up
}

install_cni() {
  local conflist=$1 confdir=$2 bindir=$3 plugin=$4 sock=${5:-} state=${6:-} ipam=${7:-}
  [ -f "$conflist" ] || die "no conflist $conflist"
  path_ok "$confdir"; path_ok "$bindir"; [ -x "$plugin" ] || die "no plugin at $plugin"
  mkdir -p "$confdir" "$bindir"
  ln -sfn "$plugin" "$bindir/linen"
  if [ -n "$sock" ]; then
    path_ok "$sock"; path_ok "$state"; path_ok "$ipam"
    jq --arg sock "$sock" --arg state "$state" --arg ipam "$ipam" \
      '.plugins[0].ipam.dataDir = $ipam
       | .plugins[1].ovsdb = $sock | .plugins[1].datapathType = "netdev" | .plugins[1].stateDir = $state' \
      "$conflist" > "$confdir/10-linen.conflist.tmp"
  else
    jq . "$conflist" > "$confdir/10-linen.conflist.tmp"
  fi
  mv "$confdir/10-linen.conflist.tmp" "$confdir/10-linen.conflist"
}

pod() {
  local name=$1 confdir=$2 bindir=$3 cache=$4 cnicall=$5
  [[ $name =~ ^[a-z][a-z0-9-]{0,30}$ ]] || die "bad pod name: $name"
  path_ok "$confdir"; path_ok "$bindir"; path_ok "$cache"; [ -x "$cnicall" ] || die "no cnicall"
  [ -e "/var/run/netns/$name" ] || ip netns add "$name"
  # the first conflist in name order, as a runtime picks it (flaxd writes 00-linen.conflist)
  local conf
  conf=$(find "$confdir" -maxdepth 1 -name '*.conflist' | LC_ALL=C sort | head -n 1)
  [ -n "$conf" ] || die "no conflist in $confdir"
  if ! CNI_PATH="$bindir:/usr/lib/cni" CNI_CACHE_DIR="$cache" \
      "$cnicall" add "$conf" "/var/run/netns/$name" "$name" > "$cache/$name.json"; then
    echo "node-setup: ADD of pod $name failed: $(cat "$cache/$name.json")" >&2
    exit 1
  fi
  jq -r '.ips[0].address | split("/")[0]' "$cache/$name.json"
}

[ $# -ge 1 ] || die "usage: node-setup.sh uplink-bridge|install-cni|pod ..."
cmd=$1; shift
case $cmd in
  uplink-bridge) [ $# -eq 3 ] || die "uplink-bridge DB_SOCKET UPLINK NODE_CIDR"; uplink_bridge "$@" ;;
  install-cni) [ $# -eq 4 ] || [ $# -eq 7 ] || die "install-cni CONFLIST CONF_DIR BIN_DIR PLUGIN [SOCK STATE IPAM]"; install_cni "$@" ;;
  pod) [ $# -eq 5 ] || die "pod NAME CONF_DIR BIN_DIR CACHE_DIR CNICALL"; pod "$@" ;;
  *) die "unknown command $cmd" ;;
esac
