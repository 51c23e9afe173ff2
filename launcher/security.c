/* security.c: capabilities, no_new_privs and seccomp, in order. */
#include "security.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/prctl.h>

#include "caps.h"

int security_apply(const struct container *c, seccomp_loader load_seccomp, void *data,
		   struct error *err)
{
	gid_t gids[64];
	size_t i;

	if (c->additional_gids.n > sizeof(gids) / sizeof(gids[0]))
		return error_set(err, E2BIG, "too many additional groups");
	for (i = 0; i < c->additional_gids.n; i++)
		gids[i] = (gid_t)strtoul(c->additional_gids.v[i], NULL, 10);
	if (!c->no_new_privs && load_seccomp && load_seccomp(data, err) < 0)
		return -1;
	if (caps_apply(&c->caps, c->uid, c->gid, gids, c->additional_gids.n, err) < 0)
		return -1;
	if (c->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return error_sys(err, errno, "no_new_privs");
	if (c->no_new_privs && load_seccomp && load_seccomp(data, err) < 0)
		return -1;
	return 0;
}
