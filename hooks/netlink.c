/* netlink.c: rtnetlink requests through libnl-route-3. */
#include "netlink.h"

#include <errno.h>
#include <linux/if_link.h>
#include <linux/ip.h>
#include <linux/rtnetlink.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/inet.h>
#include <netlink/route/link/macvlan.h>
#include <netlink/route/link/vlan.h>
#include <netlink/route/route.h>
#include <string.h>
#include <sys/socket.h>

#include "cleanup.h"
#include "deadline.h"

struct netlink {
	struct nl_sock *sk;
};

DEFINE_CLEANUP_FUNC(link_putp, struct rtnl_link, rtnl_link_put)
DEFINE_CLEANUP_FUNC(addr_putp, struct nl_addr, nl_addr_put)
DEFINE_CLEANUP_FUNC(rtaddr_putp, struct rtnl_addr, rtnl_addr_put)
DEFINE_CLEANUP_FUNC(route_putp, struct rtnl_route, rtnl_route_put)
DEFINE_CLEANUP_FUNC(cache_freep, struct nl_cache, nl_cache_free)
DEFINE_CLEANUP_FUNC(sock_freep, struct nl_sock, nl_socket_free)
#define _cleanup_link_ _cleanup_(link_putp)
#define _cleanup_addr_ _cleanup_(addr_putp)

/* libnl's codes back to errno values, so callers can tell causes apart. */
static int nle_errno(int nle)
{
	switch (nle < 0 ? -nle : nle) {
	case NLE_NODEV:
	case NLE_OBJ_NOTFOUND:
		return ENODEV;
	case NLE_EXIST:
		return EEXIST;
	case NLE_BUSY:
		return EBUSY;
	case NLE_OPNOTSUPP:
		return EOPNOTSUPP;
	case NLE_PERM:
		return EPERM;
	case NLE_NOMEM:
		return ENOMEM;
	case NLE_RANGE:
		return ERANGE;
	case NLE_NOADDR:
		return EADDRNOTAVAIL;
	case NLE_AGAIN:
		return EAGAIN;
	default:
		return EINVAL;
	}
}

static int nle_error(struct error *err, int nle, const char *what)
{
	return error_set(err, nle_errno(nle), "%s: %s", what, nl_geterror(nle));
}

int netlink_open(struct netlink **out, struct error *err)
{
	struct netlink *nl = calloc(1, sizeof(*nl));
	int r;

	if (!nl)
		return error_sys(err, ENOMEM, "netlink");
	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		free(nl);
		return error_sys(err, ENOMEM, "netlink socket");
	}
	r = nl_connect(nl->sk, NETLINK_ROUTE);
	if (r < 0) {
		netlink_close(nl);
		return nle_error(err, r, "netlink socket");
	}
	*out = nl;
	return 0;
}

void netlink_close(struct netlink *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->sk);
	free(nl);
}

static void link_info_fill(struct rtnl_link *link, struct link_info *out)
{
	struct nl_addr *mac = rtnl_link_get_addr(link);
	const char *kind = rtnl_link_get_type(link);

	memset(out, 0, sizeof(*out));
	out->ifindex = rtnl_link_get_ifindex(link);
	snprintf(out->name, sizeof(out->name), "%s", rtnl_link_get_name(link));
	snprintf(out->kind, sizeof(out->kind), "%s", kind ? kind : "");
	out->mtu = rtnl_link_get_mtu(link);
	out->flags = rtnl_link_get_flags(link);
	out->lower_ifindex = rtnl_link_get_link(link);
	out->arptype = rtnl_link_get_arptype(link);
	if (mac && nl_addr_get_len(mac) == 6)
		memcpy(out->mac, nl_addr_get_binary_addr(mac), 6);
	if (rtnl_link_is_macvlan(link))
		out->macvlan_mode = rtnl_link_macvlan_get_mode(link);
}

static int link_get(struct netlink *nl, int ifindex, const char *name, struct link_info *out,
		    struct error *err)
{
	_cleanup_link_ struct rtnl_link *link = NULL;
	int r = rtnl_link_get_kernel(nl->sk, ifindex, name, &link);

	if (r < 0 && nle_errno(r) == ENODEV) {
		if (name)
			return error_set(err, ENODEV, "interface \"%s\" does not exist", name);
		return error_set(err, ENODEV, "interface %d does not exist", ifindex);
	}
	if (r < 0)
		return nle_error(err, r, name ? name : "link lookup");
	link_info_fill(link, out);
	return 0;
}

