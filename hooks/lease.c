/* lease.c: the lease files: lock, read, write back atomically. */
#include "lease.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "io.h"

#define LEASE_FILE_MAX (16 * 1024 * 1024)

static const char *state_dir(void)
{
	const char *dir = getenv("OCI_MACVLAN_STATE_DIR");

	return dir && dir[0] ? dir : LEASE_STATE_DIR;
}

int state_path(const char *sub, char *buf, size_t size, bool create, struct error *err)
{
	const char *slash = sub;

	snprintf(buf, size, "%s", state_dir());
	if (create && mkdir(buf, 0755) < 0 && errno != EEXIST)
		return error_sys(err, errno, "cannot create %s", buf);
	while (slash) {
		slash = strchr(slash + 1, '/');
		snprintf(buf, size, "%s/%.*s", state_dir(),
			 slash ? (int)(slash - sub) : (int)strlen(sub), sub);
		if (create && mkdir(buf, 0700) < 0 && errno != EEXIST)
			return error_sys(err, errno, "cannot create %s", buf);
	}
	return 0;
}

int state_lock(const char *path, int *fd, struct error *err)
{
	char lock[4096 + 8];

	snprintf(lock, sizeof(lock), "%s.lock", path);
	*fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (*fd < 0)
		return error_sys(err, errno, "cannot open %s", lock);
	if (flock(*fd, LOCK_EX) < 0)
		return error_sys(err, errno, "cannot lock %s", lock);
	return 0;
}

static int compare_ip(const struct netaddr *a, const struct netaddr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->bytes, b->bytes, netaddr_len(a));
}

