/**
 * flaxd, Linen's per-node daemon. Not built yet: it is the subject of the flaxd issue (Node watch
 * with fabric8, VXLAN tunnels through ovs-model, the OpenFlow pipeline). Until then nodes use the
 * static {@code vtepIPs} of the linen plugin's config.
 */
package dev.linen.flaxd;
