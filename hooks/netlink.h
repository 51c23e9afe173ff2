/* netlink.h: the hook's rtnetlink operations, one call each.
 *
 * The only seam to libnl. A struct netlink is a route socket bound to the
 * network namespace that was current when it was opened. Every lookup is a
 * single request by name or index: nothing here dumps the host's links, so
 * the cost does not grow with the number of links on the host. */
#pragma once

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "netaddr.h"

struct netlink;

struct link_info {
	int ifindex;
	char name[IFNAMSIZ];
	char kind[16]; /* "" for a plain device */
	unsigned mtu;
	unsigned flags; /* IFF_* */
	uint8_t mac[6];
	int lower_ifindex; /* IFLA_LINK: the parent of a macvlan or VLAN */
	unsigned arptype; /* ARPHRD_* */
	int macvlan_mode; /* MACVLAN_MODE_* when kind is "macvlan" */
};

struct macvlan_spec {
	const char *name;
	int parent_ifindex;
	int mode;
	unsigned mtu; /* 0: the parent's */
	const uint8_t *mac; /* NULL: kernel-chosen */
	int netns_fd; /* create it directly in this namespace; -1: the socket's */
};

int netlink_open(struct netlink **out, struct error *err);
void netlink_close(struct netlink *nl);

/* Looks a link up by name; err->code is ENODEV when it does not exist. */
int netlink_link_by_name(struct netlink *nl, const char *name, struct link_info *out,
			 struct error *err);
/* The link carrying the main table's default route (IPv4, else IPv6). */
int netlink_default_route_link(struct netlink *nl, struct link_info *out, struct error *err);

int netlink_macvlan_create(struct netlink *nl, const struct macvlan_spec *spec, struct error *err);
/* Creates PARENT.ID up, with the MTU mtu (the parent's), in one request. */
int netlink_vlan_create(struct netlink *nl, const char *name, int parent_ifindex, unsigned id,
			unsigned mtu, struct error *err);
/* Renames the link and has the kernel send a gratuitous ARP for each of
 * its IPv4 addresses whenever it comes up (arp_notify), all in one request. */
int netlink_link_rename_announcing(struct netlink *nl, int ifindex, const char *name,
				   struct error *err);
int netlink_link_up(struct netlink *nl, int ifindex, struct error *err);
/* Turns the link's own promiscuous flag (IFF_PROMISC, as "ip link set
 * promisc") on or off in one request. */
int netlink_link_set_promisc(struct netlink *nl, int ifindex, bool on, struct error *err);
int netlink_link_delete(struct netlink *nl, int ifindex, struct error *err);

/* Adds an address; IPv6 ones skip duplicate address detection. */
int netlink_addr_add(struct netlink *nl, int ifindex, const struct netaddr *a, struct error *err);
/* Adds an address; an IPv6 one stays tentative while the kernel's
 * duplicate address detection runs (see netlink_dad_wait()). */
int netlink_addr_add_dad(struct netlink *nl, int ifindex, const struct netaddr *a,
			 struct error *err);
/* Waits, until deadline at most (deadline.h), for the kernel's duplicate
 * address detection to finish for each IPv6 address of addrs on the link
 * (other families are skipped). *failed is the first it found in use
 * elsewhere, or NULL. ETIMEDOUT when detection is still running then. */
int netlink_dad_wait(struct netlink *nl, int ifindex, const struct netaddr *addrs, size_t n,
		     int64_t deadline, const struct netaddr **failed, struct error *err);
/* True in *found when the link already has this address and prefix. */
int netlink_addr_present(struct netlink *nl, int ifindex, const struct netaddr *a, bool *found,
			 struct error *err);
/* A route to dst through the link, via a gateway unless via->family is 0. */
int netlink_route_add(struct netlink *nl, int ifindex, const struct netaddr *dst,
		      const struct netaddr *via, struct error *err);
