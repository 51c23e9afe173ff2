/* bundle.c: reading an OCI bundle's config.json into a struct container. */
#include "bundle.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "caps.h"
#include "cleanup.h"
#include "hooks.h"
#include "io.h"
#include "json.h"
#include "json_write.h"

#define CONFIG_MAX (4 * 1024 * 1024)

/* Fails unless every key of obj is one of known (NULL-terminated). */
static int only_known(const struct json *obj, const char *where, const char *const *known,
		      struct error *err)
{
	size_t i, k;

	for (i = 0; i < json_length(obj); i++) {
		const char *key = json_key_at(obj, i);

		for (k = 0; known[k]; k++)
			if (strcmp(known[k], key) == 0)
				break;
		if (!known[k])
			return error_set(err, ENOTSUP, "%s%s%s is not supported by nsrun", where,
					 where[0] ? "." : "", key);
	}
	return 0;
}

static int expect_type(const struct json *v, enum json_type type, const char *where,
		       struct error *err)
{
	static const char *const names[] = { "null",   "boolean", "number",
					     "string", "object",  "array" };

	if (v && json_type(v) != type)
		return error_set(err, EINVAL, "%s must be %s %s, not %s", where,
				 type == JSON_ARRAY || type == JSON_OBJECT ? "an" : "a",
				 names[type], json_type_name(v));
	return 0;
}

static int get_string(const struct json *v, const char *where, char **out, struct error *err)
{
	if (!v)
		return 0;
	if (expect_type(v, JSON_STRING, where, err) < 0)
		return -1;
	free(*out);
	*out = strdup(json_string(v));
	return *out ? 0 : error_sys(err, ENOMEM, "%s", where);
}

static int get_bool(const struct json *v, const char *where, bool *out, struct error *err)
{
	if (v && !json_boolean(v, out))
		return error_set(err, EINVAL, "%s must be true or false", where);
	return 0;
}

static int get_id(const struct json *v, const char *where, unsigned *out, struct error *err)
{
	long long n;

	if (!v)
		return 0;
	if (!json_integer(v, &n) || n < 0 || n >= UINT_MAX)
		return error_set(err, EINVAL, "%s must be a uid or gid", where);
	*out = (unsigned)n;
	return 0;
}

static int get_caps(const struct json *v, const char *where, uint64_t *mask, struct error *err)
{
	size_t i;

	*mask = 0;
	if (!v)
		return 0;
	if (expect_type(v, JSON_ARRAY, where, err) < 0)
		return -1;
	for (i = 0; i < json_length(v); i++) {
		const char *name = json_string(json_at(v, i));
		uint64_t one;

		if (!name || caps_parse(name, &one, err) < 0)
			return error_prefix(err, "%s", where);
		*mask |= one;
	}
	return 0;
}

static int load_capabilities(const struct json *v, struct capabilities *caps, struct error *err)
{
	const struct {
		const char *name;
		uint64_t *mask;
	} sets[] = {
		{ "bounding", &caps->bounding },       { "effective", &caps->effective },
		{ "inheritable", &caps->inheritable }, { "permitted", &caps->permitted },
		{ "ambient", &caps->ambient },
	};
	static const char *const known[] = { "bounding",  "effective", "inheritable",
					     "permitted", "ambient",   NULL };
	char where[64];
	size_t i;

	memset(caps, 0, sizeof(*caps));
	if (!v)
		return 0;
	if (expect_type(v, JSON_OBJECT, "process.capabilities", err) < 0 ||
	    only_known(v, "process.capabilities", known, err) < 0)
		return -1;
	for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		snprintf(where, sizeof(where), "process.capabilities.%s", sets[i].name);
		if (get_caps(json_member(v, sets[i].name), where, sets[i].mask, err) < 0)
			return -1;
	}
	return 0;
}

