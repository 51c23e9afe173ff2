/* test_nsrun_container.c: the defaults of `nsrun run ROOTFS` and the small
 * parsers behind its options (-u, -v, -e, --name, --cap-*, mount options). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/mount.h>
#include <sys/resource.h>

#include "caps.h"
#include "container.h"
#include "tap.h"

#define BIT(c) (1ULL << (c))

static void test_defaults(void)
{
	struct container c;
	struct error err;
	uint64_t docker = BIT(CAP_CHOWN) | BIT(CAP_DAC_OVERRIDE) | BIT(CAP_FSETID) |
			  BIT(CAP_FOWNER) | BIT(CAP_MKNOD) | BIT(CAP_NET_RAW) | BIT(CAP_SETGID) |
			  BIT(CAP_SETUID) | BIT(CAP_SETFCAP) | BIT(CAP_SETPCAP) |
			  BIT(CAP_NET_BIND_SERVICE) | BIT(CAP_SYS_CHROOT) | BIT(CAP_KILL) |
			  BIT(CAP_AUDIT_WRITE);
	int kind, all = 1;

	tap_ok(container_defaults(&c, &err) == 0, "defaults");
	for (kind = 0; kind < NS_KINDS; kind++)
		all = all && c.ns[kind].enabled && !c.ns[kind].path;
	tap_ok(all, "every namespace of its own");
	tap_ok(c.caps.bounding == docker && c.caps.effective == docker &&
		       c.caps.permitted == docker && c.caps.inheritable == 0 && c.caps.ambient == 0,
	       "Docker's capability set, bounding set included");
	tap_ok(caps_docker_default() == 0xa80425fbULL, "which is CapEff a80425fb");
	tap_ok(c.no_new_privs && c.seccomp == SECCOMP_DEFAULT && c.init,
	       "no_new_privs, the default seccomp filter, an init");
	tap_ok(c.n_mounts == 6 && strcmp(c.mounts[0].destination, "/proc") == 0 &&
		       c.mounts[0].flags == (MS_NOSUID | MS_NOEXEC | MS_NODEV),
	       "/proc nosuid,noexec,nodev first");
	tap_ok(c.n_mounts == 6 && strcmp(c.mounts[5].destination, "/sys") == 0 &&
		       (c.mounts[5].flags & MS_RDONLY),
	       "/sys read-only");
	tap_ok(c.n_mounts == 6 && strcmp(c.mounts[1].type, "tmpfs") == 0 &&
		       strcmp(c.mounts[1].data, "mode=755,size=65536k") == 0,
	       "/dev a tmpfs");
	tap_ok(c.masked_paths.n == 10 && strcmp(c.masked_paths.v[2], "/proc/kcore") == 0,
	       "runc's masked paths");
	tap_ok(c.readonly_paths.n == 5 && strcmp(c.readonly_paths.v[3], "/proc/sys") == 0,
	       "runc's read-only paths");
	tap_ok(c.env.n == 2 && strncmp(c.env.v[0], "PATH=", 5) == 0, "PATH and TERM");
	container_release(&c);
}

static void test_user(void)
{
	struct error err;
	uid_t uid = 0;
	gid_t gid = 0;

	tap_ok(parse_user("1000", &uid, &gid, &err) == 0 && uid == 1000 && gid == 1000,
	       "--user UID: GID is the same");
	tap_ok(parse_user("1000:100", &uid, &gid, &err) == 0 && uid == 1000 && gid == 100,
	       "--user UID:GID");
	tap_ok(parse_user("root", &uid, &gid, &err) < 0 &&
		       strstr(err.msg, "\"root\" is not UID[:GID]"),
	       "names are refused");
	tap_ok(parse_user("1:", &uid, &gid, &err) < 0, "an empty GID is refused");
	tap_ok(parse_user("-1", &uid, &gid, &err) < 0, "a negative UID is refused");
	tap_ok(parse_user("4294967295", &uid, &gid, &err) < 0, "(uid_t)-1 is refused");
}

static void test_volume(void)
{
	struct container c;
	struct error err;

	container_defaults(&c, &err);
	tap_ok(parse_volume(&c, "/tmp:/data:ro", &err) == 0, "-v SRC:DST:ro");
	tap_ok(strcmp(c.mounts[c.n_mounts - 1].type, "bind") == 0 &&
		       c.mounts[c.n_mounts - 1].flags == (MS_BIND | MS_REC | MS_RDONLY) &&
		       strcmp(c.mounts[c.n_mounts - 1].destination, "/data") == 0,
	       "a recursive read-only bind at DST");
	tap_ok(parse_volume(&c, "/tmp:/rw", &err) == 0 &&
		       c.mounts[c.n_mounts - 1].flags == (MS_BIND | MS_REC),
	       "-v SRC:DST is read-write");
	tap_ok(parse_volume(&c, "/tmp:/x:rx", &err) < 0 &&
		       strstr(err.msg, "mode \"rx\" is not ro or rw"),
	       "a bad mode is refused");
	tap_ok(parse_volume(&c, "/tmp:data", &err) < 0 && strstr(err.msg, "absolute DST"),
	       "a relative DST is refused");
	tap_ok(parse_volume(&c, "/nonexistent/src:/x", &err) < 0 &&
		       strstr(err.msg, "source /nonexistent/src"),
	       "a missing SRC is refused");
	container_release(&c);
}

static void test_env_and_annotations(void)
{
	struct container c;
	struct error err;

	container_defaults(&c, &err);
	tap_ok(container_setenv(&c, "A=1", &err) == 0 && c.env.n == 3, "-e A=1 adds");
	tap_ok(container_setenv(&c, "A=2", &err) == 0 && c.env.n == 3 &&
		       strcmp(c.env.v[2], "A=2") == 0,
	       "-e A=2 replaces");
	tap_ok(container_setenv(&c, "PATH=/bin", &err) == 0 && strcmp(c.env.v[0], "PATH=/bin") == 0,
	       "a default can be replaced");
	tap_ok(container_setenv(&c, "=x", &err) < 0, "an empty name is refused");
	tap_ok(container_set_annotation(&c, "k", "1", &err) == 0 &&
		       container_set_annotation(&c, "k", "2", &err) == 0 && c.n_annotations == 1,
	       "--annotation replaces an earlier value");
	tap_is(container_annotation(&c, "k"), "2", "the later value wins");
	tap_is(container_annotation(&c, "nope"), NULL, "an absent annotation");
	container_release(&c);
}

static void test_ids(void)
{
	struct error err;
	char *id = NULL;

	tap_ok(container_check_id("web-1.a_b", &err) == 0, "letters, digits, _.-");
	tap_ok(container_check_id("-x", &err) < 0, "not starting with -");
	tap_ok(container_check_id("a/b", &err) < 0, "no slash (it is a directory name)");
	tap_ok(container_check_id("..", &err) < 0, "no ..");
	tap_ok(container_check_id("", &err) < 0, "not empty");
	tap_ok(container_check_id(
		       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", &err) <
		       0,
	       "at most 64 characters");
	tap_ok(container_random_id(&id, &err) == 0 && strlen(id) == 12 &&
		       container_check_id(id, &err) == 0,
	       "random ids are 12 hex digits");
	free(id);
}

static void test_caps(void)
{
	struct error err;
	uint64_t mask;

	tap_ok(caps_parse("NET_ADMIN", &mask, &err) == 0 && mask == BIT(CAP_NET_ADMIN),
	       "NET_ADMIN");
	tap_ok(caps_parse("CAP_SYS_ADMIN", &mask, &err) == 0 && mask == BIT(CAP_SYS_ADMIN),
	       "CAP_SYS_ADMIN");
	tap_ok(caps_parse("net_raw", &mask, &err) == 0 && mask == BIT(CAP_NET_RAW), "net_raw");
	tap_ok(caps_parse("ALL", &mask, &err) == 0 && mask == caps_all() &&
		       (mask & BIT(CAP_SYS_ADMIN)),
	       "ALL");
	tap_ok(caps_parse("FLY", &mask, &err) < 0 && strstr(err.msg, "unknown capability \"FLY\""),
	       "an unknown name is refused");
}

static void test_mount_options(void)
{
	unsigned long flags, propagation;
	struct error err;
	char *data = NULL;

	tap_ok(mount_options_parse("nosuid,noexec,mode=1777,size=1m,rprivate,ro", &flags,
				   &propagation, &data, &err) == 0,
	       "mount options");
	tap_ok(flags == (MS_NOSUID | MS_NOEXEC | MS_RDONLY), "flags");
	tap_ok(propagation == (MS_PRIVATE | MS_REC), "propagation");
	tap_is(data, "mode=1777,size=1m", "data");
	free(data);
	data = NULL;
	tap_ok(mount_options_parse("ro,rw,nodev,dev", &flags, &propagation, &data, &err) == 0 &&
		       flags == 0 && data == NULL,
	       "later options undo earlier ones");
}

static void test_names(void)
{
	tap_ok(hook_stage_from_name("createRuntime") == HOOK_CREATE_RUNTIME &&
		       hook_stage_from_name("poststop") == HOOK_POSTSTOP &&
		       hook_stage_from_name("createContainer") == -1,
	       "hook stage names");
	tap_ok(rlimit_from_name("RLIMIT_NOFILE") == RLIMIT_NOFILE && rlimit_from_name("X") == -1 &&
		       rlimit_from_name(NULL) == -1,
	       "rlimit names");
	tap_is(ns_kind_name(NS_NET), "network", "OCI namespace names");
}

int main(void)
{
	test_defaults();
	test_user();
	test_volume();
	test_env_and_annotations();
	test_ids();
	test_caps();
	test_mount_options();
	test_names();
	return tap_done();
}
