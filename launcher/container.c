/* container.c: the container description, its defaults and small parsers. */
#include "container.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/resource.h>

#include "caps.h"
#include "cleanup.h"
#include "json.h"

int strv_push(struct strv *sv, const char *s, struct error *err)
{
	char **v = realloc(sv->v, (sv->n + 2) * sizeof(*v));

	if (!v)
		return error_sys(err, ENOMEM, "adding \"%s\"", s);
	sv->v = v;
	v[sv->n] = strdup(s);
	if (!v[sv->n])
		return error_sys(err, ENOMEM, "adding \"%s\"", s);
	v[++sv->n] = NULL;
	return 0;
}

int strv_from_json(const struct json *v, const char *where, struct strv *out, struct error *err)
{
	size_t i;

	strv_free(out);
	if (!v)
		return 0;
	if (json_type(v) != JSON_ARRAY)
		return error_set(err, EINVAL, "%s must be an array, not %s", where,
				 json_type_name(v));
	for (i = 0; i < json_length(v); i++) {
		const char *s = json_string(json_at(v, i));

		if (!s)
			return error_set(err, EINVAL, "%s[%zu] must be a string", where, i);
		if (strv_push(out, s, err) < 0)
			return -1;
	}
	return 0;
}

void strv_free(struct strv *sv)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = 0;
}

/* runc's default spec (`runc spec`): the mounts, masked and read-only paths. */
static const struct {
	const char *source, *destination, *type, *options;
} default_mounts[] = {
	{ "proc", "/proc", "proc", "nosuid,noexec,nodev" },
	{ "tmpfs", "/dev", "tmpfs", "nosuid,strictatime,mode=755,size=65536k" },
	{ "devpts", "/dev/pts", "devpts",
	  "nosuid,noexec,newinstance,ptmxmode=0666,mode=0620,gid=5" },
	{ "shm", "/dev/shm", "tmpfs", "nosuid,noexec,nodev,mode=1777,size=65536k" },
	{ "mqueue", "/dev/mqueue", "mqueue", "nosuid,noexec,nodev" },
	{ "sysfs", "/sys", "sysfs", "nosuid,noexec,nodev,ro" },
};

static const char *const default_masked_paths[] = {
	"/proc/acpi",	       "/proc/asound",	   "/proc/kcore",	"/proc/keys",
	"/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
	"/sys/firmware",       "/proc/scsi",
};

static const char *const default_readonly_paths[] = {
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
};

#define N_ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))

int container_defaults(struct container *c, struct error *err)
{
	static const char *const env[] = {
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
		"TERM=xterm",
	};
	size_t i;

	memset(c, 0, sizeof(*c));
	c->init = true;
	c->no_new_privs = true;
	c->seccomp = SECCOMP_DEFAULT;
	c->caps.bounding = c->caps.effective = c->caps.permitted = caps_docker_default();
	for (i = 0; i < NS_KINDS; i++)
		c->ns[i].enabled = true;
	for (i = 0; i < N_ELEMENTS(env); i++)
		if (strv_push(&c->env, env[i], err) < 0)
			return -1;
	for (i = 0; i < N_ELEMENTS(default_mounts); i++) {
		unsigned long flags, propagation;
		_cleanup_free_ char *data = NULL;

		if (mount_options_parse(default_mounts[i].options, &flags, &propagation, &data,
					err) < 0 ||
		    container_add_mount(c, default_mounts[i].source, default_mounts[i].destination,
					default_mounts[i].type, flags, data, err) < 0)
			return -1;
	}
	for (i = 0; i < N_ELEMENTS(default_masked_paths); i++)
		if (strv_push(&c->masked_paths, default_masked_paths[i], err) < 0)
			return -1;
	for (i = 0; i < N_ELEMENTS(default_readonly_paths); i++)
		if (strv_push(&c->readonly_paths, default_readonly_paths[i], err) < 0)
			return -1;
	return 0;
}

void hook_release(struct hook *h)
{
	free(h->path);
	strv_free(&h->args);
	strv_free(&h->env);
}