int netlink_link_by_name(struct netlink *nl, const char *name, struct link_info *out,
			 struct error *err)
{
	return link_get(nl, 0, name, out, err);
}

/* The ifindex of the main table's default route of one family, or 0. */
static int default_route_ifindex(struct netlink *nl, int family, int *ifindex, struct error *err)
{
	_cleanup_(cache_freep) struct nl_cache *cache = NULL;
	struct nl_object *obj;
	int r = rtnl_route_alloc_cache(nl->sk, family, 0, &cache);

	*ifindex = 0;
	if (r < 0)
		return nle_error(err, r, "reading routes");
	for (obj = nl_cache_get_first(cache); obj; obj = nl_cache_get_next(obj)) {
		struct rtnl_route *route = (struct rtnl_route *)obj;
		struct nl_addr *dst = rtnl_route_get_dst(route);

		if (rtnl_route_get_table(route) != RT_TABLE_MAIN ||
		    rtnl_route_get_type(route) != RTN_UNICAST ||
		    (dst && nl_addr_get_prefixlen(dst)) || rtnl_route_get_nnexthops(route) < 1)
			continue;
		*ifindex = rtnl_route_nh_get_ifindex(rtnl_route_nexthop_n(route, 0));
		return 0;
	}
	return 0;
}

int netlink_default_route_link(struct netlink *nl, struct link_info *out, struct error *err)
{
	int ifindex;

	if (default_route_ifindex(nl, AF_INET, &ifindex, err) < 0)
		return -1;
	if (!ifindex && default_route_ifindex(nl, AF_INET6, &ifindex, err) < 0)
		return -1;
	if (!ifindex)
		return error_set(err, ENODEV, "there is no default route to take the parent from");
	return link_get(nl, ifindex, NULL, out, err);
}

int netlink_macvlan_create(struct netlink *nl, const struct macvlan_spec *spec, struct error *err)
{
	_cleanup_link_ struct rtnl_link *link = rtnl_link_macvlan_alloc();
	_cleanup_addr_ struct nl_addr *mac = NULL;
	int r;

	if (!link)
		return error_sys(err, ENOMEM, "macvlan");
	rtnl_link_set_name(link, spec->name);
	rtnl_link_set_link(link, spec->parent_ifindex);
	if (spec->netns_fd >= 0)
		rtnl_link_set_ns_fd(link, spec->netns_fd);
	rtnl_link_macvlan_set_mode(link, spec->mode);
	if (spec->mtu)
		rtnl_link_set_mtu(link, spec->mtu);
	if (spec->mac) {
		mac = nl_addr_build(AF_LLC, spec->mac, 6);
		if (!mac)
			return error_sys(err, ENOMEM, "macvlan");
		rtnl_link_set_addr(link, mac);
	}
	r = rtnl_link_add(nl->sk, link, NLM_F_CREATE | NLM_F_EXCL);
	return r < 0 ? nle_error(err, r, "creating the macvlan") : 0;
}

int netlink_vlan_create(struct netlink *nl, const char *name, int parent_ifindex, unsigned id,
			unsigned mtu, struct error *err)
{
	_cleanup_link_ struct rtnl_link *link = rtnl_link_vlan_alloc();
	int r;

	if (!link)
		return error_sys(err, ENOMEM, "vlan");
	rtnl_link_set_name(link, name);
	rtnl_link_set_link(link, parent_ifindex);
	rtnl_link_vlan_set_id(link, id);
	rtnl_link_set_mtu(link, mtu);
	rtnl_link_set_flags(link, IFF_UP);
	r = rtnl_link_add(nl->sk, link, NLM_F_CREATE | NLM_F_EXCL);
	return r < 0 ? nle_error(err, r, "creating the VLAN link") : 0;
}

/* Sends one change (name, flags) to an existing link. */
static int link_change(struct netlink *nl, int ifindex, struct rtnl_link *changes, const char *what,
		       struct error *err)
{
	_cleanup_link_ struct rtnl_link *orig = rtnl_link_alloc();
	int r;

	if (!orig)
		return error_sys(err, ENOMEM, "%s", what);
	rtnl_link_set_ifindex(orig, ifindex);
	r = rtnl_link_change(nl->sk, orig, changes, 0);
	return r < 0 ? nle_error(err, r, what) : 0;
}

int netlink_link_rename_announcing(struct netlink *nl, int ifindex, const char *name,
				   struct error *err)
{
	_cleanup_link_ struct rtnl_link *changes = rtnl_link_alloc();
	int r;

