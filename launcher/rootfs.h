/* rootfs.h: the container's filesystem, built in its mount namespace.
 *
 * rootfs_prepare() runs before the prestart/createRuntime hooks: / private,
 * the rootfs bound on itself, the mounts (/proc, /dev, /sys, -v ...) and
 * /dev's nodes. rootfs_pivot() then makes it the root, and rootfs_harden()
 * masks and write-protects paths. */
#pragma once

#include <stdbool.h>

#include "container.h"
#include "error.h"

int rootfs_prepare(const struct container *c, struct error *err);
int rootfs_pivot(const struct container *c, struct error *err);
int rootfs_harden(const struct container *c, struct error *err);

/* For the other mount files: opens path inside the rootfs rootfd without
 * ever leaving it (symlinks resolve as if it were /), and creates it
 * (directories, or an empty file last when !dir) returning an O_PATH fd. */
int rootfs_open_in(int rootfd, const char *path, int flags);
int rootfs_create_in(int rootfd, const char *path, bool dir, struct error *err);
