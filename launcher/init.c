/* init.c: signal forwarding, reaping, and nsrun's PID 1. */
#include "init.h"

#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static const int forwarded[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2 };

static void waited_set(sigset_t *set)
{
	size_t i;

	sigemptyset(set);
	sigaddset(set, SIGCHLD);
	for (i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaddset(set, forwarded[i]);
}

void signals_block(void)
{
	sigset_t set;

	waited_set(&set);
	sigaddset(&set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

void signals_reset(void)
{
	sigset_t none;
	int sig;

	for (sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static int exit_status(int status)
{
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* Reaps every child that has exited; returns pid's status once it is one
 * of them, else -1. */
static int reap(pid_t pid)
{
	int status, result = -1;
	pid_t got;

	while ((got = waitpid(-1, &status, WNOHANG)) > 0)
		if (got == pid)
			result = exit_status(status);
	return result;
}

int wait_forwarding(pid_t pid)
{
	sigset_t set;
	siginfo_t info;
	int status;

	waited_set(&set);
	for (;;) {
		status = reap(pid);
		if (status >= 0)
			return status;
		if (sigwaitinfo(&set, &info) < 0)
			continue;
		if (info.si_signo != SIGCHLD)
			kill(pid, info.si_signo);
	}
}

void init_run(void (*exec_fn)(void *data), void *data, int close_fd)
{
	pid_t pid = fork();

	if (pid < 0)
		_exit(125);
	if (pid == 0) {
		signals_reset();
		exec_fn(data);
		_exit(125);
	}
	if (close_fd >= 0)
		close(close_fd);
	/* Non-dumpable since nsrun started (selfexe.c): the container's
	 * processes cannot follow its /proc/1/exe. Named for ps. */
	prctl(PR_SET_NAME, "nsrun-init", 0, 0, 0);
	/* _exit: this is a copy of nsrun, with nothing of its own to flush or
	 * free (and no leak check: in the container it could not run). */
	_exit(wait_forwarding(pid));
}
