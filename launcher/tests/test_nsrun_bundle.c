/* test_nsrun_bundle.c: config.json → struct container, and what is refused. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle.h"
#include "tap.h"

static char dir[PATH_MAX];

/* The smallest bundle nsrun runs, with EXTRA spliced in at the top level. */
#define CONFIG(extra)                                                                              \
	"{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},"                                \
	"\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"},"                                           \
	"\"linux\":{\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"pid\"}]}" extra "}"

/* The same with a UTS namespace, for a hostname. */
#define UTS_CONFIG(extra)                                                                          \
	"{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},"                                \
	"\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"},"                                           \
	"\"linux\":{\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"uts\"}]}" extra "}"

static void write_config(const char *text)
{
	char path[PATH_MAX + 16];
	FILE *f;

	snprintf(path, sizeof(path), "%s/config.json", dir);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
}

/* Loads text as config.json; returns bundle_load's result, c and err filled. */
static int load(const char *text, struct container *c, struct error *err)
{
	struct error ignored;

	write_config(text);
	memset(err, 0, sizeof(*err));
	if (container_defaults(c, &ignored) < 0)
		return -2;
	return bundle_load(dir, c, err);
}

static void test_minimal(void)
{
	struct container c;
	struct error err;
	char rootfs[PATH_MAX + 8];

	snprintf(rootfs, sizeof(rootfs), "%s/rootfs", dir);
	tap_ok(load(CONFIG(""), &c, &err) == 0, "a minimal bundle loads (%s)", err.msg);
	tap_is(c.rootfs, rootfs, "root.path is resolved against the bundle");
	tap_is(c.bundle, dir, "bundle is the directory");
	tap_ok(c.args.n == 1 && strcmp(c.args.v[0], "sh") == 0, "process.args");
	tap_ok(c.env.n == 0, "no process.env: no environment (nsrun's defaults are gone)");
	tap_ok(c.n_mounts == 0, "no mounts: none (nsrun's defaults are gone)");
	tap_ok(c.caps.bounding == 0 && c.caps.effective == 0,
	       "no process.capabilities: none at all");
	tap_ok(c.seccomp == SECCOMP_UNCONFINED, "no linux.seccomp: unconfined, as runc");
	tap_ok(!c.no_new_privs, "noNewPrivileges defaults to false");
	tap_ok(c.ns[NS_MOUNT].enabled && c.ns[NS_PID].enabled && !c.ns[NS_NET].enabled &&
		       !c.ns[NS_UTS].enabled,
	       "only the listed namespaces");
	tap_ok(c.masked_paths.n == 0 && c.readonly_paths.n == 0,
	       "no maskedPaths/readonlyPaths: none");
	tap_ok(c.init, "nsrun's init stays on");
	container_release(&c);
}

static void test_full(void)
{
	struct container c;
	struct error err;

	tap_ok(load(UTS_CONFIG(
			    ",\"hostname\":\"box\","
			    "\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\","
			    "\"source\":\"proc\"},{\"destination\":\"/data\",\"type\":\"bind\","
			    "\"source\":\"/tmp\",\"options\":[\"rbind\",\"ro\",\"rprivate\"]},"
			    "{\"destination\":\"/dev\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
			    "\"options\":[\"nosuid\",\"mode=755\",\"size=65536k\"]}],"
			    "\"hooks\":{\"prestart\":[{\"path\":\"/bin/true\",\"args\":[\"true\","
			    "\"x\"],\"env\":[\"A=1\"],\"timeout\":5}],\"poststop\":[{\"path\":"
			    "\"/bin/false\"}]},"
			    "\"annotations\":{\"oci-macvlan/address\":\"10.0.0.2/24\"}"),
		    &c, &err) == 0,
	       "hostname, mounts, hooks and annotations load (%s)", err.msg);
	tap_is(c.hostname, "box", "hostname");
	tap_ok(c.n_mounts == 3, "three mounts");
	if (c.n_mounts == 3) {
		tap_is(c.mounts[1].type, "bind", "a bind mount");
		tap_ok(c.mounts[1].flags == (MS_BIND | MS_REC | MS_RDONLY),
		       "rbind,ro are mount flags");
		tap_ok(c.mounts[1].propagation == (MS_PRIVATE | MS_REC), "rprivate is propagation");
		tap_is(c.mounts[2].data, "mode=755,size=65536k", "the rest is filesystem data");
		tap_ok(c.mounts[2].flags == MS_NOSUID, "nosuid is a flag");
	}
	tap_ok(c.hooks[HOOK_PRESTART].n == 1 && c.hooks[HOOK_POSTSTOP].n == 1 &&
		       c.hooks[HOOK_POSTSTART].n == 0,
	       "hooks by stage");
	if (c.hooks[HOOK_PRESTART].n == 1) {
		struct hook *h = &c.hooks[HOOK_PRESTART].v[0];

		tap_is(h->path, "/bin/true", "hook path");
		tap_ok(h->args.n == 2 && strcmp(h->args.v[1], "x") == 0, "hook args");
		tap_ok(h->env.n == 1 && strcmp(h->env.v[0], "A=1") == 0, "hook env");
		tap_ok(h->timeout == 5, "hook timeout");
	}
	tap_is(container_annotation(&c, "oci-macvlan/address"), "10.0.0.2/24", "annotations");
	container_release(&c);
}

