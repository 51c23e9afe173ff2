/* cgroupfs.c: a "cgroup" mount of a bundle (/sys/fs/cgroup), as runc makes it.
 *
 * nsrun creates no cgroups: the container sees, read-only as the bundle
 * asks, the cgroups nsrun itself runs in. On a cgroup v2 host that is one
 * cgroup2 mount; on v1 a tmpfs with one directory per hierarchy, a fresh
 * mount of it in a cgroup namespace of the container's own, else a bind of
 * nsrun's cgroup in it. */
#include "cgroupfs.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "cleanup.h"
#include "rootfs.h"

#define HOST_CGROUP "/sys/fs/cgroup"

static inline void fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}

static const char *fd_path(int fd, char *buf, size_t size)
{
	snprintf(buf, size, "/proc/self/fd/%d", fd);
	return buf;
}

/* One v1 hierarchy from /proc/self/mountinfo: /sys/fs/cgroup/NAME. */
struct hierarchy {
	char name[64];
	char root[1024]; /* the part of the hierarchy mounted there */
	char options[256]; /* super options without rw: "cpu", "name=systemd" */
};

/* Parses a mountinfo line; 1 when it is a v1 hierarchy under /sys/fs/cgroup. */
static int parse_hierarchy(char *line, struct hierarchy *h)
{
	char root[1024], point[1024], type[64], opts[256];
	const char *dash = strstr(line, " - ");
	const char *name, *o;

	if (!dash || sscanf(line, "%*s %*s %*s %1023s %1023s", root, point) != 2 ||
	    sscanf(dash, " - %63s %*s %255s", type, opts) != 2)
		return 0;
	if (strcmp(type, "cgroup") != 0 || strncmp(point, HOST_CGROUP "/", 15) != 0)
		return 0;
	name = point + 15;
	if (!*name || strchr(name, '/') || strlen(name) >= sizeof(h->name))
		return 0;
	strcpy(h->name, name);
	strcpy(h->root, root);
	o = strncmp(opts, "rw,", 3) == 0 || strncmp(opts, "ro,", 3) == 0 ? opts + 3 : opts;
	snprintf(h->options, sizeof(h->options), "%s", o);
	return 1;
}

/* Whether every controller of "cpu,cpuacct" is among the options. */
static bool controllers_match(const char *controllers, const char *options)
{
	char copy[256], *c, *save = NULL;
	char padded[260];

	snprintf(copy, sizeof(copy), "%s", controllers);
	snprintf(padded, sizeof(padded), ",%s,", options);
	for (c = strtok_r(copy, ",", &save); c; c = strtok_r(NULL, ",", &save)) {
		char item[260];

		snprintf(item, sizeof(item), ",%s,", c);
		if (!strstr(padded, item))
			return false;
	}
	return copy[0] != '\0';
}

/* nsrun's own cgroup in hierarchy h, as a path under the host's mount. */
static int own_cgroup(const struct hierarchy *h, char *out, size_t size, struct error *err)
{
	_cleanup_(fclosep) FILE *f = fopen("/proc/self/cgroup", "re");
	char line[2048];

	if (!f)
		return error_sys(err, errno, "/proc/self/cgroup");
	while (fgets(line, sizeof(line), f)) {
		char *controllers = strchr(line, ':'), *path;
		size_t rootlen = strcmp(h->root, "/") == 0 ? 0 : strlen(h->root);

		path = controllers ? strchr(controllers + 1, ':') : NULL;
		if (!path)
			continue;
		*path++ = '\0';
		path[strcspn(path, "\n")] = '\0';
		if (!controllers_match(controllers + 1, h->options))
			continue;
		if (rootlen && strncmp(path, h->root, rootlen) == 0)
			path += rootlen;
		snprintf(out, size, HOST_CGROUP "/%s%s", h->name, path);
		return 0;
	}
	return error_set(err, ENOENT, "no cgroup of nsrun's in %s", h->name);
}

static int mount_hierarchy(int dirfd, const struct hierarchy *h, unsigned long flags, bool own_ns,
			   struct error *err)
{
	_cleanup_close_ int target = -1, mounted = -1;
	char path[64], source[2048];

	if (mkdirat(dirfd, h->name, 0755) < 0 && errno != EEXIST)
		return error_sys(err, errno, "creating %s", h->name);
	target = openat(dirfd, h->name, O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (target < 0)
		return error_sys(err, errno, "%s", h->name);
	if (own_ns) {
		/* runc's source: the name of a named hierarchy, else "cgroup". */
		const char *named = strstr(h->options, "name=");
		char source_name[64] = "cgroup";

		if (named)
			snprintf(source_name, sizeof(source_name), "%.*s",
				 (int)strcspn(named + 5, ","), named + 5);
		if (mount(source_name, fd_path(target, path, sizeof(path)), "cgroup", flags,
			  h->options) < 0)
			return error_sys(err, errno, "mounting cgroup %s", h->options);
		return 0;
	}
	if (own_cgroup(h, source, sizeof(source), err) < 0)
		return -1;
	if (mount(source, fd_path(target, path, sizeof(path)), NULL, MS_BIND, NULL) < 0)
		return error_sys(err, errno, "binding %s", source);
	mounted = openat(dirfd, h->name, O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (mounted < 0 || mount(NULL, fd_path(mounted, path, sizeof(path)), NULL,
				 MS_BIND | MS_REMOUNT | flags, NULL) < 0)
		return error_sys(err, errno, "remounting %s", h->name);
	return 0;
}

static int mount_v1(int rootfd, const char *destination, unsigned long flags, bool own_ns,
		    struct error *err)
{
	_cleanup_(fclosep) FILE *f = NULL;
	_cleanup_close_ int dir = -1;
	char line[4096];
	struct hierarchy h;

	dir = rootfs_open_in(rootfd, destination, O_RDONLY | O_DIRECTORY);
	if (dir < 0)
		return error_sys(err, errno, "%s", destination);
	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return error_sys(err, errno, "/proc/self/mountinfo");
	while (fgets(line, sizeof(line), f))
		if (parse_hierarchy(line, &h) && mount_hierarchy(dir, &h, flags, own_ns, err) < 0)
			return -1;
	return 0;
}

int cgroupfs_mount(int rootfd, const struct mount_entry *m, bool own_ns, struct error *err)
{
	_cleanup_close_ int target = rootfs_create_in(rootfd, m->destination, true, err);
	unsigned long flags = m->flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC);
	struct statfs sf;
	char path[64];

	if (target < 0)
		return -1;
	fd_path(target, path, sizeof(path));
	if (statfs(HOST_CGROUP, &sf) < 0)
		return error_sys(err, errno, HOST_CGROUP);
	if (sf.f_type == CGROUP2_SUPER_MAGIC) {
		if (mount("cgroup2", path, "cgroup2", flags, NULL) < 0)
			return error_sys(err, errno, "mounting cgroup2");
		return 0;
	}
	if (mount("tmpfs", path, "tmpfs", flags & ~(unsigned long)MS_RDONLY, "mode=755") < 0)
		return error_sys(err, errno, "mounting a tmpfs");
	if (mount_v1(rootfd, m->destination, flags, own_ns, err) < 0)
		return -1;
	return 0;
}
