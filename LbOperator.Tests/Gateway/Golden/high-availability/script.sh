#!/bin/sh
# LbOperator gateway: generated from validated values only. Running it again changes nothing: addresses,
# rules and routes are replaced in place and the LBSVC-* iptables chains are rewritten as a whole.
set -eu

# Writes a kernel setting only where it differs, so a re-run needs no write access to /proc/sys.
ensure_sysctl() {
  if [ "$(cat "/proc/sys/$1")" != "$2" ]; then
    echo "$2" > "/proc/sys/$1"
  fi
}

# Adds the policy rule "<selector> lookup 100" once: ensure_rule <family> <priority> <selector...>.
ensure_rule() {
  family=$1
  priority=$2
  shift 2
  if [ -z "$(ip "$family" rule show "$@" lookup 100)" ]; then
    ip "$family" rule add "$@" lookup 100 pref "$priority"
  fi
}

# Prints eth0's default gateway, whatever the CNI; nothing when eth0 has none (point-to-point).
eth0_gateway() {
  ip "$1" route show default dev eth0 | while read -r _ via address _; do
    if [ "$via" = via ]; then
      echo "$address"
      break
    fi
  done
}

# Routes a ClusterIP out of eth0 in table 100: via eth0's gateway, or straight out of eth0 without one.
route_cluster_ip() {
  gateway=$(eth0_gateway "$1")
  if [ -n "$gateway" ]; then
    ip "$1" route replace "$2" via "$gateway" dev eth0 onlink table 100
  else
    ip "$1" route replace "$2" dev eth0 table 100
  fi
}

# Jumps from a built-in chain to one of ours, once, ahead of anything else.
ensure_jump() {
  "$1" -w -t "$2" -C "$3" -j "$4" 2>/dev/null || "$1" -w -t "$2" -I "$3" 1 -j "$4"
}

# Waits for IPv6 duplicate address detection on net1 to finish; fails when the address is taken.
wait_dad() {
  tries=0
  while [ -n "$(ip -6 addr show dev net1 tentative to "$1")" ]; do
    tries=$((tries + 1))
    if [ "$tries" -gt 50 ]; then
      echo "lbsvc: $1 is still tentative on net1" >&2
      return 1
    fi
    sleep 0.2 2>/dev/null || sleep 1
  done
  if [ -n "$(ip -6 addr show dev net1 dadfailed to "$1")" ]; then
    echo "lbsvc: $1 is already in use on the network (duplicate address detection failed)" >&2
    return 1
  fi
}
# Prints net1's VRRP source address: IPv4 link-local, from the last two bytes of net1's MAC address.
vrrp_source() {
  set -- $(ip -br link show dev net1)
  saved_ifs=$IFS
  IFS=:
  set -- $3
  IFS=$saved_ifs
  echo "169.254.$(( 0x$5 % 254 + 1 )).$(( 0x$6 ))"
}
ip link set net1 up
# The source of VRRP advertisements, outside the Subnet: the load balancer address is keepalived's to add.
ip -4 addr replace "$(vrrp_source)/32" dev net1 scope link

