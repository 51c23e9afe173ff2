/* attach.c: the attach checklist, one named step after another. */
#include "attach.h"

#include <errno.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arp.h"
#include "cleanup.h"
#include "deadline.h"
#include "log.h"
#include "lease.h"
#include "ndisc.h"
#include "netlink.h"
#include "netns.h"
#include "parents.h"
#include "undo.h"
#include "wireless.h"

struct attach {
	struct netlink *host; /* the runtime's namespace: parents live here */
	struct netlink *container; /* the container's namespace */
	int netns_fd;
	struct undo undo;
	struct link_info parents[MAX_INTERFACES];
	const char *id;
	struct refs_user user; /* the container, once it uses shared parents */
};

struct link_ref {
	struct netlink *nl;
	int ifindex;
};

static void undo_delete_link(void *data)
{
	struct link_ref *ref = data;
	struct error ignored;

	netlink_link_delete(ref->nl, ref->ifindex, &ignored);
}

/* Registers the deletion of a link the attach created. */
static int remember_link(struct attach *a, struct netlink *nl, int ifindex, struct error *err)
{
	struct link_ref *ref = malloc(sizeof(*ref));

	if (!ref) {
		undo_delete_link(&(struct link_ref){ nl, ifindex });
		return error_sys(err, ENOMEM, "attach");
	}
	*ref = (struct link_ref){ nl, ifindex };
	if (undo_push(&a->undo, undo_delete_link, ref, free) < 0)
		return error_set(err, E2BIG, "too many links to roll back");
	return 0;
}

/* The container as a user of shared parents (parents.h). */
static int container_user(struct attach *a, struct error *err)
{
	if (a->user.start)
		return 0;
	if (strlen(a->id) >= sizeof(a->user.id))
		return error_set(err, EINVAL, "state: container id \"%s\" is too long", a->id);
	snprintf(a->user.id, sizeof(a->user.id), "%s", a->id);
	if (lease_process_start(a->user.pid, &a->user.start) < 0)
		return error_set(err, ESRCH, "container process %d is gone", a->user.pid);
	return 0;
}

struct parent_ref {
	struct netlink *host;
	const char *kind;
	char name[IFNAMSIZ];
	const char *id;
};

static void undo_parent_ref(void *data)
{
	struct parent_ref *ref = data;

	parents_drop(ref->host, ref->kind, ref->name, ref->id);
}

/* Registers the release of a reference the attach took. */
static int remember_parent_ref(struct attach *a, const char *kind, const char *name,
			       struct error *err)
{
	struct parent_ref *ref = malloc(sizeof(*ref));

	if (!ref) {
		parents_drop(a->host, kind, name, a->user.id);
		return error_sys(err, ENOMEM, "attach");
	}
	*ref = (struct parent_ref){ .host = a->host, .kind = kind, .id = a->user.id };
	snprintf(ref->name, sizeof(ref->name), "%s", name);
	if (undo_push(&a->undo, undo_parent_ref, ref, free) < 0)
		return error_set(err, E2BIG, "too many changes to roll back");
	return 0;
}

/* The network asked for a promiscuous parent: the physical one, which
 * must take in the frames for every MAC behind it. */
static int take_promisc(struct attach *a, const struct iface_request *ifc,
			const struct link_info *parent, struct error *err)
{
	bool added;

	if (container_user(a, err) < 0 ||
	    parents_take_promisc(a->host, ifc, &a->user, parent, &added, err) < 0)
		return -1;
	return added ? remember_parent_ref(a, PARENTS_PROMISC, parent->name, err) : 0;
}

/* PARENT.ID in place of the parent, created when missing. */
static int take_vlan(struct attach *a, const struct iface_request *ifc, struct link_info *parent,
		     struct error *err)
{
	struct link_info vlan;
	bool added;

	if (container_user(a, err) < 0 ||
	    parents_take_vlan(a->host, ifc, &a->user, parent, &vlan, &added, err) < 0)
		return -1;
	*parent = vlan;
	return added ? remember_parent_ref(a, PARENTS_VLAN, vlan.name, err) : 0;
}