static int load_user(const struct json *v, struct container *c, struct error *err)
{
	static const char *const known[] = { "uid", "gid", "additionalGids", NULL };
	const struct json *gids;
	size_t i;

	if (!v)
		return 0;
	gids = json_member(v, "additionalGids");
	if (expect_type(v, JSON_OBJECT, "process.user", err) < 0 ||
	    only_known(v, "process.user", known, err) < 0 ||
	    get_id(json_member(v, "uid"), "process.user.uid", &c->uid, err) < 0 ||
	    get_id(json_member(v, "gid"), "process.user.gid", &c->gid, err) < 0 ||
	    expect_type(gids, JSON_ARRAY, "process.user.additionalGids", err) < 0)
		return -1;
	for (i = 0; i < json_length(gids); i++) {
		unsigned gid = 0;
		char text[16];

		if (get_id(json_at(gids, i), "process.user.additionalGids", &gid, err) < 0)
			return -1;
		snprintf(text, sizeof(text), "%u", gid);
		if (strv_push(&c->additional_gids, text, err) < 0)
			return -1;
	}
	return 0;
}

static int load_rlimits(const struct json *v, struct container *c, struct error *err)
{
	size_t i;

	if (expect_type(v, JSON_ARRAY, "process.rlimits", err) < 0)
		return -1;
	for (i = 0; i < json_length(v); i++) {
		const struct json *r = json_at(v, i);
		const char *type = json_string(json_member(r, "type"));
		long long soft, hard;
		struct rlimit_entry *e;
		int resource = rlimit_from_name(type);

		if (resource < 0)
			return error_set(err, EINVAL,
					 "process.rlimits[%zu]: type \"%s\" is unknown", i,
					 type ? type : "");
		if (!json_integer(json_member(r, "soft"), &soft) ||
		    !json_integer(json_member(r, "hard"), &hard) || soft < 0 || hard < 0)
			return error_set(err, EINVAL,
					 "process.rlimits[%zu]: soft and hard must be numbers", i);
		e = realloc(c->rlimits, (c->n_rlimits + 1) * sizeof(*e));
		if (!e)
			return error_sys(err, ENOMEM, "process.rlimits");
		c->rlimits = e;
		e[c->n_rlimits].resource = resource;
		e[c->n_rlimits].soft = (unsigned long long)soft;
		e[c->n_rlimits].hard = (unsigned long long)hard;
		c->n_rlimits++;
	}
	return 0;
}

static int load_process(const struct json *p, struct container *c, struct error *err)
{
	static const char *const known[] = {
		"terminal",	"consoleSize",	   "user",    "args", "env", "cwd",
		"capabilities", "noNewPrivileges", "rlimits", NULL
	};
	bool terminal = false, nnp = false;

	if (!p)
		return error_set(err, EINVAL, "process is missing");
	if (expect_type(p, JSON_OBJECT, "process", err) < 0 ||
	    only_known(p, "process", known, err) < 0 ||
	    get_bool(json_member(p, "terminal"), "process.terminal", &terminal, err) < 0)
		return -1;
	if (terminal)
		return error_set(err, ENOTSUP, "process.terminal: true is not supported by nsrun");
	if (strv_from_json(json_member(p, "args"), "process.args", &c->args, err) < 0 ||
	    strv_from_json(json_member(p, "env"), "process.env", &c->env, err) < 0 ||
	    get_string(json_member(p, "cwd"), "process.cwd", &c->cwd, err) < 0 ||
	    load_user(json_member(p, "user"), c, err) < 0 ||
	    load_capabilities(json_member(p, "capabilities"), &c->caps, err) < 0 ||
	    get_bool(json_member(p, "noNewPrivileges"), "process.noNewPrivileges", &nnp, err) < 0 ||
	    load_rlimits(json_member(p, "rlimits"), c, err) < 0)
		return -1;
	c->no_new_privs = nnp;
	if (c->args.n == 0)
		return error_set(err, EINVAL, "process.args is missing or empty");
	if (!c->cwd || c->cwd[0] != '/')
		return error_set(err, EINVAL, "process.cwd must be an absolute path");
	return 0;
}

