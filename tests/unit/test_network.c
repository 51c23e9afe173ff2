/* Unit tests for named networks: the networks.d file parser, a network
 * applied to a request, the allocator and the lease files. */
#include <errno.h>
#include <linux/if_link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "allocator.h"
#include "lease.h"
#include "network.h"
#include "tap.h"

static struct network net;

/* Parses a network file's text; returns the error message or "OK". */
static const char *parse(const char *text)
{
	static struct error err;

	return network_parse("lan", "lan.json", text, &net, &err) < 0 ? err.msg : "OK";
}

static const char *ip_str(const struct netaddr *a)
{
	static char buf[NETADDR_STRLEN];

	return netaddr_cidr_str(a, buf);
}

#define FULL                                                                                       \
	"{\"parent\":\"lan0\",\"mode\":\"private\",\"mtu\":1400,\"vlan\":7,\"dad\":true,"          \
	"\"subnets\":[{\"subnet\":\"10.9.0.0/24\",\"gateway\":\"10.9.0.1\","                       \
	"\"ip_range\":\"10.9.0.128/25\",\"aux_addresses\":{\"shim\":\"10.9.0.129\"}},"             \
	"{\"subnet\":\"2001:db8::/64\",\"gateway\":\"2001:db8::1\","                               \
	"\"aux_addresses\":[\"2001:db8::2\"]}]}"

static void test_parse(void)
{
	tap_is(parse(FULL), "OK", "every key");
	tap_is(net.parent, "lan0", "parent");
	tap_ok(net.mode == MACVLAN_MODE_PRIVATE && net.mtu == 1400 && net.vlan == 7 && net.dad,
	       "mode, mtu, vlan, dad");
	tap_ok(net.n_subnets == 2, "two subnets");
	tap_is(ip_str(&net.subnets[0].range), "10.9.0.128/25", "ip_range");
	tap_is(ip_str(&net.subnets[0].aux[0]), "10.9.0.129/24", "aux address by name");
	tap_is(ip_str(&net.subnets[1].range), "2001:db8::/64", "the range defaults to the subnet");
	tap_ok(net.subnets[1].n_aux == 1, "aux addresses as an array");
	tap_is(parse("{\"parent\":\"lan0\",\"subnets\":[{\"subnet\":\"10.9.0.0/24\"}]}"), "OK",
	       "parent and subnets alone");
	tap_ok(net.mode == MACVLAN_MODE_BRIDGE && !net.dad && !net.promisc &&
		       !net.subnets[0].gateway.family,
	       "defaults: bridge, no dad, no promisc, no gateway");
	tap_is(parse("{\"parent\":\"lan0\",\"promisc\":true,"
		     "\"subnets\":[{\"subnet\":\"10.9.0.0/24\"}]}"),
	       "OK", "promisc");
	tap_ok(net.promisc, "promisc: true");
}

