/* test_nsrun_hooksdir.c: oci-hooks(5) 1.0.0 files, matched as podman does,
 * and --hook STAGE:PATH[,ARG...]. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hooks.h"
#include "tap.h"

static char dir[PATH_MAX];

static void put(const char *name, const char *text)
{
	char path[PATH_MAX + 64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
}

static void clear(void)
{
	char cmd[2 * PATH_MAX + 32];

	snprintf(cmd, sizeof(cmd), "rm -f %s/* %s/.[!.]*", dir, dir);
	if (system(cmd) != 0)
		exit(2);
}

/* A hook file running PATH at STAGES when WHEN. */
static void hook_file(const char *name, const char *path, const char *when, const char *stages)
{
	char text[2048];

	snprintf(text, sizeof(text),
		 "{\"version\":\"1.0.0\",\"hook\":{\"path\":\"%s\",\"args\":[\"%s\",\"%s\"]},"
		 "\"when\":%s,\"stages\":%s}",
		 path, path, name, when, stages);
	put(name, text);
}

/* A container with these annotations ("k=v", NULL-terminated) and command. */
static void make(struct container *c, const char *command, const char *const *annotations)
{
	struct error err;
	size_t i;

	if (container_defaults(c, &err) < 0)
		exit(2);
	strv_push(&c->args, command, &err);
	for (i = 0; annotations && annotations[i]; i++) {
		char *kv = strdup(annotations[i]), *eq = strchr(kv, '=');

		*eq = '\0';
		container_set_annotation(c, kv, eq + 1, &err);
		free(kv);
	}
}

/* Loads the directory for that container; the hooks' file names of stage,
 * space-separated, or "ERROR: msg". */
static const char *loaded(const char *command, const char *const *annotations,
			  enum hook_stage stage)
{
	static char out[sizeof(((struct error *)0)->msg) + 16];
	struct container c;
	struct error err = { 0 };
	size_t i;

	make(&c, command, annotations);
	out[0] = '\0';
	if (hooks_dirs_load(&c, (const char *[]){ dir }, 1, &err) < 0) {
		snprintf(out, sizeof(out), "ERROR: %s", err.msg);
	} else {
		for (i = 0; i < c.hooks[stage].n; i++) {
			const struct hook *h = &c.hooks[stage].v[i];

			if (out[0])
				strcat(out, " ");
			strcat(out, h->args.n > 1 ? h->args.v[1] : "?");
		}
	}
	container_release(&c);
	return out;
}

