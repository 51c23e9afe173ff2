/* hooks.c: running OCI hooks and reading oci-hooks(5) directories. */
#include "hooks.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "io.h"

#define HOOK_FILE_MAX (1024 * 1024)

static int spawn_hook(const struct hook *h, int stdin_fd, pid_t *pid, struct error *err)
{
	char *const default_args[] = { h->path, NULL };
	char *const empty_env[] = { NULL };
	sigset_t none;

	*pid = fork();
	if (*pid < 0)
		return error_sys(err, errno, "fork");
	if (*pid > 0)
		return 0;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (dup2(stdin_fd, STDIN_FILENO) < 0)
		_exit(127);
	execve(h->path, h->args.n ? h->args.v : default_args, h->env.n ? h->env.v : empty_env);
	fprintf(stderr, "nsrun: hook %s: %s\n", h->path, strerror(errno));
	_exit(127);
}

/* Waits for the hook, killing it when its timeout passes. */
static int wait_hook(const struct hook *h, pid_t pid, int *status, struct error *err)
{
	_cleanup_close_ int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	struct pollfd p = { .fd = pidfd, .events = POLLIN };
	int r;

	if (pidfd >= 0 && h->timeout > 0) {
		do
			r = poll(&p, 1, h->timeout * 1000);
		while (r < 0 && errno == EINTR);
		if (r == 0) {
			kill(pid, SIGKILL);
			waitpid(pid, status, 0);
			return error_set(err, ETIMEDOUT, "hook %s timed out after %d s", h->path,
					 h->timeout);
		}
	}
	while (waitpid(pid, status, 0) < 0)
		if (errno != EINTR)
			return error_sys(err, errno, "waiting for hook %s", h->path);
	return 0;
}

static int run_one(const struct hook *h, const char *state, struct error *err)
{
	int fds[2];
	_cleanup_close_ int rd = -1, wr = -1;
	size_t len = strlen(state), off = 0;
	pid_t pid;
	int status;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return error_sys(err, errno, "pipe");
	rd = fds[0];
	wr = fds[1];
	if (spawn_hook(h, rd, &pid, err) < 0)
		return -1;
	/* A hook may exit without reading: EPIPE is fine (SIGPIPE is blocked). */
	while (off < len) {
		ssize_t n = write(wr, state + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		off += n;
	}
	close(steal_fd(&wr));
	if (wait_hook(h, pid, &status, err) < 0)
		return -1;
	if (WIFSIGNALED(status))
		return error_set(err, EINTR, "hook %s was killed by signal %d", h->path,
				 WTERMSIG(status));
	if (WEXITSTATUS(status) != 0)
		return error_set(err, EIO, "hook %s exited with status %d", h->path,
				 WEXITSTATUS(status));
	return 0;
}

int hooks_run(const struct hook_list *hooks, enum hook_stage stage, const char *state,
	      struct error *err)
{
	size_t i;

	for (i = 0; i < hooks->n; i++)
		if (run_one(&hooks->v[i], state, err) < 0)
			return error_prefix(err, "%s hook", hook_stage_name(stage));
	return 0;
}

int hook_from_json(const struct json *v, struct hook *h, struct error *err)
{
	const char *path;
	const struct json *timeout;
	long long t = 0;

	memset(h, 0, sizeof(*h));
	if (!v)
		return error_set(err, EINVAL, "\"hook\" is missing");
	if (json_type(v) != JSON_OBJECT)
		return error_set(err, EINVAL, "a hook must be an object, not %s",
				 json_type_name(v));
	path = json_string(json_member(v, "path"));
	timeout = json_member(v, "timeout");
	if (!path || path[0] != '/')
		return error_set(err, EINVAL, "a hook's \"path\" must be an absolute path");
	if (timeout && (!json_integer(timeout, &t) || t <= 0 || t > INT_MAX))
		return error_set(err, EINVAL, "hook %s: \"timeout\" must be a positive integer",
				 path);
	h->path = strdup(path);
	h->timeout = (int)t;
	if (!h->path)
		return error_sys(err, ENOMEM, "hook %s", path);
	if (strv_from_json(json_member(v, "args"), "args", &h->args, err) < 0 ||
	    strv_from_json(json_member(v, "env"), "env", &h->env, err) < 0) {
		hook_release(h);
		return error_prefix(err, "hook %s", path);
	}
	return 0;
}

int hook_parse_option(const char *text, enum hook_stage *stage, struct hook *h, struct error *err)
{
	_cleanup_free_ char *copy = strdup(text);
	char *colon, *arg, *save = NULL;
	int s;

	memset(h, 0, sizeof(*h));
	if (!copy)
		return error_sys(err, ENOMEM, "--hook");
	colon = strchr(copy, ':');
	if (!colon || colon[1] != '/')
		return error_set(err, EINVAL, "--hook \"%s\" is not STAGE:/PATH[,ARG...]", text);
	*colon = '\0';
	s = hook_stage_from_name(copy);
	if (s < 0)
		return error_set(err, EINVAL,
				 "--hook \"%s\": stage \"%s\" is not prestart, createRuntime, "
				 "poststart or poststop",
				 text, copy);
	*stage = s;
	for (arg = strtok_r(colon + 1, ",", &save); arg; arg = strtok_r(NULL, ",", &save))
		if (strv_push(&h->args, arg, err) < 0) {
			hook_release(h);
			return -1;
		}
	h->path = strdup(h->args.v[0]);
	if (!h->path) {
		hook_release(h);
		return error_sys(err, ENOMEM, "--hook");
	}
	return 0;
}

/* ---- oci-hooks(5) directories ---- */

static inline void regfreep(regex_t **re)
{
	if (*re)
		regfree(*re);
}

/* Whether pattern (POSIX extended, searched as podman's Go regexp does)
 * matches text. */
static int regex_matches(const char *pattern, const char *text, bool *match, struct error *err)
{
	regex_t re;
	_cleanup_(regfreep) regex_t *owned = NULL;
	int r = regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB);

	if (r != 0) {
		char why[128];

		regerror(r, &re, why, sizeof(why));
		return error_set(err, EINVAL, "regular expression \"%s\": %s", pattern, why);
	}
	owned = &re;
	*match = regexec(&re, text, 0, NULL, 0) == 0;
	return 0;
}