/* Index of ip in the sorted leases, or where it would go. */
static size_t position(const struct lease_db *db, const struct netaddr *ip, bool *found)
{
	size_t lo = 0, hi = db->n;

	*found = false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = compare_ip(&db->v[mid].addr, ip);

		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct lease *lease_db_find(const struct lease_db *db, const struct netaddr *ip)
{
	bool found;
	size_t i = position(db, ip, &found);

	return found ? &db->v[i] : NULL;
}

const struct lease *lease_db_find_holder(const struct lease_db *db, const char *id,
					 const char *ifname, int family)
{
	size_t i;

	for (i = 0; i < db->n; i++)
		if (db->v[i].addr.family == family && strcmp(db->v[i].id, id) == 0 &&
		    strcmp(db->v[i].ifname, ifname) == 0)
			return &db->v[i];
	return NULL;
}

int lease_db_add(struct lease_db *db, const struct lease *l, struct error *err)
{
	bool found;
	size_t i = position(db, &l->addr, &found);

	if (found)
		return error_set(err, EEXIST, "address is leased already");
	if (db->n == db->cap) {
		size_t cap = db->cap ? db->cap * 2 : 16;
		struct lease *v = realloc(db->v, cap * sizeof(*v));

		if (!v)
			return error_sys(err, ENOMEM, "leases");
		db->v = v;
		db->cap = cap;
	}
	memmove(&db->v[i + 1], &db->v[i], (db->n - i) * sizeof(*db->v));
	db->v[i] = *l;
	db->n++;
	return 0;
}

size_t lease_db_drop(struct lease_db *db, bool (*drop)(const struct lease *, void *), void *ctx)
{
	size_t i, kept = 0, n = db->n;

	for (i = 0; i < n; i++)
		if (!drop(&db->v[i], ctx))
			db->v[kept++] = db->v[i];
	db->n = kept;
	return n - kept;
}

static int parse_line(char *line, struct lease *l)
{
	char addr[NETADDR_STRLEN];

	memset(l, 0, sizeof(*l));
	if (sscanf(line, "%63s %255s %15s %d %llu", addr, l->id, l->ifname, &l->pid, &l->start) !=
	    5)
		return -1;
	return netaddr_parse_cidr(addr, &l->addr);
}

static int load(struct lease_db *db, struct error *err)
{
	_cleanup_free_ char *text = NULL;
	char *line, *save = NULL;
	struct lease l;
	size_t len;

	if (read_all_file(db->path, LEASE_FILE_MAX, &text, &len, err) < 0)
		return err->code == ENOENT ? 0 : -1;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (parse_line(line, &l) < 0 || lease_db_add(db, &l, err) < 0)
			return error_set(err, EINVAL, "%s: cannot read the lease \"%s\"", db->path,
					 line);
	return 0;
}

int lease_db_open(struct lease_db *db, const char *network, struct error *err)
{
	char dir[2048];

	memset(db, 0, sizeof(*db));
	db->lock_fd = -1;
	if (state_path("leases", dir, sizeof(dir), true, err) < 0)
		return -1;
	snprintf(db->path, sizeof(db->path), "%s/%s", dir, network);
	if (state_lock(db->path, &db->lock_fd, err) < 0)
		return -1;
	return load(db, err);
}

static int write_all(FILE *f, const void *ctx)
{
	const struct lease_db *db = ctx;
	char addr[NETADDR_STRLEN];
	size_t i;

	for (i = 0; i < db->n; i++) {
		const struct lease *l = &db->v[i];

		if (fprintf(f, "%s %s %s %d %llu\n", netaddr_cidr_str(&l->addr, addr), l->id,
			    l->ifname, l->pid, l->start) < 0)
			return -1;
	}
	return 0;
}

int state_replace(const char *path, int (*write)(FILE *f, const void *ctx), const void *ctx,
		  struct error *err)
{
	char tmp[4096 + 8];
	FILE *f;
	int r;

	snprintf(tmp, sizeof(tmp), "%s.new", path);
	f = fopen(tmp, "we");
	if (!f)
		return error_sys(err, errno, "cannot write %s", tmp);
	r = write(f, ctx) == 0 && fflush(f) == 0 && fsync(fileno(f)) == 0 ? 0 : -1;
	if (fclose(f) != 0 || r < 0 || rename(tmp, path) < 0) {
		r = error_sys(err, errno, "cannot write %s", path);
		unlink(tmp);
	}
	return r;
}

int lease_db_commit(struct lease_db *db, struct error *err)
{
	return state_replace(db->path, write_all, db, err);
}

void lease_db_close(struct lease_db *db)
{
	if (db->lock_fd >= 0)
		close(db->lock_fd);
	free(db->v);
	memset(db, 0, sizeof(*db));
	db->lock_fd = -1;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

int state_for_each(const char *sub, int (*fn)(const char *name, void *ctx, struct error *err),
		   void *ctx, struct error *err)
{
	char path[2048];
	struct dirent *e;
	DIR *d;
	int r = 0;

	if (state_path(sub, path, sizeof(path), false, err) < 0)
		return -1;
	d = opendir(path);
	if (!d)
		return errno == ENOENT ? 0 : error_sys(err, errno, "cannot read %s", path);
	while (r == 0 && (e = readdir(d)))
		if (e->d_name[0] != '.' && !ends_with(e->d_name, ".lock") &&
		    !ends_with(e->d_name, ".new"))
			r = fn(e->d_name, ctx, err);
	closedir(d);
	return r;
}

int lease_for_each_network(int (*fn)(const char *network, void *ctx, struct error *err), void *ctx,
			   struct error *err)
{
	return state_for_each("leases", fn, ctx, err);
}

int lease_process_start(int pid, unsigned long long *start)
{
	_cleanup_free_ char *text = NULL;
	struct error ignored;
	char path[64], *p;
	size_t len;
	int field;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (pid <= 0 || read_all_file(path, 4096, &text, &len, &ignored) < 0)
		return -1;
	p = strrchr(text, ')'); /* the command name may hold spaces and parentheses */
	for (field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	return p && sscanf(p, " %llu", start) == 1 ? 0 : -1;
}
