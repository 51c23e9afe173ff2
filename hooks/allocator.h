/* allocator.h: which address of a subnet a container gets.
 *
 * Pure arithmetic: the caller says which addresses are taken. */
#pragma once

#include <stdbool.h>

#include "error.h"
#include "network.h"

/* True when ip is held by someone already; asked in ascending order. */
typedef bool (*taken_fn)(const struct netaddr *ip, void *ctx);

/* True for the addresses a subnet never hands out: its network (and for
 * IPv4 broadcast) address, its gateway and its aux addresses. */
bool allocator_reserved(const struct subnet *sn, const struct netaddr *ip);

/* The lowest address of sn's range that is neither reserved nor taken,
 * with the subnet's prefix. n_taken bounds the search: at most that many
 * addresses of the range can be taken. err->code is ENOSPC when the range
 * is full. */
int allocator_pick(const struct subnet *sn, taken_fn taken, void *ctx, size_t n_taken,
		   struct netaddr *out, struct error *err);
