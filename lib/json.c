/* json.c: the JSON seam, implemented with yajl's tree API. */
#include "json.h"

#include <errno.h>
#include <string.h>
#include <yajl/yajl_tree.h>

static yajl_val val(const struct json *v)
{
	return (yajl_val)v;
}

int json_parse(const char *text, struct json **out, struct error *err)
{
	char why[256] = "";
	yajl_val doc = yajl_tree_parse(text, why, sizeof(why));
	char *nl;

	if (!doc) {
		nl = strchr(why, '\n');
		if (nl)
			*nl = '\0';
		return error_set(err, EINVAL, "not valid JSON: %s", why[0] ? why : "parse error");
	}
	*out = (struct json *)doc;
	return 0;
}

void json_free(struct json *doc)
{
	yajl_tree_free(val(doc));
}

enum json_type json_type(const struct json *v)
{
	switch (val(v)->type) {
	case yajl_t_string:
		return JSON_STRING;
	case yajl_t_number:
		return JSON_NUMBER;
	case yajl_t_object:
		return JSON_OBJECT;
	case yajl_t_array:
		return JSON_ARRAY;
	case yajl_t_true:
	case yajl_t_false:
		return JSON_BOOL;
	default:
		return JSON_NULL;
	}
}

const char *json_type_name(const struct json *v)
{
	static const char *const names[] = {
		[JSON_NULL] = "null",	  [JSON_BOOL] = "boolean",  [JSON_NUMBER] = "number",
		[JSON_STRING] = "string", [JSON_OBJECT] = "object", [JSON_ARRAY] = "array",
	};
	return names[json_type(v)];
}

const struct json *json_member(const struct json *v, const char *key)
{
	size_t i, n = json_length(v);

	if (json_type(v) != JSON_OBJECT)
		return NULL;
	for (i = 0; i < n; i++)
		if (strcmp(val(v)->u.object.keys[i], key) == 0)
			return (const struct json *)val(v)->u.object.values[i];
	return NULL;
}

const char *json_string(const struct json *v)
{
	return YAJL_IS_STRING(val(v)) ? val(v)->u.string : NULL;
}

bool json_boolean(const struct json *v, bool *out)
{
	if (!YAJL_IS_TRUE(val(v)) && !YAJL_IS_FALSE(val(v)))
		return false;
	*out = YAJL_IS_TRUE(val(v));
	return true;
}

bool json_integer(const struct json *v, long long *out)
{
	if (!YAJL_IS_INTEGER(val(v)))
		return false;
	*out = YAJL_GET_INTEGER(val(v));
	return true;
}

size_t json_length(const struct json *v)
{
	if (YAJL_IS_OBJECT(val(v)))
		return val(v)->u.object.len;
	if (YAJL_IS_ARRAY(val(v)))
		return val(v)->u.array.len;
	return 0;
}

const char *json_key_at(const struct json *v, size_t i)
{
	return val(v)->u.object.keys[i];
}

const struct json *json_at(const struct json *v, size_t i)
{
	if (YAJL_IS_OBJECT(val(v)))
		return (const struct json *)val(v)->u.object.values[i];
	return (const struct json *)val(v)->u.array.values[i];
}
