/* annotations.h: turning the container's oci-macvlan/ annotations into a
 * validated hook_request.
 *
 * Every accepted form of the SPEC's annotation table is parsed here, and
 * every malformed one is refused with a message that names the key and the
 * value. Checks that need the host (the parent's MTU, whether it exists)
 * are attach.c's. */
#pragma once

#include "error.h"
#include "request.h"
#include "state.h"

/* Fills req from st's annotations. req->n is 0 when the container has no
 * oci-macvlan/ annotation at all: it is to be left alone. */
int annotations_parse(const struct oci_state *st, struct hook_request *req, struct error *err);
/* The checks across keys and interfaces that annotations_parse() makes,
 * for a request that named networks have completed. */
int annotations_check(const struct hook_request *req, struct error *err);
