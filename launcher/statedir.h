/* statedir.h: what nsrun keeps about a container under /run/nsrun/ID/.
 *
 *   state.json   the OCI state (plus rootfs and created), as `nsrun state` prints it
 *   pid          "PID STARTTIME MONITOR MONITOR_STARTTIME": the container's PID 1 and
 *                the nsrun process waiting for it; start times guard against pid reuse
 *   exec.json    what `nsrun exec` applies: user, env, cwd, capabilities, no_new_privs
 *   seccomp.bpf  the container's seccomp filter, when it has one
 *   devices.bpf  the device-node filter, when it is a filter of its own
 *   exit         the exit status, once the container has stopped
 *   log          stdout and stderr of a detached container */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "container.h"
#include "error.h"

/* Creates /run/nsrun/ID; fails when the container exists. */
int statedir_create(const char *id, struct error *err);
/* Removes /run/nsrun/ID and what it holds. */
void statedir_remove(const char *id);
/* Writes /run/nsrun/ID/NAME atomically (a temporary file, then rename). */
int statedir_write(const char *id, const char *name, const char *text, size_t len,
		   struct error *err);
/* The path of /run/nsrun/ID/NAME in buf. */
const char *statedir_path(const char *id, const char *name, char *buf, size_t size);

/* The OCI state JSON. Without created, what hooks get, as runc gives it:
 * {ociVersion, id, status, pid, bundle, annotations}, pid left out when 0;
 * with created, what `nsrun state` prints: pid always, rootfs and created. */
int state_render(const struct container *c, const char *status, pid_t pid, const char *created,
		 char **out, struct error *err);
/* Renders and stores state.json. */
int statedir_write_state(const struct container *c, const char *status, pid_t pid,
			 struct error *err);
/* Stores the pid file for the container's pid and the calling process. */
int statedir_write_pid(const char *id, pid_t pid, struct error *err);
/* Stores exec.json. */
int statedir_write_exec(const struct container *c, struct error *err);

/* A stored container as the other commands see it. */
struct record {
	struct container c; /* id, bundle, rootfs, annotations, and exec.json's settings */
	char *status; /* "creating", "running" or "stopped", checked against the process */
	char *created;
	pid_t pid; /* 0 once stopped */
	pid_t monitor;
	int exit_status; /* -1 while unknown */
};

int record_read(const char *id, struct record *rec, struct error *err);
void record_release(struct record *rec);
/* The ids of all stored containers, sorted. */
int record_list(struct strv *ids, struct error *err);

/* The start time of pid (field 22 of /proc/PID/stat), 0 when it is gone. */
unsigned long long process_start_time(pid_t pid);
