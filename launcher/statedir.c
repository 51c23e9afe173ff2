/* statedir.c: /run/nsrun/ID/: writing and reading a container's records. */
#include "statedir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "io.h"
#include "json.h"
#include "json_write.h"

#define RECORD_MAX (1024 * 1024)

const char *statedir_path(const char *id, const char *name, char *buf, size_t size)
{
	if (name)
		snprintf(buf, size, NSRUN_STATE_DIR "/%s/%s", id, name);
	else
		snprintf(buf, size, NSRUN_STATE_DIR "/%s", id);
	return buf;
}

int statedir_create(const char *id, struct error *err)
{
	char path[4096];

	if (mkdir(NSRUN_STATE_DIR, 0700) < 0 && errno != EEXIST)
		return error_sys(err, errno, "cannot create " NSRUN_STATE_DIR);
	if (mkdir(statedir_path(id, NULL, path, sizeof(path)), 0700) < 0) {
		if (errno == EEXIST)
			return error_set(err, EEXIST, "container \"%s\" already exists", id);
		return error_sys(err, errno, "cannot create %s", path);
	}
	return 0;
}

void statedir_remove(const char *id)
{
	static const char *const names[] = {
		"state.json",  "pid",	  "exec.json",	  "seccomp.bpf",
		"devices.bpf", "exit",	  "log",	  "state.json.tmp",
		"exit.tmp",    "pid.tmp", "exec.json.tmp"
	};
	char path[4096];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		unlink(statedir_path(id, names[i], path, sizeof(path)));
	rmdir(statedir_path(id, NULL, path, sizeof(path)));
}

int statedir_write(const char *id, const char *name, const char *text, size_t len,
		   struct error *err)
{
	char path[4096], tmp[4200];
	_cleanup_close_ int fd = -1;

	statedir_path(id, name, path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return error_sys(err, errno, "cannot write %s", tmp);
	if (write(fd, text, len) != (ssize_t)len)
		return error_sys(err, errno ? errno : EIO, "cannot write %s", tmp);
	if (rename(tmp, path) < 0)
		return error_sys(err, errno, "cannot rename %s", tmp);
	return 0;
}

int state_render(const struct container *c, const char *status, pid_t pid, const char *created,
		 char **out, struct error *err)
{
	_cleanup_json_writer_ struct json_writer *w = json_writer_new();
	const char *text;
	size_t i, len;

	if (!w)
		return error_sys(err, ENOMEM, "state");
	json_write_object_open(w);
	json_write_key(w, "ociVersion");
	json_write_string(w, OCI_VERSION);
	json_write_key(w, "id");
	json_write_string(w, c->id);
	json_write_key(w, "status");
	json_write_string(w, status);
	/* As runc: a hook's state has no pid once the container has stopped. */
	if (pid > 0 || created) {
		json_write_key(w, "pid");
		json_write_integer(w, pid);
	}
	json_write_key(w, "bundle");
	json_write_string(w, c->bundle ? c->bundle : "");
	if (created) {
		json_write_key(w, "rootfs");
		json_write_string(w, c->rootfs ? c->rootfs : "");
		json_write_key(w, "created");
		json_write_string(w, created);
	}
	json_write_key(w, "annotations");
	json_write_object_open(w);
	for (i = 0; i < c->n_annotations; i++) {
		json_write_key(w, c->annotations[i].key);
		json_write_string(w, c->annotations[i].value);
	}
	json_write_object_close(w);
	json_write_object_close(w);
	if (json_writer_finish(w, &text, &len, err) < 0)
		return -1;
	*out = strndup(text, len);
	if (!*out)
		return error_sys(err, ENOMEM, "state");
	return 0;
}

static void now_rfc3339(char *buf, size_t size)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int statedir_write_state(const struct container *c, const char *status, pid_t pid,
			 struct error *err)
{
	static char created[64]; /* one container per process: set once */
	_cleanup_free_ char *text = NULL;