/* Pre-flight: a NIC a macvlan can sit on at all. */
static int check_parent_kind(const struct iface_request *ifc, const struct link_info *parent,
			     struct error *err)
{
	if (parent->arptype != ARPHRD_ETHER)
		return error_set(err, EINVAL, "%sparent: %s is not an Ethernet device", ifc->where,
				 parent->name);
	if (wireless_interface(SYSFS_NET, parent->name, parent->ifindex))
		return error_set(err, EOPNOTSUPP,
				 "%sparent: %s is a wireless interface; macvlan does not work over "
				 "Wi-Fi (the access point drops frames from MAC addresses that "
				 "have not associated with it)",
				 ifc->where, parent->name);
	return 0;
}

/* Pre-flight: the request fits the parent (or its VLAN link). */
static int check_parent_fits(const struct iface_request *ifc, const struct link_info *parent,
			     struct error *err)
{
	char mac[MAC_STRLEN];

	if (ifc->mtu > parent->mtu)
		return error_set(err, ERANGE, "%smtu: %u is above parent %s's MTU %u", ifc->where,
				 ifc->mtu, parent->name, parent->mtu);
	/* Only passthru takes over its parent's MAC; the others cannot come up with it. */
	if (ifc->has_mac && ifc->mode != MACVLAN_MODE_PASSTHRU &&
	    memcmp(ifc->mac, parent->mac, 6) == 0)
		return error_set(err, EADDRINUSE,
				 "%smac: %s is parent %s's own MAC address; a macvlan needs one "
				 "of its own",
				 ifc->where, mac_str(ifc->mac, mac), parent->name);
	if (!(parent->flags & IFF_UP))
		log_warn("parent %s is down: %s has no link until it comes up", parent->name,
			 ifc->ifname);
	return 0;
}

/* The parent in the runtime's namespace, checked against the request. */
static int resolve_parent(struct attach *a, const struct iface_request *ifc,
			  struct link_info *parent, struct error *err)
{
	int r = ifc->parent[0] ? netlink_link_by_name(a->host, ifc->parent, parent, err)
			       : netlink_default_route_link(a->host, parent, err);

	if (r < 0)
		return error_prefix(err, "%sparent", ifc->where);
	if (check_parent_kind(ifc, parent, err) < 0)
		return -1;
	if (ifc->promisc && take_promisc(a, ifc, parent, err) < 0)
		return -1;
	if (ifc->vlan && take_vlan(a, ifc, parent, err) < 0)
		return -1;
	return check_parent_fits(ifc, parent, err);
}

static int open_host(struct attach *a, const struct hook_request *req, struct error *err)
{
	size_t i;

	if (netlink_open(&a->host, err) < 0)
		return -1;
	for (i = 0; i < req->n; i++)
		if (resolve_parent(a, &req->ifaces[i], &a->parents[i], err) < 0)
			return -1;
	return 0;
}

static int open_container(struct attach *a, pid_t pid, struct error *err)
{
	if (netns_open_container(pid, &a->netns_fd, err) < 0 || netns_enter(a->netns_fd, err) < 0 ||
	    netlink_open(&a->container, err) < 0)
		return -1;
	return 0;
}

/* Sets *why to the first way in which an existing interface differs from
 * the request, or NULL when it is as asked. */
static int existing_differs(struct attach *a, const struct iface_request *ifc,
			    const struct link_info *have, const struct link_info *parent,
			    const char **why, struct error *err)
{
	size_t i;
	bool found;

	*why = NULL;
	if (strcmp(have->kind, "macvlan") != 0)
		*why = "it is not a macvlan";
	else if (have->lower_ifindex != parent->ifindex)
		*why = "its parent is another interface";
	else if (have->macvlan_mode != ifc->mode)
		*why = "its mode differs";
	else if (ifc->has_mac && memcmp(have->mac, ifc->mac, 6) != 0)
		*why = "its MAC address differs";
	else if (have->mtu != (ifc->mtu ? ifc->mtu : parent->mtu))
		*why = "its MTU differs";
	for (i = 0; !*why && i < ifc->n_addresses; i++) {
		if (netlink_addr_present(a->container, have->ifindex, &ifc->addresses[i], &found,
					 err) < 0)
			return -1;
		if (!found)
			*why = "it lacks a requested address";
	}
	return 0;
}

