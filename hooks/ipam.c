/* ipam.c: assign, undo, release and collect leases of named networks. */
#include "ipam.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "allocator.h"
#include "annotations.h"
#include "lease.h"
#include "log.h"
#include "network.h"
#include "shim.h"

/* Who asks: the container. */
struct holder {
	const char *id;
	int pid;
	unsigned long long start;
	unsigned long long netns;
};

static int take(struct lease_db *db, const struct holder *h, const struct iface_request *ifc,
		const struct netaddr *addr, struct ipam *ipam, struct error *err)
{
	struct lease l = {
		.addr = *addr, .id = h->id, .pid = h->pid, .start = h->start, .netns = h->netns
	};

	snprintf(l.ifname, sizeof(l.ifname), "%s", ifc->ifname);
	if (lease_db_add(db, &l, err) < 0)
		return -1;
	snprintf(ipam->taken[ipam->n].network, sizeof(ipam->taken[0].network), "%s", ifc->network);
	ipam->taken[ipam->n++].addr = l.addr; /* addr may have been a lease, moved by the add */
	return 0;
}

/* The interface's lease: the container's own, or its pod's (another
 * container in the same network namespace, which shares the interface). */
static bool ours(const struct lease *l, const struct holder *h, const char *ifname)
{
	return strcmp(l->ifname, ifname) == 0 &&
	       (strcmp(l->id, h->id) == 0 || l->netns == h->netns);
}

/* A line of the container's own for an address of its pod. */
static int join(struct lease_db *db, const struct holder *h, const struct iface_request *ifc,
		const struct netaddr *addr, struct ipam *ipam, struct error *err)
{
	size_t i;

	for (i = 0; i < db->n; i++)
		if (netaddr_same_ip(&db->v[i].addr, addr) && strcmp(db->v[i].id, h->id) == 0)
			return 0;
	return take(db, h, ifc, addr, ipam, err);
}

/* Static addresses are leased too, so that the allocator never hands them out. */
static int lease_static(struct lease_db *db, const struct holder *h,
			const struct iface_request *ifc, struct ipam *ipam, struct error *err)
{
	char ip[NETADDR_STRLEN];
	size_t i;

	for (i = 0; i < ifc->n_addresses; i++) {
		const struct lease *l = lease_db_find(db, &ifc->addresses[i]);
		int r;

		netaddr_ip_str(&ifc->addresses[i], ip);
		if (l && !ours(l, h, ifc->ifname))
			return error_set(
				err, EADDRINUSE,
				"%saddress: %s is leased to container %s in network \"%s\"",
				ifc->where, ip, l->id, ifc->network);
		r = l ? join(db, h, ifc, &l->addr, ipam, err)
		      : take(db, h, ifc, &ifc->addresses[i], ipam, err);
		if (r < 0)
			return error_prefix(err, "%saddress: %s", ifc->where, ip);
	}
	return 0;
}

/* The leases, read along with the allocator's ascending candidates. */
struct scan {
	const struct lease_db *db;
	size_t at;
};

static bool is_leased(const struct netaddr *ip, void *ctx)
{
	struct scan *scan = ctx;

	return lease_db_leased_from(scan->db, &scan->at, ip);
}

/* One address of the family from the first subnet that has one free. */
static int allocate(const struct network *net, struct lease_db *db, const struct holder *h,
		    struct iface_request *ifc, int family, struct ipam *ipam, struct error *err)
{
	struct netaddr ip;
	size_t i;

	for (i = 0; i < net->n_subnets; i++) {
		struct scan scan = { db, 0 };

		if (net->subnets[i].subnet.family != family)
			continue;
		if (allocator_pick(&net->subnets[i], is_leased, &scan, db->n, &ip, err) < 0) {
			if (err->code == ENOSPC)
				continue;
			return -1;
		}
		if (take(db, h, ifc, &ip, ipam, err) < 0)
			return -1;
		ifc->addresses[ifc->n_addresses++] = ip;
		return 0;
	}
	return error_set(err, ENOSPC, "%snetwork: \"%s\" has no free %s address left", ifc->where,
			 net->name, netaddr_family_name(family));
}

static const struct lease *held(const struct lease_db *db, const struct holder *h,
				const char *ifname, int family)
{
	size_t i;

	for (i = 0; i < db->n; i++)
		if (db->v[i].addr.family == family && ours(&db->v[i], h, ifname))
			return &db->v[i];
	return NULL;
}

/* For each family the network serves and the container gave no address
 * of: the address it or its pod holds already (a second run), else a new
 * one. */
static int lease_dynamic(const struct network *net, struct lease_db *db, const struct holder *h,
			 struct iface_request *ifc, struct ipam *ipam, struct error *err)
{
	static const int families[] = { AF_INET, AF_INET6 };
	size_t i, j;

	for (i = 0; i < 2; i++) {
		const struct lease *l;
		bool served = false;

		for (j = 0; j < net->n_subnets; j++)
			served = served || net->subnets[j].subnet.family == families[i];
		if (!served || iface_has_family(ifc, families[i]))
			continue;
		if (ifc->n_addresses == MAX_ADDRESSES)
			return error_set(err, E2BIG, "%saddress: too many addresses", ifc->where);
		l = held(db, h, ifc->ifname, families[i]);
		if (l) {
			ifc->addresses[ifc->n_addresses++] = l->addr;
			if (join(db, h, ifc, &l->addr, ipam, err) < 0)
				return -1;
		} else if (allocate(net, db, h, ifc, families[i], ipam, err) < 0) {
			return -1;
		}
	}
	return 0;
}