static int load_root(const char *dir, const struct json *root, struct container *c,
		     struct error *err)
{
	static const char *const known[] = { "path", "readonly", NULL };
	const char *path = root ? json_string(json_member(root, "path")) : NULL;
	_cleanup_free_ char *joined = NULL;

	if (!path)
		return error_set(err, EINVAL, "root.path is missing");
	if (only_known(root, "root", known, err) < 0 ||
	    get_bool(json_member(root, "readonly"), "root.readonly", &c->readonly_root, err) < 0)
		return -1;
	if (path[0] == '/')
		joined = strdup(path);
	else if (asprintf(&joined, "%s/%s", dir, path) < 0)
		joined = NULL;
	if (!joined)
		return error_sys(err, ENOMEM, "root.path");
	c->rootfs = realpath(joined, NULL);
	if (!c->rootfs)
		return error_sys(err, errno, "root.path %s", joined);
	return 0;
}

static int load_mount(const struct json *m, size_t i, struct container *c, struct error *err)
{
	static const char *const known[] = { "destination", "type",	   "source", "options",
					     "uidMappings", "gidMappings", NULL };
	const char *dst = json_string(json_member(m, "destination"));
	const char *type = json_string(json_member(m, "type"));
	const char *source = json_string(json_member(m, "source"));
	const struct json *options = json_member(m, "options");
	unsigned long flags = 0, propagation = 0;
	_cleanup_free_ char *data = calloc(1, 4096);
	size_t k;

	if (!data)
		return error_sys(err, ENOMEM, "mounts");
	if (only_known(m, "mounts[]", known, err) < 0)
		return -1;
	if (json_member(m, "uidMappings") || json_member(m, "gidMappings"))
		return error_set(err, ENOTSUP, "mounts[%zu]: id-mapped mounts are not supported",
				 i);
	if (!dst || dst[0] != '/')
		return error_set(err, EINVAL, "mounts[%zu].destination must be an absolute path",
				 i);
	if (expect_type(options, JSON_ARRAY, "mounts[].options", err) < 0)
		return -1;
	for (k = 0; k < json_length(options); k++) {
		const char *opt = json_string(json_at(options, k));

		if (!opt)
			return error_set(err, EINVAL, "mounts[%zu].options must be strings", i);
		if (mount_option_apply(opt, &flags, &propagation))
			continue;
		if (strlen(data) + strlen(opt) + 2 >= 4096)
			return error_set(err, E2BIG, "mounts[%zu].options are too long", i);
		if (data[0])
			strcat(data, ",");
		strcat(data, opt);
	}
	if (flags & MS_BIND)
		type = "bind";
	if (!type)
		return error_set(err, EINVAL, "mounts[%zu] (%s) has no type", i, dst);
	if (container_add_mount(c, source, dst, type, flags, data[0] ? data : NULL, err) < 0)
		return -1;
	c->mounts[c->n_mounts - 1].propagation = propagation;
	return 0;
}

static int load_mounts(const struct json *v, struct container *c, struct error *err)
{
	size_t i;

	if (expect_type(v, JSON_ARRAY, "mounts", err) < 0)
		return -1;
	for (i = 0; i < json_length(v); i++)
		if (load_mount(json_at(v, i), i, c, err) < 0)
			return -1;
	return 0;
}

