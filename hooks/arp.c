/* arp.c: RFC 5227 probes and announcements through an AF_PACKET socket. */
#include "arp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <netinet/if_ether.h>
#include <string.h>
#include <sys/socket.h>

#include "cleanup.h"
#include "deadline.h"

static const uint8_t broadcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t unspecified[4];

int arp_open(int ifindex, int *out, struct error *err)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ARP),
		.sll_ifindex = ifindex,
	};
	/* Protocol 0 until bound: no frame of another link gets queued first. */
	_cleanup_close_ int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return error_sys(err, errno, "ARP socket");
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return error_sys(err, errno, "ARP socket on interface %d", ifindex);
	*out = steal_fd(&fd);
	return 0;
}

/* A broadcast ARP request from mac: "who has tpa? tell spa". */
static int arp_request(int fd, int ifindex, const uint8_t mac[6], const uint8_t spa[4],
		       const uint8_t tpa[4], struct error *err)
{
	struct ether_arp p = { .ea_hdr = {
				       .ar_hrd = htons(ARPHRD_ETHER),
				       .ar_pro = htons(ETHERTYPE_IP),
				       .ar_hln = 6,
				       .ar_pln = 4,
				       .ar_op = htons(ARPOP_REQUEST),
			       } };
	struct sockaddr_ll to = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ARP),
		.sll_ifindex = ifindex,
		.sll_halen = 6,
	};

	memcpy(to.sll_addr, broadcast, 6);
	memcpy(p.arp_sha, mac, 6);
	memcpy(p.arp_spa, spa, 4);
	memcpy(p.arp_tpa, tpa, 4);
	if (sendto(fd, &p, sizeof(p), 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		return error_sys(err, errno, "sending an ARP request");
	return 0;
}

static int send_probes(int fd, int ifindex, const uint8_t mac[6], const struct netaddr *addrs,
		       size_t n, struct error *err)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (addrs[i].family == AF_INET &&
		    arp_request(fd, ifindex, mac, unspecified, addrs[i].bytes, err) < 0)
			return -1;
	return 0;
}

/* The address of addrs that ARP packet p, from another MAC than ours,
 * shows in use or probed for by someone else; NULL when none. */
static const struct netaddr *conflicting(const struct ether_arp *p, const uint8_t mac[6],
					 const struct netaddr *addrs, size_t n)
{
	bool probe =
		ntohs(p->ea_hdr.ar_op) == ARPOP_REQUEST && memcmp(p->arp_spa, unspecified, 4) == 0;
	size_t i;

	if (ntohs(p->ea_hdr.ar_hrd) != ARPHRD_ETHER || ntohs(p->ea_hdr.ar_pro) != ETHERTYPE_IP ||
	    p->ea_hdr.ar_hln != 6 || p->ea_hdr.ar_pln != 4 || memcmp(p->arp_sha, mac, 6) == 0)
		return NULL;
	for (i = 0; i < n; i++) {
		if (addrs[i].family != AF_INET)
			continue;
		if (memcmp(p->arp_spa, addrs[i].bytes, 4) == 0 ||
		    (probe && memcmp(p->arp_tpa, addrs[i].bytes, 4) == 0))
			return &addrs[i];
	}
	return NULL;
}

/* Reads the link's ARP frames until the deadline: 1 with *out filled at
 * the first conflict, 0 when there was none. */
static int listen_until(int fd, int64_t deadline, const uint8_t mac[6], const struct netaddr *addrs,
			size_t n, struct arp_conflict *out, struct error *err)
{
	struct ether_arp p;
	struct sockaddr_ll from;
	socklen_t len;
	ssize_t got;
	int r;

	while ((r = deadline_wait_readable(fd, deadline)) > 0) {
		len = sizeof(from);
		got = recvfrom(fd, &p, sizeof(p), MSG_DONTWAIT, (struct sockaddr *)&from, &len);
		if (got < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (got < 0)
			return error_sys(err, errno, "reading ARP answers");
		if ((size_t)got < sizeof(p) || from.sll_pkttype == PACKET_OUTGOING)
			continue;
		out->address = conflicting(&p, mac, addrs, n);
		if (out->address) {
			memcpy(out->mac, p.arp_sha, 6);
			return 1;
		}
	}
	return r < 0 ? error_sys(err, errno, "waiting for ARP answers") : 0;
}

int arp_probe(int fd, int ifindex, const uint8_t mac[6], const struct netaddr *addrs, size_t n,
	      struct arp_conflict *out, struct error *err)
{
	int k, r;

	out->address = NULL;
	for (k = 0; k < ARP_PROBE_COUNT; k++) {
		int wait = k + 1 < ARP_PROBE_COUNT ? ARP_PROBE_INTERVAL_MS : ARP_PROBE_WAIT_MS;

		if (send_probes(fd, ifindex, mac, addrs, n, err) < 0)
			return -1;
		r = listen_until(fd, deadline_after_ms(wait), mac, addrs, n, out, err);
		if (r != 0)
			return r < 0 ? -1 : 0;
	}
	return 0;
}

int arp_announce(int fd, int ifindex, const uint8_t mac[6], const struct netaddr *addrs, size_t n,
		 struct error *err)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (addrs[i].family == AF_INET &&
		    arp_request(fd, ifindex, mac, addrs[i].bytes, addrs[i].bytes, err) < 0)
			return -1;
	return 0;
}
