/* Unit tests for hooks/annotations.c: every accepted form of the
 * annotation table and every refusal, with its exact message. */
#include <linux/if_link.h>
#include <stdio.h>
#include <sys/socket.h>

#include "annotations.h"
#include "tap.h"

static struct hook_request req;

/* Parses annotations given as the inside of a JSON object; returns the
 * error message or "OK". */
static const char *parse(const char *annotations)
{
	static struct error err;
	char text[8192];
	struct oci_state st;
	int r;

	snprintf(text, sizeof(text), "{\"id\":\"c1\",\"pid\":1,\"annotations\":{%s}}", annotations);
	if (oci_state_parse(text, &st, &err) < 0)
		return err.msg;
	r = annotations_parse(&st, &req, &err);
	oci_state_release(&st);
	return r < 0 ? err.msg : "OK";
}

static const char *cidr(const struct netaddr *a)
{
	static char buf[NETADDR_STRLEN];

	return netaddr_cidr_str(a, buf);
}

static void test_none(void)
{
	tap_is(parse(""), "OK", "no annotations");
	tap_ok(req.n == 0, "no annotations: nothing to attach");
	tap_is(parse("\"io.kubernetes.pod\":\"x\",\"oci-macvlanx/mode\":\"y\""), "OK",
	       "foreign annotations are ignored");
	tap_ok(req.n == 0, "foreign annotations: nothing to attach");
}

static void test_defaults(void)
{
	tap_is(parse("\"oci-macvlan/parent\":\"lan0\""), "OK", "parent alone");
	tap_ok(req.n == 1, "one interface");
	tap_is(req.ifaces[0].ifname, "eth0", "ifname defaults to eth0");
	tap_is(req.ifaces[0].parent, "lan0", "parent");
	tap_ok(req.ifaces[0].mode == MACVLAN_MODE_BRIDGE, "mode defaults to bridge");
	tap_ok(req.ifaces[0].mtu == 0 && !req.ifaces[0].has_mac && req.ifaces[0].vlan == 0 &&
		       req.ifaces[0].n_addresses == 0,
	       "mtu, mac, vlan, addresses default to none");
	tap_is(parse("\"oci-macvlan/mode\":\"private\""), "OK", "mode alone");
	tap_is(req.ifaces[0].parent, "", "parent defaults to the default route's");
}

static void test_single(void)
{
	const struct iface_request *ifc = &req.ifaces[0];

	tap_is(parse("\"oci-macvlan/parent\":\"lan0\","
		     "\"oci-macvlan/address\":\"192.168.1.100/24, 2001:db8::10/64\","
		     "\"oci-macvlan/gateway\":\"192.168.1.1,2001:db8::1\","
		     "\"oci-macvlan/routes\":\"10.10.0.0/16 via 192.168.1.254,172.16.0.0/12,"
		     "2001:db8:1::/48 via fe80::1\","
		     "\"oci-macvlan/mode\":\"vepa\",\"oci-macvlan/mtu\":\"1400\","
		     "\"oci-macvlan/mac\":\"02:42:ac:11:00:02\",\"oci-macvlan/ifname\":\"net1\","
		     "\"oci-macvlan/vlan\":\"100\""),
	       "OK", "every single-interface key");
	tap_ok(ifc->n_addresses == 2, "two addresses");
	tap_is(cidr(&ifc->addresses[0]), "192.168.1.100/24", "IPv4 address");
	tap_is(cidr(&ifc->addresses[1]), "2001:db8::10/64", "IPv6 address");
	tap_ok(ifc->n_gateways == 2 && ifc->gateways[1].family == AF_INET6, "two gateways");
	tap_ok(ifc->n_routes == 3, "three routes");
	tap_is(cidr(&ifc->routes[0].via), "192.168.1.254/32", "route via");
	tap_ok(ifc->routes[1].via.family == 0, "route without via is on-link");
	tap_is(cidr(&ifc->routes[2].dst), "2001:db8:1::/48", "IPv6 route");
	tap_ok(ifc->mode == MACVLAN_MODE_VEPA, "mode vepa");
	tap_ok(ifc->mtu == 1400, "mtu");
	tap_ok(ifc->has_mac && ifc->mac[5] == 2, "mac");
	tap_is(ifc->ifname, "net1", "ifname");
	tap_ok(ifc->vlan == 100, "vlan");
	tap_is(parse("\"oci-macvlan/routes\":\"10.1.2.3\""), "OK", "a route to one address");
	tap_is(cidr(&req.ifaces[0].routes[0].dst), "10.1.2.3/32", "host route prefix");
	tap_is(parse("\"oci-macvlan/address\":\"10.0.0.2/31\""), "OK", "a /31 address");
	tap_is(parse("\"oci-macvlan/mode\":\"passthru\""), "OK", "mode passthru");
	tap_is(parse("\"oci-macvlan/mode\":\"source\""), "OK", "mode source");
	tap_is(parse("\"oci-macvlan/mtu\":\"68\""), "OK", "minimum MTU");
	tap_is(parse("\"oci-macvlan/vlan\":\"4094\""), "OK", "largest VLAN id");
	tap_ok(req.ifaces[0].dad == DAD_DEFAULT, "dad defaults to the network's");
	tap_is(parse("\"oci-macvlan/dad\":\"on\""), "OK", "dad on");
	tap_ok(req.ifaces[0].dad == DAD_ON, "dad on is on");
	tap_is(parse("\"oci-macvlan/dad\":\"off\""), "OK", "dad off");
	tap_ok(req.ifaces[0].dad == DAD_OFF, "dad off is off");
	tap_is(parse("\"oci-macvlan/network\":\"lab-1.a_b\""), "OK", "network");
	tap_is(req.ifaces[0].network, "lab-1.a_b", "network name");
	tap_ok(req.ifaces[0].mode == MODE_UNSET, "with a network, the mode is the network's");
	tap_is(parse("\"oci-macvlan/network\":\"lab\",\"oci-macvlan/gateway\":\"10.0.0.1\""), "OK",
	       "with a network, gateways are checked once it gave the addresses");
}

