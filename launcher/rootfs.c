/* rootfs.c: mounts, device nodes, pivot_root, masked and read-only paths. */
#include "rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cgroupfs.h"
#include "cleanup.h"

/* Opens path inside root without ever leaving it, whatever symlinks the
 * rootfs holds (they resolve as if root were /). */
int rootfs_open_in(int rootfd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (unsigned long long)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};

	while (*path == '/')
		path++;
	if (!*path)
		path = ".";
	return (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
}

/* Creates path inside root (directories, and a file last when !dir) and
 * returns an O_PATH descriptor of it. */
int rootfs_create_in(int rootfd, const char *path, bool dir, struct error *err)
{
	char buf[4096], *slash;
	size_t len = strlen(path);
	int fd;

	if (len >= sizeof(buf))
		return error_set(err, ENAMETOOLONG, "%s", path);
	fd = rootfs_open_in(rootfd, path, O_PATH);
	if (fd >= 0)
		return fd;
	if (errno != ENOENT)
		return error_sys(err, errno, "%s", path);
	memcpy(buf, path, len + 1);
	while (len > 1 && buf[len - 1] == '/')
		buf[--len] = '\0';
	slash = strrchr(buf, '/');
	{
		_cleanup_close_ int parent = -1;
		const char *name = slash + 1;

		*slash = '\0';
		parent = rootfs_create_in(rootfd, buf[0] ? buf : "/", true, err);
		if (parent < 0)
			return -1;
		{
			_cleanup_close_ int pdir = openat(parent, ".", O_DIRECTORY | O_CLOEXEC);
			int r;

			if (pdir < 0)
				return error_sys(err, errno, "%s is not a directory", buf);
			if (dir)
				r = mkdirat(pdir, name, 0755);
			else
				r = mknodat(pdir, name, S_IFREG | 0644, 0);
			if (r < 0 && errno != EEXIST)
				return error_sys(err, errno, "cannot create %s", path);
		}
	}
	fd = rootfs_open_in(rootfd, path, O_PATH);
	if (fd < 0)
		return error_sys(err, errno, "%s", path);
	return fd;
}

static const char *fd_path(int fd, char *buf, size_t size)
{
	snprintf(buf, size, "/proc/self/fd/%d", fd);
	return buf;
}

/* Remounts what is mounted at path with flags (ro, nosuid, ...), keeping
 * the flags it already has. */
static int remount(const char *path, unsigned long flags, struct error *err)
{
	struct statvfs sv;

	if (statvfs(path, &sv) == 0) {
		if (sv.f_flag & ST_NOSUID)
			flags |= MS_NOSUID;
		if (sv.f_flag & ST_NODEV)
			flags |= MS_NODEV;
		if (sv.f_flag & ST_NOEXEC)
			flags |= MS_NOEXEC;
		if (sv.f_flag & ST_RDONLY)
			flags |= MS_RDONLY;
	}
	if (mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | flags, NULL) < 0)
		return error_sys(err, errno, "remounting %s", path);
	return 0;
}

#define BIND_REMOUNT_FLAGS (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME)

static int mount_bind(int rootfd, const struct mount_entry *m, struct error *err)
{
	struct stat sb;
	_cleanup_close_ int target = -1, mounted = -1;
	char path[64];

	if (stat(m->source, &sb) < 0)
		return error_sys(err, errno, "bind source %s", m->source);
	target = rootfs_create_in(rootfd, m->destination, S_ISDIR(sb.st_mode), err);
	if (target < 0)
		return -1;
	if (mount(m->source, fd_path(target, path, sizeof(path)), NULL,
		  MS_BIND | (m->flags & MS_REC), NULL) < 0)
		return error_sys(err, errno, "binding %s", m->source);
	if (!(m->flags & BIND_REMOUNT_FLAGS))
		return 0;
	/* The descriptor still names what lies beneath: reopen the mount. */
	mounted = rootfs_open_in(rootfd, m->destination, O_PATH);
	if (mounted < 0)
		return error_sys(err, errno, "%s", m->destination);
	return remount(fd_path(mounted, path, sizeof(path)), m->flags & BIND_REMOUNT_FLAGS, err);
}

static int mount_fs(int rootfd, const struct mount_entry *m, struct error *err)
{
	_cleanup_close_ int target = rootfs_create_in(rootfd, m->destination, true, err);
	char path[64];

	if (target < 0)
		return -1;
	fd_path(target, path, sizeof(path));
	if (mount(m->source, path, m->type, m->flags & ~(unsigned long)MS_REC, m->data) == 0)
		return 0;
	if (strcmp(m->type, "sysfs") == 0 && errno == EPERM) {
		/* Without a network namespace of its own, sysfs cannot be mounted:
		 * bind the host's, as runc does. */
		if (mount("/sys", path, NULL, MS_BIND | MS_REC, NULL) < 0)
			return error_sys(err, errno, "binding /sys");
		return remount(path, m->flags & BIND_REMOUNT_FLAGS, err);
	}
	return error_sys(err, errno, "mounting %s", m->type);
}

static int mount_one(int rootfd, const struct mount_entry *m, bool own_cgroup_ns, struct error *err)
{
	_cleanup_close_ int target = -1;
	char path[64];
	int r;

	if (strcmp(m->type, "bind") == 0 || (m->flags & MS_BIND))
		r = mount_bind(rootfd, m, err);
	else if (strcmp(m->type, "cgroup") == 0 || strcmp(m->type, "cgroup2") == 0)
		r = cgroupfs_mount(rootfd, m, own_cgroup_ns, err);
	else
		r = mount_fs(rootfd, m, err);
	if (r < 0 || !m->propagation)
		return r;
	target = rootfs_open_in(rootfd, m->destination, O_PATH);
	if (target < 0 ||
	    mount(NULL, fd_path(target, path, sizeof(path)), NULL, m->propagation, NULL) < 0)
		return error_sys(err, errno, "propagation of %s", m->destination);
	return 0;
}

