/* hooks.h: OCI hooks: running them as runc does, and choosing them from
 * oci-hooks(5) 1.0.0 directories as podman does. */
#pragma once

#include "container.h"
#include "error.h"
#include "json.h"

/* Runs the hooks of one stage in order, each with the state JSON on stdin,
 * its args and env, and its timeout. Stops at the first failure: a hook
 * that exits non-zero, is killed or times out. */
int hooks_run(const struct hook_list *hooks, enum hook_stage stage, const char *state,
	      struct error *err);

/* Parses an OCI hook object {path, args, env, timeout}. */
int hook_from_json(const struct json *v, struct hook *h, struct error *err);

/* Parses --hook "STAGE:PATH[,ARG...]". */
int hook_parse_option(const char *text, enum hook_stage *stage, struct hook *h, struct error *err);

/* Adds the hooks of the *.json files of the directories whose "when"
 * matches the container: always, an annotation whose key and value match a
 * pair of regular expressions, the command (args[0]) matching one of
 * "commands", or bind mounts with "hasBindMounts". As podman does, a file
 * of a later directory replaces an earlier one's of the same name, and the
 * files of all directories are taken in file name order. */
int hooks_dirs_load(struct container *c, const char *const *dirs, size_t n_dirs, struct error *err);
