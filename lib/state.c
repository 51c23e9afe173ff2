/* state.c: parsing the OCI state JSON and finding its annotations. */
#include "state.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "io.h"

static int optional_string(const struct json *doc, const char *key, const char **out,
			   struct error *err)
{
	const struct json *v = json_member(doc, key);

	*out = NULL;
	if (!v)
		return 0;
	if (json_type(v) != JSON_STRING)
		return error_set(err, EINVAL, "state: \"%s\" must be a string, not %s", key,
				 json_type_name(v));
	*out = json_string(v);
	return 0;
}

static int parse_pid(const struct json *doc, pid_t *pid, struct error *err)
{
	const struct json *v = json_member(doc, "pid");
	long long n;

	*pid = 0;
	if (!v)
		return 0;
	if (!json_integer(v, &n))
		return error_set(err, EINVAL, "state: \"pid\" must be an integer, not %s",
				 json_type_name(v));
	if (n < 0 || n > INT_MAX)
		return error_set(err, EINVAL, "state: \"pid\" %lld is out of range", n);
	*pid = (pid_t)n;
	return 0;
}

/* Collects the string members of an annotations object. */
static int parse_annotations(const struct json *obj, const char *where, struct oci_state *st,
			     struct error *err)
{
	size_t i, n = json_length(obj);

	if (!obj)
		return 0;
	if (json_type(obj) != JSON_OBJECT)
		return error_set(err, EINVAL, "%s: \"annotations\" must be an object, not %s",
				 where, json_type_name(obj));
	st->annotations = calloc(n ? n : 1, sizeof(*st->annotations));
	if (!st->annotations)
		return error_sys(err, ENOMEM, "%s", where);
	for (i = 0; i < n; i++) {
		const struct json *v = json_at(obj, i);

		if (json_type(v) != JSON_STRING)
			return error_set(err, EINVAL,
					 "%s: annotation \"%s\" must be a string, not %s", where,
					 json_key_at(obj, i), json_type_name(v));
		st->annotations[i].key = json_key_at(obj, i);
		st->annotations[i].value = json_string(v);
	}
	st->n_annotations = n;
	return 0;
}

int oci_state_parse(const char *text, struct oci_state *st, struct error *err)
{
	memset(st, 0, sizeof(*st));
	if (json_parse(text, &st->doc, err) < 0)
		return error_prefix(err, "state");
	if (json_type(st->doc) != JSON_OBJECT)
		return error_set(err, EINVAL, "state: must be a JSON object, not %s",
				 json_type_name(st->doc));
	if (optional_string(st->doc, "id", &st->id, err) < 0 ||
	    optional_string(st->doc, "status", &st->status, err) < 0 ||
	    optional_string(st->doc, "bundle", &st->bundle, err) < 0 ||
	    parse_pid(st->doc, &st->pid, err) < 0)
		return -1;
	if (!st->id || !st->id[0])
		return error_set(err, EINVAL, "state: \"id\" is missing");
	return parse_annotations(json_member(st->doc, "annotations"), "state", st, err);
}

int oci_state_read(int fd, size_t max, struct oci_state *st, struct error *err)
{
	_cleanup_free_ char *text = NULL;
	size_t len;

	memset(st, 0, sizeof(*st));
	if (read_all_fd(fd, max, &text, &len, err) < 0)
		return error_prefix(err, "state");
	if (strlen(text) != len)
		return error_set(err, EINVAL, "state: not valid JSON: contains a NUL byte");
	if (text[strspn(text, " \t\r\n")] == '\0')
		return error_set(err, EINVAL,
				 "state: the input is empty; the runtime passes the container's "
				 "state on stdin");
	return oci_state_parse(text, st, err);
}

int oci_state_bundle_annotations(struct oci_state *st, size_t max, struct error *err)
{
	_cleanup_free_ char *text = NULL;
	char path[PATH_MAX];
	size_t len;

	if (st->n_annotations > 0 || !st->bundle || !st->bundle[0])
		return 0;
	snprintf(path, sizeof(path), "%s/config.json", st->bundle);
	if (read_all_file(path, max, &text, &len, err) < 0)
		return err->code == ENOENT ? 0 : -1;
	if (json_parse(text, &st->bundle_doc, err) < 0)
		return error_prefix(err, "%s", path);
	free(st->annotations);
	st->annotations = NULL;
	return parse_annotations(json_member(st->bundle_doc, "annotations"), path, st, err);
}

const char *oci_state_annotation(const struct oci_state *st, const char *key)
{
	size_t i;

	for (i = 0; i < st->n_annotations; i++)
		if (strcmp(st->annotations[i].key, key) == 0)
			return st->annotations[i].value;
	return NULL;
}

void oci_state_release(struct oci_state *st)
{
	free(st->annotations);
	if (st->doc)
		json_free(st->doc);
	if (st->bundle_doc)
		json_free(st->bundle_doc);
	memset(st, 0, sizeof(*st));
}
