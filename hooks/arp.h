/* arp.h: IPv4 address conflicts and announcements on the wire (RFC 5227).
 *
 * A raw AF_PACKET socket, opened in the calling thread's network namespace:
 * open it after entering the container's, on its link. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "netaddr.h"

/* The probe's timing. RFC 5227 sends 3 probes 1-2 s apart and waits 2 s
 * more, made for hosts booting on a busy LAN; a container start cannot wait
 * seconds. Hosts on a LAN answer an ARP request within a millisecond or
 * two, so 2 probes 50 ms apart and 100 ms of listening after the last one
 * leave a wide margin for a slow host and for one lost frame. */
#define ARP_PROBE_COUNT 2
#define ARP_PROBE_INTERVAL_MS 50
#define ARP_PROBE_WAIT_MS 100 /* after the last probe */
/* What a probe that finds no conflict costs; a conflict ends it at once. */
#define ARP_PROBE_TOTAL_MS ((ARP_PROBE_COUNT - 1) * ARP_PROBE_INTERVAL_MS + ARP_PROBE_WAIT_MS)

struct arp_conflict {
	const struct netaddr *address; /* NULL: nobody else has any of them */
	uint8_t mac[6]; /* who answered */
};

/* A packet socket that hears the ARP frames of the link ifindex. Closing
 * it costs the kernel an RCU grace period (synchronize_net(), about 10 ms),
 * so the attach opens one only to probe, and has the kernel announce the
 * addresses when it does not probe (see netlink_link_rename_announcing()). */
int arp_open(int ifindex, int *fd, struct error *err);

/* Probes the link, whose MAC is mac, for each IPv4 address of addrs
 * (others are skipped) at once: an ARP reply or request from another MAC
 * with the address as its sender, or another host's probe for it, is a
 * conflict. Takes ARP_PROBE_TOTAL_MS when there is none. */
int arp_probe(int fd, int ifindex, const uint8_t mac[6], const struct netaddr *addrs, size_t n,
	      struct arp_conflict *out, struct error *err);

/* One gratuitous ARP request (an RFC 5227 announcement) for each IPv4
 * address of addrs, so neighbours replace a stale MAC for it at once. */
int arp_announce(int fd, int ifindex, const uint8_t mac[6], const struct netaddr *addrs, size_t n,
		 struct error *err);
