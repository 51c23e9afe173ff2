/* json.h: read-only access to parsed JSON documents.
 *
 * The one seam to the JSON library: nothing outside json.c knows which
 * library parses. Values are borrowed from their document and live until
 * json_free() of the document. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "cleanup.h"
#include "error.h"

struct json;

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_OBJECT, JSON_ARRAY };

/* Parses NUL-terminated text; on failure the message says where and why. */
int json_parse(const char *text, struct json **out, struct error *err);
void json_free(struct json *doc);
DEFINE_CLEANUP_FUNC(json_freep, struct json, json_free)
#define _cleanup_json_ _cleanup_(json_freep)

enum json_type json_type(const struct json *v);
/* "string", "object", ... for error messages. */
const char *json_type_name(const struct json *v);

/* The member of an object, or NULL when v is not an object or lacks it. */
const struct json *json_member(const struct json *v, const char *key);
/* The text of a string, or NULL when v is not a string. */
const char *json_string(const struct json *v);
/* True when v is true or false; stores it. */
bool json_boolean(const struct json *v, bool *out);
/* True when v is a number with an integral value; stores it. */
bool json_integer(const struct json *v, long long *out);
/* Number of members of an object or elements of an array; 0 otherwise. */
size_t json_length(const struct json *v);
/* Key of member i of an object. */
const char *json_key_at(const struct json *v, size_t i);
/* Value of member i of an object, or element i of an array. */
const struct json *json_at(const struct json *v, size_t i);
