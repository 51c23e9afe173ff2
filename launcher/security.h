/* security.h: the last steps before exec, in the order that works:
 * (seccomp here when no_new_privs is off, since loading then needs
 * CAP_SYS_ADMIN), capabilities and user, no_new_privs, seccomp. */
#pragma once

#include "container.h"
#include "error.h"

typedef int (*seccomp_loader)(void *data, struct error *err);

/* Applies c's user, groups, capabilities and no_new_privs, calling
 * load_seccomp(data) (may be NULL) as late as that allows. */
int security_apply(const struct container *c, seccomp_loader load_seccomp, void *data,
		   struct error *err);