static void test_when(void)
{
	static const char *const macvlan[] = { "oci-macvlan/address=10.0.0.2/24", NULL };
	static const char *const other[] = { "io.kubernetes/x=1", NULL };
	static const char *const prefixed[] = { "x-oci-macvlan/address=1", NULL };
	static const char *const empty_value[] = { "oci-macvlan/=", NULL };

	clear();
	hook_file("macvlan.json", "/bin/true", "{\"annotations\":{\"^oci-macvlan/.+$\":\".*\"}}",
		  "[\"createRuntime\",\"poststop\"]");
	tap_is(loaded("sh", macvlan, HOOK_CREATE_RUNTIME), "macvlan.json",
	       "an annotation matching key and value regexes selects the hook");
	tap_is(loaded("sh", macvlan, HOOK_POSTSTOP), "macvlan.json", "at each of its stages");
	tap_is(loaded("sh", macvlan, HOOK_PRESTART), "", "and only those");
	tap_is(loaded("sh", other, HOOK_CREATE_RUNTIME), "", "other annotations do not match");
	tap_is(loaded("sh", NULL, HOOK_CREATE_RUNTIME), "", "no annotations do not match");
	tap_is(loaded("sh", prefixed, HOOK_CREATE_RUNTIME), "", "^ anchors the key regex");
	tap_is(loaded("sh", empty_value, HOOK_CREATE_RUNTIME), "", "$ after .+ needs a name");

	clear();
	hook_file("v.json", "/bin/true", "{\"annotations\":{\"^a$\":\"^yes$\"}}", "[\"prestart\"]");
	{
		static const char *const yes[] = { "a=yes", NULL };
		static const char *const yess[] = { "a=yess", NULL };
		static const char *const ab[] = { "ab=yes", NULL };

		tap_is(loaded("sh", yes, HOOK_PRESTART), "v.json", "anchored value matches");
		tap_is(loaded("sh", yess, HOOK_PRESTART), "", "anchored value: no extra text");
		tap_is(loaded("sh", ab, HOOK_PRESTART), "", "anchored key: no extra text");
	}
	clear();
	hook_file("u.json", "/bin/true", "{\"annotations\":{\"a\":\"es\"}}", "[\"prestart\"]");
	{
		static const char *const yes[] = { "xax=yes", NULL };

		tap_is(loaded("sh", yes, HOOK_PRESTART), "u.json",
		       "unanchored regexes search, as Go's regexp.MatchString");
	}

	clear();
	hook_file("always.json", "/bin/true", "{\"always\":true}", "[\"poststart\"]");
	hook_file("never.json", "/bin/true", "{\"always\":false}", "[\"poststart\"]");
	tap_is(loaded("sh", NULL, HOOK_POSTSTART), "always.json",
	       "always: true matches, always: false alone does not");

	clear();
	hook_file("cmd.json", "/bin/true", "{\"commands\":[\"^/bin/sleep$\",\"^top$\"]}",
		  "[\"prestart\"]");
	tap_is(loaded("/bin/sleep", NULL, HOOK_PRESTART), "cmd.json",
	       "commands match process.args[0]");
	tap_is(loaded("top", NULL, HOOK_PRESTART), "cmd.json", "any of the commands");
	tap_is(loaded("/bin/sh", NULL, HOOK_PRESTART), "", "other commands do not match");

	clear();
	hook_file("either.json", "/bin/true",
		  "{\"commands\":[\"^nomatch$\"],\"annotations\":{\"^a$\":\".\"}}",
		  "[\"prestart\"]");
	{
		static const char *const a[] = { "a=1", NULL };

		tap_is(loaded("sh", a, HOOK_PRESTART), "either.json",
		       "conditions are alternatives, as in podman");
	}
}