static int load_namespaces(const struct json *v, struct container *c, struct error *err)
{
	size_t i;
	int kind;

	for (kind = 0; kind < NS_KINDS; kind++)
		c->ns[kind].enabled = false; /* not listed: the runtime's */
	if (expect_type(v, JSON_ARRAY, "linux.namespaces", err) < 0)
		return -1;
	for (i = 0; i < json_length(v); i++) {
		const struct json *ns = json_at(v, i);
		const char *type = json_string(json_member(ns, "type"));

		for (kind = 0; type && kind < NS_KINDS; kind++)
			if (strcmp(ns_kind_name(kind), type) == 0)
				break;
		if (!type || kind == NS_KINDS)
			return error_set(err, ENOTSUP,
					 "linux.namespaces: type \"%s\" is not supported by nsrun",
					 type ? type : "");
		c->ns[kind].enabled = true;
		if (get_string(json_member(ns, "path"), "linux.namespaces[].path",
			       &c->ns[kind].path, err) < 0)
			return -1;
		if (kind == NS_MOUNT && c->ns[kind].path)
			return error_set(err, ENOTSUP,
					 "linux.namespaces: joining a mount namespace (%s) is "
					 "not supported by nsrun",
					 c->ns[kind].path);
	}
	if (!c->ns[NS_MOUNT].enabled)
		return error_set(err, ENOTSUP,
				 "linux.namespaces: nsrun needs a mount namespace of its own");
	return 0;
}

/* linux.seccomp is kept as JSON text: seccomp.c reads it. */
static int load_seccomp(const struct json *v, struct container *c, struct error *err)
{
	_cleanup_json_writer_ struct json_writer *w = NULL;
	const char *text;
	size_t len;

	if (!v) {
		c->seccomp = SECCOMP_UNCONFINED;
		return 0;
	}
	w = json_writer_new();
	if (!w)
		return error_sys(err, ENOMEM, "linux.seccomp");
	json_write_value(w, v);
	if (json_writer_finish(w, &text, &len, err) < 0)
		return error_prefix(err, "linux.seccomp");
	c->seccomp = SECCOMP_PROFILE;
	c->seccomp_profile = strndup(text, len);
	return c->seccomp_profile ? 0 : error_sys(err, ENOMEM, "linux.seccomp");
}

/* Device rules: nsrun has no device cgroup; it refuses to create device
 * nodes instead (seccomp_filter.c), which is what deny rules ask. Rules that
 * allow devices, and every limit (they need cgroups), are refused. */
static int load_devices(const struct json *v, struct error *err)
{
	size_t i;

	if (expect_type(v, JSON_ARRAY, "linux.resources.devices", err) < 0)
		return -1;
	for (i = 0; i < json_length(v); i++) {
		bool allow = true;

		if (get_bool(json_member(json_at(v, i), "allow"), "linux.resources.devices[].allow",
			     &allow, err) < 0)
			return -1;
		if (allow)
			return error_set(err, ENOTSUP,
					 "linux.resources.devices[%zu]: allow rules are not "
					 "supported by nsrun (it has no device cgroup)",
					 i);
	}
	return 0;
}

static int load_resources(const struct json *v, struct error *err)
{
	static const char *const known[] = { "devices", NULL };

	if (!v)
		return 0;
	if (expect_type(v, JSON_OBJECT, "linux.resources", err) < 0 ||
	    only_known(v, "linux.resources", known, err) < 0)
		return -1;
	return load_devices(json_member(v, "devices"), err);
}

static int load_linux(const struct json *v, struct container *c, struct error *err)
{
	static const char *const known[] = { "namespaces", "maskedPaths", "readonlyPaths",
					     "seccomp",	   "resources",	  "cgroupsPath",
					     NULL };

	if (!v)
		return error_set(err, EINVAL, "linux is missing");
	if (only_known(v, "linux", known, err) < 0 ||
	    load_namespaces(json_member(v, "namespaces"), c, err) < 0 ||
	    strv_from_json(json_member(v, "maskedPaths"), "linux.maskedPaths", &c->masked_paths,
			   err) < 0 ||
	    strv_from_json(json_member(v, "readonlyPaths"), "linux.readonlyPaths",
			   &c->readonly_paths, err) < 0 ||
	    load_seccomp(json_member(v, "seccomp"), c, err) < 0 ||
	    load_resources(json_member(v, "resources"), err) < 0)
		return -1;
	if (!json_member(v, "maskedPaths"))
		strv_free(&c->masked_paths);
	if (!json_member(v, "readonlyPaths"))
		strv_free(&c->readonly_paths);
	return 0;
}

