/* netns.c: pidfd-based access to a container's network namespace. */
#include "netns.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/pidfd.h>
#include <sys/stat.h>

#include "cleanup.h"

static int same_namespace(int nsfd, bool *same, struct error *err)
{
	struct stat theirs, ours;

	if (fstat(nsfd, &theirs) < 0)
		return error_sys(err, errno, "network namespace");
	if (stat("/proc/self/ns/net", &ours) < 0)
		return error_sys(err, errno, "/proc/self/ns/net");
	*same = theirs.st_dev == ours.st_dev && theirs.st_ino == ours.st_ino;
	return 0;
}

int netns_open_container(pid_t pid, int *out, struct error *err)
{
	_cleanup_close_ int pidfd = -1, nsfd = -1;
	char path[64];
	bool same = false;

	if (pid <= 0)
		return error_set(err, EINVAL,
				 "state: \"pid\" is %s: the container's process is needed",
				 pid ? "negative" : "missing or 0");
	pidfd = pidfd_open(pid, 0);
	if (pidfd < 0 && errno == ESRCH)
		return error_set(err, ESRCH, "container process %d is gone", (int)pid);
	if (pidfd < 0)
		return error_sys(err, errno, "container process %d", (int)pid);
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	nsfd = open(path, O_RDONLY | O_CLOEXEC);
	if (nsfd < 0)
		return error_set(err, ESRCH, "container process %d is gone", (int)pid);
	/* The pidfd pins the process we meant: while it lives, the pid cannot
	 * have been reused, so nsfd is that process's namespace. */
	if (pidfd_send_signal(pidfd, 0, NULL, 0) < 0)
		return error_set(err, ESRCH, "container process %d exited during the attach",
				 (int)pid);
	if (same_namespace(nsfd, &same, err) < 0)
		return -1;
	if (same)
		return error_set(err, EPERM,
				 "container process %d shares the hook's network namespace; the "
				 "container needs a network namespace of its own",
				 (int)pid);
	*out = steal_fd(&nsfd);
	return 0;
}

int netns_enter(int nsfd, struct error *err)
{
	if (setns(nsfd, CLONE_NEWNET) < 0)
		return error_sys(err, errno, "entering the container's network namespace");
	return 0;
}
