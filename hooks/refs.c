/* refs.c: the reference records of shared resources: lock, read, decide,
 * write back atomically. */
#include "refs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "io.h"
#include "log.h"

#define REFS_FILE_MAX (1024 * 1024)

struct record {
	char path[4096];
	int lock_fd;
	bool owned;
	struct refs_user *v;
	size_t n, cap;
};

static void record_close(struct record *rec)
{
	if (rec->lock_fd >= 0)
		close(rec->lock_fd);
	free(rec->v);
}
#define _cleanup_record_ __attribute__((cleanup(record_close)))

static bool record_has(const struct record *rec, const char *id)
{
	size_t i;

	for (i = 0; i < rec->n; i++)
		if (strcmp(rec->v[i].id, id) == 0)
			return true;
	return false;
}

static int record_add(struct record *rec, const struct refs_user *u, struct error *err)
{
	if (rec->n == rec->cap) {
		size_t cap = rec->cap ? rec->cap * 2 : 8;
		struct refs_user *v = realloc(rec->v, cap * sizeof(*v));

		if (!v)
			return error_sys(err, ENOMEM, "%s", rec->path);
		rec->v = v;
		rec->cap = cap;
	}
	rec->v[rec->n++] = *u;
	return 0;
}

static int parse(struct record *rec, char *text, struct error *err)
{
	char *line, *save = NULL;
	struct refs_user u;
	int owned;

	line = strtok_r(text, "\n", &save);
	if (!line || sscanf(line, "owned %d", &owned) != 1)
		return error_set(err, EINVAL, "%s: the first line is not \"owned 0|1\"", rec->path);
	rec->owned = owned != 0;
	while ((line = strtok_r(NULL, "\n", &save))) {
		memset(&u, 0, sizeof(u));
		if (sscanf(line, "%255s %d %llu", u.id, &u.pid, &u.start) != 3)
			return error_set(err, EINVAL, "%s: cannot read the user \"%s\"", rec->path,
					 line);
		if (record_add(rec, &u, err) < 0)
			return -1;
	}
	return 0;
}

/* Locks and reads the record (empty when the file is missing). */
static int record_open(struct record *rec, const char *kind, const char *name, struct error *err)
{
	_cleanup_free_ char *text = NULL;
	char sub[64], dir[2048];
	size_t len;

	snprintf(sub, sizeof(sub), "refs/%s", kind);
	if (state_path(sub, dir, sizeof(dir), true, err) < 0)
		return -1;
	snprintf(rec->path, sizeof(rec->path), "%s/%s", dir, name);
	if (state_lock(rec->path, &rec->lock_fd, err) < 0)
		return -1;
	if (read_all_file(rec->path, REFS_FILE_MAX, &text, &len, err) < 0)
		return err->code == ENOENT ? 0 : -1;
	return parse(rec, text, err);
}

static int write_record(FILE *f, const void *ctx)
{
	const struct record *rec = ctx;
	size_t i;

	if (fprintf(f, "owned %d\n", rec->owned) < 0)
		return -1;
	for (i = 0; i < rec->n; i++)
		if (fprintf(f, "%s %d %llu\n", rec->v[i].id, rec->v[i].pid, rec->v[i].start) < 0)
			return -1;
	return 0;
}

/* Writes the record back, or removes it when it has no user left. */
static int record_commit(struct record *rec, struct error *err)
{
	if (rec->n)
		return state_replace(rec->path, write_record, rec, err);
	if (unlink(rec->path) < 0 && errno != ENOENT)
		return error_sys(err, errno, "cannot remove %s", rec->path);
	return 0;
}

int refs_acquire(const char *kind, const char *name, const struct refs_user *user,
		 refs_claim_fn claim, refs_free_fn free_fn, void *ctx, bool *added,
		 struct error *err)
{
	_cleanup_record_ struct record rec = { .lock_fd = -1 };
	bool made = false, adding;

	*added = false;
	if (strlen(user->id) >= LEASE_ID_MAX || !user->id[0] || strpbrk(user->id, " \t\n"))
		return error_set(err, EINVAL, "state: container id \"%s\" cannot hold a reference",
				 user->id);
	if (record_open(&rec, kind, name, err) < 0)
		return -1;
	if (claim(name, ctx, &made, err) == 0) {
		rec.owned = made || (rec.owned && rec.n > 0);
		adding = !record_has(&rec, user->id);
		if ((!adding || record_add(&rec, user, err) == 0) &&
		    record_commit(&rec, err) == 0) {
			*added = adding;
			return 0;
		}
	}
	if (made)
		free_fn(name, ctx);
	return -1;
}

/* Which users a release drops. */
struct drop {
	const char *kind;
	bool (*gone)(const struct refs_user *u, const struct drop *d, const char *name);
	const char *id; /* release */
	FILE *out; /* gc */
	refs_free_fn free_fn;
	void *ctx;
};

static int drop_in(const char *name, void *data, struct error *err)
{
	_cleanup_record_ struct record rec = { .lock_fd = -1 };
	const struct drop *d = data;
	size_t i, kept = 0, n;

	if (record_open(&rec, d->kind, name, err) < 0)
		return error_prefix(err, "%s %s", d->kind, name);
	n = rec.n;
	for (i = 0; i < n; i++)
		if (!d->gone(&rec.v[i], d, name))
			rec.v[kept++] = rec.v[i];
	rec.n = kept;
	if (kept == n)
		return 0;
	if (kept == 0 && rec.owned) {
		log_debug("%s %s: last user gone", d->kind, name);
		d->free_fn(name, d->ctx);
	}
	return record_commit(&rec, err);
}

static bool is_id(const struct refs_user *u, const struct drop *d, const char *name)
{
	(void)name;
	return strcmp(u->id, d->id) == 0;
}

int refs_release(const char *kind, const char *name, const char *id, refs_free_fn free_fn,
		 void *ctx, struct error *err)
{
	struct drop d = { .kind = kind, .gone = is_id, .id = id, .free_fn = free_fn, .ctx = ctx };

	return drop_in(name, &d, err);
}

int refs_release_all(const char *kind, const char *id, refs_free_fn free_fn, void *ctx,
		     struct error *err)
{
	struct drop d = { .kind = kind, .gone = is_id, .id = id, .free_fn = free_fn, .ctx = ctx };
	char sub[64];

	snprintf(sub, sizeof(sub), "refs/%s", kind);
	return state_for_each(sub, drop_in, &d, err);
}

static bool process_gone(const struct refs_user *u, const struct drop *d, const char *name)
{
	unsigned long long start;

	if (lease_process_start(u->pid, &start) == 0 && start == u->start)
		return false;
	fprintf(d->out, "%s %s: dropped container %s (process %d is gone)\n", d->kind, name, u->id,
		u->pid);
	return true;
}

int refs_gc(const char *kind, FILE *out, refs_free_fn free_fn, void *ctx, struct error *err)
{
	struct drop d = {
		.kind = kind, .gone = process_gone, .out = out, .free_fn = free_fn, .ctx = ctx
	};
	char sub[64];

	snprintf(sub, sizeof(sub), "refs/%s", kind);
	return state_for_each(sub, drop_in, &d, err);
}