static int load_hooks(const struct json *v, struct container *c, struct error *err)
{
	size_t i, j;

	if (expect_type(v, JSON_OBJECT, "hooks", err) < 0)
		return -1;
	for (i = 0; i < json_length(v); i++) {
		const char *name = json_key_at(v, i);
		const struct json *list = json_at(v, i);
		int stage = hook_stage_from_name(name);

		if (stage < 0)
			return error_set(err, ENOTSUP, "hooks.%s is not supported by nsrun", name);
		if (expect_type(list, JSON_ARRAY, "hooks[]", err) < 0)
			return -1;
		for (j = 0; j < json_length(list); j++) {
			struct hook h;

			if (hook_from_json(json_at(list, j), &h, err) < 0)
				return error_prefix(err, "hooks.%s[%zu]", name, j);
			if (container_add_hook(c, stage, &h, err) < 0) {
				hook_release(&h);
				return -1;
			}
		}
	}
	return 0;
}

static int load_annotations(const struct json *v, struct container *c, struct error *err)
{
	size_t i;

	if (expect_type(v, JSON_OBJECT, "annotations", err) < 0)
		return -1;
	for (i = 0; i < json_length(v); i++) {
		const char *value = json_string(json_at(v, i));

		if (!value)
			return error_set(err, EINVAL, "annotations.%s must be a string",
					 json_key_at(v, i));
		if (container_set_annotation(c, json_key_at(v, i), value, err) < 0)
			return -1;
	}
	return 0;
}

static int load_config(const char *dir, const struct json *doc, struct container *c,
		       struct error *err)
{
	static const char *const known[] = { "ociVersion", "process", "root",  "hostname",
					     "domainname", "mounts",  "hooks", "annotations",
					     "linux",	   NULL };

	if (expect_type(doc, JSON_OBJECT, "config.json", err) < 0 ||
	    only_known(doc, "", known, err) < 0 ||
	    load_process(json_member(doc, "process"), c, err) < 0 ||
	    load_root(dir, json_member(doc, "root"), c, err) < 0 ||
	    get_string(json_member(doc, "hostname"), "hostname", &c->hostname, err) < 0 ||
	    load_linux(json_member(doc, "linux"), c, err) < 0 ||
	    load_mounts(json_member(doc, "mounts"), c, err) < 0 ||
	    load_hooks(json_member(doc, "hooks"), c, err) < 0 ||
	    load_annotations(json_member(doc, "annotations"), c, err) < 0)
		return -1;
	if (json_member(doc, "domainname"))
		return error_set(err, ENOTSUP, "domainname is not supported by nsrun");
	if (c->hostname && !c->ns[NS_UTS].enabled)
		return error_set(err, EINVAL, "hostname needs a uts namespace");
	return 0;
}

int bundle_load(const char *dir, struct container *c, struct error *err)
{
	_cleanup_free_ char *path = NULL, *text = NULL;
	_cleanup_json_ struct json *doc = NULL;
	size_t len, i;

	/* The bundle says everything: start from nothing but nsrun's init. */
	strv_free(&c->env);
	for (i = 0; i < c->n_mounts; i++) {
		free(c->mounts[i].source);
		free(c->mounts[i].destination);
		free(c->mounts[i].type);
		free(c->mounts[i].data);
	}
	c->n_mounts = 0;
	c->bundle = realpath(dir, NULL);
	if (!c->bundle)
		return error_sys(err, errno, "bundle %s", dir);
	if (asprintf(&path, "%s/config.json", c->bundle) < 0) {
		path = NULL;
		return error_sys(err, ENOMEM, "bundle");
	}
	if (read_all_file(path, CONFIG_MAX, &text, &len, err) < 0)
		return -1;
	if (json_parse(text, &doc, err) < 0 || load_config(c->bundle, doc, c, err) < 0)
		return error_prefix(err, "%s", path);
	return 0;
}