static void test_interfaces(void)
{
	tap_is(parse("\"oci-macvlan/interfaces\":\"[{\\\"parent\\\":\\\"lan0\\\","
		     "\\\"address\\\":[\\\"10.0.0.2/24\\\",\\\"fd00::2/64\\\"],"
		     "\\\"gateway\\\":\\\"10.0.0.1\\\",\\\"mtu\\\":1400,\\\"vlan\\\":7},"
		     "{\\\"parent\\\":\\\"lan1\\\",\\\"address\\\":\\\"10.1.0.2/24\\\","
		     "\\\"mode\\\":\\\"private\\\",\\\"ifname\\\":\\\"data\\\"},"
		     "{\\\"parent\\\":\\\"lan2\\\"}]\""),
	       "OK", "interfaces: three interfaces, several parents");
	tap_ok(req.n == 3, "three interfaces");
	tap_is(req.ifaces[0].ifname, "eth0", "first defaults to eth0");
	tap_is(req.ifaces[2].ifname, "eth2", "third defaults to eth2");
	tap_is(req.ifaces[1].ifname, "data", "named interface");
	tap_ok(req.ifaces[0].n_addresses == 2 && req.ifaces[0].mtu == 1400 &&
		       req.ifaces[0].vlan == 7,
	       "array of addresses, numeric mtu and vlan");
	tap_ok(req.ifaces[1].mode == MACVLAN_MODE_PRIVATE, "second interface's mode");
	tap_is(req.ifaces[1].where, "oci-macvlan/interfaces[1].", "messages name the entry");
}

