/* ipam.h: named networks end to end. Interfaces that name a network get
 * its settings and their addresses from its ranges, held as leases
 * (lease.h) keyed by container id and interface; a container of a pod
 * gets the addresses its pod holds and a line of its own for each.
 * poststop releases a container's leases and gc drops those of
 * containers that are gone. */
#pragma once

#include <stdio.h>

#include "error.h"
#include "request.h"

struct ipam_taken {
	char network[MAX_NETWORK_NAME];
	struct netaddr addr;
};

/* The leases one attach took, to give back if the attach fails. */
struct ipam {
	const char *id; /* the container's */
	struct ipam_taken taken[MAX_INTERFACES * MAX_ADDRESSES];
	size_t n;
};

/* Applies each named network to its interfaces and gives them addresses;
 * then checks the whole request as annotations_parse() does. */
int ipam_assign(struct hook_request *req, const char *id, int pid, struct ipam *ipam,
		struct error *err);
/* Gives back the leases ipam_assign() took (after a failed attach). */
void ipam_undo(const struct ipam *ipam);
/* Releases every lease of the container (poststop). */
int ipam_release(const char *id, struct error *err);
/* Drops the leases of containers whose process is gone, a line each on out. */
int ipam_gc(FILE *out, struct error *err);
