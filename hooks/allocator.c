/* allocator.c: the lowest free address of a range. */
#include "allocator.h"

#include <errno.h>
#include <sys/socket.h>

bool allocator_reserved(const struct subnet *sn, const struct netaddr *ip)
{
	struct netaddr host = *ip;
	size_t i;
	bool point_to_point = ip->family == AF_INET && sn->subnet.prefix >= 31; /* RFC 3021 */

	host.prefix = sn->subnet.prefix;
	if (!point_to_point && !netaddr_has_host_bits(&host))
		return true; /* the network address, IPv6's subnet-router anycast */
	if (!point_to_point && ip->family == AF_INET && netaddr_host_bits_all_ones(&host))
		return true;
	if (sn->gateway.family && netaddr_same_ip(&sn->gateway, ip))
		return true;
	for (i = 0; i < sn->n_aux; i++)
		if (netaddr_same_ip(&sn->aux[i], ip))
			return true;
	return false;
}

/* ip + 1; false when it wraps out of the address space. */
static bool next_ip(struct netaddr *ip)
{
	size_t i = netaddr_len(ip);

	while (i-- > 0)
		if (++ip->bytes[i] != 0)
			return true;
	return false;
}

int allocator_pick(const struct subnet *sn, taken_fn taken, void *ctx, size_t n_taken,
		   struct netaddr *out, struct error *err)
{
	/* Every candidate that is not free is taken or reserved: the first free
	 * one comes within this many steps, however large the range. */
	size_t budget = n_taken + sn->n_aux + 3, steps;
	struct netaddr ip = sn->range;

	for (steps = 0; steps <= budget && netaddr_contains(&sn->range, &ip); steps++) {
		if (!allocator_reserved(sn, &ip) && !taken(&ip, ctx)) {
			*out = ip;
			out->prefix = sn->subnet.prefix;
			return 0;
		}
		if (!next_ip(&ip))
			break;
	}
	return error_set(err, ENOSPC, "no free address left in %s",
			 netaddr_cidr_str(&sn->range, (char[NETADDR_STRLEN]){ 0 }));
}
