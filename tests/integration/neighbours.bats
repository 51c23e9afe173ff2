#!/usr/bin/env bats
# Conflicts and neighbours: duplicate address detection (oci-macvlan/dad),
# the announcements after every attach that replace a stale MAC in other
# hosts' neighbour caches, duplicate MACs and a wireless parent.
#
# "peer" is one more host on the LAN that owns 10.9.0.10 and 2001:db8::10.

load helpers

setup() {
	setup_lan
	lan_host peer 10.9.0.10/24
	on peer ip addr add 2001:db8::10/64 dev lan0 nodad
	PEER_MAC=$(link_field peer lan0 .address)
	bare_container node1
	C=$BARE_PID
}

teardown() {
	teardown_lan
}

# refuses_in_use PID CIDR MAC: attaching CIDR with dad=on to container PID
# in node1 is refused because MAC has the address, and changes nothing.
refuses_in_use() {
	assert_refused node1 "$1" \
		"oci-macvlan-hook: c1: oci-macvlan/address: ${2%/*} is already in use on lan0 by $3" \
		attach node1 c1 "$1" oci-macvlan/parent=lan0 oci-macvlan/address="$2" oci-macvlan/dad=on
}

# neigh_mac HOST IP: the MAC HOST's neighbour cache holds for IP on lan0 ("" if none).
neigh_mac() {
	on "$1" ip -j neigh show "$2" dev lan0 | jq -r '.[0].lladdr // empty'
}

# assert_neigh_mac HOST IP MAC: HOST's neighbour entry for IP becomes MAC
# without HOST sending anything: the frame announcing it crosses two veths
# and the switch after the hook has exited, so it is given up to 1 s.
assert_neigh_mac() {
	for _ in $(seq 10); do
		[ "$(neigh_mac "$1" "$2")" = "$3" ] && return
		sleep 0.1
	done
	assert_equal "$(neigh_mac "$1" "$2")" "$3"
}

# stop_container PID: kills a bare container's process; unshare, its
# parent and the namespace's other user, exits with it, and the namespace
# and the macvlan in it go.
stop_container() {
	kill -KILL "$1"
}

# ms_since T0: milliseconds since T0 (date +%s%N).
ms_since() {
	echo $((($(date +%s%N) - $1) / 1000000))
}

@test "dad=on: an IPv4 address another host owns is refused, naming its MAC, and nothing is left" {
	refuses_in_use "$C" 10.9.0.10/24 "$PEER_MAC"
}

@test "dad=off (and by default): the same address is configured without a probe" {
	run attach node1 c1 "$C" oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.10/24 oci-macvlan/dad=off
	assert_success
	assert_output ''
	run addresses "$C" eth0
	assert_output 10.9.0.10/24

	bare_container node1
	run attach node1 c2 "$BARE_PID" oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.10/24
	assert_success
	run addresses "$BARE_PID" eth0
	assert_output 10.9.0.10/24
}

@test "dad=on: an IPv6 address another host owns is refused after the IPv4 one passed, and nothing is left" {
	assert_refused node1 "$C" \
		"oci-macvlan-hook: c1: oci-macvlan/address: 2001:db8::10 is already in use on lan0 by $PEER_MAC" \
		attach node1 c1 "$C" oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.11/24,2001:db8::10/64 \
		oci-macvlan/dad=on
}

@test "dad=off: the same IPv6 address is configured without DAD" {
	run attach node1 c1 "$C" oci-macvlan/parent=lan0 oci-macvlan/address=2001:db8::10/64 oci-macvlan/dad=off
	assert_success
	run addresses "$C" eth0
	assert_output 2001:db8::10/64
}

@test "dad=on without a conflict: attached, usable at once, within the probe's bound" {
	local t0 ms
	t0=$(date +%s%N)
	run attach node1 c1 "$C" oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.11/24,2001:db8::11/64 \
		oci-macvlan/gateway=10.9.0.1 oci-macvlan/dad=on
	ms=$(ms_since "$t0")
	assert_success
	assert_output ''
	run addresses "$C" eth0
	assert_output $'10.9.0.11/24\n2001:db8::11/64'
	# Not tentative, not failed: DAD finished before the hook returned.
	run in_ns "$C" ip -6 addr show dev eth0 scope global tentative
	assert_output ''
	pings "$C" 10.9.0.1
	pings "$C" 2001:db8::1
	# The probe takes 150 ms (IPv4) alongside ~100 ms (IPv6 DAD); the rest
	# of the bound is the hook's own start and the test's tools.
	((ms < 1000)) || fail "the attach with dad=on took $ms ms"
}

@test "dad=on: a container on another host holding the address is found (two hosts, one range)" {
	lan_host node2 10.9.0.3/24 10.9.0.1
	bare_container node2
	run attach node2 c2 "$BARE_PID" oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.20/24,2001:db8::20/64 \
		oci-macvlan/mac=02:00:0a:09:00:14
	assert_success
	refuses_in_use "$C" 10.9.0.20/24 02:00:0a:09:00:14
	refuses_in_use "$C" 2001:db8::20/64 02:00:0a:09:00:14
}

@test "dad=on: a container on the same parent holding the address is found (bridge mode)" {
	local a=$C
	run attach node1 a "$a" oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.20/24,2001:db8::20/64 \
		oci-macvlan/mac=02:00:0a:09:00:14
	assert_success
	bare_container node1
	refuses_in_use "$BARE_PID" 10.9.0.20/24 02:00:0a:09:00:14
	refuses_in_use "$BARE_PID" 2001:db8::20/64 02:00:0a:09:00:14
}

