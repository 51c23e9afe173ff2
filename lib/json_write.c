/* json_write.c: the JSON writer, implemented with yajl's generator. */
#include "json_write.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>

#include "json.h"

struct json_writer {
	yajl_gen gen;
	yajl_gen_status status;
};

struct json_writer *json_writer_new(void)
{
	struct json_writer *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->gen = yajl_gen_alloc(NULL);
	if (!w->gen) {
		free(w);
		return NULL;
	}
	w->status = yajl_gen_status_ok;
	return w;
}

void json_writer_free(struct json_writer *w)
{
	yajl_gen_free(w->gen);
	free(w);
}

static void keep(struct json_writer *w, yajl_gen_status s)
{
	if (w->status == yajl_gen_status_ok)
		w->status = s;
}

void json_write_object_open(struct json_writer *w)
{
	keep(w, yajl_gen_map_open(w->gen));
}

void json_write_object_close(struct json_writer *w)
{
	keep(w, yajl_gen_map_close(w->gen));
}

void json_write_array_open(struct json_writer *w)
{
	keep(w, yajl_gen_array_open(w->gen));
}

void json_write_array_close(struct json_writer *w)
{
	keep(w, yajl_gen_array_close(w->gen));
}

void json_write_key(struct json_writer *w, const char *key)
{
	json_write_string(w, key);
}

void json_write_string(struct json_writer *w, const char *s)
{
	keep(w, yajl_gen_string(w->gen, (const unsigned char *)s, strlen(s)));
}

void json_write_integer(struct json_writer *w, long long n)
{
	keep(w, yajl_gen_integer(w->gen, n));
}

void json_write_bool(struct json_writer *w, bool b)
{
	keep(w, yajl_gen_bool(w->gen, b));
}

void json_write_null(struct json_writer *w)
{
	keep(w, yajl_gen_null(w->gen));
}

void json_write_value(struct json_writer *w, const struct json *v)
{
	long long n;
	bool b;
	size_t i;

	switch (json_type(v)) {
	case JSON_NULL:
		json_write_null(w);
		break;
	case JSON_BOOL:
		json_boolean(v, &b);
		json_write_bool(w, b);
		break;
	case JSON_NUMBER:
		if (json_integer(v, &n))
			json_write_integer(w, n);
		else
			keep(w, yajl_gen_invalid_number);
		break;
	case JSON_STRING:
		json_write_string(w, json_string(v));
		break;
	case JSON_OBJECT:
		json_write_object_open(w);
		for (i = 0; i < json_length(v); i++) {
			json_write_key(w, json_key_at(v, i));
			json_write_value(w, json_at(v, i));
		}
		json_write_object_close(w);
		break;
	case JSON_ARRAY:
		json_write_array_open(w);
		for (i = 0; i < json_length(v); i++)
			json_write_value(w, json_at(v, i));
		json_write_array_close(w);
		break;
	}
}

int json_writer_finish(struct json_writer *w, const char **text, size_t *len, struct error *err)
{
	const unsigned char *buf;
	size_t n;

	if (w->status != yajl_gen_status_ok)
		return error_set(err, w->status == yajl_gen_invalid_number ? EINVAL : ENOMEM,
				 "writing JSON: generator status %d", (int)w->status);
	if (yajl_gen_get_buf(w->gen, &buf, &n) != yajl_gen_status_ok)
		return error_set(err, EINVAL, "writing JSON: document is not complete");
	*text = (const char *)buf;
	*len = n;
	return 0;
}