static int assign_one(struct iface_request *ifc, const struct holder *h, struct ipam *ipam,
		      struct error *err)
{
	_cleanup_lease_db_ struct lease_db db = { .lock_fd = -1 };
	struct network net;
	size_t before = ipam->n;

	if (network_load(ifc->network, &net, err) < 0)
		return error_prefix(err, "%snetwork", ifc->where);
	if (network_apply(&net, ifc, err) < 0)
		return -1;
	if (lease_db_open(&db, net.name, err) < 0)
		return error_prefix(err, "%snetwork: \"%s\"", ifc->where, net.name);
	if (lease_static(&db, h, ifc, ipam, err) < 0 ||
	    lease_dynamic(&net, &db, h, ifc, ipam, err) < 0) {
		ipam->n = before; /* nothing of this interface's reached the file */
		return -1;
	}
	if (ipam->n > before && lease_db_commit(&db, err) < 0) {
		ipam->n = before;
		return error_prefix(err, "%snetwork: \"%s\"", ifc->where, net.name);
	}
	return 0;
}

/* The inode of process pid's network namespace. */
static int netns_inode(int pid, unsigned long long *ino)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", pid);
	if (stat(path, &st) < 0)
		return -1;
	*ino = st.st_ino;
	return 0;
}

int ipam_assign(struct hook_request *req, const char *id, int pid, struct ipam *ipam,
		struct error *err)
{
	struct holder h = { .id = id, .pid = pid };
	bool any = false;
	size_t i;

	ipam->id = id;
	ipam->n = 0;
	for (i = 0; i < req->n; i++)
		any = any || req->ifaces[i].network[0];
	if (!any)
		return 0;
	if (strlen(id) >= LEASE_ID_MAX || strpbrk(id, " \t\n"))
		return error_set(err, EINVAL, "state: container id \"%s\" cannot hold a lease", id);
	if (lease_process_start(pid, &h.start) < 0 || netns_inode(pid, &h.netns) < 0)
		return error_set(err, ESRCH, "container process %d is gone", pid);
	for (i = 0; i < req->n; i++)
		if (req->ifaces[i].network[0] && assign_one(&req->ifaces[i], &h, ipam, err) < 0)
			return -1;
	return annotations_check(req, err);
}

/* Writes the leases back; when none is left, the network's host shim goes
 * while the lock is still held. Why that is safe against an attach racing
 * it: the attach commits its lease under this same lock and only then
 * brings the shim up (main.c attach()). Either its lease is in the file
 * here, so the file is not empty and the shim stays; or this commit and
 * shim_down() run first, wholly under the lock, and the attach's shim_up()
 * comes after them and creates the shim again. A held lease stays in the
 * file until its container's poststop, gc or failed attach drops it. */
static int commit_settled(struct lease_db *db, const char *network, struct error *err)
{
	if (lease_db_commit(db, err) < 0)
		return -1;
	return db->n ? 0 : shim_down(network, err);
}

struct taken_line {
	const char *id;
	const struct netaddr *addr;
};

static bool is_taken_line(const struct lease *l, void *ctx)
{
	const struct taken_line *t = ctx;

	return strcmp(l->id, t->id) == 0 && netaddr_same_ip(&l->addr, t->addr);
}

void ipam_undo(const struct ipam *ipam)
{
	struct error ignored;
	size_t i;

	for (i = 0; i < ipam->n; i++) {
		_cleanup_lease_db_ struct lease_db db = { .lock_fd = -1 };
		struct taken_line t = { ipam->id, &ipam->taken[i].addr };

		if (lease_db_open(&db, ipam->taken[i].network, &ignored) == 0 &&
		    lease_db_drop(&db, is_taken_line, &t) > 0)
			commit_settled(&db, ipam->taken[i].network, &ignored);
	}
}

static bool held_by(const struct lease *l, void *id)
{
	return strcmp(l->id, id) == 0;
}

static int release_in(const char *network, void *id, struct error *err)
{
	_cleanup_lease_db_ struct lease_db db = { .lock_fd = -1 };
	size_t n;

	if (lease_db_open(&db, network, err) < 0)
		return error_prefix(err, "network \"%s\"", network);
	n = lease_db_drop(&db, held_by, id);
	if (n)
		log_debug("network %s: released %zu lease(s)", network, n);
	return n ? commit_settled(&db, network, err) : 0;
}

int ipam_release(const char *id, struct error *err)
{
	return lease_for_each_network(release_in, (void *)id, err);
}

struct gc {
	FILE *out;
	const char *network;
};

static bool gone(const struct lease *l, void *ctx)
{
	const struct gc *gc = ctx;
	unsigned long long start;
	char ip[NETADDR_STRLEN];

	if (lease_process_start(l->pid, &start) == 0 && start == l->start)
		return false;
	fprintf(gc->out, "network %s: released %s of container %s (process %d is gone)\n",
		gc->network, netaddr_ip_str(&l->addr, ip), l->id, l->pid);
	return true;
}

static int collect_in(const char *network, void *out, struct error *err)
{
	_cleanup_lease_db_ struct lease_db db = { .lock_fd = -1 };
	struct gc gc = { out, network };

	if (lease_db_open(&db, network, err) < 0)
		return error_prefix(err, "network \"%s\"", network);
	return lease_db_drop(&db, gone, &gc) ? commit_settled(&db, network, err) : 0;
}

int ipam_gc(FILE *out, struct error *err)
{
	return lease_for_each_network(collect_in, out, err);
}
