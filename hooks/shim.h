/* shim.h: a network's host shim (host_shim in its file).
 *
 * The kernel drops traffic between a macvlan parent and its macvlans, so a
 * host cannot reach its own containers through the parent. The shim is a
 * bridge-mode macvlan of the host on the network's parent (PARENT.VLAN
 * with vlan) holding the host_shim addresses, with routes to the
 * containers' ranges through it. It lives in the namespace the hook runs
 * in (the runtime's, i.e. the host's) as long as the network has leases:
 * up after an attach, down when the network's last lease goes.
 *
 * Its name is "omv-NETWORK" when that fits IFNAMSIZ (network names of up to
 * 11 characters), else "omv-" + the name's first 5 characters + "-" + 5 hex
 * digits of a hash of the whole name, e.g. "omv-produ-1a2b3". */
#pragma once

#include <net/if.h>

#include "error.h"
#include "network.h"
#include "request.h"

/* The shim's link name, in buf of IFNAMSIZ bytes. */
const char *shim_name(const char *network, char *buf);
/* Creates the shim, its addresses and routes; what exists and matches is
 * kept, so it is idempotent and two hooks racing both succeed. */
int shim_up(const struct network *net, struct error *err);
/* Deletes the network's shim (its addresses and routes go with it); a
 * shim that is not there is no error. */
int shim_down(const char *network, struct error *err);
/* shim_up() for each network of the request that has a host_shim. */
int shim_up_for(const struct hook_request *req, struct error *err);
