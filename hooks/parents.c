/* parents.c: VLAN links and promiscuous parents, counted with refs.c. */
#include "parents.h"

#include <errno.h>
#include <string.h>

#include "log.h"

/* The context of every refs.c callback here; only host for the frees. */
struct claim {
	struct netlink *host;
	const struct iface_request *ifc;
	const struct link_info *parent;
	struct link_info *link; /* the VLAN link */
};

/* The last user of a VLAN link the hook created went: delete it. */
static void free_vlan(const char *name, void *ctx)
{
	struct netlink *host = ((const struct claim *)ctx)->host;
	struct link_info link;
	struct error err;

	if (netlink_link_by_name(host, name, &link, &err) == 0 && strcmp(link.kind, "vlan") == 0 &&
	    netlink_link_delete(host, link.ifindex, &err) == 0)
		log_debug("deleted %s", name);
	else if (err.code != ENODEV)
		log_warn("deleting the VLAN link %s: %s", name, err.msg);
}

/* The last user of a promiscuous mode the hook turned on went: off. */
static void free_promisc(const char *name, void *ctx)
{
	struct netlink *host = ((const struct claim *)ctx)->host;
	struct link_info link;
	struct error err;

	if (netlink_link_by_name(host, name, &link, &err) == 0 &&
	    netlink_link_set_promisc(host, link.ifindex, false, &err) == 0)
		log_debug("%s: promiscuous mode off", name);
	else if (err.code != ENODEV)
		log_warn("%s: turning promiscuous mode off: %s", name, err.msg);
}

/* Under the record's lock: PARENT.ID as it is, or created. */
static int claim_vlan(const char *name, void *ctx, bool *made, struct error *err)
{
	const struct claim *c = ctx;
	const struct iface_request *ifc = c->ifc;

	if (netlink_link_by_name(c->host, name, c->link, err) == 0) {
		if (strcmp(c->link->kind, "vlan") != 0 ||
		    c->link->lower_ifindex != c->parent->ifindex)
			return error_set(
				err, EEXIST,
				"%svlan: %u: %s exists but is not a VLAN link of its parent",
				ifc->where, ifc->vlan, name);
		return 0;
	}
	if (err->code != ENODEV)
		return error_prefix(err, "%svlan", ifc->where);
	if (netlink_vlan_create(c->host, name, c->parent->ifindex, ifc->vlan, c->parent->mtu, err) <
	    0) {
		if (err->code == EOPNOTSUPP)
			return error_set(err, EOPNOTSUPP,
					 "%svlan: %u: cannot create %s: this kernel has no 802.1Q "
					 "VLAN support (CONFIG_VLAN_8021Q, module 8021q)",
					 ifc->where, ifc->vlan, name);
		return error_prefix(err, "%svlan: %u: %s", ifc->where, ifc->vlan, name);
	}
	*made = true;
	if (netlink_link_by_name(c->host, name, c->link, err) < 0)
		return error_prefix(err, "%svlan", ifc->where);
	return 0;
}

int parents_take_vlan(struct netlink *host, const struct iface_request *ifc,
		      const struct refs_user *user, const struct link_info *parent,
		      struct link_info *vlan, bool *added, struct error *err)
{
	struct claim c = { host, ifc, parent, vlan };
	char name[IFNAMSIZ + 8];

	*added = false;
	snprintf(name, sizeof(name), "%s.%u", parent->name, ifc->vlan);
	if (strlen(name) >= IFNAMSIZ)
		return error_set(err, EINVAL, "%svlan: %u: the VLAN link name \"%s\" is too long",
				 ifc->where, ifc->vlan, name);
	return refs_acquire(PARENTS_VLAN, name, user, claim_vlan, free_vlan, &c, added, err);
}

/* Under the record's lock: the parent's own flag as it is now. */
static int claim_promisc(const char *name, void *ctx, bool *made, struct error *err)
{
	const struct claim *c = ctx;
	struct link_info now;

	if (netlink_link_by_name(c->host, name, &now, err) < 0)
		return error_prefix(err, "%sparent", c->ifc->where);
	if (now.flags & IFF_PROMISC)
		return 0;
	if (netlink_link_set_promisc(c->host, now.ifindex, true, err) < 0)
		return error_prefix(err, "network \"%s\": promisc: parent %s", c->ifc->network,
				    name);
	*made = true;
	return 0;
}

int parents_take_promisc(struct netlink *host, const struct iface_request *ifc,
			 const struct refs_user *user, const struct link_info *parent, bool *added,
			 struct error *err)
{
	struct claim c = { host, ifc, parent, NULL };

	return refs_acquire(PARENTS_PROMISC, parent->name, user, claim_promisc, free_promisc, &c,
			    added, err);
}

static refs_free_fn free_fn(const char *kind)
{
	return strcmp(kind, PARENTS_VLAN) == 0 ? free_vlan : free_promisc;
}

void parents_drop(struct netlink *host, const char *kind, const char *name, const char *id)
{
	struct error err;

	if (refs_release(kind, name, id, free_fn(kind), &(struct claim){ .host = host }, &err) < 0)
		log_warn("%s", err.msg);
}

/* What to drop: the container id's references, or with out set those of
 * containers that are gone (a line each on out). */
struct sweep {
	const char *id;
	FILE *out;
};

static int sweep_kind(const struct sweep *sw, const char *kind, struct netlink *host,
		      struct error *err)
{
	struct claim c = { .host = host };

	if (sw->out)
		return refs_gc(kind, sw->out, free_fn(kind), &c, err);
	return refs_release_all(kind, sw->id, free_fn(kind), &c, err);
}

/* VLAN links first: they sit on the parents. */
static int sweep(const struct sweep *sw, struct error *err)
{
	struct netlink *host;
	int r;

	if (netlink_open(&host, err) < 0)
		return -1;
	r = sweep_kind(sw, PARENTS_VLAN, host, err);
	if (r == 0)
		r = sweep_kind(sw, PARENTS_PROMISC, host, err);
	netlink_close(host);
	return r;
}

int parents_release(const char *id, struct error *err)
{
	return sweep(&(struct sweep){ .id = id }, err);
}

int parents_gc(FILE *out, struct error *err)
{
	return sweep(&(struct sweep){ .out = out }, err);
}