static void test_process(void)
{
	struct container c;
	struct error err;

	tap_ok(load("{\"root\":{\"path\":\"rootfs\",\"readonly\":true},"
		    "\"process\":{\"terminal\":false,\"args\":[\"id\"],\"env\":[\"A=1\"],"
		    "\"cwd\":\"/tmp\",\"user\":{\"uid\":1000,\"gid\":100,"
		    "\"additionalGids\":[5,6]},\"noNewPrivileges\":true,"
		    "\"capabilities\":{\"bounding\":[\"CAP_KILL\",\"CAP_NET_RAW\"],"
		    "\"effective\":[\"CAP_KILL\"],\"permitted\":[\"CAP_KILL\"],"
		    "\"ambient\":[\"CAP_KILL\"],\"inheritable\":[\"CAP_KILL\"]},"
		    "\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1024,\"soft\":512}]},"
		    "\"linux\":{\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"network\","
		    "\"path\":\"/run/netns/x\"}],\"maskedPaths\":[\"/proc/kcore\"],"
		    "\"readonlyPaths\":[\"/proc/sys\"],\"resources\":{\"devices\":"
		    "[{\"allow\":false,\"access\":\"rwm\"}]},\"cgroupsPath\":\"/x\"}}",
		    &c, &err) == 0,
	       "process, root.readonly and linux settings load (%s)", err.msg);
	tap_ok(c.readonly_root, "root.readonly");
	tap_ok(c.uid == 1000 && c.gid == 100 && c.additional_gids.n == 2, "process.user");
	tap_is(c.cwd, "/tmp", "process.cwd");
	tap_ok(c.no_new_privs, "noNewPrivileges");
	tap_ok(c.caps.bounding == ((1ULL << CAP_KILL) | (1ULL << CAP_NET_RAW)) &&
		       c.caps.effective == (1ULL << CAP_KILL) &&
		       c.caps.ambient == (1ULL << CAP_KILL),
	       "capability sets");
	tap_ok(c.n_rlimits == 1 && c.rlimits[0].soft == 512 && c.rlimits[0].hard == 1024,
	       "rlimits");
	tap_is(c.ns[NS_NET].path, "/run/netns/x", "a namespace joined by path");
	tap_ok(c.masked_paths.n == 1 && c.readonly_paths.n == 1, "masked and read-only paths");
	container_release(&c);

	tap_ok(load("{\"root\":{\"path\":\"rootfs\"},\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"},"
		    "\"linux\":{\"namespaces\":[{\"type\":\"mount\"}],\"seccomp\":"
		    "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
		    "[\"mount\"],\"action\":\"SCMP_ACT_ERRNO\"}]}}}",
		    &c, &err) == 0 &&
		       c.seccomp == SECCOMP_PROFILE && c.seccomp_profile &&
		       strstr(c.seccomp_profile, "SCMP_ACT_ERRNO"),
	       "linux.seccomp is kept as a profile");
	container_release(&c);
}