	if (!created[0])
		now_rfc3339(created, sizeof(created));
	if (state_render(c, status, pid, created, &text, err) < 0)
		return -1;
	return statedir_write(c->id, "state.json", text, strlen(text), err);
}

unsigned long long process_start_time(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long start = 0;
	_cleanup_close_ int fd = -1;
	ssize_t n;
	int field;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')'); /* the command name may hold spaces */
	if (!p)
		return 0;
	/* After ") " comes field 3 (state); start time is field 22. */
	for (field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (p)
		start = strtoull(p + 1, NULL, 10);
	/* A zombie has not released its pid: it still counts as running. */
	return start;
}

int statedir_write_pid(const char *id, pid_t pid, struct error *err)
{
	char text[128];
	int n = snprintf(text, sizeof(text), "%d %llu %d %llu\n", (int)pid, process_start_time(pid),
			 (int)getpid(), process_start_time(getpid()));

	return statedir_write(id, "pid", text, n, err);
}

static void write_strv(struct json_writer *w, const char *key, const struct strv *sv)
{
	size_t i;

	json_write_key(w, key);
	json_write_array_open(w);
	for (i = 0; i < sv->n; i++)
		json_write_string(w, sv->v[i]);
	json_write_array_close(w);
}

int statedir_write_exec(const struct container *c, struct error *err)
{
	_cleanup_json_writer_ struct json_writer *w = json_writer_new();
	const char *text;
	size_t len;

	if (!w)
		return error_sys(err, ENOMEM, "exec.json");
	json_write_object_open(w);
	json_write_key(w, "uid");
	json_write_integer(w, c->uid);
	json_write_key(w, "gid");
	json_write_integer(w, c->gid);
	write_strv(w, "additionalGids", &c->additional_gids);
	write_strv(w, "env", &c->env);
	json_write_key(w, "cwd");
	json_write_string(w, c->cwd ? c->cwd : "/");
	json_write_key(w, "noNewPrivileges");
	json_write_bool(w, c->no_new_privs);
	json_write_key(w, "capabilities");
	json_write_object_open(w);
	json_write_key(w, "bounding");
	json_write_integer(w, (long long)c->caps.bounding);
	json_write_key(w, "effective");
	json_write_integer(w, (long long)c->caps.effective);
	json_write_key(w, "permitted");
	json_write_integer(w, (long long)c->caps.permitted);
	json_write_key(w, "inheritable");
	json_write_integer(w, (long long)c->caps.inheritable);
	json_write_key(w, "ambient");
	json_write_integer(w, (long long)c->caps.ambient);
	json_write_object_close(w);
	json_write_object_close(w);
	if (json_writer_finish(w, &text, &len, err) < 0)
		return -1;
	return statedir_write(c->id, "exec.json", text, len, err);
}

static int read_text(const char *id, const char *name, char **text, struct error *err)
{
	char path[4096];
	size_t len;

	return read_all_file(statedir_path(id, name, path, sizeof(path)), RECORD_MAX, text, &len,
			     err);
}

static int dup_member(const struct json *doc, const char *key, char **out, struct error *err)
{
	const char *s = json_string(json_member(doc, key));

	*out = s ? strdup(s) : NULL;
	if (s && !*out)
		return error_sys(err, ENOMEM, "%s", key);
	return 0;
}

static int read_state_json(const char *id, struct record *rec, struct error *err)
{
	_cleanup_free_ char *text = NULL;
	_cleanup_json_ struct json *doc = NULL;
	const struct json *ann;
	size_t i;

	if (read_text(id, "state.json", &text, err) < 0 || json_parse(text, &doc, err) < 0)
		return -1;
	if (dup_member(doc, "status", &rec->status, err) < 0 ||
	    dup_member(doc, "bundle", &rec->c.bundle, err) < 0 ||
	    dup_member(doc, "rootfs", &rec->c.rootfs, err) < 0 ||
	    dup_member(doc, "created", &rec->created, err) < 0)
		return -1;
	if (!rec->status)
		return error_set(err, EINVAL, "state.json has no status");
	ann = json_member(doc, "annotations");
	for (i = 0; i < json_length(ann); i++) {
		const char *v = json_string(json_at(ann, i));

		if (v && container_set_annotation(&rec->c, json_key_at(ann, i), v, err) < 0)
			return -1;
	}
	return 0;
}

static void cap_member(const struct json *caps, const char *key, uint64_t *out)
{
	long long n = 0;

	if (caps)
		json_integer(json_member(caps, key), &n);
	*out = (uint64_t)n;
}

static int read_exec_json(const char *id, struct record *rec, struct error *err)
{
	_cleanup_free_ char *text = NULL;
	_cleanup_json_ struct json *doc = NULL;
	const struct json *caps;
	long long n;
	bool b = true;

	if (read_text(id, "exec.json", &text, err) < 0 || json_parse(text, &doc, err) < 0)
		return -1;
	if (json_integer(json_member(doc, "uid"), &n))
		rec->c.uid = (uid_t)n;
	if (json_integer(json_member(doc, "gid"), &n))
		rec->c.gid = (gid_t)n;
	json_boolean(json_member(doc, "noNewPrivileges"), &b);
	rec->c.no_new_privs = b;
	caps = json_member(doc, "capabilities");
	cap_member(caps, "bounding", &rec->c.caps.bounding);
	cap_member(caps, "effective", &rec->c.caps.effective);
	cap_member(caps, "permitted", &rec->c.caps.permitted);
	cap_member(caps, "inheritable", &rec->c.caps.inheritable);
	cap_member(caps, "ambient", &rec->c.caps.ambient);
	if (strv_from_json(json_member(doc, "env"), "exec.json env", &rec->c.env, err) < 0 ||
	    strv_from_json(json_member(doc, "additionalGids"), "exec.json additionalGids",
			   &rec->c.additional_gids, err) < 0 ||
	    dup_member(doc, "cwd", &rec->c.cwd, err) < 0)
		return -1;
	return 0;
}

/* Reads the pid file; *alive tells whether that process still runs. */
static void read_pid_file(const char *id, struct record *rec, bool *alive, bool *monitor_alive)
{
	_cleanup_free_ char *text = NULL;
	unsigned long long start = 0, mstart = 0;
	struct error ignored;
	int pid = 0, monitor = 0;

	*alive = *monitor_alive = false;
	if (read_text(id, "pid", &text, &ignored) < 0 ||
	    sscanf(text, "%d %llu %d %llu", &pid, &start, &monitor, &mstart) != 4)
		return;
	rec->pid = pid;
	rec->monitor = monitor;
	*alive = pid > 0 && start && process_start_time(pid) == start;
	*monitor_alive = monitor > 0 && mstart && process_start_time(monitor) == mstart;
}

int record_read(const char *id, struct record *rec, struct error *err)
{
	char path[4096];
	_cleanup_free_ char *exit_text = NULL;
	struct error ignored;
	bool alive, monitor_alive;

	memset(rec, 0, sizeof(*rec));
	rec->exit_status = -1;
	if (container_check_id(id, err) < 0)
		return -1;
	if (access(statedir_path(id, NULL, path, sizeof(path)), F_OK) < 0)
		return error_set(err, ENOENT, "container \"%s\" does not exist", id);
	rec->c.id = strdup(id);
	if (!rec->c.id || read_state_json(id, rec, err) < 0 || read_exec_json(id, rec, err) < 0)
		return error_prefix(err, "container \"%s\"", id);
	read_pid_file(id, rec, &alive, &monitor_alive);
	if (read_text(id, "exit", &exit_text, &ignored) == 0)
		rec->exit_status = atoi(exit_text);
	if (!alive || rec->exit_status >= 0) {
		/* Gone: whatever state.json said, it has stopped. */
		if (strcmp(rec->status, "stopped") != 0) {
			free(rec->status);
			rec->status = strdup("stopped");
		}
		rec->pid = 0;
	}
	if (!monitor_alive)
		rec->monitor = 0;
	if (!rec->status)
		return error_sys(err, ENOMEM, "container \"%s\"", id);
	return 0;
}

void record_release(struct record *rec)
{
	container_release(&rec->c);
	free(rec->status);
	free(rec->created);
	memset(rec, 0, sizeof(*rec));
}

static int id_filter(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

int record_list(struct strv *ids, struct error *err)
{
	struct dirent **entries = NULL;
	int i, n = scandir(NSRUN_STATE_DIR, &entries, id_filter, alphasort);
	int r = 0;

	if (n < 0)
		return errno == ENOENT ? 0 : error_sys(err, errno, "cannot list " NSRUN_STATE_DIR);
	for (i = 0; i < n; i++) {
		if (r == 0)
			r = strv_push(ids, entries[i]->d_name, err);
		free(entries[i]);
	}
	free(entries);
	return r;
}
