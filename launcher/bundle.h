/* bundle.h: an OCI bundle's config.json as a struct container.
 *
 * Reads the subset busybox containers use (process, root, hostname, mounts,
 * linux.namespaces, maskedPaths, readonlyPaths, seccomp, hooks,
 * annotations) and refuses by name what nsrun does not do, rather than
 * ignore a setting the bundle relies on. */
#pragma once

#include "container.h"
#include "error.h"

/* Replaces c's defaults with dir/config.json. */
int bundle_load(const char *dir, struct container *c, struct error *err);
