/* ndisc.h: IPv6 neighbour discovery around an attach: the kernel's
 * duplicate address detection made short, who answered it, and unsolicited
 * neighbour advertisements.
 *
 * Sysctls and raw ICMPv6 sockets of the calling thread's network namespace:
 * call these after entering the container's. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "netaddr.h"

/* The kernel's DAD, as ndisc_dad_tune() sets it for one link: one
 * neighbour solicitation, sent without the random delay of up to 1 s, and
 * an answer awaited for NDISC_DAD_RETRANS_MS (RFC 4862's default is 1 s).
 * A host on the LAN answers within a millisecond or two. The attach gives
 * up, with an error, when DAD has not finished after NDISC_DAD_WAIT_MS (a
 * parent without carrier, say). */
#define NDISC_DAD_RETRANS_MS 100
#define NDISC_DAD_WAIT_MS 300

/* Turns DAD on for the link ifname with the timing above. */
int ndisc_dad_tune(const char *ifname, struct error *err);

/* A raw ICMPv6 socket on the link that keeps the neighbour advertisements
 * arriving there, to tell afterwards who answered a DAD probe. */
int ndisc_watch_open(const char *ifname, int *fd, struct error *err);
/* True, with its MAC, when an advertisement kept by the watch claims addr. */
bool ndisc_watch_claimant(int fd, const struct netaddr *addr, uint8_t mac[6]);

/* One unsolicited neighbour advertisement with the override flag to all
 * nodes for each IPv6 address of addrs (others are skipped), so that
 * neighbours replace a stale MAC for it at once. */
int ndisc_announce(int ifindex, const uint8_t mac[6], const struct netaddr *addrs, size_t n,
		   struct error *err);
