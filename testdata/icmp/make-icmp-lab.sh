#!/bin/bash
# Real Linux TCP answered by ICMP: three network namespaces, a client, a
# router and a server (10.88.1.0/24 and 10.88.2.0/24, fd88:1::/64 and
# fd88:2::/64), and one capture per scenario taken on the client's link,
# with a truth file saying what the scenario must show. Traffic stays
# inside the namespaces. Needs root, iproute2, iptables (nf_tables),
# tcpdump, python3. Run from the repository root:
#   bash testdata/icmp/make-icmp-lab.sh testdata/icmp
set -eu
out=${1:-testdata/icmp}
mkdir -p "$out"
tag=$$
C=icmp-c-$tag R=icmp-r-$tag S=icmp-s-$tag
cleanup() {
	for n in $C $R $S; do ip netns pids $n 2>/dev/null | xargs -r kill 2>/dev/null || true; ip netns del $n 2>/dev/null || true; done
}
trap cleanup EXIT
for n in $C $R $S; do ip netns add $n; ip -n $n link set lo up; done
ip link add c-r netns $C type veth peer name r-c netns $R
ip link add r-s netns $R type veth peer name s-r netns $S
ip -n $C addr add 10.88.1.2/24 dev c-r
ip -n $C addr add fd88:1::2/64 dev c-r nodad
ip -n $R addr add 10.88.1.1/24 dev r-c
ip -n $R addr add fd88:1::1/64 dev r-c nodad
ip -n $R addr add 10.88.2.1/24 dev r-s
ip -n $R addr add fd88:2::1/64 dev r-s nodad
ip -n $S addr add 10.88.2.2/24 dev s-r
ip -n $S addr add fd88:2::2/64 dev s-r nodad
for l in "$C c-r" "$R r-c" "$R r-s" "$S s-r"; do set -- $l; ip -n $1 link set $2 up; done
ip -n $C route add default via 10.88.1.1
ip -n $C -6 route add default via fd88:1::1
ip -n $S route add default via 10.88.2.1
ip -n $S -6 route add default via fd88:2::1
ip netns exec $R sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
# What the scenarios meet on the way:
ip netns exec $R iptables -A FORWARD -p tcp --dport 8001 -j REJECT --reject-with icmp-host-prohibited
ip netns exec $R ip6tables -A FORWARD -p tcp --dport 8001 -j REJECT --reject-with icmp6-adm-prohibited
ip netns exec $S iptables -A INPUT -p tcp --dport 8002 -j REJECT --reject-with icmp-port-unreachable
ip netns exec $S ip6tables -A INPUT -p tcp --dport 8002 -j REJECT --reject-with icmp6-port-unreachable
ip -n $R route add unreachable 10.88.3.0/24
ip -n $R -6 route add unreachable fd88:3::/64
# A smaller MTU on the router's way to the server only: the client's
# segments are larger than it, with DF set, so the router answers them.
ip -n $R link set r-s mtu 1280
# The server reads whatever comes on 8003 (IPv4 and IPv6).
ip netns exec $S python3 -c '
import socket, threading
s = socket.socket(socket.AF_INET6); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0); s.bind(("::", 8003)); s.listen(8)
def drain(c):
    while c.recv(65536): pass
    c.close()
while True:
    c, _ = s.accept(); threading.Thread(target=drain, args=(c,), daemon=True).start()
' &
sleep 1

# connect HOST PORT [BYTES]: one connection from the client, sending BYTES.
connect() {
	ip netns exec $C python3 -c '
import socket, sys
host, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
fam = socket.AF_INET6 if ":" in host else socket.AF_INET
s = socket.socket(fam); s.settimeout(3)
try:
    s.connect((host, port)); s.sendall(b"x" * n); s.shutdown(socket.SHUT_WR); s.recv(1)
except OSError as e:
    print("client:", e, file=sys.stderr)
s.close()
' "$1" "$2" "${3:-0}" || true
}

# scenario NAME HOST PORT BYTES TRUTH: capture one connection on the
# client's link.
scenario() {
	local name=$1 host=$2 port=$3 bytes=$4 truth=$5
	ip netns exec $C tcpdump -i c-r -w "$out/$name.pcap" -U -s 262144 'tcp or icmp or icmp6' 2>/dev/null &
	local td=$!
	sleep 0.5
	connect "$host" "$port" "$bytes"
	sleep 0.5
	kill $td; wait $td 2>/dev/null || true
	printf '%s\n' "$truth" > "$out/$name.truth.json"
	echo "$name: $(tcpdump -r "$out/$name.pcap" 2>/dev/null | wc -l) packets"
}

scenario icmp-router-prohibited 10.88.2.2 8001 0 '{"status":"unreachable","kind":"admin_prohibited","type":3,"code":10,"from":"10.88.1.1","state":"S0","by":"router: iptables REJECT --reject-with icmp-host-prohibited"}'
scenario icmp6-router-prohibited fd88:2::2 8001 0 '{"status":"unreachable","kind":"admin_prohibited","type":1,"code":1,"from":"fd88:1::1","state":"S0","by":"router: ip6tables REJECT --reject-with icmp6-adm-prohibited"}'
scenario icmp-server-port 10.88.2.2 8002 0 '{"status":"unreachable","kind":"port_unreachable","type":3,"code":3,"from":"10.88.2.2","state":"S0","by":"server: iptables REJECT --reject-with icmp-port-unreachable"}'
scenario icmp6-server-port fd88:2::2 8002 0 '{"status":"unreachable","kind":"port_unreachable","type":1,"code":4,"from":"fd88:2::2","state":"S0","by":"server: ip6tables REJECT --reject-with icmp6-port-unreachable"}'
scenario icmp-blackhole 10.88.3.5 80 0 '{"status":"unreachable","kind":"host_unreachable","type":3,"code":1,"from":"10.88.1.1","state":"S0","by":"router: ip route add unreachable 10.88.3.0/24"}'
scenario icmp6-blackhole fd88:3::5 80 0 '{"status":"unreachable","kind":"net_unreachable","type":1,"code":0,"from":"fd88:1::1","state":"S0","by":"router: ip -6 route add unreachable fd88:3::/64"}'
scenario icmp-mtu 10.88.2.2 8003 200000 '{"status":"complete","kind":"fragmentation_needed","type":3,"code":4,"from":"10.88.1.1","mtu":1280,"by":"router: mtu 1280 towards the server, the client sending 200000 bytes with DF"}'
scenario icmp6-mtu fd88:2::2 8003 200000 '{"status":"complete","kind":"packet_too_big","type":2,"code":0,"from":"fd88:1::1","mtu":1280,"by":"router: mtu 1280 towards the server, the client sending 200000 bytes"}'