static void test_refused(void)
{
	static const struct {
		const char *annotations;
		const char *error;
	} cases[] = {
		{ "\"oci-macvlan/colour\":\"red\"", "oci-macvlan/colour: unknown key" },
		{ "\"oci-macvlan/dad\":\"yes\"", "oci-macvlan/dad: \"yes\" is neither on nor off" },
		{ "\"oci-macvlan/\":\"x\"", "oci-macvlan/: unknown key" },
		{ "\"oci-macvlan/address\":\"10.0.0.300/24\"",
		  "oci-macvlan/address: \"10.0.0.300/24\" is not an address in CIDR form "
		  "(ADDR/PREFIX)" },
		{ "\"oci-macvlan/address\":\"10.0.0.3\"",
		  "oci-macvlan/address: \"10.0.0.3\" is not an address in CIDR form "
		  "(ADDR/PREFIX)" },
		{ "\"oci-macvlan/address\":\"10.0.0.3/24,\"",
		  "oci-macvlan/address: \"10.0.0.3/24,\" has an empty item" },
		{ "\"oci-macvlan/address\":\"10.0.0.0/24\"",
		  "oci-macvlan/address: 10.0.0.0/24 is the network address of its subnet" },
		{ "\"oci-macvlan/address\":\"10.0.0.255/24\"",
		  "oci-macvlan/address: 10.0.0.255/24 is the broadcast address of its subnet" },
		{ "\"oci-macvlan/address\":\"224.0.0.5/24\"",
		  "oci-macvlan/address: 224.0.0.5/24 is not a usable host address" },
		{ "\"oci-macvlan/address\":\"10.0.0.5/0\"",
		  "oci-macvlan/address: 10.0.0.5/0 is not a usable host address" },
		{ "\"oci-macvlan/address\":\"10.0.0.5/24\",\"oci-macvlan/gateway\":\"10.1.0.1\"",
		  "oci-macvlan/gateway: 10.1.0.1 is outside every IPv4 subnet of "
		  "oci-macvlan/address" },
		{ "\"oci-macvlan/gateway\":\"10.1.0.1\"",
		  "oci-macvlan/gateway: 10.1.0.1 is outside every IPv4 subnet of "
		  "oci-macvlan/address" },
		{ "\"oci-macvlan/address\":\"10.0.0.5/24\",\"oci-macvlan/gateway\":\"10.0.0.5\"",
		  "oci-macvlan/gateway: 10.0.0.5 is the container's own address" },
		{ "\"oci-macvlan/address\":\"10.0.0.5/24\","
		  "\"oci-macvlan/gateway\":\"10.0.0.1,10.0.0.2\"",
		  "oci-macvlan/gateway: 10.0.0.1 and 10.0.0.2 are two IPv4 gateways; at most one "
		  "per "
		  "family" },
		{ "\"oci-macvlan/gateway\":\"gw.lan\"",
		  "oci-macvlan/gateway: \"gw.lan\" is not an IP address" },
		{ "\"oci-macvlan/routes\":\"10.1.0.0/16 through 10.0.0.1\"",
		  "oci-macvlan/routes: \"10.1.0.0/16 through 10.0.0.1\" is not a route (DST[ via "
		  "GW])" },
		{ "\"oci-macvlan/routes\":\"10.1.0.1/16\"",
		  "oci-macvlan/routes: \"10.1.0.1/16\": 10.1.0.1/16 has bits set after the prefix "
		  "length" },
		{ "\"oci-macvlan/routes\":\"10.1.0.0/16 via fd00::1\"",
		  "oci-macvlan/routes: \"10.1.0.0/16 via fd00::1\": the gateway is not of the "
		  "destination's family" },
		{ "\"oci-macvlan/address\":\"10.0.0.5/24\","
		  "\"oci-macvlan/routes\":\"10.1.0.0/16 via 10.2.0.1\"",
		  "oci-macvlan/routes: gateway 10.2.0.1 is outside every IPv4 subnet of "
		  "oci-macvlan/address" },
		{ "\"oci-macvlan/mode\":\"bridged\"",
		  "oci-macvlan/mode: \"bridged\" is not a macvlan mode (bridge, private, vepa, "
		  "passthru, source)" },
		{ "\"oci-macvlan/mtu\":\"9000x\"", "oci-macvlan/mtu: \"9000x\" is not a number" },
		{ "\"oci-macvlan/mtu\":\"67\"", "oci-macvlan/mtu: 67 is out of range 68..65535" },
		{ "\"oci-macvlan/mtu\":\"65536\"",
		  "oci-macvlan/mtu: 65536 is out of range 68..65535" },
		{ "\"oci-macvlan/mtu\":\"-1\"", "oci-macvlan/mtu: \"-1\" is not a number" },
		{ "\"oci-macvlan/mtu\":\"1000\",\"oci-macvlan/address\":\"fd00::5/64\"",
		  "oci-macvlan/mtu: 1000 is below IPv6's minimum 1280, and oci-macvlan/address has "
		  "an "
		  "IPv6 address" },
		{ "\"oci-macvlan/mac\":\"01:00:5e:00:00:01\"",
		  "oci-macvlan/mac: 01:00:5e:00:00:01 is a multicast address, not a unicast one" },
		{ "\"oci-macvlan/mac\":\"00:00:00:00:00:00\"",
		  "oci-macvlan/mac: 00:00:00:00:00:00 is not a usable unicast address" },
		{ "\"oci-macvlan/mac\":\"02:42:ac:11:00\"",
		  "oci-macvlan/mac: \"02:42:ac:11:00\" is not a MAC address (xx:xx:xx:xx:xx:xx)" },
		{ "\"oci-macvlan/vlan\":\"99999999999999999999999\"",
		  "oci-macvlan/vlan: 99999999999999999999999 is out of range 1..4094" },
		{ "\"oci-macvlan/vlan\":\"0\"", "oci-macvlan/vlan: 0 is out of range 1..4094" },
		{ "\"oci-macvlan/vlan\":\"4095\"",
		  "oci-macvlan/vlan: 4095 is out of range 1..4094" },
		{ "\"oci-macvlan/vlan\":\"ten\"", "oci-macvlan/vlan: \"ten\" is not a number" },
		{ "\"oci-macvlan/ifname\":\"a/b\"", "oci-macvlan/ifname: \"a/b\" is not a valid "
						    "interface name (1-15 characters, no '/', "
						    "':' or spaces)" },
		{ "\"oci-macvlan/ifname\":\"abcdefghijklmnop\"",
		  "oci-macvlan/ifname: \"abcdefghijklmnop\" is not a valid interface name (1-15 "
		  "characters, no '/', ':' or spaces)" },
		{ "\"oci-macvlan/parent\":\"\"",
		  "oci-macvlan/parent: \"\" is not a valid interface name" },
		{ "\"oci-macvlan/network\":\"lab net\"",
		  "oci-macvlan/network: \"lab net\" is not a valid network name" },
		{ "\"oci-macvlan/network\":\"lan.lock\"",
		  "oci-macvlan/network: \"lan.lock\" is not a valid network name" },
		{ "\"oci-macvlan/network\":\".lan\"",
		  "oci-macvlan/network: \".lan\" is not a valid network name" },
		{ "\"oci-macvlan/"
		  "interfaces\":\"[{\\\"ifname\\\":\\\"a\\\"},{\\\"ifname\\\":\\\"a\\\"}]\"",
		  "oci-macvlan/interfaces[1].ifname: \"a\" is already used by interfaces[0]" },
		{ "\"oci-macvlan/interfaces\":\"[{},{\\\"ifname\\\":\\\"eth0\\\"}]\"",
		  "oci-macvlan/interfaces[1].ifname: \"eth0\" is already used by interfaces[0]" },
		{ "\"oci-macvlan/interfaces\":\"[{\\\"mtu\\\":70000}]\"",
		  "oci-macvlan/interfaces[0].mtu: 70000 is out of range 68..65535" },
		{ "\"oci-macvlan/interfaces\":\"[{\\\"speed\\\":1}]\"",
		  "oci-macvlan/interfaces[0].speed: unknown key" },
		{ "\"oci-macvlan/interfaces\":\"[{\\\"mode\\\":1}]\"",
		  "oci-macvlan/interfaces[0].mode: must be a string, not number" },
		{ "\"oci-macvlan/interfaces\":\"[{\\\"address\\\":[1]}]\"",
		  "oci-macvlan/interfaces[0].address: item 0 must be a string, not number" },
		{ "\"oci-macvlan/interfaces\":\"[3]\"",
		  "oci-macvlan/interfaces[0]: must be an object, not number" },
		{ "\"oci-macvlan/interfaces\":\"[]\"",
		  "oci-macvlan/interfaces: must be a non-empty JSON array of objects" },
		{ "\"oci-macvlan/interfaces\":\"{\\\"parent\\\":\\\"lan0\\\"}\"",
		  "oci-macvlan/interfaces: must be a non-empty JSON array of objects" },
		{ "\"oci-macvlan/interfaces\":\"[{\"",
		  "oci-macvlan/interfaces: not valid JSON: parse error: premature EOF" },
		{ "\"oci-macvlan/interfaces\":\"[{}]\",\"oci-macvlan/mode\":\"vepa\"",
		  "oci-macvlan/mode: cannot be combined with oci-macvlan/interfaces; put it in an "
		  "interface object" },
		{ "\"oci-macvlan/interfaces\":\"[{\\\"address\\\":\\\"10.0.0.2/24\\\","
		  "\\\"gateway\\\":\\\"10.0.0.1\\\"},{\\\"address\\\":\\\"10.1.0.2/24\\\","
		  "\\\"gateway\\\":\\\"10.1.0.1\\\"}]\"",
		  "oci-macvlan/interfaces[1].gateway: 10.0.0.1 and 10.1.0.1 are two IPv4 default "
		  "gateways; at most one per family" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tap_is(parse(cases[i].annotations), cases[i].error, cases[i].error);
		tap_ok(req.n == 0, "nothing to attach after: %s", cases[i].error);
	}
}

static void test_too_many(void)
{
	char text[4096] = "\"oci-macvlan/address\":\"";
	int i;

	for (i = 1; i <= MAX_ADDRESSES + 1; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s10.0.0.%d/24",
			 i > 1 ? "," : "", i);
	strcat(text, "\"");
	tap_is(parse(text),
	       "oci-macvlan/address: 10.0.0.17/24 is one address too many (at most 16)",
	       "address count is bounded");
}

int main(void)
{
	test_none();
	test_defaults();
	test_single();
	test_interfaces();
	test_refused();
	test_too_many();
	return tap_done();
}