	if (!changes)
		return error_sys(err, ENOMEM, "rename");
	rtnl_link_set_name(changes, name);
	r = rtnl_link_inet_set_conf(changes, IPV4_DEVCONF_ARP_NOTIFY, 1);
	if (r < 0)
		return nle_error(err, r, "arp_notify");
	return link_change(nl, ifindex, changes, "renaming the link", err);
}

int netlink_link_up(struct netlink *nl, int ifindex, struct error *err)
{
	_cleanup_link_ struct rtnl_link *changes = rtnl_link_alloc();

	if (!changes)
		return error_sys(err, ENOMEM, "link up");
	rtnl_link_set_flags(changes, IFF_UP);
	return link_change(nl, ifindex, changes, "bringing the link up", err);
}

int netlink_link_set_promisc(struct netlink *nl, int ifindex, bool on, struct error *err)
{
	_cleanup_link_ struct rtnl_link *changes = rtnl_link_alloc();

	if (!changes)
		return error_sys(err, ENOMEM, "promiscuous mode");
	if (on)
		rtnl_link_set_flags(changes, IFF_PROMISC);
	else
		rtnl_link_unset_flags(changes, IFF_PROMISC);
	return link_change(nl, ifindex, changes, "setting promiscuous mode", err);
}

int netlink_link_delete(struct netlink *nl, int ifindex, struct error *err)
{
	_cleanup_link_ struct rtnl_link *link = rtnl_link_alloc();
	int r;

	if (!link)
		return error_sys(err, ENOMEM, "delete");
	rtnl_link_set_ifindex(link, ifindex);
	r = rtnl_link_delete(nl->sk, link);
	return r < 0 ? nle_error(err, r, "deleting the link") : 0;
}

static struct nl_addr *nl_addr_from(const struct netaddr *a)
{
	struct nl_addr *n = nl_addr_build(a->family, a->bytes, netaddr_len(a));

	if (n)
		nl_addr_set_prefixlen(n, a->prefix);
	return n;
}

static int addr_add(struct netlink *nl, int ifindex, const struct netaddr *a, int flags,
		    struct error *err)
{
	_cleanup_(rtaddr_putp) struct rtnl_addr *addr = rtnl_addr_alloc();
	_cleanup_addr_ struct nl_addr *local = nl_addr_from(a);
	char buf[NETADDR_STRLEN];
	int r;

	if (!addr || !local)
		return error_sys(err, ENOMEM, "address");
	rtnl_addr_set_ifindex(addr, ifindex);
	rtnl_addr_set_local(addr, local);
	if (flags)
		rtnl_addr_set_flags(addr, flags);
	r = rtnl_addr_add(nl->sk, addr, NLM_F_EXCL);
	if (r < 0)
		return error_set(err, nle_errno(r), "adding address %s: %s",
				 netaddr_cidr_str(a, buf), nl_geterror(r));
	return 0;
}

int netlink_addr_add(struct netlink *nl, int ifindex, const struct netaddr *a, struct error *err)
{
	return addr_add(nl, ifindex, a, a->family == AF_INET6 ? IFA_F_NODAD : 0, err);
}

int netlink_addr_add_dad(struct netlink *nl, int ifindex, const struct netaddr *a,
			 struct error *err)
{
	return addr_add(nl, ifindex, a, 0, err);
}

/* The address of the link in cache that is want, prefix included; NULL when none. */
static struct rtnl_addr *addr_find(struct nl_cache *cache, int ifindex, struct nl_addr *want)
{
	struct nl_object *obj;

	for (obj = nl_cache_get_first(cache); obj; obj = nl_cache_get_next(obj)) {
		struct rtnl_addr *have = (struct rtnl_addr *)obj;

		if (rtnl_addr_get_ifindex(have) == ifindex &&
		    nl_addr_cmp(rtnl_addr_get_local(have), want) == 0)
			return have;
	}
	return NULL;
}

int netlink_addr_present(struct netlink *nl, int ifindex, const struct netaddr *a, bool *found,
			 struct error *err)
{
	_cleanup_(cache_freep) struct nl_cache *cache = NULL;
	_cleanup_addr_ struct nl_addr *want = nl_addr_from(a);
	int r = rtnl_addr_alloc_cache(nl->sk, &cache);

	*found = false;
	if (r < 0)
		return nle_error(err, r, "reading addresses");
	if (!want)
		return error_sys(err, ENOMEM, "address");
	*found = addr_find(cache, ifindex, want) != NULL;
	return 0;
}

