/* caps.c: capability sets through libcap. */
#include "caps.h"

#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "cleanup.h"

static inline void cap_freep(cap_t *c)
{
	if (*c)
		cap_free(*c);
}
#define _cleanup_cap_ _cleanup_(cap_freep)

#define BIT(c) (UINT64_C(1) << (c))

uint64_t caps_docker_default(void)
{
	return BIT(CAP_CHOWN) | BIT(CAP_DAC_OVERRIDE) | BIT(CAP_FSETID) | BIT(CAP_FOWNER) |
	       BIT(CAP_MKNOD) | BIT(CAP_NET_RAW) | BIT(CAP_SETGID) | BIT(CAP_SETUID) |
	       BIT(CAP_SETFCAP) | BIT(CAP_SETPCAP) | BIT(CAP_NET_BIND_SERVICE) |
	       BIT(CAP_SYS_CHROOT) | BIT(CAP_KILL) | BIT(CAP_AUDIT_WRITE);
}

static cap_value_t last_cap(void)
{
	return (cap_value_t)cap_max_bits() - 1;
}

uint64_t caps_all(void)
{
	cap_value_t last = last_cap();

	return last >= 63 ? UINT64_MAX : BIT(last + 1) - 1;
}

int caps_parse(const char *name, uint64_t *mask, struct error *err)
{
	char lower[64] = "cap_";
	cap_value_t value;
	size_t i, off = strncasecmp(name, "CAP_", 4) == 0 ? 0 : 4;

	if (strcasecmp(name, "ALL") == 0) {
		*mask = caps_all();
		return 0;
	}
	if (strlen(name) + off >= sizeof(lower))
		return error_set(err, EINVAL, "unknown capability \"%s\"", name);
	for (i = 0; name[i]; i++)
		lower[off + i] = (char)tolower((unsigned char)name[i]);
	lower[off + i] = '\0';
	if (cap_from_name(lower, &value) < 0 || value > last_cap())
		return error_set(err, EINVAL, "unknown capability \"%s\"", name);
	*mask = BIT(value);
	return 0;
}

static int drop_bounding(uint64_t keep, struct error *err)
{
	cap_value_t c;

	for (c = 0; c <= last_cap(); c++) {
		if (keep & BIT(c))
			continue;
		if (cap_drop_bound(c) < 0 && errno != EINVAL)
			return error_sys(err, errno, "dropping %s from the bounding set",
					 cap_to_name(c));
	}
	return 0;
}

static int switch_user(uid_t uid, gid_t gid, const gid_t *gids, size_t n_gids, struct error *err)
{
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return error_sys(err, errno, "keeping capabilities across setuid");
	if (setgroups(n_gids, gids) < 0)
		return error_sys(err, errno, "setting supplementary groups");
	if (setresgid(gid, gid, gid) < 0)
		return error_sys(err, errno, "setting gid %u", (unsigned)gid);
	if (setresuid(uid, uid, uid) < 0)
		return error_sys(err, errno, "setting uid %u", (unsigned)uid);
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return error_sys(err, errno, "resetting keep-capabilities");
	return 0;
}

static int set_flag(cap_t state, cap_flag_t flag, uint64_t mask)
{
	cap_value_t c;

	for (c = 0; c <= last_cap(); c++)
		if ((mask & BIT(c)) && cap_set_flag(state, flag, 1, &c, CAP_SET) < 0)
			return -1;
	return 0;
}

static int set_ambient(uint64_t mask, struct error *err)
{
	cap_value_t c;

	if (cap_reset_ambient() < 0 && errno != EINVAL)
		return error_sys(err, errno, "clearing the ambient set");
	for (c = 0; c <= last_cap(); c++)
		if ((mask & BIT(c)) && cap_set_ambient(c, CAP_SET) < 0)
			return error_sys(err, errno, "raising %s in the ambient set",
					 cap_to_name(c));
	return 0;
}

int caps_apply(const struct capabilities *caps, uid_t uid, gid_t gid, const gid_t *gids,
	       size_t n_gids, struct error *err)
{
	_cleanup_cap_ cap_t state = cap_init();

	if (!state)
		return error_sys(err, errno, "capabilities");
	if (drop_bounding(caps->bounding, err) < 0 || switch_user(uid, gid, gids, n_gids, err) < 0)
		return -1;
	if (set_flag(state, CAP_EFFECTIVE, caps->effective) < 0 ||
	    set_flag(state, CAP_PERMITTED, caps->permitted) < 0 ||
	    set_flag(state, CAP_INHERITABLE, caps->inheritable) < 0)
		return error_sys(err, errno, "building the capability sets");
	if (cap_set_proc(state) < 0)
		return error_sys(err, errno, "setting the capability sets");
	/* As runc: a capability can only be ambient when it is permitted and
	 * inheritable; others in the ambient list are left out. */
	return set_ambient(caps->ambient & caps->permitted & caps->inheritable, err);
}
