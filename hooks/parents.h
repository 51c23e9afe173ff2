/* parents.h: what containers share on the host side: the VLAN links
 * (PARENT.ID) the hook creates and the promiscuous mode it turns on.
 *
 * Each is counted per container (refs.h) and taken back when its last
 * container goes, only when the hook made it: a VLAN link or a promiscuous
 * mode an admin set up stays. */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "error.h"
#include "netlink.h"
#include "refs.h"
#include "request.h"

#define PARENTS_VLAN "vlan"
#define PARENTS_PROMISC "promisc"

/* PARENT.ID for the request's VLAN, created (up, with the parent's MTU)
 * when missing, in *vlan; the container becomes one of its users (*added
 * false when it was one already). */
int parents_take_vlan(struct netlink *host, const struct iface_request *ifc,
		      const struct refs_user *user, const struct link_info *parent,
		      struct link_info *vlan, bool *added, struct error *err);
/* The parent's promiscuous mode, turned on when off; counted as above. */
int parents_take_promisc(struct netlink *host, const struct iface_request *ifc,
			 const struct refs_user *user, const struct link_info *parent, bool *added,
			 struct error *err);
/* Drops one reference a failed attach took (kind PARENTS_VLAN or PARENTS_PROMISC). */
void parents_drop(struct netlink *host, const char *kind, const char *name, const char *id);
/* Drops every reference of the container (poststop). */
int parents_release(const char *id, struct error *err);
/* Drops the references of containers whose process is gone, a line each on out. */
int parents_gc(FILE *out, struct error *err);
