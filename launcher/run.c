/* run.c: the start of a container, step by step, in nsrun (the parent)
 * and in the container's first process (the child).
 *
 *   parent                               child (clone: new namespaces)
 *   build seccomp filter, open ns paths
 *   register under /run/nsrun/ID
 *   clone ------------------------------> join namespaces by path
 *                                        prepare the rootfs (mounts, /dev)
 *   prestart, createRuntime hooks <------ ready for hooks
 *   go ---------------------------------> pivot_root, masks, hostname,
 *                                        close fds, capabilities,
 *                                        no_new_privs, seccomp, exec
 *   (socket closes on exec) <------------
 *   poststart hooks, wait, poststop hooks */
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "hooks.h"
#include "init.h"
#include "log.h"
#include "rootfs.h"
#include "seccomp_filter.h"
#include "security.h"
#include "statedir.h"

#define STEP(name, call)                                                                           \
	do {                                                                                       \
		if ((call) < 0)                                                                    \
			return error_prefix(err, "%s", name);                                      \
		log_step(name);                                                                    \
	} while (0)

enum { EXIT_NSRUN = 125, EXIT_NOT_EXECUTABLE = 126, EXIT_NOT_FOUND = 127 };

enum sync_type { SYNC_READY_FOR_HOOKS = 1, SYNC_GO, SYNC_ERROR };

struct sync_msg {
	int type;
	int status;
	char text[1024];
};

struct run {
	struct container *c;
	struct seccomp_filter *seccomp;
	int ns_fd[NS_KINDS];
	int sock; /* this side of the socketpair */
	int child_sock; /* the child's side, in the parent until clone */
	int log_fd; /* -d: the container's stdout and stderr */
	pid_t pid;
	bool registered;
	bool created; /* the createRuntime stage was reached: poststop is due */
};

/* ---- messages between the parent and the child ---- */

static int sync_send(int sock, int type, int status, const char *text)
{
	struct sync_msg m = { .type = type, .status = status };

	if (text)
		snprintf(m.text, sizeof(m.text), "%s", text);
	return send(sock, &m, sizeof(m), MSG_NOSIGNAL) == (ssize_t)sizeof(m) ? 0 : -1;
}

/* Receives a message; type 0 means the other side closed. */
static int sync_recv(int sock, struct sync_msg *m, struct error *err)
{
	ssize_t n;

	do
		n = recv(sock, m, sizeof(*m), 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return error_sys(err, errno, "reading from the container");
	if (n == 0)
		m->type = 0;
	m->text[sizeof(m->text) - 1] = '\0';
	return 0;
}

/* ---- the child ---- */

static __attribute__((noreturn)) void child_fail(struct run *r, int status, struct error *err)
{
	sync_send(r->sock, SYNC_ERROR, status, err->msg);
	_exit(status);
}

static int join_namespaces(struct run *r, struct error *err)
{
	int kind;

	for (kind = 0; kind < NS_KINDS; kind++)
		if (r->ns_fd[kind] >= 0 && kind != NS_PID &&
		    setns(r->ns_fd[kind], ns_kind_clone_flag(kind)) < 0)
			return error_sys(err, errno, "%s namespace %s", ns_kind_name(kind),
					 r->c->ns[kind].path);
	return 0;
}

static int wait_for_hooks(struct run *r, struct error *err)
{
	struct sync_msg m;

	if (sync_send(r->sock, SYNC_READY_FOR_HOOKS, 0, NULL) < 0)
		return error_sys(err, errno, "telling nsrun");
	if (sync_recv(r->sock, &m, err) < 0)
		return -1;
	if (m.type != SYNC_GO)
		_exit(EXIT_NSRUN); /* nsrun gave up (a hook failed) and says why */
	return 0;
}

/* A network namespace of its own starts with lo down; bring it up as
 * Docker does for --net none. */
static int bring_up_lo(const struct container *c, struct error *err)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	_cleanup_close_ int fd = -1;

	if (!c->ns[NS_NET].enabled || c->ns[NS_NET].path)
		return 0;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		return error_sys(err, errno, "lo");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		return error_sys(err, errno, "lo");
	return 0;
}

static int set_hostname(const struct container *c, struct error *err)
{
	if (c->hostname && sethostname(c->hostname, strlen(c->hostname)) < 0)
		return error_sys(err, errno, "\"%s\"", c->hostname);
	return 0;
}

