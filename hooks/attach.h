/* attach.h: carrying out a hook_request in a container's network namespace.
 *
 * All or nothing: on failure every interface this call created is deleted
 * again and the error names the annotation key it concerns. Running it a
 * second time for the same container and the same request succeeds and
 * changes nothing. */
#pragma once

#include <sys/types.h>

#include "error.h"
#include "request.h"

/* id and pid name the container as a user of the VLAN links and
 * promiscuous parents it shares with others (parents.h). */
int attach_interfaces(const struct hook_request *req, const char *id, pid_t pid, struct error *err);
