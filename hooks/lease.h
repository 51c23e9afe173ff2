/* lease.h: address leases on disk.
 *
 * One file per network, STATE/leases/NETWORK, with a line per lease:
 *   ADDRESS/PREFIX CONTAINER-ID IFNAME PID START-TIME NETNS
 * STATE is $OCI_MACVLAN_STATE_DIR when set (tests), else LEASE_STATE_DIR.
 * An open database holds STATE/leases/NETWORK.lock (flock) until it is
 * closed, and a commit replaces the file atomically (rename), so leases
 * survive a hook that crashes or is killed at any point. PID and
 * START-TIME (/proc/PID/stat) tell whether the container still exists;
 * NETNS is the inode of its network namespace. The containers of a pod
 * share one network namespace and so one interface: each holds the
 * address with a line of its own (same ADDRESS, IFNAME and NETNS), and
 * the address is free once the last of those lines is gone. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "netaddr.h"

#define LEASE_STATE_DIR "/run/oci-macvlan"
#define LEASE_ID_MAX 256

struct lease {
	struct netaddr addr;
	const char *id; /* in the database's text, or the string lease_db_add() was given */
	char ifname[16];
	int pid;
	unsigned long long start; /* the process's start time, in clock ticks after boot */
	unsigned long long netns; /* the inode of the container's network namespace */
	const char *line; /* the file's line as read (written back as it is), or NULL */
	size_t line_len;
};

struct lease_db {
	char path[4096];
	int lock_fd;
	char *text, *fields; /* the file as read, and a copy cut into the leases' fields */
	struct lease *v; /* sorted by address */
	size_t n, cap;
};

/* Locks and reads the network's leases (none when the file is missing). */
int lease_db_open(struct lease_db *db, const char *network, struct error *err);
/* Writes the leases back; the lock is kept until lease_db_close(). */
int lease_db_commit(struct lease_db *db, struct error *err);
void lease_db_close(struct lease_db *db);
#define _cleanup_lease_db_ __attribute__((cleanup(lease_db_close)))

/* The first line of ip's lease (its pod may have more), or NULL. */
const struct lease *lease_db_find(const struct lease_db *db, const struct netaddr *ip);
/* Whether ip is leased, for questions in ascending order of address: the
 * answer comes from *cursor on (0 for the first question), which moves on. */
bool lease_db_leased_from(const struct lease_db *db, size_t *cursor, const struct netaddr *ip);
/* Adds a new lease (its line is ignored); l->id must outlive the database.
 * An address already leased takes a second line only from the same pod
 * (IFNAME and NETNS), else EEXIST. */
int lease_db_add(struct lease_db *db, const struct lease *l, struct error *err);
/* Drops the leases for which drop() is true; returns how many. */
size_t lease_db_drop(struct lease_db *db, bool (*drop)(const struct lease *, void *), void *ctx);

/* Calls fn for each network that has a lease file. */
int lease_for_each_network(int (*fn)(const char *network, void *ctx, struct error *err), void *ctx,
			   struct error *err);

/* The state directory's files, shared with refs.c. */
/* STATE/SUB in buf (SUB may have several levels), created when create is set. */
int state_path(const char *sub, char *buf, size_t size, bool create, struct error *err);
/* Opens PATH.lock and holds an exclusive flock on it in *fd (close it to unlock). */
int state_lock(const char *path, int *fd, struct error *err);
/* Replaces path atomically (PATH.new, fsync, rename) with what write() puts in it. */
int state_replace(const char *path, int (*write)(FILE *f, const void *ctx), const void *ctx,
		  struct error *err);
/* Whether name can be a state file's: not empty, not hidden, not ending in
 * ".lock" or ".new" (the lock and the replacement being written). */
bool state_file_name(const char *name);
/* Calls fn for each file of STATE/SUB that state_file_name() accepts. */
int state_for_each(const char *sub, int (*fn)(const char *name, void *ctx, struct error *err),
		   void *ctx, struct error *err);

/* The start time of process pid (field 22 of /proc/PID/stat); -1 when gone. */
int lease_process_start(int pid, unsigned long long *start);