static int enter_cwd(const struct container *c, struct error *err)
{
	const char *cwd = c->cwd ? c->cwd : "/";

	if (chdir(cwd) < 0)
		return error_sys(err, errno, "%s", cwd);
	return 0;
}

static int close_inherited_fds(struct error *err)
{
	/* Everything but stdio closes at exec, the socket to nsrun included. */
	if (syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		return error_sys(err, errno, "close_range");
	return 0;
}

static int redirect_stdio(struct run *r, struct error *err)
{
	_cleanup_close_ int null = -1;

	if (r->log_fd < 0)
		return 0;
	null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (null < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(r->log_fd, STDOUT_FILENO) < 0 ||
	    dup2(r->log_fd, STDERR_FILENO) < 0)
		return error_sys(err, errno, "stdio");
	return 0;
}

static int set_rlimits(const struct container *c, struct error *err)
{
	size_t i;

	for (i = 0; i < c->n_rlimits; i++) {
		struct rlimit rl = { c->rlimits[i].soft, c->rlimits[i].hard };

		if (setrlimit(c->rlimits[i].resource, &rl) < 0)
			return error_sys(err, errno, "rlimit %d to %llu/%llu",
					 c->rlimits[i].resource, c->rlimits[i].soft,
					 c->rlimits[i].hard);
	}
	return 0;
}

static int load_seccomp(void *data, struct error *err)
{
	struct run *r = data;

	return r->seccomp ? seccomp_filter_load(r->seccomp, err) : 0;
}

static int drop_privileges(struct run *r, struct error *err)
{
	return security_apply(r->c, load_seccomp, r, err);
}

/* Execs the command; on failure tells nsrun why and exits 126 or 127. */
static void exec_command(void *data)
{
	struct run *r = data;
	struct error err;
	int saved;

	environ = r->c->env.v;
	execvp(r->c->args.v[0], r->c->args.v);
	saved = errno;
	error_sys(&err, saved, "exec \"%s\"", r->c->args.v[0]);
	child_fail(r, saved == ENOENT ? EXIT_NOT_FOUND : EXIT_NOT_EXECUTABLE, &err);
}

static int child_setup(struct run *r, struct error *err)
{
	STEP("join namespaces", join_namespaces(r, err));
	STEP("bring up lo", bring_up_lo(r->c, err));
	STEP("prepare the rootfs", rootfs_prepare(r->c, err));
	STEP("wait for the hooks", wait_for_hooks(r, err));
	STEP("pivot_root", rootfs_pivot(r->c, err));
	STEP("mask and write-protect paths", rootfs_harden(r->c, err));
	STEP("set the hostname", set_hostname(r->c, err));
	STEP("enter the working directory", enter_cwd(r->c, err));
	STEP("close inherited fds", close_inherited_fds(err));
	STEP("redirect stdio", redirect_stdio(r, err));
	STEP("set rlimits", set_rlimits(r->c, err));
	STEP("drop privileges", drop_privileges(r, err));
	return 0;
}

static __attribute__((noreturn)) void child_main(struct run *r)
{
	struct error err = { 0 };

	/* Should nsrun die, the container goes with it. */
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (child_setup(r, &err) < 0)
		child_fail(r, EXIT_NSRUN, &err);
	if (r->c->init)
		init_run(exec_command, r, r->sock);
	signals_reset();
	exec_command(r);
	_exit(EXIT_NSRUN);
}

/* ---- the parent ---- */

static int open_namespaces(struct run *r, struct error *err)
{
	int kind;

	for (kind = 0; kind < NS_KINDS; kind++) {
		const char *path = r->c->ns[kind].path;

		if (!r->c->ns[kind].enabled || !path)
			continue;
		r->ns_fd[kind] = open(path, O_RDONLY | O_CLOEXEC);
		if (r->ns_fd[kind] < 0)
			return error_sys(err, errno, "%s namespace %s", ns_kind_name(kind), path);
	}
	return 0;
}

static int register_container(struct run *r, struct error *err)
{
	char path[4096];
	_cleanup_close_ int dirfd = -1;

	if (statedir_create(r->c->id, err) < 0)
		return -1;
	r->registered = true;
	if (statedir_write_exec(r->c, err) < 0)
		return -1;
	dirfd = open(statedir_path(r->c->id, NULL, path, sizeof(path)),
		     O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return error_sys(err, errno, "%s", path);
	if (r->seccomp && seccomp_filter_save(r->seccomp, dirfd, err) < 0)
		return -1;
	if (r->c->detach) {
		r->log_fd = openat(dirfd, "log", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
		if (r->log_fd < 0)
			return error_sys(err, errno, "%s/log", path);
	}
	return 0;
}

static int clone_flags(const struct container *c)
{
	int kind, flags = 0;

	for (kind = 0; kind < NS_KINDS; kind++)
		if (c->ns[kind].enabled && !c->ns[kind].path)
			flags |= ns_kind_clone_flag(kind);
	return flags;
}

static int spawn(struct run *r, struct error *err)
{
	_cleanup_close_ int own_pid_ns = -1;
	int fds[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
		return error_sys(err, errno, "socketpair");
	r->sock = fds[0];
	r->child_sock = fds[1];
	/* A PID namespace is joined for the children to come. */
	if (r->ns_fd[NS_PID] >= 0) {
		own_pid_ns = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
		if (own_pid_ns < 0 || setns(r->ns_fd[NS_PID], CLONE_NEWPID) < 0)
			return error_sys(err, errno, "pid namespace %s", r->c->ns[NS_PID].path);
	}
	pid = (pid_t)syscall(SYS_clone, clone_flags(r->c) | SIGCHLD, NULL, NULL, NULL, NULL);
	if (pid == 0) {
		close(r->sock);
		r->sock = r->child_sock;
		child_main(r);
	}
	if (own_pid_ns >= 0)
		setns(own_pid_ns, CLONE_NEWPID);
	close(steal_fd(&r->child_sock));
	if (pid < 0)
		return error_sys(err, errno, "clone");
	r->pid = pid;
	if (statedir_write_pid(r->c->id, pid, err) < 0 ||
	    statedir_write_state(r->c, "creating", pid, err) < 0)
		return -1;
	return 0;
}

/* Takes the child's report: ready (want), or an error it sends. */
static int expect(struct run *r, int want, int *status, struct error *err)
{
	struct sync_msg m;

	if (sync_recv(r->sock, &m, err) < 0)
		return -1;
	if (m.type == want)
		return 0;
	if (m.type == SYNC_ERROR) {
		*status = m.status;
		return error_set(err, 0, "%s", m.text);
	}
	return error_set(err, EPIPE, "the container's process exited during setup");
}

static int run_stage(struct run *r, enum hook_stage stage, const char *status, struct error *err)
{
	_cleanup_free_ char *state = NULL;

	if (r->c->hooks[stage].n == 0)
		return 0;
	if (state_render(r->c, status, r->pid, NULL, &state, err) < 0)
		return -1;
	return hooks_run(&r->c->hooks[stage], stage, state, err);
}

static int run_create_hooks(struct run *r, struct error *err)
{
	r->created = true;
	if (run_stage(r, HOOK_PRESTART, "creating", err) < 0)
		return -1;
	return run_stage(r, HOOK_CREATE_RUNTIME, "creating", err);
}

static int start(struct run *r, int *status, struct error *err)
{
	if (sync_send(r->sock, SYNC_GO, 0, NULL) < 0)
		return error_sys(err, errno, "the container's process is gone");
	/* The socket closes (end of file) when the command has been exec'd. */
	return expect(r, 0, status, err);
}

static void warn_failure(const char *id, struct error *err)
{
	log_warn("%s: %s", id, err->msg);
}

static int mark_running(struct run *r, struct error *err)
{
	struct error hook_err = { 0 };

	if (statedir_write_state(r->c, "running", r->pid, err) < 0)
		return -1;
	/* A failing poststart hook is a warning, not a stop (runtime-spec). */
	if (run_stage(r, HOOK_POSTSTART, "running", &hook_err) < 0)
		warn_failure(r->c->id, &hook_err);
	return 0;
}

static void detach_from_caller(int notify_fd)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (write(notify_fd, "1", 1) < 0)
		log_warn("cannot tell the caller the container runs: %s", strerror(errno));
	close(notify_fd);
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		close(null);
	}
}

/* After the container's process is gone: its status, poststop, cleanup. */
static void finish(struct run *r, int status)
{
	struct error err = { 0 };
	char text[16];
	int n = snprintf(text, sizeof(text), "%d\n", status);

	if (r->registered && (statedir_write(r->c->id, "exit", text, n, &err) < 0 ||
			      statedir_write_state(r->c, "stopped", 0, &err) < 0))
		warn_failure(r->c->id, &err);
	r->pid = 0;
	if (r->created && run_stage(r, HOOK_POSTSTOP, "stopped", &err) < 0)
		warn_failure(r->c->id, &err);
	if (r->registered && r->c->remove)
		statedir_remove(r->c->id);
}

static void abort_start(struct run *r)
{
	int status;

	if (r->pid > 0) {
		kill(r->pid, SIGKILL);
		while (waitpid(r->pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	finish(r, EXIT_NSRUN);
	if (r->registered)
		statedir_remove(r->c->id);
}

static int start_container(struct run *r, int *status, struct error *err)
{
	STEP("build the seccomp filter", seccomp_filter_build(r->c, &r->seccomp, err));
	STEP("open namespaces", open_namespaces(r, err));
	STEP("register the container", register_container(r, err));
	STEP("create the namespaces", spawn(r, err));
	STEP("prepare the container", expect(r, SYNC_READY_FOR_HOOKS, status, err));
	STEP("run the create hooks", run_create_hooks(r, err));
	STEP("start the command", start(r, status, err));
	STEP("mark running", mark_running(r, err));
	return 0;
}

int container_run(struct container *c, int notify_fd, int *status, struct error *err)
{
	struct run r = { .c = c, .sock = -1, .child_sock = -1, .log_fd = -1 };
	int kind, ret = 0;

	for (kind = 0; kind < NS_KINDS; kind++)
		r.ns_fd[kind] = -1;
	*status = EXIT_NSRUN;
	if (start_container(&r, status, err) < 0) {
		abort_start(&r);
		ret = -1;
	} else {
		close(steal_fd(&r.sock));
		if (notify_fd >= 0)
			detach_from_caller(notify_fd);
		*status = wait_forwarding(r.pid);
		finish(&r, *status);
	}
	for (kind = 0; kind < NS_KINDS; kind++)
		if (r.ns_fd[kind] >= 0)
			close(r.ns_fd[kind]);
	if (r.sock >= 0)
		close(r.sock);
	if (r.log_fd >= 0)
		close(r.log_fd);
	if (r.seccomp)
		seccomp_filter_free(r.seccomp);
	return ret;
}

static void move_fd_to_3(int *fd)
{
	if (*fd != 3 && dup2(*fd, 3) == 3) {
		close(*fd);
		*fd = 3;
	}
	fcntl(3, F_SETFD, FD_CLOEXEC);
}

int container_run_detached(struct container *c, int *status, struct error *err)
{
	_cleanup_close_ int rd = -1, wr = -1;
	int fds[2], wstatus;
	char byte;
	pid_t monitor;
	ssize_t n;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return error_sys(err, errno, "pipe");
	rd = fds[0];
	wr = fds[1];
	monitor = fork();
	if (monitor < 0)
		return error_sys(err, errno, "fork");
	if (monitor == 0) {
		struct error merr = { 0 };
		int mstatus;

		close(steal_fd(&rd));
		setsid();
		/* Nothing of the caller's but the notice pipe stays open here: a
		 * caller waiting for its pipes to close must not wait for this. */
		move_fd_to_3(&wr);
		syscall(SYS_close_range, 4, ~0U, 0);
		if (container_run(c, steal_fd(&wr), &mstatus, &merr) < 0) {
			log_error("%s: %s", c->id, merr.msg);
			_exit(mstatus);
		}
		_exit(mstatus);
	}
	close(steal_fd(&wr));
	do
		n = read(rd, &byte, 1);
	while (n < 0 && errno == EINTR);
	if (n == 1) {
		printf("%s\n", c->id);
		*status = 0;
		return 0;
	}
	while (waitpid(monitor, &wstatus, 0) < 0)
		if (errno != EINTR)
			return error_sys(err, errno, "waiting for the monitor");
	*status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : EXIT_NSRUN;
	if (*status == 0)
		*status = EXIT_NSRUN;
	return 0;
}