void container_release(struct container *c)
{
	size_t i, j;

	free(c->id);
	free(c->rootfs);
	free(c->bundle);
	strv_free(&c->args);
	strv_free(&c->env);
	free(c->cwd);
	strv_free(&c->additional_gids);
	free(c->hostname);
	for (i = 0; i < c->n_mounts; i++) {
		free(c->mounts[i].source);
		free(c->mounts[i].destination);
		free(c->mounts[i].type);
		free(c->mounts[i].data);
	}
	free(c->mounts);
	for (i = 0; i < NS_KINDS; i++)
		free(c->ns[i].path);
	strv_free(&c->masked_paths);
	strv_free(&c->readonly_paths);
	free(c->seccomp_profile);
	for (i = 0; i < HOOK_STAGES; i++) {
		for (j = 0; j < c->hooks[i].n; j++)
			hook_release(&c->hooks[i].v[j]);
		free(c->hooks[i].v);
	}
	for (i = 0; i < c->n_annotations; i++) {
		free(c->annotations[i].key);
		free(c->annotations[i].value);
	}
	free(c->annotations);
	free(c->rlimits);
	memset(c, 0, sizeof(*c));
}

static char *strdup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

int container_add_mount(struct container *c, const char *source, const char *destination,
			const char *type, unsigned long flags, const char *data, struct error *err)
{
	struct mount_entry *m;

	if (destination[0] != '/')
		return error_set(err, EINVAL, "mount destination \"%s\" is not an absolute path",
				 destination);
	m = realloc(c->mounts, (c->n_mounts + 1) * sizeof(*m));
	if (!m)
		return error_sys(err, ENOMEM, "mount %s", destination);
	c->mounts = m;
	m = &c->mounts[c->n_mounts];
	memset(m, 0, sizeof(*m));
	m->source = strdup_or_null(source ? source : "none");
	m->destination = strdup(destination);
	m->type = strdup_or_null(type ? type : "none");
	m->flags = flags;
	m->data = strdup_or_null(data);
	if (!m->source || !m->destination || !m->type || (data && !m->data)) {
		free(m->source);
		free(m->destination);
		free(m->type);
		free(m->data);
		return error_sys(err, ENOMEM, "mount %s", destination);
	}
	c->n_mounts++;
	return 0;
}

int container_add_hook(struct container *c, enum hook_stage stage, struct hook *hook,
		       struct error *err)
{
	struct hook_list *l = &c->hooks[stage];
	struct hook *v = realloc(l->v, (l->n + 1) * sizeof(*v));

	if (!v)
		return error_sys(err, ENOMEM, "hook %s", hook->path);
	l->v = v;
	l->v[l->n++] = *hook;
	memset(hook, 0, sizeof(*hook));
	return 0;
}

int container_set_annotation(struct container *c, const char *key, const char *value,
			     struct error *err)
{
	struct annotation_kv *a;
	char *v = strdup(value);
	size_t i;

	if (!v)
		return error_sys(err, ENOMEM, "annotation %s", key);
	for (i = 0; i < c->n_annotations; i++)
		if (strcmp(c->annotations[i].key, key) == 0) {
			free(c->annotations[i].value);
			c->annotations[i].value = v;
			return 0;
		}
	a = realloc(c->annotations, (c->n_annotations + 1) * sizeof(*a));
	if (!a) {
		free(v);
		return error_sys(err, ENOMEM, "annotation %s", key);
	}
	c->annotations = a;
	a[c->n_annotations].key = strdup(key);
	a[c->n_annotations].value = v;
	if (!a[c->n_annotations].key) {
		free(v);
		return error_sys(err, ENOMEM, "annotation %s", key);
	}
	c->n_annotations++;
	return 0;
}

const char *container_annotation(const struct container *c, const char *key)
{
	size_t i;

	for (i = 0; i < c->n_annotations; i++)
		if (strcmp(c->annotations[i].key, key) == 0)
			return c->annotations[i].value;
	return NULL;
}

int container_setenv(struct container *c, const char *kv, struct error *err)
{
	const char *eq = strchr(kv, '=');
	size_t i, klen;
	char *copy;

	if (!eq || eq == kv)
		return error_set(err, EINVAL, "environment variable \"%s\" is not KEY=VALUE", kv);
	klen = eq - kv + 1;
	for (i = 0; i < c->env.n; i++)
		if (strncmp(c->env.v[i], kv, klen) == 0) {
			copy = strdup(kv);
			if (!copy)
				return error_sys(err, ENOMEM, "environment %s", kv);
			free(c->env.v[i]);
			c->env.v[i] = copy;
			return 0;
		}
	return strv_push(&c->env, kv, err);
}

