/* refs.h: shared resources the hook sets up for several containers.
 *
 * A resource (a VLAN link, a parent's promiscuous mode) has a record
 * STATE/refs/KIND/NAME (STATE as in lease.h):
 *   owned 0|1
 *   CONTAINER-ID PID START-TIME        (a line per user)
 * "owned" says the hook made the resource (created the link, turned the
 * mode on), so it takes it back when its last user goes; a resource that
 * was there before is left alone. The record is locked (flock on NAME.lock)
 * across the decision and the change to the system, so a last user's
 * release and a new user's acquire never interleave, and is replaced
 * atomically. */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "error.h"
#include "lease.h"

struct refs_user {
	char id[LEASE_ID_MAX];
	int pid;
	unsigned long long start; /* the process's start time (lease_process_start) */
};

/* Makes the resource exist; *made tells whether this call made it. */
typedef int (*refs_claim_fn)(const char *name, void *ctx, bool *made, struct error *err);
/* Takes back a resource the hook made, once its last user is gone. */
typedef void (*refs_free_fn)(const char *name, void *ctx);

/* Under the record's lock: claim(), then user is added unless its id is
 * there already (*added false). The record is owned when claim() made the
 * resource, or when it was owned and still has users. When anything fails
 * after claim() made the resource, free_fn() takes it back (both get ctx). */
int refs_acquire(const char *kind, const char *name, const struct refs_user *user,
		 refs_claim_fn claim, refs_free_fn free_fn, void *ctx, bool *added,
		 struct error *err);
/* Drops the user id from one record; frees the resource if owned and unused. */
int refs_release(const char *kind, const char *name, const char *id, refs_free_fn free_fn,
		 void *ctx, struct error *err);
/* refs_release() of the user id in every record of the kind (poststop). */
int refs_release_all(const char *kind, const char *id, refs_free_fn free_fn, void *ctx,
		     struct error *err);
/* Drops the users whose process is gone from every record of the kind, a
 * line each on out. */
int refs_gc(const char *kind, FILE *out, refs_free_fn free_fn, void *ctx, struct error *err);
