/* request.h: what the container asked for, one entry per interface.
 *
 * Filled from annotations by annotations.c, carried out by attach.c. */
#pragma once

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netaddr.h"

#define ANNOTATION_PREFIX "oci-macvlan/"
#define MAX_INTERFACES 16
#define MAX_ADDRESSES 16
#define MAX_ROUTES 32
#define MAX_NETWORK_NAME 64
#define MODE_UNSET (-1)

enum dad {
	DAD_DEFAULT = 0, /* the network's setting; off without a network */
	DAD_OFF,
	DAD_ON,
};

struct route_request {
	struct netaddr dst;
	struct netaddr via; /* family 0: on-link */
};

struct iface_request {
	char where[40]; /* key prefix for messages: "oci-macvlan/" or "oci-macvlan/interfaces[1]."
			 */
	char ifname[IFNAMSIZ];
	char parent[IFNAMSIZ]; /* "" for the interface of the default route */
	int mode; /* MACVLAN_MODE_*; MODE_UNSET until annotations or a network set it */
	unsigned mtu; /* 0: the parent's */
	uint8_t mac[6];
	bool has_mac;
	unsigned vlan; /* 0: none */
	enum dad dad; /* probe for address conflicts before configuring them */
	bool promisc; /* the parent in promiscuous mode (a network's promisc) */
	char network[MAX_NETWORK_NAME];
	struct netaddr addresses[MAX_ADDRESSES];
	size_t n_addresses;
	struct netaddr gateways[2];
	size_t n_gateways;
	struct route_request routes[MAX_ROUTES];
	size_t n_routes;
};

struct hook_request {
	struct iface_request ifaces[MAX_INTERFACES];
	size_t n;
};

/* "bridge", "private", ... <-> MACVLAN_MODE_*; -1 / NULL when unknown. */
int macvlan_mode_parse(const char *name);
const char *macvlan_mode_name(int mode);
/* True when the interface has an address of the family (AF_INET, AF_INET6). */
bool iface_has_family(const struct iface_request *ifc, int family);