static int when_annotations(const struct json *when, const struct container *c, bool *match,
			    struct error *err)
{
	size_t i, j;

	if (when && json_type(when) != JSON_OBJECT)
		return error_set(err, EINVAL, "\"when.annotations\" must be an object");
	for (i = 0; i < json_length(when); i++) {
		const char *key_re = json_key_at(when, i);
		const char *value_re = json_string(json_at(when, i));

		if (!value_re)
			return error_set(err, EINVAL, "when.annotations \"%s\" must be a string",
					 key_re);
		for (j = 0; j < c->n_annotations; j++) {
			bool k, v;

			if (regex_matches(key_re, c->annotations[j].key, &k, err) < 0)
				return -1;
			if (!k)
				continue;
			if (regex_matches(value_re, c->annotations[j].value, &v, err) < 0)
				return -1;
			if (v) {
				*match = true;
				return 0;
			}
		}
	}
	return 0;
}

static int when_commands(const struct json *commands, const struct container *c, bool *match,
			 struct error *err)
{
	size_t i;

	if (commands && json_type(commands) != JSON_ARRAY)
		return error_set(err, EINVAL, "\"when.commands\" must be an array");
	for (i = 0; i < json_length(commands); i++) {
		const char *re = json_string(json_at(commands, i));

		if (!re)
			return error_set(err, EINVAL, "when.commands[%zu] must be a string", i);
		if (c->args.n && regex_matches(re, c->args.v[0], match, err) < 0)
			return -1;
		if (*match)
			return 0;
	}
	return 0;
}

static bool has_bind_mounts(const struct container *c)
{
	size_t i;

	for (i = 0; i < c->n_mounts; i++)
		if (strcmp(c->mounts[i].type, "bind") == 0)
			return true;
	return false;
}

static int when_matches(const struct json *when, const struct container *c, bool *match,
			struct error *err)
{
	bool b;

	*match = false;
	if (!when || json_type(when) != JSON_OBJECT)
		return error_set(err, EINVAL, "\"when\" must be an object");
	if (json_boolean(json_member(when, "always"), &b) && b) {
		*match = true;
		return 0;
	}
	if (json_boolean(json_member(when, "hasBindMounts"), &b) && b && has_bind_mounts(c)) {
		*match = true;
		return 0;
	}
	if (when_annotations(json_member(when, "annotations"), c, match, err) < 0)
		return -1;
	if (!*match && when_commands(json_member(when, "commands"), c, match, err) < 0)
		return -1;
	if (!json_member(when, "always") && !json_member(when, "annotations") &&
	    !json_member(when, "commands") && !json_member(when, "hasBindMounts"))
		return error_set(err, EINVAL, "\"when\" has no condition");
	return 0;
}

/* The OCI stages nsrun does not run: a matching hook for one is an error. */
static bool stage_is_other_oci(const char *name)
{
	return strcmp(name, "createContainer") == 0 || strcmp(name, "startContainer") == 0;
}

