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

int attach_interfaces(const struct hook_request *req, pid_t pid, struct error *err);
