/* ndisc.c: DAD sysctls and raw ICMPv6 neighbour advertisements. */
#include "ndisc.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/icmp6.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "cleanup.h"

#define STR_(x) #x
#define STR(x) STR_(x)

/* An advertisement with the target's link-layer address option. */
struct na_packet {
	struct nd_neighbor_advert na;
	struct nd_opt_hdr opt;
	uint8_t mac[6];
};
_Static_assert(sizeof(struct na_packet) == 32, "an NA with one 8-byte option");

static int sysctl_write(const char *dir, const char *ifname, const char *key, const char *value,
			struct error *err)
{
	char path[128];
	_cleanup_close_ int fd = -1;
	size_t len = strlen(value);

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/%s/%s/%s", dir, ifname, key);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, value, len) != (ssize_t)len)
		return error_sys(err, errno, "%s", path);
	return 0;
}

int ndisc_dad_tune(const char *ifname, struct error *err)
{
	static const struct {
		const char *dir, *key, *value;
	} settings[] = {
		{ "conf", "accept_dad", "1" },
		{ "conf", "dad_transmits", "1" },
		/* DAD starts after a random delay below this, 1 s by default. */
		{ "conf", "router_solicitation_delay", "0" },
		{ "neigh", "retrans_time_ms", STR(NDISC_DAD_RETRANS_MS) },
	};
	size_t i;

	for (i = 0; i < sizeof(settings) / sizeof(settings[0]); i++)
		if (sysctl_write(settings[i].dir, ifname, settings[i].key, settings[i].value, err) <
		    0)
			return -1;
	return 0;
}

/* A raw ICMPv6 socket, bound to the link ifname when it is not NULL. */
static int icmp6_socket(const char *ifname, int flags, int *out, struct error *err)
{
	_cleanup_close_ int fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC | flags, IPPROTO_ICMPV6);

	if (fd < 0)
		return error_sys(err, errno, "ICMPv6 socket");
	if (ifname && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, strlen(ifname)) < 0)
		return error_sys(err, errno, "ICMPv6 socket on %s", ifname);
	*out = steal_fd(&fd);
	return 0;
}

int ndisc_watch_open(const char *ifname, int *out, struct error *err)
{
	struct icmp6_filter filter;
	_cleanup_close_ int fd = -1;

	if (icmp6_socket(ifname, SOCK_NONBLOCK, &fd, err) < 0)
		return -1;
	ICMP6_FILTER_SETBLOCKALL(&filter);
	ICMP6_FILTER_SETPASS(ND_NEIGHBOR_ADVERT, &filter);
	if (setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof(filter)) < 0)
		return error_sys(err, errno, "ICMPv6 filter");
	*out = steal_fd(&fd);
	return 0;
}

/* True, with the MAC of its target link-layer address option, when the
 * ICMPv6 message p of len bytes is an advertisement for addr. */
static bool advert_claims(const uint8_t *p, size_t len, const struct netaddr *addr, uint8_t mac[6])
{
	const struct nd_neighbor_advert *na = (const void *)p;
	size_t off = sizeof(*na);

	if (len < sizeof(*na) || na->nd_na_type != ND_NEIGHBOR_ADVERT ||
	    memcmp(&na->nd_na_target, addr->bytes, 16) != 0)
		return false;
	while (off + 8 <= len && p[off + 1] != 0) {
		if (p[off] == ND_OPT_TARGET_LINKADDR && p[off + 1] == 1) {
			memcpy(mac, p + off + 2, 6);
			return true;
		}
		off += p[off + 1] * 8;
	}
	return false;
}

bool ndisc_watch_claimant(int fd, const struct netaddr *addr, uint8_t mac[6])
{
	union {
		struct nd_neighbor_advert align;
		uint8_t bytes[1280];
	} buf;
	ssize_t got;

	while ((got = recv(fd, buf.bytes, sizeof(buf.bytes), MSG_DONTWAIT)) >= 0 || errno == EINTR)
		if (got >= 0 && advert_claims(buf.bytes, got, addr, mac))
			return true;
	return false;
}

/* The advertisement for a, from a on the link ifindex to all nodes. */
static int send_advert(int fd, int ifindex, const uint8_t mac[6], const struct netaddr *a,
		       struct error *err)
{
	struct na_packet p = {
		.na.nd_na_type = ND_NEIGHBOR_ADVERT,
		.na.nd_na_flags_reserved = ND_NA_FLAG_OVERRIDE,
		.opt = { .nd_opt_type = ND_OPT_TARGET_LINKADDR, .nd_opt_len = 1 },
	};
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_scope_id = ifindex };
	struct in6_pktinfo info = { .ipi6_ifindex = ifindex };
	union {
		struct cmsghdr align;
		char bytes[CMSG_SPACE(sizeof(info))];
	} control = { .bytes = { 0 } };
	struct iovec iov = { .iov_base = &p, .iov_len = sizeof(p) };
	struct msghdr msg = {
		.msg_name = &to,
		.msg_namelen = sizeof(to),
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control.bytes,
		.msg_controllen = sizeof(control.bytes),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	inet_pton(AF_INET6, "ff02::1", &to.sin6_addr);
	memcpy(&p.na.nd_na_target, a->bytes, 16);
	memcpy(p.mac, mac, 6);
	memcpy(&info.ipi6_addr, a->bytes, 16); /* the source: the address itself */
	c->cmsg_level = IPPROTO_IPV6;
	c->cmsg_type = IPV6_PKTINFO;
	c->cmsg_len = CMSG_LEN(sizeof(info));
	memcpy(CMSG_DATA(c), &info, sizeof(info));
	if (sendmsg(fd, &msg, 0) < 0)
		return error_sys(err, errno, "sending a neighbour advertisement");
	return 0;
}

/* A socket to send neighbour discovery from, with the hop limit it needs. */
static int advert_socket(int *out, struct error *err)
{
	int hops = 255; /* receivers drop neighbour discovery from beyond the link */
	_cleanup_close_ int fd = -1;

	if (icmp6_socket(NULL, 0, &fd, err) < 0)
		return -1;
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops)) < 0)
		return error_sys(err, errno, "ICMPv6 hop limit");
	*out = steal_fd(&fd);
	return 0;
}

int ndisc_announce(int ifindex, const uint8_t mac[6], const struct netaddr *addrs, size_t n,
		   struct error *err)
{
	_cleanup_close_ int fd = -1;
	size_t i;

	for (i = 0; i < n; i++) {
		if (addrs[i].family != AF_INET6)
			continue;
		if (fd < 0 && advert_socket(&fd, err) < 0)
			return -1;
		if (send_advert(fd, ifindex, mac, &addrs[i], err) < 0)
			return -1;
	}
	return 0;
}