/* Each of these is refused with a message that names the setting. */
static void test_refused(void)
{
	static const struct {
		const char *config, *names;
	} cases[] = {
		{ CONFIG(",\"solaris\":{}"), "solaris is not supported" },
		{ "{\"root\":{\"path\":\"rootfs\"},\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\","
		  "\"terminal\":true},\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}}",
		  "process.terminal" },
		{ "{\"root\":{\"path\":\"rootfs\"},\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\","
		  "\"apparmorProfile\":\"x\"},\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}}",
		  "process.apparmorProfile is not supported" },
		{ "{\"root\":{\"path\":\"rootfs\"},\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\","
		  "\"selinuxLabel\":\"x\"},\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}}",
		  "process.selinuxLabel is not supported" },
		{ "{\"root\":{\"path\":\"rootfs\"},\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\","
		  "\"oomScoreAdj\":1},\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}}",
		  "process.oomScoreAdj is not supported" },
		{ "{\"root\":{\"path\":\"rootfs\"},\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"},"
		  "\"linux\":{\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"user\"}]}}",
		  "type \"user\" is not supported" },
		{ "{\"root\":{\"path\":\"rootfs\"},\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"},"
		  "\"linux\":{\"namespaces\":[{\"type\":\"pid\"}]}}",
		  "needs a mount namespace of its own" },
		{ "{\"root\":{\"path\":\"rootfs\"},\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"},"
		  "\"linux\":{\"namespaces\":[{\"type\":\"mount\",\"path\":\"/proc/1/ns/mnt\"}]}}",
		  "joining a mount namespace" },
		{ "{\"root\":{\"path\":\"rootfs\"},\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"},"
		  "\"linux\":{\"namespaces\":[{\"type\":\"mount\"}],\"uidMappings\":[]}}",
		  "linux.uidMappings is not supported" },
		{ "{\"root\":{\"path\":\"rootfs\"},\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"},"
		  "\"linux\":{\"namespaces\":[{\"type\":\"mount\"}],\"sysctl\":{}}}",
		  "linux.sysctl is not supported" },
		{ "{\"root\":{\"path\":\"rootfs\"},\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"},"
		  "\"linux\":{\"namespaces\":[{\"type\":\"mount\"}],\"devices\":[]}}",
		  "linux.devices is not supported" },
		{ "{\"root\":{\"path\":\"rootfs\"},\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"},"
		  "\"linux\":{\"namespaces\":[{\"type\":\"mount\"}],\"resources\":{\"memory\":"
		  "{\"limit\":1}}}}",
		  "linux.resources.memory is not supported" },
		{ "{\"root\":{\"path\":\"rootfs\"},\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"},"
		  "\"linux\":{\"namespaces\":[{\"type\":\"mount\"}],\"resources\":{\"devices\":"
		  "[{\"allow\":true,\"access\":\"rwm\"}]}}}",
		  "linux.resources.devices[0]: allow rules are not supported" },
		{ CONFIG(",\"hooks\":{\"createContainer\":[{\"path\":\"/bin/true\"}]}"),
		  "hooks.createContainer is not supported" },
		{ CONFIG(",\"hooks\":{\"startContainer\":[{\"path\":\"/bin/true\"}]}"),
		  "hooks.startContainer is not supported" },
		{ CONFIG(",\"hooks\":{\"prestart\":[{\"path\":\"true\"}]}"), "absolute path" },
		{ CONFIG(",\"domainname\":\"x\""), "domainname is not supported" },
		{ CONFIG(",\"hostname\":\"x\""), "hostname needs a uts namespace" },
		{ CONFIG(",\"mounts\":[{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"/\","
			 "\"uidMappings\":[]}]"),
		  "id-mapped mounts are not supported" },
		{ CONFIG(",\"mounts\":[{\"destination\":\"x\",\"type\":\"tmpfs\"}]"),
		  "mounts[0].destination must be an absolute path" },
		{ CONFIG(",\"annotations\":{\"a\":1}"), "annotations.a must be a string" },
		{ "{\"root\":{\"path\":\"rootfs\"},\"process\":{\"args\":[],\"cwd\":\"/\"},"
		  "\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}}",
		  "process.args is missing or empty" },
		{ "{\"root\":{\"path\":\"rootfs\"},\"process\":{\"args\":[\"sh\"],\"cwd\":\"x\"},"
		  "\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}}",
		  "process.cwd must be an absolute path" },
		{ "{\"root\":{\"path\":\"rootfs\"},\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\","
		  "\"rlimits\":[{\"type\":\"RLIMIT_BOGUS\",\"soft\":1,\"hard\":1}]},"
		  "\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}}",
		  "type \"RLIMIT_BOGUS\" is unknown" },
		{ "{\"root\":{\"path\":\"rootfs\"},\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\","
		  "\"capabilities\":{\"bounding\":[\"CAP_BOGUS\"]}},"
		  "\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}}",
		  "unknown capability \"CAP_BOGUS\"" },
		{ "{\"root\":{\"path\":\"nonexistent\"},\"process\":{\"args\":[\"sh\"],\"cwd\":\"/"
		  "\"},"
		  "\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}}",
		  "root.path" },
		{ "{\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"},"
		  "\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}}",
		  "root.path is missing" },
		{ "{\"root\":{\"path\":\"rootfs\"},\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"}}",
		  "linux is missing" },
		{ "[]", "config.json must be an object" },
		{ "{", "not valid JSON" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct container c;
		struct error err;
		int r = load(cases[i].config, &c, &err);

		if (!tap_ok(r == -1 && strstr(err.msg, cases[i].names) != NULL, "refused: %s",
			    cases[i].names))
			printf("#   got: %d \"%s\"\n", r, err.msg);
		container_release(&c);
	}
}

int main(void)
{
	char rootfs[PATH_MAX + 8];

	snprintf(dir, sizeof(dir), "/tmp/test_nsrun_bundle.XXXXXX");
	if (!mkdtemp(dir))
		return 2;
	snprintf(rootfs, sizeof(rootfs), "%s/rootfs", dir);
	mkdir(rootfs, 0755);
	test_minimal();
	test_full();
	test_process();
	test_refused();
	rmdir(rootfs);
	if (chdir(dir) == 0)
		unlink("config.json");
	rmdir(dir);
	return tap_done();
}
