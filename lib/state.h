/* state.h: the OCI runtime state that hooks receive on stdin.
 *
 * Parses {ociVersion, id, status, pid, bundle, annotations}, checking the
 * type of every field it reads, and falls back to the bundle's config.json
 * for annotations when the state carries none (older runtimes). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "error.h"
#include "json.h"

struct annotation {
	const char *key;
	const char *value;
};

struct oci_state {
	const char *id; /* never NULL after a successful parse */
	const char *status; /* NULL when absent */
	const char *bundle; /* NULL when absent */
	pid_t pid; /* 0 when absent */
	struct annotation *annotations;
	size_t n_annotations;
	struct json *doc; /* owns the strings above */
	struct json *bundle_doc; /* owns annotations read from config.json */
};

/* Parses a state document from NUL-terminated text. */
int oci_state_parse(const char *text, struct oci_state *st, struct error *err);

/* Reads the state from fd to EOF (at most max bytes) and parses it. */
int oci_state_read(int fd, size_t max, struct oci_state *st, struct error *err);

/* When the state has no annotations, takes them from bundle/config.json.
 * A missing bundle or config.json is not an error: there are none. */
int oci_state_bundle_annotations(struct oci_state *st, size_t max, struct error *err);

/* The value of an annotation, or NULL. */
const char *oci_state_annotation(const struct oci_state *st, const char *key);

void oci_state_release(struct oci_state *st);
