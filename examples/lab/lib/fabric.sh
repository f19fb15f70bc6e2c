# The lab's Ethernet: one bridge per segment inside the fabric namespace, and per host one
# veth pair per segment whose ends are created directly inside their namespaces (the root
# namespace never holds a lab interface). The root namespace only gets the guard route.

lab_fabric_up() {
  local seg br
  ip route add unreachable "$LAB_SUBNET" || lab_die "cannot add the guard route 'unreachable $LAB_SUBNET' in the root namespace"
  ip netns add "$LAB_FABRIC_NS"
  ip -n "$LAB_FABRIC_NS" link set lo up
  for seg in "${LAB_SEGMENTS[@]}"; do
    br=$(lab_bridge "$seg")
    # No STP and no forward delay: ports forward at once, as the lab's links never loop.
    ip -n "$LAB_FABRIC_NS" link add "$br" type bridge stp_state 0 forward_delay 0
    ip -n "$LAB_FABRIC_NS" link set "$br" up
  done
}

# lab_fabric_attach HOST: the host's network namespace, wired to every segment.
lab_fabric_attach() {
  local host=$1 ns seg port hif
  ns=$(lab_host_ns "$host")
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  for seg in "${LAB_SEGMENTS[@]}"; do
    port="$host-$seg"                 # the bridge port, named after the host it leads to
    hif=$(lab_host_if "$seg")
    ip link add "$port" netns "$LAB_FABRIC_NS" type veth peer name "$hif" netns "$ns"
    ip -n "$ns" link set "$hif" address "$(lab_host_mac "$host" "$seg")"
    ip -n "$LAB_FABRIC_NS" link set "$port" master "$(lab_bridge "$seg")" up
    ip -n "$ns" link set "$hif" up
  done
  ip -n "$ns" addr add "$(lab_host_ip "$host")/${LAB_SUBNET#*/}" dev "$(lab_host_if 0)"
}

# Everything named $LAB_PREFIX-*: deleting a namespace deletes the veth ends and bridges in it.
lab_fabric_down() {
  local ns
  for ns in $(lab_namespaces); do ip netns del "$ns" 2>/dev/null || lab_log "could not delete namespace $ns"; done
  while lab_guard_route_present; do ip route del unreachable "$LAB_SUBNET" || break; done
}

lab_guard_route_present() {
  ip route show type unreachable | awk -v s="$LAB_SUBNET" '$1 == "unreachable" && $2 == s { found = 1 } END { exit !found }'
}

lab_namespaces() { ip netns list | awk -v p="^$LAB_PREFIX-" '$1 ~ p { print $1 }'; }
