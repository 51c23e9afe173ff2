/* init.h: PID 1 of a container, and waiting for a process as nsrun does.
 *
 * The signals nsrun forwards are blocked from the start (signals_block());
 * whoever waits for a process takes them with sigwaitinfo() and passes
 * them on, so nothing is lost between fork and wait. */
#pragma once

#include <sys/types.h>

/* Blocks SIGCHLD, SIGPIPE and the forwarded signals (TERM INT HUP USR1 USR2). */
void signals_block(void);
/* Unblocks everything and restores default handlers: for a child about to exec. */
void signals_reset(void);

/* Waits for pid, forwarding the signals nsrun receives to it and reaping
 * any other child on the way; returns its exit status (128+N for signal N). */
int wait_forwarding(pid_t pid);

/* Runs as the container's PID 1: forks, lets the child run exec_fn(data)
 * (which does not return), then reaps zombies and forwards signals until
 * that child exits, and exits with its status. */
__attribute__((noreturn)) void init_run(void (*exec_fn)(void *data), void *data, int close_fd);