int rlimit_from_name(const char *name)
{
	static const struct {
		const char *name;
		int resource;
	} names[] = {
		{ "RLIMIT_AS", RLIMIT_AS },
		{ "RLIMIT_CORE", RLIMIT_CORE },
		{ "RLIMIT_CPU", RLIMIT_CPU },
		{ "RLIMIT_DATA", RLIMIT_DATA },
		{ "RLIMIT_FSIZE", RLIMIT_FSIZE },
		{ "RLIMIT_LOCKS", RLIMIT_LOCKS },
		{ "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK },
		{ "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
		{ "RLIMIT_NICE", RLIMIT_NICE },
		{ "RLIMIT_NOFILE", RLIMIT_NOFILE },
		{ "RLIMIT_NPROC", RLIMIT_NPROC },
		{ "RLIMIT_RSS", RLIMIT_RSS },
		{ "RLIMIT_RTPRIO", RLIMIT_RTPRIO },
		{ "RLIMIT_RTTIME", RLIMIT_RTTIME },
		{ "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
		{ "RLIMIT_STACK", RLIMIT_STACK },
	};
	size_t i;

	for (i = 0; name && i < N_ELEMENTS(names); i++)
		if (strcmp(names[i].name, name) == 0)
			return names[i].resource;
	return -1;
}

static const char *const stage_names[HOOK_STAGES] = {
	[HOOK_PRESTART] = "prestart",
	[HOOK_CREATE_RUNTIME] = "createRuntime",
	[HOOK_POSTSTART] = "poststart",
	[HOOK_POSTSTOP] = "poststop",
};

int hook_stage_from_name(const char *name)
{
	int i;

	for (i = 0; i < HOOK_STAGES; i++)
		if (strcmp(stage_names[i], name) == 0)
			return i;
	return -1;
}

const char *hook_stage_name(enum hook_stage stage)
{
	return stage_names[stage];
}

static const struct {
	const char *name;
	int flag;
} ns_kinds[NS_KINDS] = {
	[NS_CGROUP] = { "cgroup", CLONE_NEWCGROUP }, [NS_IPC] = { "ipc", CLONE_NEWIPC },
	[NS_UTS] = { "uts", CLONE_NEWUTS },	     [NS_NET] = { "network", CLONE_NEWNET },
	[NS_PID] = { "pid", CLONE_NEWPID },	     [NS_MOUNT] = { "mount", CLONE_NEWNS },
};

const char *ns_kind_name(enum ns_kind kind)
{
	return ns_kinds[kind].name;
}

int ns_kind_clone_flag(enum ns_kind kind)
{
	return ns_kinds[kind].flag;
}

int container_check_id(const char *id, struct error *err)
{
	size_t i, n = strlen(id);

	if (n == 0 || n > 64)
		return error_set(err, EINVAL, "container name \"%s\" must have 1 to 64 characters",
				 id);
	for (i = 0; i < n; i++) {
		char ch = id[i];
		int alnum = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			    (ch >= '0' && ch <= '9');

		if (!alnum && (i == 0 || (ch != '_' && ch != '.' && ch != '-')))
			return error_set(err, EINVAL,
					 "container name \"%s\" may only have letters, digits and "
					 "_.- (not first)",
					 id);
	}
	return 0;
}

int container_random_id(char **out, struct error *err)
{
	unsigned char bytes[6];
	char *id = malloc(2 * sizeof(bytes) + 1);
	size_t i;

	if (!id)
		return error_sys(err, ENOMEM, "container id");
	if (getrandom(bytes, sizeof(bytes), 0) != (ssize_t)sizeof(bytes)) {
		free(id);
		return error_sys(err, errno, "container id");
	}
	for (i = 0; i < sizeof(bytes); i++)
		sprintf(id + 2 * i, "%02x", bytes[i]);
	*out = id;
	return 0;
}

static int parse_id_number(const char *text, unsigned long *out)
{
	char *end;

	if (text[0] < '0' || text[0] > '9')
		return -1;
	errno = 0;
	*out = strtoul(text, &end, 10);
	if (errno || *end || *out >= UINT_MAX)
		return -1;
	return 0;
}

int parse_user(const char *text, uid_t *uid, gid_t *gid, struct error *err)
{
	_cleanup_free_ char *copy = strdup(text);
	unsigned long u, g;
	char *colon;

	if (!copy)
		return error_sys(err, ENOMEM, "--user");
	colon = strchr(copy, ':');
	if (colon)
		*colon = '\0';
	if (parse_id_number(copy, &u) < 0 || (colon && parse_id_number(colon + 1, &g) < 0))
		return error_set(err, EINVAL, "--user \"%s\" is not UID[:GID] (numbers)", text);
	*uid = u;
	*gid = colon ? (gid_t)g : (gid_t)u;
	return 0;
}

int parse_volume(struct container *c, const char *text, struct error *err)
{
	_cleanup_free_ char *copy = strdup(text);
	_cleanup_free_ char *source = NULL;
	char *dst, *mode;
	unsigned long flags = MS_BIND | MS_REC;

	if (!copy)
		return error_sys(err, ENOMEM, "-v");
	dst = strchr(copy, ':');
	if (!dst || dst == copy || dst[1] != '/')
		return error_set(err, EINVAL, "-v \"%s\" is not SRC:DST[:ro] with an absolute DST",
				 text);
	*dst++ = '\0';
	mode = strchr(dst, ':');
	if (mode) {
		*mode++ = '\0';
		if (strcmp(mode, "ro") == 0)
			flags |= MS_RDONLY;
		else if (strcmp(mode, "rw") != 0)
			return error_set(err, EINVAL, "-v \"%s\": mode \"%s\" is not ro or rw",
					 text, mode);
	}
	source = realpath(copy, NULL);
	if (!source)
		return error_sys(err, errno, "-v \"%s\": source %s", text, copy);
	return container_add_mount(c, source, dst, "bind", flags, NULL, err);
}

static const struct {
	const char *name;
	bool clear;
	unsigned long flag;
	unsigned long propagation;
} mount_flags[] = {
	{ "ro", false, MS_RDONLY, 0 },
	{ "rw", true, MS_RDONLY, 0 },
	{ "nosuid", false, MS_NOSUID, 0 },
	{ "suid", true, MS_NOSUID, 0 },
	{ "nodev", false, MS_NODEV, 0 },
	{ "dev", true, MS_NODEV, 0 },
	{ "noexec", false, MS_NOEXEC, 0 },
	{ "exec", true, MS_NOEXEC, 0 },
	{ "sync", false, MS_SYNCHRONOUS, 0 },
	{ "async", true, MS_SYNCHRONOUS, 0 },
	{ "dirsync", false, MS_DIRSYNC, 0 },
	{ "noatime", false, MS_NOATIME, 0 },
	{ "atime", true, MS_NOATIME, 0 },
	{ "nodiratime", false, MS_NODIRATIME, 0 },
	{ "diratime", true, MS_NODIRATIME, 0 },
	{ "relatime", false, MS_RELATIME, 0 },
	{ "norelatime", true, MS_RELATIME, 0 },
	{ "strictatime", false, MS_STRICTATIME, 0 },
	{ "nostrictatime", true, MS_STRICTATIME, 0 },
	{ "bind", false, MS_BIND, 0 },
	{ "rbind", false, MS_BIND | MS_REC, 0 },
	{ "private", false, 0, MS_PRIVATE },
	{ "rprivate", false, 0, MS_PRIVATE | MS_REC },
	{ "shared", false, 0, MS_SHARED },
	{ "rshared", false, 0, MS_SHARED | MS_REC },
	{ "slave", false, 0, MS_SLAVE },
	{ "rslave", false, 0, MS_SLAVE | MS_REC },
	{ "unbindable", false, 0, MS_UNBINDABLE },
	{ "runbindable", false, 0, MS_UNBINDABLE | MS_REC },
};

int mount_option_apply(const char *opt, unsigned long *flags, unsigned long *propagation)
{
	size_t i;

	for (i = 0; i < N_ELEMENTS(mount_flags); i++) {
		if (strcmp(mount_flags[i].name, opt) != 0)
			continue;
		if (mount_flags[i].clear)
			*flags &= ~mount_flags[i].flag;
		else
			*flags |= mount_flags[i].flag;
		*propagation |= mount_flags[i].propagation;
		return 1;
	}
	return 0;
}

int mount_options_parse(const char *options, unsigned long *flags, unsigned long *propagation,
			char **data, struct error *err)
{
	_cleanup_free_ char *copy = strdup(options);
	_cleanup_free_ char *rest = calloc(1, strlen(options) + 1);
	char *opt, *save = NULL;

	if (!copy || !rest)
		return error_sys(err, ENOMEM, "mount options %s", options);
	*flags = *propagation = 0;
	for (opt = strtok_r(copy, ",", &save); opt; opt = strtok_r(NULL, ",", &save)) {
		if (mount_option_apply(opt, flags, propagation))
			continue;
		if (rest[0])
			strcat(rest, ",");
		strcat(rest, opt);
	}
	*data = rest[0] ? steal_pointer(&rest) : NULL;
	return 0;
}