/* True in *done when the container already has this interface as asked. */
static int check_existing(struct attach *a, const struct iface_request *ifc,
			  const struct link_info *parent, bool *done, struct error *err)
{
	struct link_info have;
	const char *why;

	*done = false;
	if (netlink_link_by_name(a->container, ifc->ifname, &have, err) < 0)
		return err->code == ENODEV ? 0 : error_prefix(err, "%sifname", ifc->where);
	if (existing_differs(a, ifc, &have, parent, &why, err) < 0)
		return error_prefix(err, "%sifname: %s", ifc->where, ifc->ifname);
	if (why)
		return error_set(err, EEXIST, "%sifname: %s already exists in the container and %s",
				 ifc->where, ifc->ifname, why);
	log_debug("%s is already attached as requested", ifc->ifname);
	*done = true;
	return 0;
}

/* The kernel says EINVAL for both sides of a passthru conflict. */
static int create_failed(const struct iface_request *ifc, const struct link_info *parent,
			 struct error *err)
{
	if (err->code == EINVAL && ifc->mode == MACVLAN_MODE_PASSTHRU)
		return error_set(err, EBUSY,
				 "%smode: passthru: parent %s already has a macvlan; passthru "
				 "needs the parent to itself",
				 ifc->where, parent->name);
	if (err->code == EINVAL)
		return error_set(err, EBUSY,
				 "%sparent: %s is taken by a passthru macvlan; no other macvlan "
				 "can share it",
				 ifc->where, parent->name);
	return error_prefix(err, "%sparent: %s", ifc->where, parent->name);
}

/* The kernel checks a macvlan's MAC against its parent and its siblings
 * that are up only when the link comes up, and says EADDRINUSE (EEXIST from
 * libnl). Nothing can check before: siblings moved into other containers'
 * namespaces are invisible from here (no link dump, no sysfs upper_ link
 * shows them), and a check of ours would race with theirs coming up. */
static int up_failed(const struct iface_request *ifc, const struct link_info *parent,
		     struct error *err)
{
	char mac[MAC_STRLEN];

	if (err->code == EEXIST && ifc->has_mac)
		return error_set(err, EADDRINUSE,
				 "%smac: %s is already used on parent %s (by the parent or "
				 "another macvlan)",
				 ifc->where, mac_str(ifc->mac, mac), parent->name);
	return error_prefix(err, "%sifname: %s", ifc->where, ifc->ifname);
}

/* Creates the macvlan inside the container under a temporary name and
 * describes it as it is there. */
static int create_link(struct attach *a, const struct iface_request *ifc, size_t index,
		       const struct link_info *parent, struct link_info *made, struct error *err)
{
	char tmp[32]; /* "omv" + 8 hex digits + "-" + index < 16: fits IFNAMSIZ */
	struct macvlan_spec spec = {
		.name = tmp,
		.parent_ifindex = parent->ifindex,
		.mode = ifc->mode,
		.mtu = ifc->mtu,
		.mac = ifc->has_mac ? ifc->mac : NULL,
		.netns_fd = a->netns_fd,
	};

	snprintf(tmp, sizeof(tmp), "omv%x-%zu", (unsigned)getpid(), index);
	if (netlink_macvlan_create(a->host, &spec, err) < 0)
		return create_failed(ifc, parent, err);
	if (netlink_link_by_name(a->container, tmp, made, err) < 0)
		return error_prefix(err, "%sifname", ifc->where);
	return remember_link(a, a->container, made->ifindex, err);
}

/* Adds the addresses of one family (0: all), letting the kernel's DAD run
 * on IPv6 ones when dad is set. */
static int add_family(struct attach *a, const struct iface_request *ifc, int ifindex, int family,
		      bool dad, struct error *err)
{
	const struct netaddr *addr;
	size_t i;
	int r;

	for (i = 0; i < ifc->n_addresses; i++) {
		addr = &ifc->addresses[i];
		if (family && addr->family != family)
			continue;
		r = dad ? netlink_addr_add_dad(a->container, ifindex, addr, err)
			: netlink_addr_add(a->container, ifindex, addr, err);
		if (r < 0)
			return error_prefix(err, "%saddress", ifc->where);
	}
	return 0;
}