static void test_refused(void)
{
	static const struct {
		const char *text, *error;
	} cases[] = {
		{ "[1]", "lan.json: must be a JSON object, not array" },
		{ "{\"parent\":", "lan.json: not valid JSON: parse error: premature EOF" },
		{ "{\"subnets\":[{\"subnet\":\"10.9.0.0/24\"}]}", "lan.json: parent: is missing" },
		{ "{\"parent\":\"lan0\"}", "lan.json: subnets: is missing" },
		{ "{\"parent\":\"lan0\",\"colour\":1}", "lan.json: colour: unknown key" },
		{ "{\"parent\":7}", "lan.json: parent: must be a string, not number" },
		{ "{\"parent\":\"lan0\",\"mode\":\"bridged\"}",
		  "lan.json: mode: \"bridged\" is not a macvlan mode" },
		{ "{\"parent\":\"lan0\",\"mtu\":9}", "lan.json: mtu: 9 is out of range 68..65535" },
		{ "{\"parent\":\"lan0\",\"vlan\":\"7\"}",
		  "lan.json: vlan: must be an integer, not string" },
		{ "{\"parent\":\"lan0\",\"dad\":\"yes\"}",
		  "lan.json: dad: must be true or false, not string" },
		{ "{\"parent\":\"lan0\",\"promisc\":1}",
		  "lan.json: promisc: must be true or false, not number" },
		{ "{\"parent\":\"lan0\",\"subnets\":[]}",
		  "lan.json: subnets: must be a non-empty array of subnet objects" },
		{ "{\"parent\":\"lan0\",\"subnets\":[{\"gateway\":\"10.9.0.1\"}]}",
		  "lan.json: subnets[0].subnet: is missing" },
		{ "{\"parent\":\"lan0\",\"subnets\":[{\"subnet\":\"10.9.0.1/24\"}]}",
		  "lan.json: subnets[0].subnet: 10.9.0.1/24 has bits set after the prefix length" },
		{ "{\"parent\":\"lan0\",\"subnets\":[{\"subnet\":\"10.9.0.0\"}]}",
		  "lan.json: subnets[0].subnet: \"10.9.0.0\" is not a subnet in CIDR form "
		  "(ADDR/PREFIX)" },
		{ "{\"parent\":\"lan0\",\"subnets\":[{\"subnet\":\"10.9.0.0/24\",\"gateway\":"
		  "\"10.8.0.1\"}]}",
		  "lan.json: subnets[0].gateway: 10.8.0.1 is outside the subnet" },
		{ "{\"parent\":\"lan0\",\"subnets\":[{\"subnet\":\"10.9.0.0/24\",\"ip_range\":"
		  "\"10.9.0.0/16\"}]}",
		  "lan.json: subnets[0].ip_range: is not inside the subnet" },
		{ "{\"parent\":\"lan0\",\"subnets\":[{\"subnet\":\"10.9.0.0/24\",\"aux_addresses\":"
		  "{\"a\":\"10.9.0.300\"}}]}",
		  "lan.json: subnets[0].aux_addresses[0]: \"10.9.0.300\" is not a usable IP "
		  "address" },
		{ "{\"parent\":\"lan0\",\"subnets\":[{\"subnet\":\"10.9.0.0/24\",\"range\":1}]}",
		  "lan.json: subnets[0].range: unknown key" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		tap_is(parse(cases[i].text), cases[i].error, cases[i].error);
}

static void test_apply(void)
{
	struct iface_request ifc = { .where = "oci-macvlan/", .mode = MODE_UNSET };
	struct error err;

	parse(FULL);
	tap_ok(network_apply(&net, &ifc, &err) == 0, "a network fills an empty request");
	tap_ok(strcmp(ifc.parent, "lan0") == 0 && ifc.mode == MACVLAN_MODE_PRIVATE &&
		       ifc.mtu == 1400 && ifc.vlan == 7 && ifc.dad == DAD_ON,
	       "parent, mode, mtu, vlan and dad come from the network");
	tap_ok(ifc.n_gateways == 2, "one gateway per family");
	tap_is(ip_str(&ifc.gateways[1]), "2001:db8::1/128", "the IPv6 gateway");

	ifc = (struct iface_request){ .where = "oci-macvlan/",
				      .mode = MACVLAN_MODE_VEPA,
				      .mtu = 1300,
				      .dad = DAD_OFF,
				      .n_gateways = 1 };
	netaddr_parse_ip("10.9.0.254", &ifc.gateways[0]);
	tap_ok(network_apply(&net, &ifc, &err) == 0, "a request that sets its own");
	tap_ok(ifc.mode == MACVLAN_MODE_VEPA && ifc.mtu == 1300 && ifc.dad == DAD_OFF,
	       "the container's own settings win");
	tap_ok(ifc.n_gateways == 2 && strcmp(ip_str(&ifc.gateways[0]), "10.9.0.254/32") == 0,
	       "its own IPv4 gateway stays; the network's IPv6 one is added");

	ifc = (struct iface_request){ .where = "oci-macvlan/", .n_addresses = 1 };
	netaddr_parse_cidr("10.8.0.5/24", &ifc.addresses[0]);
	tap_ok(network_apply(&net, &ifc, &err) < 0, "a static address outside the network");
	tap_is(err.msg,
	       "oci-macvlan/address: 10.8.0.5/24 is outside every subnet of network \"lan\"",
	       "its message");
}

static bool taken_set(const struct netaddr *ip, void *ctx)
{
	const char *const *list = ctx;
	struct netaddr t;

	for (; *list; list++)
		if (netaddr_parse_ip(*list, &t) == 0 && netaddr_same_ip(&t, ip))
			return true;
	return false;
}

static const char *pick(const struct subnet *sn, const char *const *taken)
{
	static struct error err;
	static char buf[NETADDR_STRLEN];
	struct netaddr ip;
	size_t n = 0;

	while (taken[n])
		n++;
	if (allocator_pick(sn, taken_set, (void *)taken, n, &ip, &err) < 0)
		return err.msg;
	return netaddr_cidr_str(&ip, buf);
}

#define SHIM_NET(shim)                                                                             \
	"{\"parent\":\"lan0\",\"host_shim\":" shim ",\"subnets\":[{\"subnet\":\"10.9.0.0/24\","    \
	"\"gateway\":\"10.9.0.1\",\"ip_range\":\"10.9.0.16/28\"},"                                 \
	"{\"subnet\":\"2001:db8::/64\",\"ip_range\":\"2001:db8::100/120\"}]}"

static void test_host_shim(void)
{
	static const struct {
		const char *text, *error;
	} refused[] = {
		{ SHIM_NET("\"10.9.0.250/24\""),
		  "lan.json: host_shim: must be an object, not string" },
		{ SHIM_NET("{}"), "lan.json: host_shim.address: is missing" },
		{ SHIM_NET("{\"address\":\"10.9.0.250/24\",\"route\":[]}"),
		  "lan.json: host_shim.route: unknown key" },
		{ SHIM_NET("{\"address\":\"10.8.0.250/24\"}"),
		  "lan.json: host_shim.address: 10.8.0.250/24 is outside every subnet" },
		{ SHIM_NET("{\"address\":\"10.9.0.250\"}"),
		  "lan.json: host_shim.address: \"10.9.0.250\" is not a usable address "
		  "in CIDR form (ADDR/PREFIX)" },
		{ SHIM_NET("{\"address\":\"10.9.0.1/24\"}"),
		  "lan.json: host_shim.address: 10.9.0.1/24 is the subnet's gateway" },
		{ SHIM_NET("{\"address\":[\"10.9.0.250/24\",\"10.9.0.251/24\"]}"),
		  "lan.json: host_shim.address[1]: 10.9.0.251/24 is a second IPv4 address" },
		{ SHIM_NET("{\"address\":[]}"),
		  "lan.json: host_shim.address: must hold one address per family, "
		  "IPv4 and/or IPv6" },
		{ SHIM_NET("{\"address\":\"10.9.0.250/24\",\"routes\":\"10.9.0.16/28\"}"),
		  "lan.json: host_shim.routes: must be a non-empty array of CIDRs" },
		{ SHIM_NET("{\"address\":\"10.9.0.250/24\",\"routes\":[\"10.9.0.17/28\"]}"),
		  "lan.json: host_shim.routes[0]: 10.9.0.17/28 has bits set after the prefix "
		  "length" },
		{ SHIM_NET("{\"address\":\"10.9.0.250/24\",\"routes\":[\"2001:db8::100/120\"]}"),
		  "lan.json: host_shim.routes[0]: 2001:db8::100/120: the shim has no IPv6 "
		  "address" },
	};
	struct iface_request ifc = { .where = "oci-macvlan/", .n_addresses = 1 };
	const char *none[] = { NULL };
	struct error err;
	size_t i;

	tap_is(parse(SHIM_NET("{\"address\":\"10.9.0.250/24\"}")), "OK", "host_shim: an address");
	tap_ok(net.n_shim_addresses == 1 && net.n_shim_routes == 1, "one address, one route");
	tap_is(ip_str(&net.shim_addresses[0]), "10.9.0.250/24", "the shim's address and prefix");
	tap_is(ip_str(&net.shim_routes[0]), "10.9.0.16/28",
	       "routes default to the ip_range of the shim's families");
	tap_is(ip_str(&net.subnets[0].aux[0]), "10.9.0.250/24", "its address is an aux address");

	tap_is(parse(SHIM_NET("{\"routes\":[\"10.9.0.32/27\",\"2001:db8::/64\"],"
			      "\"address\":[\"2001:db8::fa/64\",\"10.9.0.250/24\"]}")),
	       "OK", "host_shim: both families, own routes, any key order");
	tap_ok(net.n_shim_addresses == 2 && net.n_shim_routes == 2, "two addresses, two routes");
	tap_is(ip_str(&net.shim_routes[1]), "2001:db8::/64", "the routes given");
	tap_ok(net.subnets[1].n_aux == 1, "the IPv6 address is an aux address of its subnet");

	netaddr_parse_cidr("10.9.0.250/24", &ifc.addresses[0]);
	tap_ok(network_apply(&net, &ifc, &err) < 0, "a static address equal to the shim's");
	tap_is(err.msg,
	       "oci-macvlan/address: 10.9.0.250 is the host shim's address in network \"lan\"",
	       "its message");

	tap_is(parse("{\"parent\":\"lan0\",\"host_shim\":{\"address\":\"10.9.1.1/30\"},"
		     "\"subnets\":[{\"subnet\":\"10.9.1.0/30\"}]}"),
	       "OK", "a /30 with the shim");
	tap_is(pick(&net.subnets[0], none), "10.9.1.2/30",
	       "the allocator skips the shim's address");
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		tap_is(parse(refused[i].text), refused[i].error, refused[i].error);
}

static void test_allocator(void)
{
	const char *none[] = { NULL };
	const char *some[] = { "10.9.0.128", "10.9.0.130", "10.9.0.131", NULL };
	struct subnet small = { 0 };
	const char *all[] = { "10.9.1.1", "10.9.1.2", NULL };

	parse(FULL);
	tap_is(pick(&net.subnets[0], none), "10.9.0.128/24",
	       "the lowest address of the range, with the subnet's prefix");
	tap_is(pick(&net.subnets[0], some), "10.9.0.132/24",
	       "skips the aux address and leased ones");
	tap_is(pick(&net.subnets[1], none), "2001:db8::3/64",
	       "IPv6: not the subnet-router anycast, gateway or aux address");

	netaddr_parse_cidr("10.9.1.0/30", &small.subnet);
	small.range = small.subnet;
	tap_is(pick(&small, none), "10.9.1.1/30", "not the network address");
	tap_is(pick(&small, all), "no free address left in 10.9.1.0/30",
	       "nor the broadcast address: the range is full");
	netaddr_parse_cidr("10.9.1.0/31", &small.subnet);
	small.range = small.subnet;
	tap_is(pick(&small, none), "10.9.1.0/31", "a /31 hands out both addresses");
}

static struct lease lease_of(const char *addr, const char *id)
{
	struct lease l = { .id = id, .pid = 1, .start = 1, .netns = 4026531840ULL };

	netaddr_parse_cidr(addr, &l.addr);
	snprintf(l.ifname, sizeof(l.ifname), "eth0");
	return l;
}

static bool is_c1(const struct lease *l, void *ctx)
{
	return strcmp(l->id, ctx) == 0;
}

static void remove_state(const char *dir)
{
	static const char *const files[] = { "leases/lan", "leases/lan.lock", "leases", "" };
	char path[256];
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		remove(path);
	}
}

static const char *file_text(const char *dir, const char *name)
{
	static char text[256];
	char path[256];
	FILE *f;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (f) {
		n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
	}
	text[n] = '\0';
	return text;
}

static void write_text(const char *dir, const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static bool leased_from(const struct lease_db *db, size_t *cursor, const char *ip)
{
	struct netaddr addr;

	return netaddr_parse_ip(ip, &addr) == 0 && lease_db_leased_from(db, cursor, &addr);
}

static void test_leases(void)
{
	char dir[] = "/tmp/omv-lease-test.XXXXXX";
	struct lease_db db;
	struct error err;
	struct netaddr ip;
	unsigned long long start;
	size_t cursor = 0;
	struct lease a = lease_of("10.9.0.20/24", "c1"), b = lease_of("10.9.0.10/24", "c2"),
		     c = lease_of("2001:db8::5/64", "c1"), other_ns = a, other_if = a,
		     pod = lease_of("10.9.0.20/24", "c1-app");

	if (!mkdtemp(dir))
		return;
	setenv("OCI_MACVLAN_STATE_DIR", dir, 1);
	tap_ok(lease_db_open(&db, "lan", &err) == 0 && db.n == 0, "no file: no leases");
	tap_ok(lease_db_add(&db, &a, &err) == 0 && lease_db_add(&db, &b, &err) == 0 &&
		       lease_db_add(&db, &c, &err) == 0,
	       "three leases");
	other_ns.netns++;
	tap_ok(lease_db_add(&db, &other_ns, &err) < 0 && err.code == EEXIST,
	       "an address leased in one network namespace is refused in another");
	other_if.ifname[3] = '1';
	tap_ok(lease_db_add(&db, &other_if, &err) < 0 && err.code == EEXIST,
	       "and to another interface of the same one");
	tap_ok(lease_db_add(&db, &pod, &err) == 0 && db.n == 4,
	       "a second container of the pod (same netns and interface) adds its line");
	tap_ok(lease_db_drop(&db, is_c1, "c1-app") == 1, "and drops it alone");
	tap_ok(lease_db_commit(&db, &err) == 0, "commit");
	lease_db_close(&db);

	tap_ok(lease_db_open(&db, "lan", &err) == 0 && db.n == 3, "the leases read back");
	netaddr_parse_ip("10.9.0.10", &ip);
	tap_ok(lease_db_find(&db, &ip) && strcmp(lease_db_find(&db, &ip)->id, "c2") == 0,
	       "found by address");
	tap_ok(!leased_from(&db, &cursor, "10.9.0.9") && leased_from(&db, &cursor, "10.9.0.10") &&
		       !leased_from(&db, &cursor, "10.9.0.11") &&
		       leased_from(&db, &cursor, "10.9.0.20") &&
		       !leased_from(&db, &cursor, "2001:db8::4") &&
		       leased_from(&db, &cursor, "2001:db8::5") &&
		       !leased_from(&db, &cursor, "2001:db8::6"),
	       "leased or not, asked in ascending order");
	tap_ok(lease_db_find(&db, &ip)->netns == 4026531840ULL && lease_db_find(&db, &ip)->pid == 1,
	       "with its network namespace and process");
	tap_ok(lease_db_drop(&db, is_c1, "c1") == 2 && db.n == 1, "drop a container's leases");
	tap_ok(lease_db_commit(&db, &err) == 0, "commit the rest");
	lease_db_close(&db);
	tap_is(file_text(dir, "leases/lan"), "10.9.0.10/24 c2 eth0 1 1 4026531840\n",
	       "a lease line: address, container, interface, pid, start time, netns");

	write_text(dir, "leases/lan", "10.9.0.10/24 c2 eth0 1 1 7\n\n10.9.0.11/24 c3 eth0 1 1 7\n");
	tap_ok(lease_db_open(&db, "lan", &err) == 0 && db.n == 2 && lease_db_commit(&db, &err) == 0,
	       "read and written back");
	lease_db_close(&db);
	tap_is(file_text(dir, "leases/lan"),
	       "10.9.0.10/24 c2 eth0 1 1 7\n10.9.0.11/24 c3 eth0 1 1 7\n",
	       "lines as they were read, without the empty one");
	write_text(dir, "leases/lan", "10.9.0.10/24 c2 eth0 1 1\n");
	tap_ok(lease_db_open(&db, "lan", &err) < 0, "a line without its netns is refused");
	tap_is(strstr(err.msg, "leases/lan: "),
	       "leases/lan: cannot read the lease \"10.9.0.10/24 c2 eth0 1 1\"",
	       "naming the file and the line");
	lease_db_close(&db);
	write_text(dir, "leases/lan", "10.9.0.10/24 c2 eth0 -1 1 7\n");
	tap_ok(lease_db_open(&db, "lan", &err) < 0, "a negative pid is refused");
	lease_db_close(&db);

	tap_ok(lease_process_start(getpid(), &start) == 0 && start > 0,
	       "a live process has a start time");
	tap_ok(lease_process_start(0, &start) < 0, "pid 0 has none");
	remove_state(dir);
}

int main(void)
{
	test_parse();
	test_refused();
	test_apply();
	test_host_shim();
	test_allocator();
	test_leases();
	return tap_done();
}