@test "dad=on: IPv6 DAD that cannot finish (parent without carrier) fails after its bound" {
	local t0 ms
	on node1 ip link set lan0 down
	t0=$(date +%s%N)
	assert_refused node1 "$C" \
		$'oci-macvlan-hook: parent lan0 is down: eth0 has no link until it comes up\noci-macvlan-hook: c1: oci-macvlan/address: on lan0: duplicate address detection did not finish within 300 ms' \
		attach node1 c1 "$C" oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.11/24,2001:db8::11/64 \
		oci-macvlan/dad=on
	ms=$(ms_since "$t0")
	# The bound holds from the start of DAD, the ARP probe running meanwhile.
	((ms < 1000)) || fail "the refused attach took $ms ms"
}

@test "dad=off: the attach neither tunes DAD nor waits for anything" {
	requires strace
	local trace=$BATS_TEST_TMPDIR/trace
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 # LeakSanitizer cannot run under ptrace
	run on node1 strace -f -qq -o "$trace" -e trace=openat,poll,ppoll,bind "$OMV_HOOK" \
		< <(oci_state c1 "$C" oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.11/24,2001:db8::11/64)
	assert_success
	run grep -E 'poll|/proc/sys/net|AF_PACKET' "$trace"
	assert_output ''
}

@test "stale neighbours, IPv4: a container restarted with a new MAC replaces the old one in the gateway's ARP cache" {
	local a=$C
	run attach node1 a "$a" oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.11/24 oci-macvlan/mac=02:00:0a:09:00:0a
	assert_success
	pings gw 10.9.0.11
	assert_equal "$(neigh_mac gw 10.9.0.11)" 02:00:0a:09:00:0a

	stop_container "$a"
	bare_container node1
	run attach node1 b "$BARE_PID" oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.11/24 oci-macvlan/mac=02:00:0a:09:00:0b
	assert_success
	# Before gw sends anything: the gratuitous ARP updated its entry. (The
	# kernel's arp locktime does not hold back a gratuitous ARP, so it stays
	# at its default here.)
	assert_neigh_mac gw 10.9.0.11 02:00:0a:09:00:0b
	pings gw 10.9.0.11

	# With dad=on the hook sends the gratuitous ARP itself, after the probe.
	stop_container "$BARE_PID"
	bare_container node1
	run attach node1 c "$BARE_PID" oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.11/24 \
		oci-macvlan/mac=02:00:0a:09:00:0c oci-macvlan/dad=on
	assert_success
	assert_neigh_mac gw 10.9.0.11 02:00:0a:09:00:0c
}

@test "stale neighbours, IPv6: the same for the gateway's neighbour entry" {
	local a=$C
	run attach node1 a "$a" oci-macvlan/parent=lan0 oci-macvlan/address=2001:db8::11/64 oci-macvlan/mac=02:00:0a:09:00:0a
	assert_success
	pings gw 2001:db8::11
	assert_equal "$(neigh_mac gw 2001:db8::11)" 02:00:0a:09:00:0a

	stop_container "$a"
	bare_container node1
	run attach node1 b "$BARE_PID" oci-macvlan/parent=lan0 oci-macvlan/address=2001:db8::11/64 oci-macvlan/mac=02:00:0a:09:00:0b
	assert_success
	assert_neigh_mac gw 2001:db8::11 02:00:0a:09:00:0b
	pings gw 2001:db8::11
}

@test "the parent's own MAC is refused before any link is made" {
	local mac
	mac=$(link_field node1 lan0 .address)
	assert_refused node1 "$C" \
		"oci-macvlan-hook: c1: oci-macvlan/mac: $mac is parent lan0's own MAC address; a macvlan needs one of its own" \
		attach node1 c1 "$C" oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.11/24 oci-macvlan/mac="$mac"
}

@test "another container's macvlan MAC on the same parent is refused when the link comes up" {
	run attach node1 a "$C" oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.11/24 oci-macvlan/mac=02:00:0a:09:00:0a
	assert_success
	bare_container node1
	assert_refused node1 "$BARE_PID" \
		'oci-macvlan-hook: c1: oci-macvlan/mac: 02:00:0a:09:00:0a is already used on parent lan0 (by the parent or another macvlan)' \
		attach node1 c1 "$BARE_PID" oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.12/24 oci-macvlan/mac=02:00:0a:09:00:0a
}

# No wireless NIC can be made here (mac80211_hwsim would create its radios
# in the machine's own namespace): the hook runs in a mount namespace whose
# /sys is node1's, with lan0's sysfs directory replaced by one that has what
# a Wi-Fi NIC's has (its ifindex and phy80211).
@test "a wireless parent is refused" {
	local ifindex
	ifindex=$(link_field node1 lan0 .ifindex)
	assert_refused node1 "$C" \
		'oci-macvlan-hook: c1: oci-macvlan/parent: lan0 is a wireless interface; macvlan does not work over Wi-Fi (the access point drops frames from MAC addresses that have not associated with it)' \
		on node1 unshare --mount sh -c 'mount -t sysfs sysfs /sys &&
			mount -t tmpfs tmpfs /sys/class/net/lan0 &&
			echo "$1" >/sys/class/net/lan0/ifindex && mkdir /sys/class/net/lan0/phy80211 &&
			exec "$2"' sh "$ifindex" "$OMV_HOOK" \
		< <(oci_state c1 "$C" oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.11/24)
}
