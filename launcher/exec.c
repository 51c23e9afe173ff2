/* exec.c: `nsrun exec`: join a running container and run a command there. */
#include "exec.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "init.h"
#include "log.h"
#include "seccomp_filter.h"
#include "security.h"
#include "selfexe.h"
#include "statedir.h"

enum { EXIT_NSRUN = 125, EXIT_NOT_EXECUTABLE = 126, EXIT_NOT_FOUND = 127 };

extern char **environ;

static const struct {
	const char *name;
	int flag;
} ns_kinds[] = {
	{ "cgroup", CLONE_NEWCGROUP }, { "ipc", CLONE_NEWIPC }, { "uts", CLONE_NEWUTS },
	{ "net", CLONE_NEWNET },       { "pid", CLONE_NEWPID }, { "mnt", CLONE_NEWNS },
};
#define N_KINDS (sizeof(ns_kinds) / sizeof(ns_kinds[0]))

struct exec {
	struct record rec;
	char **argv;
	int pidfd;
	struct seccomp_saved *seccomp; /* read before joining: the path is the host's */
	int own_ns[N_KINDS]; /* nsrun's namespaces, to go back to after the fork */
};

/* The namespaces of pid that differ from nsrun's own, as CLONE_NEW* flags;
 * opens nsrun's own of each kind in own_ns. */
static int namespaces_to_join(pid_t pid, int *own_ns)
{
	char theirs[64], ours[64];
	struct stat a, b;
	size_t i;
	int flags = 0;

	for (i = 0; i < N_KINDS; i++) {
		snprintf(theirs, sizeof(theirs), "/proc/%d/ns/%s", (int)pid, ns_kinds[i].name);
		snprintf(ours, sizeof(ours), "/proc/self/ns/%s", ns_kinds[i].name);
		if (stat(theirs, &a) < 0 || stat(ours, &b) < 0 ||
		    (a.st_ino == b.st_ino && a.st_dev == b.st_dev))
			continue;
		own_ns[i] = open(ours, O_RDONLY | O_CLOEXEC);
		if (own_ns[i] >= 0)
			flags |= ns_kinds[i].flag;
	}
	return flags;
}

static int join(struct exec *x, struct error *err)
{
	int flags;

	x->pidfd = (int)syscall(SYS_pidfd_open, x->rec.pid, 0);
	if (x->pidfd < 0)
		return error_sys(err, errno, "pidfd_open %d", (int)x->rec.pid);
	/* Still the container's? (The pid may have been reused meanwhile.) */
	if (process_start_time(x->rec.pid) == 0)
		return error_set(err, ESRCH, "the container stopped");
	flags = namespaces_to_join(x->rec.pid, x->own_ns);
	if (flags && setns(x->pidfd, flags) < 0)
		return error_sys(err, errno, "joining the namespaces of pid %d", (int)x->rec.pid);
	return 0;
}

/* Once the child is forked, nsrun goes back to its own namespaces: it waits
 * and exits on the host's side (and its /proc/self is its own again). */
static void leave(struct exec *x)
{
	size_t i;

	for (i = 0; i < N_KINDS; i++)
		if (x->own_ns[i] >= 0 && setns(x->own_ns[i], ns_kinds[i].flag) < 0)
			log_warn("going back to nsrun's %s namespace: %s", ns_kinds[i].name,
				 strerror(errno));
}

static int load_saved_seccomp(void *data, struct error *err)
{
	struct exec *x = data;

	return seccomp_saved_load(x->seccomp, err);
}

