/* Unit tests for lib/state.c: the OCI state JSON the hooks receive. */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "state.h"
#include "tap.h"

/* The error message of parsing text, or "OK". */
static const char *parse_error(const char *text)
{
	static struct error err;
	struct oci_state st;
	int r = oci_state_parse(text, &st, &err);

	oci_state_release(&st);
	return r < 0 ? err.msg : "OK";
}

static void test_accepted(void)
{
	struct oci_state st;
	struct error err;
	int r = oci_state_parse("{\"ociVersion\":\"1.0.2\",\"id\":\"c1\",\"status\":\"creating\","
				"\"pid\":4242,\"bundle\":\"/b\",\"annotations\":{\"a\":\"1\","
				"\"oci-macvlan/mode\":\"private\"}}",
				&st, &err);

	tap_ok(r == 0, "a full state parses");
	tap_is(st.id, "c1", "id");
	tap_is(st.status, "creating", "status");
	tap_is(st.bundle, "/b", "bundle");
	tap_ok(st.pid == 4242, "pid");
	tap_ok(st.n_annotations == 2, "two annotations");
	tap_is(oci_state_annotation(&st, "oci-macvlan/mode"), "private", "annotation lookup");
	tap_is(oci_state_annotation(&st, "missing"), NULL, "missing annotation is NULL");
	oci_state_release(&st);

	r = oci_state_parse("{\"id\":\"c2\"}", &st, &err);
	tap_ok(r == 0 && st.pid == 0 && !st.status && st.n_annotations == 0,
	       "only id: pid 0, no status, no annotations");
	oci_state_release(&st);
}

static void test_refused(void)
{
	tap_is(parse_error("not json"),
	       "state: not valid JSON: lexical error: invalid string in json text.", "not JSON");
	tap_is(parse_error("[1,2]"), "state: must be a JSON object, not array", "an array");
	tap_is(parse_error("{\"pid\":1}"), "state: \"id\" is missing", "id missing");
	tap_is(parse_error("{\"id\":\"\",\"pid\":1}"), "state: \"id\" is missing", "id empty");
	tap_is(parse_error("{\"id\":7,\"pid\":1}"), "state: \"id\" must be a string, not number",
	       "id wrong type");
	tap_is(parse_error("{\"id\":\"c\",\"pid\":\"12\"}"),
	       "state: \"pid\" must be an integer, not string", "pid wrong type");
	tap_is(parse_error("{\"id\":\"c\",\"pid\":1.5}"),
	       "state: \"pid\" must be an integer, not number", "pid not integral");
	tap_is(parse_error("{\"id\":\"c\",\"pid\":-3}"), "state: \"pid\" -3 is out of range",
	       "pid negative");
	tap_is(parse_error("{\"id\":\"c\",\"pid\":99999999999}"),
	       "state: \"pid\" 99999999999 is out of range", "pid too large");
	tap_is(parse_error("{\"id\":\"c\",\"annotations\":[]}"),
	       "state: \"annotations\" must be an object, not array", "annotations not object");
	tap_is(parse_error("{\"id\":\"c\",\"annotations\":{\"k\":1}}"),
	       "state: annotation \"k\" must be a string, not number", "annotation not string");
	tap_is(parse_error("{\"id\":\"c\"} trailing"),
	       "state: not valid JSON: parse error: trailing garbage", "trailing garbage");
}

/* Writes text to a pipe and reads it back as a state. */
static const char *read_error(const char *text, size_t repeat, size_t max)
{
	static struct error err;
	struct oci_state st;
	int fds[2], r;
	size_t i;

	if (pipe(fds) < 0)
		return "pipe failed";
	if (fork() == 0) {
		close(fds[0]);
		for (i = 0; i < repeat; i++)
			if (write(fds[1], text, strlen(text)) < 0)
				break;
		_exit(0);
	}
	close(fds[1]);
	r = oci_state_read(fds[0], max, &st, &err);
	close(fds[0]);
	oci_state_release(&st);
	return r < 0 ? err.msg : "OK";
}

static void test_read(void)
{
	tap_is(read_error("{\"id\":\"c\",\"pid\":1}", 1, 1024), "OK", "state read from a pipe");
	tap_is(read_error("          ", 2000, 1024 * 1024),
	       "state: the input is empty; the runtime passes the container's state on stdin",
	       "whitespace only");
	tap_is(read_error("", 0, 1024),
	       "state: the input is empty; the runtime passes the container's state on stdin",
	       "empty input");
	tap_is(read_error("                ", 70000, 1024 * 1024),
	       "state: input is larger than 1048576 bytes", "over the size bound");
}

static void test_bundle(void)
{
	char dir[] = "/tmp/omv-test-XXXXXX", path[64], text[256];
	struct oci_state st;
	struct error err;
	int fd;

	if (!mkdtemp(dir)) {
		tap_ok(0, "mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/config.json", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dprintf(fd, "{\"annotations\":{\"oci-macvlan/address\":\"10.0.0.2/24\"}}");
	close(fd);
	snprintf(text, sizeof(text), "{\"id\":\"c\",\"pid\":1,\"bundle\":\"%s\"}", dir);
	tap_ok(oci_state_parse(text, &st, &err) == 0 &&
		       oci_state_bundle_annotations(&st, 4096, &err) == 0,
	       "bundle fallback reads config.json");
	tap_is(oci_state_annotation(&st, "oci-macvlan/address"), "10.0.0.2/24",
	       "annotation from config.json");
	oci_state_release(&st);

	snprintf(text, sizeof(text),
		 "{\"id\":\"c\",\"bundle\":\"%s\",\"annotations\":{\"x\":\"y\"}}", dir);
	oci_state_parse(text, &st, &err);
	oci_state_bundle_annotations(&st, 4096, &err);
	tap_is(oci_state_annotation(&st, "oci-macvlan/address"), NULL,
	       "state annotations win over config.json");
	oci_state_release(&st);

	unlink(path);
	snprintf(text, sizeof(text), "{\"id\":\"c\",\"bundle\":\"%s\"}", dir);
	oci_state_parse(text, &st, &err);
	tap_ok(oci_state_bundle_annotations(&st, 4096, &err) == 0 && st.n_annotations == 0,
	       "a bundle without config.json has no annotations");
	oci_state_release(&st);
	rmdir(dir);
}

int main(void)
{
	test_accepted();
	test_refused();
	test_read();
	test_bundle();
	return tap_done();
}