# --- IPv4: 172.18.0.60/16 on net1, ClusterIP 10.96.0.60 ---
ensure_sysctl net/ipv4/ip_forward 1
# Replies to clients leave through table 100, which a strict reverse-path check would refuse.
ensure_sysctl net/ipv4/conf/net1/rp_filter 2
ensure_sysctl net/ipv4/conf/net1/arp_notify 1
# Replies from the cluster, traffic from the physical network, and what the gateway itself sends from the
# load balancer address (refusals) all use table 100.
ensure_rule -4 32763 from 172.18.0.60
ensure_rule -4 32764 iif eth0
ensure_rule -4 32765 iif net1
ip -4 route replace 172.18.0.0/16 dev net1 table 100
ip -4 route replace default via 172.18.0.1 dev net1 table 100
route_cluster_ip -4 10.96.0.60
iptables-restore -w --noflush <<'RULES'
*nat
:LBSVC-PREROUTING - [0:0]
:LBSVC-DNAT - [0:0]
:LBSVC-POSTROUTING - [0:0]
-F LBSVC-PREROUTING
-F LBSVC-DNAT
-F LBSVC-POSTROUTING
-A LBSVC-PREROUTING -d 172.18.0.60/32 -j LBSVC-DNAT
-A LBSVC-DNAT -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.96.0.60:80
-A LBSVC-DNAT -p udp -m udp --dport 53 -j DNAT --to-destination 10.96.0.60:53
-A LBSVC-POSTROUTING -d 10.96.0.60/32 -j MASQUERADE
COMMIT
*filter
:LBSVC-INPUT - [0:0]
:LBSVC-FORWARD - [0:0]
-F LBSVC-INPUT
-F LBSVC-FORWARD
-A LBSVC-INPUT -d 172.18.0.60/32 -p tcp -j REJECT --reject-with tcp-reset
-A LBSVC-INPUT -d 172.18.0.60/32 -p udp -j REJECT --reject-with icmp-port-unreachable
-A LBSVC-INPUT -d 172.18.0.60/32 -p sctp -j REJECT --reject-with icmp-port-unreachable
-A LBSVC-FORWARD -i net1 -m conntrack --ctstate DNAT --ctorigdst 172.18.0.60/32 -j RETURN
-A LBSVC-FORWARD -i net1 -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN
-A LBSVC-FORWARD -i net1 -j DROP
COMMIT
RULES
ensure_jump iptables nat PREROUTING LBSVC-PREROUTING
ensure_jump iptables nat POSTROUTING LBSVC-POSTROUTING
ensure_jump iptables filter INPUT LBSVC-INPUT
ensure_jump iptables filter FORWARD LBSVC-FORWARD

# --- IPv6: fd00:18::60/64 on net1, ClusterIP fd00:96::60 ---
ensure_sysctl net/ipv6/conf/all/forwarding 1
# Announce the address with an unsolicited neighbour advertisement once DAD has passed.
ensure_sysctl net/ipv6/conf/net1/ndisc_notify 1
# Replies from the cluster, traffic from the physical network, and what the gateway itself sends from the
# load balancer address (refusals) all use table 100.
ensure_rule -6 32763 from fd00:18::60
ensure_rule -6 32764 iif eth0
ensure_rule -6 32765 iif net1
ip -6 route replace fd00:18::/64 dev net1 table 100
ip -6 route replace default via fd00:18::1 dev net1 table 100
route_cluster_ip -6 fd00:96::60
ip6tables-restore -w --noflush <<'RULES'
*nat
:LBSVC-PREROUTING - [0:0]
:LBSVC-DNAT - [0:0]
:LBSVC-POSTROUTING - [0:0]
-F LBSVC-PREROUTING
-F LBSVC-DNAT
-F LBSVC-POSTROUTING
-A LBSVC-PREROUTING -d fd00:18::60/128 -j LBSVC-DNAT
-A LBSVC-DNAT -p tcp -m tcp --dport 80 -j DNAT --to-destination [fd00:96::60]:80
-A LBSVC-DNAT -p udp -m udp --dport 53 -j DNAT --to-destination [fd00:96::60]:53
-A LBSVC-POSTROUTING -d fd00:96::60/128 -j MASQUERADE
COMMIT
*filter
:LBSVC-INPUT - [0:0]
:LBSVC-FORWARD - [0:0]
-F LBSVC-INPUT
-F LBSVC-FORWARD
-A LBSVC-INPUT -d fd00:18::60/128 -p tcp -j REJECT --reject-with tcp-reset
-A LBSVC-INPUT -d fd00:18::60/128 -p udp -j REJECT --reject-with icmp6-port-unreachable
-A LBSVC-INPUT -d fd00:18::60/128 -p sctp -j REJECT --reject-with icmp6-port-unreachable
-A LBSVC-FORWARD -i net1 -m conntrack --ctstate DNAT --ctorigdst fd00:18::60/128 -j RETURN
-A LBSVC-FORWARD -i net1 -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN
-A LBSVC-FORWARD -i net1 -j DROP
COMMIT
RULES
ensure_jump ip6tables nat PREROUTING LBSVC-PREROUTING
ensure_jump ip6tables nat POSTROUTING LBSVC-POSTROUTING
ensure_jump ip6tables filter INPUT LBSVC-INPUT
ensure_jump ip6tables filter FORWARD LBSVC-FORWARD
