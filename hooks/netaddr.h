/* netaddr.h: IPv4/IPv6 addresses with prefixes, and MAC addresses.
 *
 * Pure parsing and arithmetic; no system calls. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct netaddr {
	int family; /* AF_INET or AF_INET6 */
	uint8_t bytes[16]; /* network byte order; 4 used for AF_INET */
	unsigned prefix; /* 0..32 or 0..128 */
};

#define NETADDR_STRLEN 64 /* enough for an IPv6 address with "/128" */
#define MAC_STRLEN 18

/* "ADDR/PREFIX"; fails unless both parts are valid for the family. */
int netaddr_parse_cidr(const char *s, struct netaddr *out);
/* "ADDR" alone; the prefix becomes the full length (32 or 128). */
int netaddr_parse_ip(const char *s, struct netaddr *out);

unsigned netaddr_bits(const struct netaddr *a);
/* Byte length of the address: 4 or 16. */
size_t netaddr_len(const struct netaddr *a);
/* True when ip lies in net's subnet (same family, first net->prefix bits). */
bool netaddr_contains(const struct netaddr *net, const struct netaddr *ip);
/* True when both hold the same address, prefixes aside. */
bool netaddr_same_ip(const struct netaddr *a, const struct netaddr *b);
/* True when some bit after the prefix is set. */
bool netaddr_has_host_bits(const struct netaddr *a);
/* True when the host bits are all ones (the IPv4 broadcast address). */
bool netaddr_host_bits_all_ones(const struct netaddr *a);
/* Multicast, loopback or unspecified: never a host's own address. */
bool netaddr_is_special(const struct netaddr *a);
bool netaddr_is_link_local(const struct netaddr *a);
const char *netaddr_family_name(int family);

/* "ADDR" and "ADDR/PREFIX" into buf of NETADDR_STRLEN bytes. */
const char *netaddr_ip_str(const struct netaddr *a, char *buf);
const char *netaddr_cidr_str(const struct netaddr *a, char *buf);

/* "xx:xx:xx:xx:xx:xx" with hex digits, either case. */
int mac_parse(const char *s, uint8_t mac[6]);
bool mac_is_multicast(const uint8_t mac[6]);
bool mac_is_zero(const uint8_t mac[6]);
const char *mac_str(const uint8_t mac[6], char *buf);