static const struct mount_entry *find_mount(const struct container *c, const char *dst)
{
	size_t i;

	for (i = c->n_mounts; i-- > 0;)
		if (strcmp(c->mounts[i].destination, dst) == 0)
			return &c->mounts[i];
	return NULL;
}

/* The nodes every container gets on a /dev of its own, as runc makes them. */
static int make_devices(int rootfd, struct error *err)
{
	static const struct {
		const char *name;
		unsigned major, minor;
	} nodes[] = {
		{ "null", 1, 3 },   { "zero", 1, 5 },	 { "full", 1, 7 },
		{ "random", 1, 8 }, { "urandom", 1, 9 }, { "tty", 5, 0 },
	};
	static const struct {
		const char *target, *name;
	} links[] = {
		{ "/proc/self/fd", "fd" },	 { "/proc/self/fd/0", "stdin" },
		{ "/proc/self/fd/1", "stdout" }, { "/proc/self/fd/2", "stderr" },
		{ "pts/ptmx", "ptmx" },
	};
	_cleanup_close_ int dev = rootfs_open_in(rootfd, "/dev", O_DIRECTORY);
	size_t i;

	if (dev < 0)
		return error_sys(err, errno, "/dev");
	for (i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
		if (mknodat(dev, nodes[i].name, S_IFCHR | 0666,
			    makedev(nodes[i].major, nodes[i].minor)) < 0 &&
		    errno != EEXIST)
			return error_sys(err, errno, "creating /dev/%s", nodes[i].name);
	}
	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		if (symlinkat(links[i].target, dev, links[i].name) < 0 && errno != EEXIST)
			return error_sys(err, errno, "creating /dev/%s", links[i].name);
	return 0;
}

int rootfs_prepare(const struct container *c, struct error *err)
{
	const struct mount_entry *dev = find_mount(c, "/dev");
	bool own_cgroup_ns = c->ns[NS_CGROUP].enabled && !c->ns[NS_CGROUP].path;
	_cleanup_close_ int rootfd = -1;
	size_t i;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return error_sys(err, errno, "making / private");
	if (mount(c->rootfs, c->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
		return error_sys(err, errno, "binding rootfs %s", c->rootfs);
	rootfd = open(c->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return error_sys(err, errno, "rootfs %s", c->rootfs);
	umask(0);
	for (i = 0; i < c->n_mounts; i++)
		if (mount_one(rootfd, &c->mounts[i], own_cgroup_ns, err) < 0) {
			umask(022);
			return error_prefix(err, "mount %s", c->mounts[i].destination);
		}
	if (dev && strcmp(dev->type, "tmpfs") == 0 && make_devices(rootfd, err) < 0) {
		umask(022);
		return -1;
	}
	umask(022);
	return 0;
}

int rootfs_pivot(const struct container *c, struct error *err)
{
	_cleanup_close_ int oldroot = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	_cleanup_close_ int newroot = open(c->rootfs, O_DIRECTORY | O_RDONLY | O_CLOEXEC);

	if (oldroot < 0 || newroot < 0)
		return error_sys(err, errno, "opening the roots");
	/* runc's way: pivot onto the same directory, then lazily detach the
	 * old root, which is stacked beneath the new one. */
	if (fchdir(newroot) < 0)
		return error_sys(err, errno, "entering %s", c->rootfs);
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return error_sys(err, errno, "pivot_root to %s", c->rootfs);
	if (fchdir(oldroot) < 0)
		return error_sys(err, errno, "entering the old root");
	if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
		return error_sys(err, errno, "making the old root a slave");
	if (umount2(".", MNT_DETACH) < 0)
		return error_sys(err, errno, "detaching the old root");
	if (chdir("/") < 0)
		return error_sys(err, errno, "chdir /");
	return 0;
}

static int mask_path(const char *path, struct error *err)
{
	struct stat sb;

	if (lstat(path, &sb) < 0)
		return errno == ENOENT ? 0 : error_sys(err, errno, "masking %s", path);
	if (S_ISDIR(sb.st_mode)) {
		if (mount("tmpfs", path, "tmpfs", MS_RDONLY, NULL) < 0)
			return error_sys(err, errno, "masking %s", path);
	} else if (mount("/dev/null", path, NULL, MS_BIND, NULL) < 0) {
		return error_sys(err, errno, "masking %s", path);
	}
	return 0;
}

static int readonly_path(const char *path, struct error *err)
{
	if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0)
		return errno == ENOENT ? 0 : error_sys(err, errno, "binding %s", path);
	return remount(path, MS_RDONLY | MS_REC, err);
}

int rootfs_harden(const struct container *c, struct error *err)
{
	size_t i;

	/* runc's order: read-only paths, then masked ones. */
	for (i = 0; i < c->readonly_paths.n; i++)
		if (readonly_path(c->readonly_paths.v[i], err) < 0)
			return -1;
	for (i = 0; i < c->masked_paths.n; i++)
		if (mask_path(c->masked_paths.v[i], err) < 0)
			return -1;
	if (c->readonly_root && remount("/", MS_RDONLY, err) < 0)
		return error_prefix(err, "read-only root");
	return 0;
}
