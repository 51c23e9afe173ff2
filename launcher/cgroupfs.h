/* cgroupfs.h: mounting a bundle's "cgroup" mount (/sys/fs/cgroup) as runc
 * does, without nsrun creating any cgroup. */
#pragma once

#include <stdbool.h>

#include "container.h"
#include "error.h"

/* Mounts m (type cgroup or cgroup2) inside the rootfs rootfd; own_ns
 * tells whether the container has a cgroup namespace of its own. */
int cgroupfs_mount(int rootfd, const struct mount_entry *m, bool own_ns, struct error *err);
