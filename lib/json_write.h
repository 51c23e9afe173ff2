/* json_write.h: producing JSON text (the OCI state nsrun hands to hooks).
 *
 * The writing half of the JSON seam: nothing outside json_write.c knows
 * which library generates. Calls are chained without checks; the first
 * failure sticks and json_writer_finish() reports it. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "cleanup.h"
#include "error.h"

struct json_writer;

struct json_writer *json_writer_new(void);
void json_writer_free(struct json_writer *w);
DEFINE_CLEANUP_FUNC(json_writer_freep, struct json_writer, json_writer_free)
#define _cleanup_json_writer_ _cleanup_(json_writer_freep)

void json_write_object_open(struct json_writer *w);
void json_write_object_close(struct json_writer *w);
void json_write_array_open(struct json_writer *w);
void json_write_array_close(struct json_writer *w);
/* A key inside an object; the value follows with the next call. */
void json_write_key(struct json_writer *w, const char *key);
void json_write_string(struct json_writer *w, const char *s);
void json_write_integer(struct json_writer *w, long long n);
void json_write_bool(struct json_writer *w, bool b);
void json_write_null(struct json_writer *w);

struct json;
/* Writes a parsed value (lib/json.h) back out, e.g. to hand a part of one
 * document on as text. Non-integral numbers are not supported. */
void json_write_value(struct json_writer *w, const struct json *v);

/* The text written so far (NUL-terminated, borrowed from w), or -1 when a
 * call failed (out of memory, a key where a value belongs, ...). */
int json_writer_finish(struct json_writer *w, const char **text, size_t *len, struct error *err);
