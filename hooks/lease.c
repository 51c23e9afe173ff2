/* lease.c: the lease files: lock, read, write back atomically. */
#include "lease.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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

/* Index of ip's first line in the sorted leases, or where it would go. */
static size_t position(const struct lease_db *db, const struct netaddr *ip, bool *found)
{
	size_t lo = 0, hi = db->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (compare_ip(&db->v[mid].addr, ip) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < db->n && compare_ip(&db->v[lo].addr, ip) == 0;
	return lo;
}

const struct lease *lease_db_find(const struct lease_db *db, const struct netaddr *ip)
{
	bool found;
	size_t i = position(db, ip, &found);

	return found ? &db->v[i] : NULL;
}

bool lease_db_leased_from(const struct lease_db *db, size_t *cursor, const struct netaddr *ip)
{
	while (*cursor < db->n && compare_ip(&db->v[*cursor].addr, ip) < 0)
		(*cursor)++;
	return *cursor < db->n && compare_ip(&db->v[*cursor].addr, ip) == 0;
}

static int reserve(struct lease_db *db, size_t cap, struct error *err)
{
	struct lease *v;

	if (cap <= db->cap)
		return 0;
	v = realloc(db->v, cap * sizeof(*v));
	if (!v)
		return error_sys(err, ENOMEM, "leases");
	db->v = v;
	db->cap = cap;
	return 0;
}

/* Adds l in address order; a second line of an address only for its pod. */
static int insert(struct lease_db *db, const struct lease *l, struct error *err)
{
	bool found = false; /* a file is read in order: most leases go last */
	size_t i = db->n && compare_ip(&db->v[db->n - 1].addr, &l->addr) < 0
			   ? db->n
			   : position(db, &l->addr, &found);

	if (found && (db->v[i].netns != l->netns || strcmp(db->v[i].ifname, l->ifname) != 0))
		return error_set(err, EEXIST, "address is leased already");
	while (found && i < db->n && compare_ip(&db->v[i].addr, &l->addr) == 0)
		i++; /* after the pod's earlier lines */
	if (db->n == db->cap && reserve(db, db->cap ? db->cap * 2 : 16, err) < 0)
		return -1;
	memmove(&db->v[i + 1], &db->v[i], (db->n - i) * sizeof(*db->v));
	db->v[i] = *l;
	db->n++;
	return 0;
}

int lease_db_add(struct lease_db *db, const struct lease *l, struct error *err)
{
	struct lease fresh = *l;

	fresh.line = NULL;
	return insert(db, &fresh, err);
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

/* A number field that is all digits. */
static int parse_number(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;

	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return *end || errno || *out > max ? -1 : 0;
}

/* Cuts s at single spaces into exactly n fields. */
static bool split(char *s, char **f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		f[i] = s;
		s = strchr(s, ' ');
		if (!s)
			return i == n - 1;
		*s++ = '\0';
	}
	return false;
}

/* Cuts fields (a copy of line, which stays as it is) into l's fields. */
static int parse_line(const char *line, size_t len, char *fields, struct lease *l)
{
	char *f[6];
	unsigned long long pid;

	memset(l, 0, sizeof(*l));
	if (!split(fields, f, 6) || strlen(f[2]) >= sizeof(l->ifname) ||
	    parse_number(f[3], INT_MAX, &pid) < 0 ||
	    parse_number(f[4], ULLONG_MAX, &l->start) < 0 ||
	    parse_number(f[5], ULLONG_MAX, &l->netns) < 0)
		return -1;
	l->id = f[1];
	strcpy(l->ifname, f[2]);
	l->pid = (int)pid;
	l->line = line;
	l->line_len = len;
	return netaddr_parse_cidr(f[0], &l->addr);
}

/* Reads the file into db->text, its lines NUL-terminated, and a copy
 * into db->fields for the leases' fields to point into. */
static int load(struct lease_db *db, struct error *err)
{
	char *line, *end, *nl;
	size_t len, lines = 1, n;
	struct lease l;

	if (read_all_file(db->path, LEASE_FILE_MAX, &db->text, &len, err) < 0)
		return err->code == ENOENT ? 0 : -1;
	end = db->text + len;
	for (nl = db->text; (nl = memchr(nl, '\n', end - nl)); *nl++ = '\0')
		lines++;
	db->fields = malloc(len + 1);
	if (!db->fields || reserve(db, lines, err) < 0)
		return error_sys(err, ENOMEM, "%s", db->path);
	memcpy(db->fields, db->text, len + 1);
	for (line = db->text; line < end; line += n + 1) {
		n = strlen(line);
		if (n && (parse_line(line, n, db->fields + (line - db->text), &l) < 0 ||
			  insert(db, &l, err) < 0))
			return error_set(err, EINVAL, "%s: cannot read the lease \"%s\"", db->path,
					 line);
	}
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

/* A lease read from the file goes back as it was read. */
static int write_lease(FILE *f, const struct lease *l)
{
	char addr[NETADDR_STRLEN];

	if (l->line)
		return fwrite(l->line, 1, l->line_len, f) == l->line_len && fputc('\n', f) != EOF
			       ? 0
			       : -1;
	return fprintf(f, "%s %s %s %d %llu %llu\n", netaddr_cidr_str(&l->addr, addr), l->id,
		       l->ifname, l->pid, l->start, l->netns) < 0
		       ? -1
		       : 0;
}

static int write_all(FILE *f, const void *ctx)
{
	const struct lease_db *db = ctx;
	size_t i;

	for (i = 0; i < db->n; i++)
		if (write_lease(f, &db->v[i]) < 0)
			return -1;
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
	free(db->text);
	free(db->fields);
	memset(db, 0, sizeof(*db));
	db->lock_fd = -1;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

bool state_file_name(const char *name)
{
	return name[0] && name[0] != '.' && !ends_with(name, ".lock") && !ends_with(name, ".new");
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
		if (state_file_name(e->d_name))
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
