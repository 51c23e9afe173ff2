/* netaddr.c: address parsing and subnet arithmetic. */
#include "netaddr.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static int parse_host(const char *s, struct netaddr *out)
{
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, s, out->bytes) == 1)
		out->family = AF_INET;
	else if (inet_pton(AF_INET6, s, out->bytes) == 1)
		out->family = AF_INET6;
	else
		return -1;
	out->prefix = netaddr_bits(out);
	return 0;
}

int netaddr_parse_ip(const char *s, struct netaddr *out)
{
	return parse_host(s, out);
}

int netaddr_parse_cidr(const char *s, struct netaddr *out)
{
	char host[NETADDR_STRLEN];
	const char *slash = strchr(s, '/');
	char *end;
	unsigned long prefix;

	if (!slash || (size_t)(slash - s) >= sizeof(host) || !isdigit((unsigned char)slash[1]))
		return -1;
	memcpy(host, s, slash - s);
	host[slash - s] = '\0';
	if (parse_host(host, out) < 0)
		return -1;
	prefix = strtoul(slash + 1, &end, 10);
	if (*end || prefix > netaddr_bits(out) || end - (slash + 1) > 3)
		return -1;
	out->prefix = prefix;
	return 0;
}

unsigned netaddr_bits(const struct netaddr *a)
{
	return a->family == AF_INET ? 32 : 128;
}

size_t netaddr_len(const struct netaddr *a)
{
	return a->family == AF_INET ? 4 : 16;
}

/* The bit at position i, counting from the most significant. */
static int bit_at(const struct netaddr *a, unsigned i)
{
	return (a->bytes[i / 8] >> (7 - i % 8)) & 1;
}

bool netaddr_contains(const struct netaddr *net, const struct netaddr *ip)
{
	unsigned i;

	if (net->family != ip->family)
		return false;
	for (i = 0; i < net->prefix; i++)
		if (bit_at(net, i) != bit_at(ip, i))
			return false;
	return true;
}

bool netaddr_same_ip(const struct netaddr *a, const struct netaddr *b)
{
	return a->family == b->family && memcmp(a->bytes, b->bytes, netaddr_len(a)) == 0;
}

static bool host_bits_all(const struct netaddr *a, int value)
{
	unsigned i;

	for (i = a->prefix; i < netaddr_bits(a); i++)
		if (bit_at(a, i) != value)
			return false;
	return true;
}

bool netaddr_has_host_bits(const struct netaddr *a)
{
	return !host_bits_all(a, 0);
}

bool netaddr_host_bits_all_ones(const struct netaddr *a)
{
	return host_bits_all(a, 1);
}

bool netaddr_is_special(const struct netaddr *a)
{
	static const uint8_t zero[16];
	const uint8_t *b = a->bytes;

	if (memcmp(b, zero, netaddr_len(a)) == 0)
		return true;
	if (a->family == AF_INET)
		return b[0] == 127 || (b[0] & 0xf0) == 0xe0 ||
		       memcmp(b, "\xff\xff\xff\xff", 4) == 0;
	return b[0] == 0xff || (memcmp(b, zero, 15) == 0 && b[15] == 1);
}

bool netaddr_is_link_local(const struct netaddr *a)
{
	if (a->family == AF_INET)
		return a->bytes[0] == 169 && a->bytes[1] == 254;
	return a->bytes[0] == 0xfe && (a->bytes[1] & 0xc0) == 0x80;
}

const char *netaddr_family_name(int family)
{
	return family == AF_INET ? "IPv4" : "IPv6";
}

const char *netaddr_ip_str(const struct netaddr *a, char *buf)
{
	if (!inet_ntop(a->family, a->bytes, buf, NETADDR_STRLEN))
		snprintf(buf, NETADDR_STRLEN, "?");
	return buf;
}

const char *netaddr_cidr_str(const struct netaddr *a, char *buf)
{
	size_t len = strlen(netaddr_ip_str(a, buf));

	snprintf(buf + len, NETADDR_STRLEN - len, "/%u", a->prefix);
	return buf;
}

int mac_parse(const char *s, uint8_t mac[6])
{
	unsigned i;

	for (i = 0; i < 6; i++) {
		const char *p = s + 3 * i;

		if (!isxdigit((unsigned char)p[0]) || !isxdigit((unsigned char)p[1]))
			return -1;
		if (p[2] != (i == 5 ? '\0' : ':'))
			return -1;
		mac[i] = (uint8_t)strtoul((char[]){ p[0], p[1], '\0' }, NULL, 16);
	}
	return 0;
}

bool mac_is_multicast(const uint8_t mac[6])
{
	return mac[0] & 1;
}

bool mac_is_zero(const uint8_t mac[6])
{
	static const uint8_t zero[6];

	return memcmp(mac, zero, 6) == 0;
}

const char *mac_str(const uint8_t mac[6], char *buf)
{
	snprintf(buf, MAC_STRLEN, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
		 mac[4], mac[5]);
	return buf;
}