/* The conflict error; mac NULL when whoever has the address did not say. */
static int address_in_use(const struct iface_request *ifc, const struct link_info *parent,
			  const struct netaddr *addr, const uint8_t *mac, struct error *err)
{
	char ip[NETADDR_STRLEN], m[MAC_STRLEN];

	if (!mac)
		return error_set(err, EADDRINUSE,
				 "%saddress: %s is already in use on %s by another host (its MAC "
				 "address is unknown)",
				 ifc->where, netaddr_ip_str(addr, ip), parent->name);
	return error_set(err, EADDRINUSE, "%saddress: %s is already in use on %s by %s", ifc->where,
			 netaddr_ip_str(addr, ip), parent->name, mac_str(mac, m));
}

/* Starts the kernel's DAD on the IPv6 addresses, with a watch on who
 * answers, to be over by *deadline. */
static int start_ipv6_dad(struct attach *a, const struct iface_request *ifc,
			  const struct link_info *link, int *watch, int64_t *deadline,
			  struct error *err)
{
	*deadline = deadline_after_ms(NDISC_DAD_WAIT_MS);
	if (ndisc_dad_tune(ifc->ifname, err) < 0 || ndisc_watch_open(ifc->ifname, watch, err) < 0)
		return error_prefix(err, "%saddress: duplicate address detection", ifc->where);
	return add_family(a, ifc, link->ifindex, AF_INET6, true, err);
}

/* Adds the IPv4 addresses after an ARP probe found none of them in use,
 * and announces them. */
static int probe_ipv4(struct attach *a, const struct iface_request *ifc,
		      const struct link_info *parent, const struct link_info *link,
		      struct error *err)
{
	_cleanup_close_ int fd = -1;
	struct arp_conflict c;
	struct error warn;

	if (arp_open(link->ifindex, &fd, err) < 0 ||
	    arp_probe(fd, link->ifindex, link->mac, ifc->addresses, ifc->n_addresses, &c, err) < 0)
		return error_prefix(err, "%saddress", ifc->where);
	if (c.address)
		return address_in_use(ifc, parent, c.address, c.mac, err);
	if (add_family(a, ifc, link->ifindex, AF_INET, false, err) < 0)
		return -1;
	if (arp_announce(fd, link->ifindex, link->mac, ifc->addresses, ifc->n_addresses, &warn) < 0)
		log_warn("%s: announcing its IPv4 addresses: %s", ifc->ifname, warn.msg);
	return 0;
}

static int finish_ipv6_dad(struct attach *a, const struct iface_request *ifc,
			   const struct link_info *parent, const struct link_info *link, int watch,
			   int64_t deadline, struct error *err)
{
	const struct netaddr *failed;
	uint8_t mac[6];
	int r = netlink_dad_wait(a->container, link->ifindex, ifc->addresses, ifc->n_addresses,
				 deadline, &failed, err);

	if (r < 0 && err->code == ETIMEDOUT)
		return error_set(err, ETIMEDOUT,
				 "%saddress: on %s: duplicate address detection did not finish "
				 "within %d ms",
				 ifc->where, parent->name, NDISC_DAD_WAIT_MS);
	if (r < 0)
		return error_prefix(err, "%saddress: on %s", ifc->where, parent->name);
	if (!failed)
		return 0;
	return address_in_use(ifc, parent, failed,
			      ndisc_watch_claimant(watch, failed, mac) ? mac : NULL, err);
}

/* With dad on: up first (the probes need the link), then each address only
 * once no other host has it. The kernel's IPv6 DAD runs while the ARP
 * probe listens, so the two cost the longer of their times, not the sum. */
static int configure_probed(struct attach *a, const struct iface_request *ifc,
			    const struct link_info *parent, const struct link_info *link,
			    struct error *err)
{
	_cleanup_close_ int watch = -1;
	bool ipv6 = iface_has_family(ifc, AF_INET6);
	int64_t deadline = 0;

