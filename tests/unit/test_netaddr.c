/* Unit tests for hooks/netaddr.c: CIDR, IP and MAC parsing, subnet checks. */
#include <sys/socket.h>

#include "netaddr.h"
#include "tap.h"

static void test_cidr(void)
{
	static const struct {
		const char *text;
		int ok;
		const char *back;
	} cases[] = {
		{ "192.168.1.100/24", 1, "192.168.1.100/24" },
		{ "10.0.0.1/32", 1, "10.0.0.1/32" },
		{ "0.0.0.0/0", 1, "0.0.0.0/0" },
		{ "2001:db8::10/64", 1, "2001:db8::10/64" },
		{ "fe80::1/128", 1, "fe80::1/128" },
		{ "192.168.1.100", 0, NULL },
		{ "192.168.1.100/33", 0, NULL },
		{ "192.168.1.300/24", 0, NULL },
		{ "192.168.1.1/24x", 0, NULL },
		{ "192.168.1.1/", 0, NULL },
		{ "192.168.1.1/-1", 0, NULL },
		{ "2001:db8::1/129", 0, NULL },
		{ "/24", 0, NULL },
		{ "", 0, NULL },
		{ "10.0.0.1/0024", 0, NULL },
	};
	char buf[NETADDR_STRLEN];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct netaddr a;
		int r = netaddr_parse_cidr(cases[i].text, &a);

		if (cases[i].ok)
			tap_is(r == 0 ? netaddr_cidr_str(&a, buf) : "(refused)", cases[i].back,
			       cases[i].text);
		else
			tap_ok(r < 0, "cidr \"%s\" is refused", cases[i].text);
	}
}

static void test_ip(void)
{
	struct netaddr a;

	tap_ok(netaddr_parse_ip("10.1.2.3", &a) == 0 && a.family == AF_INET && a.prefix == 32,
	       "plain IPv4 gets prefix 32");
	tap_ok(netaddr_parse_ip("2001:db8::1", &a) == 0 && a.family == AF_INET6 && a.prefix == 128,
	       "plain IPv6 gets prefix 128");
	tap_ok(netaddr_parse_ip("10.1.2.3/24", &a) < 0, "ip with prefix is refused");
	tap_ok(netaddr_parse_ip("host.example", &a) < 0, "names are refused");
}

static void test_contains(void)
{
	struct netaddr net, ip, ip6;

	netaddr_parse_cidr("10.9.0.10/24", &net);
	netaddr_parse_ip("10.9.0.1", &ip);
	netaddr_parse_ip("2001:db8::1", &ip6);
	tap_ok(netaddr_contains(&net, &ip), "10.9.0.1 is in 10.9.0.10/24");
	netaddr_parse_ip("10.9.1.1", &ip);
	tap_ok(!netaddr_contains(&net, &ip), "10.9.1.1 is not in 10.9.0.10/24");
	tap_ok(!netaddr_contains(&net, &ip6), "families never contain each other");
	netaddr_parse_cidr("2001:db8::10/64", &net);
	tap_ok(netaddr_contains(&net, &ip6), "2001:db8::1 is in 2001:db8::10/64");
	netaddr_parse_cidr("10.0.0.0/7", &net);
	netaddr_parse_ip("11.255.255.255", &ip);
	tap_ok(netaddr_contains(&net, &ip), "prefix not on a byte boundary");
}

static void test_bits(void)
{
	struct netaddr a;

	netaddr_parse_cidr("10.0.0.0/8", &a);
	tap_ok(!netaddr_has_host_bits(&a), "10.0.0.0/8 has no host bits");
	netaddr_parse_cidr("10.0.0.1/8", &a);
	tap_ok(netaddr_has_host_bits(&a), "10.0.0.1/8 has host bits");
	netaddr_parse_cidr("10.0.0.255/24", &a);
	tap_ok(netaddr_host_bits_all_ones(&a), "10.0.0.255/24 is a broadcast address");
	netaddr_parse_ip("224.0.0.1", &a);
	tap_ok(netaddr_is_special(&a), "IPv4 multicast is special");
	netaddr_parse_ip("127.0.0.1", &a);
	tap_ok(netaddr_is_special(&a), "loopback is special");
	netaddr_parse_ip("::1", &a);
	tap_ok(netaddr_is_special(&a), "IPv6 loopback is special");
	netaddr_parse_ip("ff02::1", &a);
	tap_ok(netaddr_is_special(&a), "IPv6 multicast is special");
	netaddr_parse_ip("10.0.0.1", &a);
	tap_ok(!netaddr_is_special(&a), "10.0.0.1 is not special");
	netaddr_parse_ip("fe80::1", &a);
	tap_ok(netaddr_is_link_local(&a), "fe80::1 is link-local");
}

static void test_mac(void)
{
	uint8_t mac[6];
	char buf[MAC_STRLEN];

	tap_ok(mac_parse("02:42:AC:11:00:02", mac) == 0, "upper-case MAC parses");
	tap_is(mac_str(mac, buf), "02:42:ac:11:00:02", "MAC prints in lower case");
	tap_ok(!mac_is_multicast(mac), "02:42:... is unicast");
	tap_ok(mac_parse("01:00:5e:00:00:01", mac) == 0 && mac_is_multicast(mac),
	       "01:00:5e:... is multicast");
	tap_ok(mac_parse("00:00:00:00:00:00", mac) == 0 && mac_is_zero(mac), "all-zero MAC");
	tap_ok(mac_parse("02:42:ac:11:00", mac) < 0, "short MAC is refused");
	tap_ok(mac_parse("02:42:ac:11:00:02:03", mac) < 0, "long MAC is refused");
	tap_ok(mac_parse("02-42-ac-11-00-02", mac) < 0, "dashes are refused");
	tap_ok(mac_parse("0g:42:ac:11:00:02", mac) < 0, "non-hex is refused");
}

int main(void)
{
	test_cidr();
	test_ip();
	test_contains();
	test_bits();
	test_mac();
	return tap_done();
}
