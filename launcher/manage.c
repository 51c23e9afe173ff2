/* manage.c: ps, state, kill and delete of containers under /run/nsrun. */
#include "manage.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "exec.h"
#include "statedir.h"

#define EXIT_NSRUN 125

DEFINE_CLEANUP_FUNC(record_releasep, struct record, record_release)

static int cmd_ps(int argc, char **argv, struct error *err)
{
	struct strv ids = { 0 };
	size_t i;

	if (argc != 1)
		return error_set(err, EINVAL, "ps takes no arguments");
	if (record_list(&ids, err) < 0)
		return -1;
	printf("%-20s %-8s %-9s %-6s %s\n", "ID", "PID", "STATUS", "EXIT", "ROOTFS");
	for (i = 0; i < ids.n; i++) {
		struct record rec;
		struct error ignored;
		char exit_text[16] = "-";

		if (record_read(ids.v[i], &rec, &ignored) < 0)
			continue; /* being created or deleted */
		if (rec.exit_status >= 0)
			snprintf(exit_text, sizeof(exit_text), "%d", rec.exit_status);
		printf("%-20s %-8d %-9s %-6s %s\n", rec.c.id, (int)rec.pid, rec.status, exit_text,
		       rec.c.rootfs ? rec.c.rootfs : "");
		record_release(&rec);
	}
	strv_free(&ids);
	return 0;
}

static int cmd_state(int argc, char **argv, struct error *err)
{
	struct record rec;
	_cleanup_free_ char *text = NULL;
	int r;

	if (argc != 2)
		return error_set(err, EINVAL, "usage: nsrun state ID");
	if (record_read(argv[1], &rec, err) < 0)
		return -1;
	r = state_render(&rec.c, rec.status, rec.pid, rec.created, &text, err);
	if (r == 0)
		printf("%s\n", text);
	record_release(&rec);
	return r;
}

static int parse_signal(const char *text, int *sig, struct error *err)
{
	static const struct {
		const char *name;
		int sig;
	} names[] = {
		{ "HUP", SIGHUP },     { "INT", SIGINT },   { "QUIT", SIGQUIT },
		{ "KILL", SIGKILL },   { "USR1", SIGUSR1 }, { "USR2", SIGUSR2 },
		{ "TERM", SIGTERM },   { "STOP", SIGSTOP }, { "CONT", SIGCONT },
		{ "WINCH", SIGWINCH },
	};
	const char *name = strncmp(text, "SIG", 3) == 0 ? text + 3 : text;
	char *end;
	size_t i;
	long n;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i].name, name) == 0) {
			*sig = names[i].sig;
			return 0;
		}
	n = strtol(text, &end, 10);
	if (*text && !*end && n > 0 && n < NSIG) {
		*sig = (int)n;
		return 0;
	}
	return error_set(err, EINVAL, "signal \"%s\" is not a signal name or number", text);
}

/* Opens a pidfd for the container's PID 1 and checks it is still the one
 * nsrun started (not a reused pid). */
static int open_container_pidfd(const char *id, struct error *err)
{
	struct record rec;
	int fd;

	if (record_read(id, &rec, err) < 0)
		return -1;
	if (rec.pid == 0) {
		record_release(&rec);
		return error_set(err, ESRCH, "container \"%s\" is not running", id);
	}
	fd = (int)syscall(SYS_pidfd_open, rec.pid, 0);
	record_release(&rec);
	if (fd < 0)
		return error_sys(err, errno, "container \"%s\"", id);
	/* The pid might have been reused between reading and opening. */
	if (record_read(id, &rec, err) < 0) {
		close(fd);
		return -1;
	}
	if (rec.pid == 0) {
		close(fd);
		record_release(&rec);
		return error_set(err, ESRCH, "container \"%s\" is not running", id);
	}
	record_release(&rec);
	return fd;
}

static int cmd_kill(int argc, char **argv, struct error *err)
{
	_cleanup_close_ int pidfd = -1;
	int sig = SIGTERM;

	if (argc < 2 || argc > 3)
		return error_set(err, EINVAL, "usage: nsrun kill ID [SIGNAL]");
	if (argc == 3 && parse_signal(argv[2], &sig, err) < 0)
		return -1;
	pidfd = open_container_pidfd(argv[1], err);
	if (pidfd < 0)
		return -1;
	if (syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) < 0)
		return error_sys(err, errno, "container \"%s\": signal %d", argv[1], sig);
	return 0;
}

/* Waits (up to 10 s) until pid exits; pid need not be a child. */
static void wait_gone(pid_t pid)
{
	_cleanup_close_ int fd = (int)syscall(SYS_pidfd_open, pid, 0);
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (fd >= 0)
		poll(&p, 1, 10000);
}

static int cmd_delete(int argc, char **argv, struct error *err)
{
	bool force = argc == 3 && (strcmp(argv[1], "-f") == 0 || strcmp(argv[1], "--force") == 0);
	const char *id = argv[argc - 1];
	struct record rec;

	if (argc != 2 && !force)
		return error_set(err, EINVAL, "usage: nsrun delete [-f] ID");
	if (record_read(id, &rec, err) < 0)
		return -1;
	if (rec.pid && !force) {
		record_release(&rec);
		return error_set(err, EBUSY,
				 "container \"%s\" is running: kill it first, or delete -f", id);
	}
	if (rec.pid) {
		_cleanup_close_ int pidfd = open_container_pidfd(id, err);

		if (pidfd >= 0)
			syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
		wait_gone(rec.pid);
	}
	/* Let the monitor record the exit and run poststop first. */
	if (rec.monitor && rec.monitor != getpid())
		wait_gone(rec.monitor);
	record_release(&rec);
	statedir_remove(id);
	return 0;
}

int manage_command(int argc, char **argv, struct error *err)
{
	static const struct {
		const char *name;
		int (*fn)(int argc, char **argv, struct error *err);
	} commands[] = {
		{ "ps", cmd_ps },     { "list", cmd_ps },	{ "state", cmd_state },
		{ "kill", cmd_kill }, { "delete", cmd_delete }, { "exec", cmd_exec },
	};
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, argv[0]) == 0) {
			int r = commands[i].fn(argc, argv, err);

			return r < 0 && r != -126 && r != -127 ? -EXIT_NSRUN : r;
		}
	return error_set(err, EINVAL, "unknown command \"%s\" (see nsrun --help)", argv[0]) < 0
		       ? -EXIT_NSRUN
		       : 0;
}
