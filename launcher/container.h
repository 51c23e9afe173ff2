/* container.h: what nsrun is asked to run, however it was asked.
 *
 * The command line (main.c) and an OCI bundle (bundle.c) both fill a
 * struct container; run.c starts one. Every string is owned by the struct
 * and released by container_release(). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"

#define NSRUN_STATE_DIR "/run/nsrun"
#define OCI_VERSION "1.0.2"

/* A growable NULL-terminated vector of owned strings. */
struct strv {
	char **v;
	size_t n;
};

int strv_push(struct strv *sv, const char *s, struct error *err);
struct json;
/* Replaces sv with the strings of a JSON array (none when v is NULL); where
 * names the array in errors. */
int strv_from_json(const struct json *v, const char *where, struct strv *out, struct error *err);
void strv_free(struct strv *sv);

enum hook_stage {
	HOOK_PRESTART,
	HOOK_CREATE_RUNTIME,
	HOOK_POSTSTART,
	HOOK_POSTSTOP,
	HOOK_STAGES,
};

struct hook {
	char *path;
	struct strv args; /* argv, argv[0] included; empty means { path } */
	struct strv env;
	int timeout; /* seconds, 0 for none */
};

struct hook_list {
	struct hook *v;
	size_t n;
};

struct mount_entry {
	char *source;
	char *destination; /* absolute, inside the container */
	char *type; /* "bind" for bind mounts */
	unsigned long flags; /* MS_* */
	unsigned long propagation; /* MS_PRIVATE, ... or 0 */
	char *data; /* filesystem options that are not MS_* flags */
};

/* The namespaces nsrun knows, in the order it joins them. */
enum ns_kind { NS_CGROUP, NS_IPC, NS_UTS, NS_NET, NS_PID, NS_MOUNT, NS_KINDS };

struct namespace
{
	bool enabled; /* a namespace of its own, or joined by path */
	char *path; /* join this one instead of creating one */
};

enum seccomp_mode { SECCOMP_DEFAULT, SECCOMP_UNCONFINED, SECCOMP_PROFILE };

/* Capability sets as bit masks (bit N is capability N). */
struct capabilities {
	uint64_t bounding, effective, permitted, inheritable, ambient;
};

struct rlimit_entry {
	int resource; /* RLIMIT_* */
	unsigned long long soft, hard;
};

struct annotation_kv {
	char *key;
	char *value;
};

struct container {
	char *id;
	char *rootfs; /* absolute */
	char *bundle; /* absolute; the state's "bundle" */
	struct strv args;
	struct strv env;
	char *cwd;
	uid_t uid;
	gid_t gid;
	struct strv additional_gids; /* decimal */
	char *hostname;
	bool readonly_root;
	bool no_new_privs;
	struct mount_entry *mounts;
	size_t n_mounts;
	struct namespace ns[NS_KINDS];
	struct strv masked_paths;
	struct strv readonly_paths;
	struct capabilities caps;
	struct rlimit_entry *rlimits;
	size_t n_rlimits;
	enum seccomp_mode seccomp;
	char *seccomp_profile; /* OCI linux.seccomp JSON text */
	struct hook_list hooks[HOOK_STAGES];
	struct annotation_kv *annotations;
	size_t n_annotations;
	bool init; /* nsrun's own PID 1 */
	bool remove; /* --rm */
	bool detach; /* -d */
};

/* Defaults of `nsrun run ROOTFS`: every namespace, Docker's capabilities,
 * runc's masked and read-only paths, the default seccomp list, an init. */
int container_defaults(struct container *c, struct error *err);
void container_release(struct container *c);

int container_add_mount(struct container *c, const char *source, const char *destination,
			const char *type, unsigned long flags, const char *data, struct error *err);
int container_add_hook(struct container *c, enum hook_stage stage, struct hook *hook,
		       struct error *err);
/* Sets K=V, replacing an earlier value of K. */
int container_set_annotation(struct container *c, const char *key, const char *value,
			     struct error *err);
const char *container_annotation(const struct container *c, const char *key);
/* Sets an environment variable "K=V", replacing an earlier value of K. */
int container_setenv(struct container *c, const char *kv, struct error *err);

/* "RLIMIT_NOFILE" -> RLIMIT_NOFILE; -1 when unknown or NULL. */
int rlimit_from_name(const char *name);

/* "prestart" -> HOOK_PRESTART; -1 when unknown. */
int hook_stage_from_name(const char *name);
const char *hook_stage_name(enum hook_stage stage);
void hook_release(struct hook *h);

const char *ns_kind_name(enum ns_kind kind); /* OCI names: "network", "mount", ... */
int ns_kind_clone_flag(enum ns_kind kind);

/* A container id: [A-Za-z0-9][A-Za-z0-9_.-]*, at most 64 characters. */
int container_check_id(const char *id, struct error *err);
/* Twelve random hex digits, like Docker's short ids. */
int container_random_id(char **out, struct error *err);

/* Parses "UID[:GID]" (numbers only). */
int parse_user(const char *text, uid_t *uid, gid_t *gid, struct error *err);
/* Parses -v "SRC:DST[:ro|rw]" into a bind mount. */
int parse_volume(struct container *c, const char *text, struct error *err);

/* Applies one mount option ("ro", "nosuid", "rprivate", ...) to flags and
 * propagation; returns 0 when it is not a flag (filesystem data). */
int mount_option_apply(const char *opt, unsigned long *flags, unsigned long *propagation);
/* Splits "nosuid,mode=755" into MS_* flags, propagation and data. */
int mount_options_parse(const char *options, unsigned long *flags, unsigned long *propagation,
			char **data, struct error *err);
