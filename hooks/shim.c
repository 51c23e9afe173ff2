/* shim.c: a network's host shim: create, address, route, delete. */
#include "shim.h"

#include <errno.h>
#include <linux/if_link.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "netlink.h"

#define SHIM_PREFIX "omv-"

const char *shim_name(const char *network, char *buf)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	const char *p;

	if (strlen(SHIM_PREFIX) + strlen(network) < IFNAMSIZ) {
		snprintf(buf, IFNAMSIZ, SHIM_PREFIX "%s", network);
		return buf;
	}
	for (p = network; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	snprintf(buf, IFNAMSIZ, SHIM_PREFIX "%.5s-%05x", network, (unsigned)(h & 0xfffff));
	return buf;
}

/* The network's parent link, or its PARENT.VLAN. */
static int shim_parent(struct netlink *nl, const struct network *net, struct link_info *out,
		       struct error *err)
{
	char name[IFNAMSIZ + 12]; /* PARENT.VLAN, checked by netlink_link_by_name() */

	if (net->vlan)
		snprintf(name, sizeof(name), "%s.%u", net->parent, net->vlan);
	else
		snprintf(name, sizeof(name), "%s", net->parent);
	if (netlink_link_by_name(nl, name, out, err) < 0)
		return error_prefix(err, "parent %s", name);
	return 0;
}

/* The shim link: the one there when it is ours on this parent, else a new
 * one. EEXIST on create is another hook having made it first. */
static int shim_link(struct netlink *nl, const char *name, const struct link_info *parent,
		     struct link_info *out, struct error *err)
{
	struct macvlan_spec spec = { .name = name,
				     .parent_ifindex = parent->ifindex,
				     .mode = MACVLAN_MODE_BRIDGE,
				     .netns_fd = -1 };

	if (netlink_link_by_name(nl, name, out, err) < 0) {
		if (err->code != ENODEV)
			return -1;
		if (netlink_macvlan_create(nl, &spec, err) < 0 && err->code != EEXIST)
			return -1;
		if (netlink_link_by_name(nl, name, out, err) < 0)
			return -1;
		log_debug("host shim %s created on %s", name, parent->name);
	}
	if (strcmp(out->kind, "macvlan") != 0 || out->lower_ifindex != parent->ifindex ||
	    out->macvlan_mode != MACVLAN_MODE_BRIDGE)
		return error_set(err, EEXIST,
				 "exists but is not a bridge-mode macvlan on %s; delete it first",
				 parent->name);
	return 0;
}

static int shim_address(struct netlink *nl, int ifindex, const struct netaddr *a, struct error *err)
{
	bool found;

	if (netlink_addr_present(nl, ifindex, a, &found, err) < 0)
		return -1;
	if (found || netlink_addr_add(nl, ifindex, a, err) == 0 || err->code == EEXIST)
		return 0;
	return -1;
}

static int shim_configure(struct netlink *nl, const struct network *net, const char *name,
			  struct error *err)
{
	struct link_info parent, shim;
	struct netaddr none = { .family = 0 };
	size_t i;

	if (shim_parent(nl, net, &parent, err) < 0 || shim_link(nl, name, &parent, &shim, err) < 0)
		return -1;
	for (i = 0; i < net->n_shim_addresses; i++)
		if (shim_address(nl, shim.ifindex, &net->shim_addresses[i], err) < 0)
			return -1;
	if (netlink_link_up(nl, shim.ifindex, err) < 0)
		return -1;
	for (i = 0; i < net->n_shim_routes; i++)
		if (netlink_route_add(nl, shim.ifindex, &net->shim_routes[i], &none, err) < 0 &&
		    err->code != EEXIST)
			return -1;
	return 0;
}

int shim_up(const struct network *net, struct error *err)
{
	struct netlink *nl = NULL;
	char name[IFNAMSIZ];
	int r;

	if (!net->n_shim_addresses)
		return error_set(err, EINVAL, "network \"%s\" has no host_shim in %s", net->name,
				 net->path);
	shim_name(net->name, name);
	if (netlink_open(&nl, err) < 0)
		return error_prefix(err, "network \"%s\": host shim %s", net->name, name);
	r = shim_configure(nl, net, name, err);
	netlink_close(nl);
	return r < 0 ? error_prefix(err, "network \"%s\": host shim %s", net->name, name) : 0;
}

static int shim_delete(struct netlink *nl, const char *name, struct error *err)
{
	struct link_info shim;

	if (netlink_link_by_name(nl, name, &shim, err) < 0)
		return err->code == ENODEV ? 0 : -1;
	if (strcmp(shim.kind, "macvlan") != 0)
		return error_set(err, EEXIST, "is a %s link, not a shim; left alone",
				 shim.kind[0] ? shim.kind : "plain");
	if (netlink_link_delete(nl, shim.ifindex, err) < 0)
		return err->code == ENODEV ? 0 : -1;
	log_debug("host shim %s deleted", name);
	return 0;
}

int shim_down(const char *network, struct error *err)
{
	struct netlink *nl = NULL;
	char name[IFNAMSIZ];
	int r;

	shim_name(network, name);
	if (netlink_open(&nl, err) < 0)
		return error_prefix(err, "network \"%s\": host shim %s", network, name);
	r = shim_delete(nl, name, err);
	netlink_close(nl);
	return r < 0 ? error_prefix(err, "network \"%s\": host shim %s", network, name) : 0;
}

int shim_up_for(const struct hook_request *req, struct error *err)
{
	struct network net;
	size_t i;

	for (i = 0; i < req->n; i++) {
		const struct iface_request *ifc = &req->ifaces[i];

		if (!ifc->network[0])
			continue;
		if (network_load(ifc->network, &net, err) < 0)
			return error_prefix(err, "%snetwork", ifc->where);
		if (net.n_shim_addresses && shim_up(&net, err) < 0)
			return -1;
	}
	return 0;
}