/* In the forked child: everything that happens in the container. */
static __attribute__((noreturn)) void exec_child(struct exec *x, int report_fd)
{
	struct error err = { 0 };
	int status = EXIT_NSRUN;

	signals_reset();
	if (chdir(x->rec.c.cwd ? x->rec.c.cwd : "/") < 0)
		error_sys(&err, errno, "working directory %s", x->rec.c.cwd);
	else if (syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		error_sys(&err, errno, "close_range");
	else if (security_apply(&x->rec.c, load_saved_seccomp, x, &err) < 0)
		error_prefix(&err, "drop privileges");
	else {
		environ = x->rec.c.env.v;
		execvp(x->argv[0], x->argv);
		status = errno == ENOENT ? EXIT_NOT_FOUND : EXIT_NOT_EXECUTABLE;
		error_sys(&err, errno, "exec \"%s\"", x->argv[0]);
	}
	dprintf(report_fd, "%d %s", status, err.msg);
	_exit(status);
}

static int spawn_and_wait(struct exec *x, struct error *err)
{
	_cleanup_close_ int rd = -1, wr = -1;
	char report[1200];
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return error_sys(err, errno, "pipe");
	rd = fds[0];
	wr = fds[1];
	pid = fork(); /* the child lands in the container's PID namespace */
	if (pid < 0)
		return error_sys(err, errno, "fork");
	if (pid == 0)
		exec_child(x, wr);
	leave(x);
	close(steal_fd(&wr));
	n = read(rd, report, sizeof(report) - 1);
	status = wait_forwarding(pid);
	if (n > 0) {
		char *space;

		report[n] = '\0';
		space = strchr(report, ' ');
		error_set(err, 0, "%s", space ? space + 1 : report);
		return -atoi(report);
	}
	return status;
}

#define EXEC_USAGE "usage: nsrun exec [-e K=V] [-w DIR] ID CMD..."

static const struct option exec_options[] = {
	{ "env", required_argument, NULL, 'e' },
	{ "workdir", required_argument, NULL, 'w' },
	{ NULL, 0, NULL, 0 },
};

/* -e and -w, applied on top of the container's settings. */
static int apply_options(int argc, char **argv, struct exec *x, struct error *err)
{
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "+e:w:", exec_options, NULL)) != -1) {
		if (opt == 'e' && container_setenv(&x->rec.c, optarg, err) < 0)
			return -1;
		if (opt == 'w') {
			if (optarg[0] != '/')
				return error_set(err, EINVAL, "-w \"%s\" is not an absolute path",
						 optarg);
			free(x->rec.c.cwd);
			x->rec.c.cwd = strdup(optarg);
			if (!x->rec.c.cwd)
				return error_sys(err, ENOMEM, "-w");
		}
	}
	return 0;
}

/* The container's record and saved seccomp filter, read from the host's
 * /run/nsrun before anything is joined. */
static int load_record(struct exec *x, const char *id, struct error *err)
{
	char path[4096];
	_cleanup_close_ int dirfd = -1;

	if (record_read(id, &x->rec, err) < 0)
		return -1;
	if (x->rec.pid == 0)
		return error_set(err, ESRCH, "container \"%s\" is not running", id);
	dirfd = open(statedir_path(id, NULL, path, sizeof(path)),
		     O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return error_sys(err, errno, "%s", path);
	return seccomp_saved_read(dirfd, &x->seccomp, err);
}

int cmd_exec(int argc, char **argv, struct error *err)
{
	struct exec x = { .pidfd = -1 };
	const char *id;
	size_t i;
	int opt, r;

	for (i = 0; i < N_KINDS; i++)
		x.own_ns[i] = -1;
	/* A first pass finds where ID is; options apply once it is read. */
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+e:w:", exec_options, NULL)) != -1)
		if (opt == '?')
			return error_set(err, EINVAL, EXEC_USAGE);
	if (argc - optind < 2)
		return error_set(err, EINVAL, EXEC_USAGE);
	id = argv[optind];
	x.argv = argv + optind + 1;
	if (load_record(&x, id, err) < 0 || apply_options(argc, argv, &x, err) < 0 ||
	    selfexe_protect(x.rec.c.caps.bounding, err) < 0)
		r = -1;
	else if (join(&x, err) < 0)
		r = error_prefix(err, "%s", id);
	else
		r = spawn_and_wait(&x, err);
	if (x.pidfd >= 0)
		close(x.pidfd);
	for (i = 0; i < N_KINDS; i++)
		if (x.own_ns[i] >= 0)
			close(x.own_ns[i]);
	if (x.seccomp)
		seccomp_saved_free(x.seccomp);
	record_release(&x.rec);
	return r;
}