	if (netlink_link_up(a->container, link->ifindex, err) < 0)
		return up_failed(ifc, parent, err);
	if (ipv6 && start_ipv6_dad(a, ifc, link, &watch, &deadline, err) < 0)
		return -1;
	if (iface_has_family(ifc, AF_INET) && probe_ipv4(a, ifc, parent, link, err) < 0)
		return -1;
	return ipv6 ? finish_ipv6_dad(a, ifc, parent, link, watch, deadline, err) : 0;
}

/* Addresses, then up: the kernel checks the MAC and, as the rename asked,
 * sends a gratuitous ARP for each IPv4 address. */
static int configure(struct attach *a, const struct iface_request *ifc,
		     const struct link_info *parent, const struct link_info *link,
		     struct error *err)
{
	if (ifc->dad == DAD_ON)
		return configure_probed(a, ifc, parent, link, err);
	if (add_family(a, ifc, link->ifindex, 0, false, err) < 0)
		return -1;
	if (netlink_link_up(a->container, link->ifindex, err) < 0)
		return up_failed(ifc, parent, err);
	return 0;
}

/* Unsolicited neighbour advertisements, so neighbours drop a stale MAC for
 * the IPv6 addresses at once (a container restarted with a new MAC); the
 * IPv4 ones had their gratuitous ARP. Best effort, like any frame on a
 * LAN: a failure is a warning. */
static void announce_ipv6(const struct iface_request *ifc, const struct link_info *link)
{
	struct error err;

	if (ndisc_announce(link->ifindex, link->mac, ifc->addresses, ifc->n_addresses, &err) < 0)
		log_warn("%s: announcing its IPv6 addresses: %s", ifc->ifname, err.msg);
}

static int add_routes(struct attach *a, const struct iface_request *ifc, int ifindex,
		      struct error *err)
{
	size_t i;

	for (i = 0; i < ifc->n_gateways; i++) {
		struct netaddr any = { .family = ifc->gateways[i].family };

		if (netlink_route_add(a->container, ifindex, &any, &ifc->gateways[i], err) < 0)
			return error_prefix(err, "%sgateway", ifc->where);
	}
	for (i = 0; i < ifc->n_routes; i++)
		if (netlink_route_add(a->container, ifindex, &ifc->routes[i].dst,
				      &ifc->routes[i].via, err) < 0)
			return error_prefix(err, "%sroutes", ifc->where);
	return 0;
}

static int attach_one(struct attach *a, const struct iface_request *ifc, size_t index,
		      struct error *err)
{
	const struct link_info *parent = &a->parents[index];
	struct link_info link;
	bool done;

	if (check_existing(a, ifc, parent, &done, err) < 0 || done)
		return done ? 0 : -1;
	if (create_link(a, ifc, index, parent, &link, err) < 0)
		return -1;
	log_step("create");
	if (netlink_link_rename_announcing(a->container, link.ifindex, ifc->ifname, err) < 0)
		return error_prefix(err, "%sifname: %s", ifc->where, ifc->ifname);
	if (configure(a, ifc, parent, &link, err) < 0)
		return -1;
	log_step(ifc->dad == DAD_ON ? "probed addresses and up" : "addresses and up");
	if (add_routes(a, ifc, link.ifindex, err) < 0)
		return -1;
	announce_ipv6(ifc, &link);
	log_step("routes and announcements");
	return 0;
}

int attach_interfaces(const struct hook_request *req, const char *id, pid_t pid, struct error *err)
{
	struct attach a = { .netns_fd = -1, .id = id, .user.pid = pid };
	size_t i;
	int r;

	r = open_host(&a, req, err);
	log_step("parents");
	if (r == 0)
		r = open_container(&a, pid, err);
	log_step("container netns");
	for (i = 0; r == 0 && i < req->n; i++)
		r = attach_one(&a, &req->ifaces[i], i, err);
	if (r < 0)
		undo_run(&a.undo);
	else
		undo_forget(&a.undo);
	netlink_close(a.container);
	netlink_close(a.host);
	if (a.netns_fd >= 0)
		close(a.netns_fd);
	return r;
}
