/* caps.h: capability sets: names, Docker's default set, and dropping to a
 * set (bounding set included) with libcap. */
#pragma once

#include <stdint.h>
#include <sys/types.h>

#include "container.h"
#include "error.h"

/* Docker's default set: CHOWN DAC_OVERRIDE FSETID FOWNER MKNOD NET_RAW SETGID
 * SETUID SETFCAP SETPCAP NET_BIND_SERVICE SYS_CHROOT KILL AUDIT_WRITE. */
uint64_t caps_docker_default(void);
/* Every capability the kernel knows. */
uint64_t caps_all(void);

/* "NET_ADMIN", "CAP_NET_ADMIN" or "net_admin" (or "ALL") as a mask. */
int caps_parse(const char *name, uint64_t *mask, struct error *err);

/* Drops the bounding set to caps->bounding, switches to uid/gid (keeping
 * capabilities across the switch), then sets the effective, permitted,
 * inheritable and ambient sets. gids are the supplementary groups. */
int caps_apply(const struct capabilities *caps, uid_t uid, gid_t gid, const gid_t *gids,
	       size_t n_gids, struct error *err);