static void test_order_and_files(void)
{
	clear();
	hook_file("20-b.json", "/bin/true", "{\"always\":true}", "[\"prestart\"]");
	hook_file("10-a.json", "/bin/true", "{\"always\":true}", "[\"prestart\"]");
	hook_file("30-c.json", "/bin/true", "{\"always\":true}", "[\"prestart\"]");
	put("40-d.txt", "not json, not a hook file");
	put(".50-e.json", "hidden: ignored");
	tap_is(loaded("sh", NULL, HOOK_PRESTART), "10-a.json 20-b.json 30-c.json",
	       "files run in file name order; only *.json, not hidden ones");

	clear();
	hook_file("a.json", "/bin/true", "{\"always\":true}", "[\"createContainer\"]");
	tap_ok(strstr(loaded("sh", NULL, HOOK_PRESTART),
		      "stage \"createContainer\" is not supported by nsrun") != NULL,
	       "a matching hook for createContainer is refused by name");
	clear();
	hook_file("a.json", "/bin/true", "{\"always\":false}", "[\"createContainer\"]");
	tap_is(loaded("sh", NULL, HOOK_PRESTART), "",
	       "a hook for createContainer that does not match is left alone");

	static const struct {
		const char *text, *error;
	} bad[] = {
		{ "{\"version\":\"2.0.0\",\"hook\":{\"path\":\"/bin/"
		  "true\"},\"when\":{\"always\":true},"
		  "\"stages\":[\"prestart\"]}",
		  "\"version\" must be \"1.0.0\"" },
		{ "{\"version\":\"1.0.0\",\"hook\":{\"path\":\"/bin/true\"},\"when\":{},"
		  "\"stages\":[\"prestart\"]}",
		  "\"when\" has no condition" },
		{ "{\"version\":\"1.0.0\",\"hook\":{\"path\":\"/bin/true\"},"
		  "\"stages\":[\"prestart\"]}",
		  "\"when\" must be an object" },
		{ "{\"version\":\"1.0.0\",\"hook\":{\"path\":\"/bin/"
		  "true\"},\"when\":{\"always\":true},"
		  "\"stages\":[]}",
		  "\"stages\" must be a non-empty array" },
		{ "{\"version\":\"1.0.0\",\"hook\":{\"path\":\"/bin/"
		  "true\"},\"when\":{\"always\":true},"
		  "\"stages\":[\"later\"]}",
		  "\"later\" is not an OCI hook stage" },
		{ "{\"version\":\"1.0.0\",\"when\":{\"always\":true},\"stages\":[\"prestart\"]}",
		  "\"hook\" is missing" },
		{ "{\"version\":\"1.0.0\",\"hook\":{\"path\":\"/nonexistent/hook\"},"
		  "\"when\":{\"always\":true},\"stages\":[\"prestart\"]}",
		  "hook /nonexistent/hook: No such file or directory" },
		{ "{\"version\":\"1.0.0\",\"hook\":{\"path\":\"/bin/true\"},"
		  "\"when\":{\"annotations\":{\"(\":\".\"}},\"stages\":[\"prestart\"]}",
		  "regular expression \"(\"" },
		{ "{\"version\":\"1.0.0\",\"hook\":{\"path\":\"/bin/true\"},"
		  "\"when\":{\"annotations\":[\"x\"]},\"stages\":[\"prestart\"]}",
		  "\"when.annotations\" must be an object" },
		{ "{\"version\":\"1.0.0\",\"hook\":{\"path\":\"/bin/true\",\"timeout\":0},"
		  "\"when\":{\"always\":true},\"stages\":[\"prestart\"]}",
		  "\"timeout\" must be a positive integer" },
		{ "{", "not valid JSON" },
	};
	static const char *const a[] = { "x=1", NULL };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *got;

		clear();
		put("bad.json", bad[i].text);
		got = loaded("sh", a, HOOK_PRESTART);
		if (!tap_ok(strncmp(got, "ERROR: hook file ", 17) == 0 && strstr(got, "bad.json") &&
				    strstr(got, bad[i].error),
			    "refused, naming the file: %s", bad[i].error))
			printf("#   got: %s\n", got);
	}
	clear();
	{
		struct container c;
		struct error err;

		make(&c, "sh", NULL);
		tap_ok(hooks_dirs_load(&c, (const char *[]){ "/nonexistent/hooks.d" }, 1, &err) <
				       0 &&
			       strstr(err.msg, "--hooks-dir /nonexistent/hooks.d"),
		       "a missing directory is an error");
		container_release(&c);
	}
}

static void test_hook_option(void)
{
	struct error err;
	enum hook_stage stage;
	struct hook h;

	tap_ok(hook_parse_option("poststop:/usr/bin/log,log,--stop", &stage, &h, &err) == 0 &&
		       stage == HOOK_POSTSTOP,
	       "--hook STAGE:PATH,ARG... parses");
	tap_is(h.path, "/usr/bin/log", "its path");
	tap_ok(h.args.n == 3 && strcmp(h.args.v[0], "/usr/bin/log") == 0 &&
		       strcmp(h.args.v[1], "log") == 0 && strcmp(h.args.v[2], "--stop") == 0,
	       "argv is the path, then the ARGs");
	hook_release(&h);
	tap_ok(hook_parse_option("createRuntime:/x", &stage, &h, &err) == 0 &&
		       stage == HOOK_CREATE_RUNTIME && h.args.n == 1,
	       "createRuntime, no ARGs");
	hook_release(&h);
	tap_ok(hook_parse_option("createContainer:/x", &stage, &h, &err) < 0 &&
		       strstr(err.msg, "stage \"createContainer\" is not prestart, createRuntime"),
	       "an unsupported stage is refused");
	tap_ok(hook_parse_option("prestart:x", &stage, &h, &err) < 0 &&
		       strstr(err.msg, "is not STAGE:/PATH"),
	       "a relative path is refused");
	tap_ok(hook_parse_option("/x", &stage, &h, &err) < 0, "no stage is refused");
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/test_nsrun_hooksdir.XXXXXX");
	if (!mkdtemp(dir))
		return 2;
	test_when();
	test_order_and_files();
	test_hook_option();
	clear();
	rmdir(dir);
	return tap_done();
}
