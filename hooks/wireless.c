/* wireless.c: telling a Wi-Fi NIC by its sysfs directory. */
#include "wireless.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "cleanup.h"

/* The ifindex in the interface's sysfs directory dir, or -1. */
static int sysfs_ifindex(int dir)
{
	_cleanup_close_ int fd = openat(dir, "ifindex", O_RDONLY | O_CLOEXEC);
	char buf[16];
	ssize_t len = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	int ifindex;

	if (len <= 0)
		return -1;
	buf[len] = '\0';
	return sscanf(buf, "%d", &ifindex) == 1 ? ifindex : -1;
}

bool wireless_interface(const char *sysfs_net, const char *name, int ifindex)
{
	char path[256];
	_cleanup_close_ int dir = -1;

	snprintf(path, sizeof(path), "%s/%s", sysfs_net, name);
	dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0 || sysfs_ifindex(dir) != ifindex)
		return false;
	return faccessat(dir, "wireless", F_OK, 0) == 0 || faccessat(dir, "phy80211", F_OK, 0) == 0;
}
