/* network.h: named networks, /etc/oci-macvlan/networks.d/NAME.json.
 *
 * A network gives its containers their parent, mode, MTU, VLAN, gateways
 * and the subnets their addresses come from. The directory is
 * $OCI_MACVLAN_NETWORKS_DIR when set (tests), else NETWORKS_DIR. */
#pragma once

#include <limits.h>
#include <net/if.h>
#include <stdbool.h>

#include "error.h"
#include "netaddr.h"
#include "request.h"

#define NETWORKS_DIR "/etc/oci-macvlan/networks.d"
#define MAX_SUBNETS 8
#define MAX_AUX_ADDRESSES 32
#define MAX_SHIM_ROUTES 8

struct subnet {
	struct netaddr subnet; /* no host bits */
	struct netaddr gateway; /* family 0: none */
	struct netaddr range; /* ip_range: where addresses are handed out from */
	struct netaddr aux[MAX_AUX_ADDRESSES]; /* never handed out */
	size_t n_aux;
};

struct network {
	char name[MAX_NETWORK_NAME];
	char path[PATH_MAX]; /* for messages */
	char parent[IFNAMSIZ];
	int mode; /* MACVLAN_MODE_* */
	unsigned mtu; /* 0: the parent's */
	unsigned vlan; /* 0: none */
	bool dad;
	bool promisc; /* the parent in promiscuous mode while containers use it */
	struct subnet subnets[MAX_SUBNETS];
	size_t n_subnets;
	/* host_shim (shim.h): the host's own macvlan, its addresses (one per
	 * family, never handed out) and the routes to the containers through it */
	size_t n_shim_addresses; /* 0: no shim */
	struct netaddr shim_addresses[2];
	size_t n_shim_routes;
	struct netaddr shim_routes[MAX_SHIM_ROUTES];
};

/* A network name: 1-63 letters, digits, '_', '.' and '-' that can name its
 * lease file (lease.h state_file_name()); EINVAL naming it otherwise. */
int network_name_check(const char *name, struct error *err);
/* Parses the text of a network file; path names it in messages. */
int network_parse(const char *name, const char *path, const char *text, struct network *net,
		  struct error *err);
/* Reads and parses NAME.json from the networks directory. */
int network_load(const char *name, struct network *net, struct error *err);
/* Fills what the container left unset from the network, and checks what it
 * set against the network's subnets. Addresses are the allocator's. */
int network_apply(const struct network *net, struct iface_request *ifc, struct error *err);