/* Checks "stages" and returns the stages as a bit set (1 << enum hook_stage). */
static int parse_stages(const struct json *stages, bool match, unsigned *set, struct error *err)
{
	size_t i;

	*set = 0;
	if (!stages || json_type(stages) != JSON_ARRAY || json_length(stages) == 0)
		return error_set(err, EINVAL, "\"stages\" must be a non-empty array");
	for (i = 0; i < json_length(stages); i++) {
		const char *name = json_string(json_at(stages, i));
		int stage = name ? hook_stage_from_name(name) : -1;

		if (stage >= 0) {
			*set |= 1U << stage;
			continue;
		}
		if (!name || !stage_is_other_oci(name))
			return error_set(err, EINVAL, "\"stages\": \"%s\" is not an OCI hook stage",
					 name ? name : "");
		if (match)
			return error_set(err, ENOTSUP, "stage \"%s\" is not supported by nsrun",
					 name);
	}
	return 0;
}

static int add_hook_stages(struct container *c, const struct json *v, unsigned set,
			   struct error *err)
{
	struct stat sb;
	int stage;

	for (stage = 0; stage < HOOK_STAGES; stage++) {
		struct hook h;

		if (!(set & (1U << stage)))
			continue;
		if (hook_from_json(v, &h, err) < 0)
			return -1;
		if (stat(h.path, &sb) < 0) {
			error_sys(err, errno, "hook %s", h.path);
			hook_release(&h);
			return -1;
		}
		if (container_add_hook(c, stage, &h, err) < 0) {
			hook_release(&h);
			return -1;
		}
	}
	return 0;
}

static int load_hook_file(struct container *c, const char *path, struct error *err)
{
	_cleanup_free_ char *text = NULL;
	_cleanup_json_ struct json *doc = NULL;
	const char *version;
	unsigned stages;
	bool match;
	size_t len;

	if (read_all_file(path, HOOK_FILE_MAX, &text, &len, err) < 0 ||
	    json_parse(text, &doc, err) < 0)
		return -1;
	version = json_string(json_member(doc, "version"));
	if (!version || strcmp(version, "1.0.0") != 0)
		return error_set(err, EINVAL, "\"version\" must be \"1.0.0\"");
	if (when_matches(json_member(doc, "when"), c, &match, err) < 0 ||
	    parse_stages(json_member(doc, "stages"), match, &stages, err) < 0)
		return -1;
	if (!match)
		return 0;
	return add_hook_stages(c, json_member(doc, "hook"), stages, err);
}

static int json_file_filter(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 5 && strcmp(d->d_name + n - 5, ".json") == 0;
}

/* The files the directories offer, by name: as in podman, a file in a
 * later directory replaces the one of the same name in an earlier one. */
struct hook_file {
	char *name;
	const char *dir;
};

struct hook_files {
	struct hook_file *v;
	size_t n;
};

static void hook_files_free(struct hook_files *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		free(f->v[i].name);
	free(f->v);
}

static int hook_files_put(struct hook_files *f, const char *dir, const char *name,
			  struct error *err)
{
	struct hook_file *v;
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->v[i].name, name) == 0) {
			f->v[i].dir = dir;
			return 0;
		}
	v = realloc(f->v, (f->n + 1) * sizeof(*v));
	if (!v)
		return error_sys(err, ENOMEM, "--hooks-dir %s", dir);
	f->v = v;
	f->v[f->n].dir = dir;
	f->v[f->n].name = strdup(name);
	if (!f->v[f->n].name)
		return error_sys(err, ENOMEM, "--hooks-dir %s", dir);
	f->n++;
	return 0;
}

static int hook_files_scan(struct hook_files *f, const char *dir, struct error *err)
{
	struct dirent **entries = NULL;
	int i, n = scandir(dir, &entries, json_file_filter, NULL);
	int r = 0;

	if (n < 0)
		return error_sys(err, errno, "--hooks-dir %s", dir);
	for (i = 0; i < n; i++) {
		if (r == 0)
			r = hook_files_put(f, dir, entries[i]->d_name, err);
		free(entries[i]);
	}
	free(entries);
	return r;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(((const struct hook_file *)a)->name, ((const struct hook_file *)b)->name);
}

int hooks_dirs_load(struct container *c, const char *const *dirs, size_t n_dirs, struct error *err)
{
	_cleanup_(hook_files_free) struct hook_files f = { NULL, 0 };
	size_t i;

	for (i = 0; i < n_dirs; i++)
		if (hook_files_scan(&f, dirs[i], err) < 0)
			return -1;
	if (f.n > 1)
		qsort(f.v, f.n, sizeof(*f.v), compare_names);
	for (i = 0; i < f.n; i++) {
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "%s/%s", f.v[i].dir, f.v[i].name);
		if (load_hook_file(c, path, err) < 0)
			return error_prefix(err, "hook file %s", path);
	}
	return 0;
}