/* Of the IPv6 addresses of addrs on the link: *failed is the first whose
 * DAD failed, *pending counts those still tentative. */
static int dad_state(struct netlink *nl, int ifindex, const struct netaddr *addrs, size_t n,
		     const struct netaddr **failed, size_t *pending, struct error *err)
{
	_cleanup_(cache_freep) struct nl_cache *cache = NULL;
	int r = rtnl_addr_alloc_cache(nl->sk, &cache);
	size_t i;

	*failed = NULL;
	*pending = 0;
	if (r < 0)
		return nle_error(err, r, "reading addresses");
	for (i = 0; i < n && !*failed; i++) {
		_cleanup_addr_ struct nl_addr *want =
			addrs[i].family == AF_INET6 ? nl_addr_from(&addrs[i]) : NULL;
		struct rtnl_addr *have = want ? addr_find(cache, ifindex, want) : NULL;
		unsigned flags = have ? rtnl_addr_get_flags(have) : 0;

		if (flags & IFA_F_DADFAILED)
			*failed = &addrs[i];
		else if (flags & IFA_F_TENTATIVE)
			(*pending)++;
	}
	return 0;
}

/* A socket that hears of every change to an IPv6 address. */
static int addr_events_open(struct nl_sock **out, struct error *err)
{
	_cleanup_(sock_freep) struct nl_sock *sk = nl_socket_alloc();
	int r;

	if (!sk)
		return error_sys(err, ENOMEM, "netlink socket");
	nl_socket_disable_seq_check(sk);
	r = nl_connect(sk, NETLINK_ROUTE);
	if (r >= 0)
		r = nl_socket_add_membership(sk, RTNLGRP_IPV6_IFADDR);
	if (r < 0)
		return nle_error(err, r, "netlink address events");
	*out = steal_pointer(&sk);
	return 0;
}

/* Reads the events queued on sk: only their arrival matters. */
static void events_drain(struct nl_sock *sk)
{
	char buf[8192];

	while (recv(nl_socket_get_fd(sk), buf, sizeof(buf), MSG_DONTWAIT) > 0 || errno == ENOBUFS)
		;
}

int netlink_dad_wait(struct netlink *nl, int ifindex, const struct netaddr *addrs, size_t n,
		     int64_t deadline, const struct netaddr **failed, struct error *err)
{
	_cleanup_(sock_freep) struct nl_sock *events = NULL;
	size_t pending;
	int r;

	/* Subscribed before the first look, so no change goes unseen. */
	if (addr_events_open(&events, err) < 0)
		return -1;
	for (;;) {
		if (dad_state(nl, ifindex, addrs, n, failed, &pending, err) < 0)
			return -1;
		if (*failed || !pending)
			return 0;
		r = deadline_wait_readable(nl_socket_get_fd(events), deadline);
		if (r < 0)
			return error_sys(err, errno, "waiting for duplicate address detection");
		if (r == 0)
			return error_set(err, ETIMEDOUT,
					 "duplicate address detection did not finish in time");
		events_drain(events);
	}
}

int netlink_route_add(struct netlink *nl, int ifindex, const struct netaddr *dst,
		      const struct netaddr *via, struct error *err)
{
	_cleanup_(route_putp) struct rtnl_route *route = rtnl_route_alloc();
	_cleanup_addr_ struct nl_addr *d = nl_addr_from(dst);
	_cleanup_addr_ struct nl_addr *g = via->family ? nl_addr_from(via) : NULL;
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	char a[NETADDR_STRLEN], b[NETADDR_STRLEN];
	int r;

	if (!route || !d || !nh || (via->family && !g)) {
		if (nh)
			rtnl_route_nh_free(nh);
		return error_sys(err, ENOMEM, "route");
	}
	rtnl_route_set_family(route, dst->family);
	rtnl_route_set_dst(route, d);
	rtnl_route_set_table(route, RT_TABLE_MAIN);
	rtnl_route_set_protocol(route, RTPROT_STATIC);
	rtnl_route_set_scope(route, g ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK);
	rtnl_route_nh_set_ifindex(nh, ifindex);
	if (g)
		rtnl_route_nh_set_gateway(nh, g);
	rtnl_route_add_nexthop(route, nh);
	r = rtnl_route_add(nl->sk, route, NLM_F_EXCL);
	if (r < 0)
		return error_set(err, nle_errno(r), "adding route %s%s%s: %s",
				 netaddr_cidr_str(dst, a), g ? " via " : "",
				 g ? netaddr_ip_str(via, b) : "", nl_geterror(r));
	return 0;
}
