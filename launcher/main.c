/* main.c: nsrun's command line: run's options, the other commands, and the
 * one error line. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bundle.h"
#include "caps.h"
#include "cleanup.h"
#include "config.h"
#include "exec.h"
#include "hooks.h"
#include "init.h"
#include "io.h"
#include "log.h"
#include "manage.h"
#include "run.h"
#include "selfexe.h"

#define PROG "nsrun"
#define EXIT_USAGE 125
#define SECCOMP_FILE_MAX (4 * 1024 * 1024)

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: " PROG " run [OPTIONS] ROOTFS [--] [CMD [ARG...]]\n"
		"       " PROG " run [OPTIONS] --bundle DIR [ID]\n"
		"       " PROG " ps | state ID | exec [OPTIONS] ID CMD... | kill ID [SIGNAL]"
		" | delete [-f] ID\n"
		"\n"
		"A minimal container launcher: new mount, PID, UTS, IPC, network and cgroup\n"
		"namespaces, pivot_root, Docker's default capabilities and seccomp deny-list,\n"
		"no_new_privs, and OCI hooks run as runc runs them.\n"
		"\n"
		"run options:\n"
		"  -b, --bundle DIR            run the OCI bundle DIR (its config.json)\n"
		"      --name ID               the container's id (default: random)\n"
		"      --hostname NAME         (default: the id)\n"
		"  -e, --env KEY[=VALUE]       set a variable (KEY alone: from nsrun's env)\n"
		"  -w, --workdir DIR           working directory (default /)\n"
		"  -v, --volume SRC:DST[:ro]   bind mount SRC at DST\n"
		"      --read-only             mount the rootfs read-only\n"
		"      --annotation KEY=VALUE  OCI annotation, seen by hooks\n"
		"      --hook STAGE:PATH[,ARG...]  run PATH at prestart, createRuntime,\n"
		"                              poststart or poststop\n"
		"      --hooks-dir DIR         oci-hooks(5) files matched on annotations\n"
		"      --net none|host|ns:PATH network namespace (default none: its own)\n"
		"  -u, --user UID[:GID]        run as UID (default 0:0)\n"
		"      --cap-add CAP, --cap-drop CAP   change the capability set (or ALL)\n"
		"      --seccomp default|unconfined|FILE   FILE: OCI linux.seccomp JSON\n"
		"      --init, --no-init       nsrun's PID 1 reaps and forwards (default on)\n"
		"      --rm                    delete the container when it exits\n"
		"  -d, --detach                run in the background; print the id\n"
		"      --debug                 log each step and its timing (also NSRUN_DEBUG=1)\n"
		"\n"
		"Exit status: the command's (128+N for signal N); 125 nsrun or a hook failed,\n"
		"126 the command is not executable, 127 it was not found.\n");
}

/* Options that only make sense for a ROOTFS, not with a bundle. */
enum { OPT_ROOTFS_ONLY = 0x100 };

enum {
	OPT_NAME = 1000,
	OPT_HOSTNAME,
	OPT_READ_ONLY,
	OPT_ANNOTATION,
	OPT_HOOK,
	OPT_HOOKS_DIR,
	OPT_NET,
	OPT_CAP_ADD,
	OPT_CAP_DROP,
	OPT_SECCOMP,
	OPT_INIT,
	OPT_NO_INIT,
	OPT_RM,
	OPT_DEBUG,
};

struct run_options {
	const char *bundle;
	const char *name;
	bool init_set, init;
};

static int set_net(struct container *c, const char *mode, struct error *err)
{
	struct namespace *ns = &c->ns[NS_NET];

	free(ns->path);
	ns->path = NULL;
	ns->enabled = true;
	if (strcmp(mode, "none") == 0)
		return 0;
	if (strcmp(mode, "host") == 0) {
		ns->enabled = false;
		return 0;
	}
	if (strncmp(mode, "ns:", 3) == 0 && mode[3] == '/') {
		ns->path = strdup(mode + 3);
		return ns->path ? 0 : error_sys(err, ENOMEM, "--net");
	}
	return error_set(err, EINVAL, "--net \"%s\" is not none, host or ns:/PATH", mode);
}

static int set_seccomp(struct container *c, const char *value, struct error *err)
{
	size_t len;

	free(c->seccomp_profile);
	c->seccomp_profile = NULL;
	if (strcmp(value, "default") == 0) {
		c->seccomp = SECCOMP_DEFAULT;
		return 0;
	}
	if (strcmp(value, "unconfined") == 0) {
		c->seccomp = SECCOMP_UNCONFINED;
		return 0;
	}
	c->seccomp = SECCOMP_PROFILE;
	if (read_all_file(value, SECCOMP_FILE_MAX, &c->seccomp_profile, &len, err) < 0)
		return error_prefix(err, "--seccomp");
	return 0;
}

static int add_env(struct container *c, const char *kv, struct error *err)
{
	const char *value;
	_cleanup_free_ char *joined = NULL;

	if (strchr(kv, '='))
		return container_setenv(c, kv, err);
	value = getenv(kv);
	if (!value)
		return 0; /* as Docker: an unset KEY is left out */
	if (asprintf(&joined, "%s=%s", kv, value) < 0)
		return error_sys(err, ENOMEM, "-e");
	return container_setenv(c, joined, err);
}

static int change_caps(struct container *c, const char *name, bool add, struct error *err)
{
	uint64_t mask;

	if (caps_parse(name, &mask, err) < 0)
		return error_prefix(err, add ? "--cap-add" : "--cap-drop");
	if (add) {
		c->caps.bounding |= mask;
		c->caps.effective |= mask;
		c->caps.permitted |= mask;
	} else {
		c->caps.bounding &= ~mask;
		c->caps.effective &= ~mask;
		c->caps.permitted &= ~mask;
	}
	return 0;
}

static int add_annotation(struct container *c, const char *kv, struct error *err)
{
	_cleanup_free_ char *key = strdup(kv);
	char *eq = key ? strchr(key, '=') : NULL;

	if (!key)
		return error_sys(err, ENOMEM, "--annotation");
	if (!eq || eq == key)
		return error_set(err, EINVAL, "--annotation \"%s\" is not KEY=VALUE", kv);
	*eq = '\0';
	return container_set_annotation(c, key, eq + 1, err);
}

static int add_hook(struct container *c, const char *text, struct error *err)
{
	enum hook_stage stage;
	struct hook h;

	if (hook_parse_option(text, &stage, &h, err) < 0)
		return -1;
	if (container_add_hook(c, stage, &h, err) < 0) {
		hook_release(&h);
		return -1;
	}
	return 0;
}

static const struct option run_long_options[] = {
	{ "bundle", required_argument, NULL, 'b' },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "hostname", required_argument, NULL, OPT_HOSTNAME },
	{ "env", required_argument, NULL, 'e' },
	{ "workdir", required_argument, NULL, 'w' },
	{ "volume", required_argument, NULL, 'v' },
	{ "read-only", no_argument, NULL, OPT_READ_ONLY },
	{ "annotation", required_argument, NULL, OPT_ANNOTATION },
	{ "hook", required_argument, NULL, OPT_HOOK },
	{ "hooks-dir", required_argument, NULL, OPT_HOOKS_DIR },
	{ "net", required_argument, NULL, OPT_NET },
	{ "user", required_argument, NULL, 'u' },
	{ "cap-add", required_argument, NULL, OPT_CAP_ADD },
	{ "cap-drop", required_argument, NULL, OPT_CAP_DROP },
	{ "seccomp", required_argument, NULL, OPT_SECCOMP },
	{ "init", no_argument, NULL, OPT_INIT },
	{ "no-init", no_argument, NULL, OPT_NO_INIT },
	{ "rm", no_argument, NULL, OPT_RM },
	{ "detach", no_argument, NULL, 'd' },
	{ "debug", no_argument, NULL, OPT_DEBUG },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const char *option_name(int c)
{
	const struct option *o;

	for (o = run_long_options; o->name; o++)
		if (o->val == c)
			return o->name;
	return "?";
}

/* Applies one option to c. Options about the container's content, not
 * about how it is run, are refused with --bundle: config.json says those. */
static int apply_run_option(struct container *c, struct run_options *o, int opt, const char *arg,
			    struct error *err)
{
	switch (opt) {
	case OPT_ANNOTATION:
		return add_annotation(c, arg, err);
	case OPT_HOOK:
		return add_hook(c, arg, err);
	case OPT_HOOKS_DIR:
		return 0; /* after everything else: matching needs the annotations */
	case OPT_RM:
		c->remove = true;
		return 0;
	case 'd':
		c->detach = true;
		return 0;
	case OPT_INIT:
	case OPT_NO_INIT:
		o->init_set = true;
		o->init = opt == OPT_INIT;
		return 0;
	}
	if (o->bundle)
		return error_set(err, EINVAL,
				 "--%s cannot be used with --bundle: set it in config.json",
				 option_name(opt));
	switch (opt) {
	case OPT_HOSTNAME:
		free(c->hostname);
		c->hostname = strdup(arg);
		return c->hostname ? 0 : error_sys(err, ENOMEM, "--hostname");
	case 'e':
		return add_env(c, arg, err);
	case 'w':
		if (arg[0] != '/')
			return error_set(err, EINVAL, "-w \"%s\" is not an absolute path", arg);
		free(c->cwd);
		c->cwd = strdup(arg);
		return c->cwd ? 0 : error_sys(err, ENOMEM, "-w");
	case 'v':
		return parse_volume(c, arg, err);
	case OPT_READ_ONLY:
		c->readonly_root = true;
		return 0;
	case OPT_NET:
		return set_net(c, arg, err);
	case 'u':
		return parse_user(arg, &c->uid, &c->gid, err);
	case OPT_CAP_ADD:
	case OPT_CAP_DROP:
		return change_caps(c, arg, opt == OPT_CAP_ADD, err);
	case OPT_SECCOMP:
		return set_seccomp(c, arg, err);
	}
	return error_set(err, EINVAL, "unknown option");
}

struct parsed_option {
	int opt;
	const char *arg;
};

/* The options of run, in order; -b, --name and --debug are taken at once. */
static int parse_run_options(int argc, char **argv, struct run_options *o,
			     struct parsed_option *opts, size_t *n_opts, bool *debug,
			     struct error *err)
{
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "+b:e:w:v:u:dh", run_long_options, NULL)) != -1) {
		switch (opt) {
		case 'h':
			usage(stdout);
			exit(0);
		case 'b':
			o->bundle = optarg;
			break;
		case OPT_NAME:
			o->name = optarg;
			break;
		case OPT_DEBUG:
			*debug = true;
			break;
		case '?':
			return error_set(err, EINVAL, "run: bad option (see nsrun --help)");
		default:
			opts[*n_opts].opt = opt;
			opts[(*n_opts)++].arg = optarg;
		}
	}
	return 0;
}

static int set_id(struct container *c, const char *id, struct error *err)
{
	if (id && !(c->id = strdup(id)))
		return error_sys(err, ENOMEM, "id");
	return 0;
}

/* run --bundle DIR [ID]: config.json says what runs. */
static int load_bundle(struct container *c, struct run_options *o, int argc, char **argv,
		       struct error *err)
{
	const char *id = optind < argc ? argv[optind++] : o->name;

	if (optind < argc)
		return error_set(err, EINVAL, "run --bundle takes one ID, not \"%s\"",
				 argv[optind]);
	if (bundle_load(o->bundle, c, err) < 0)
		return -1;
	o->init = c->init;
	return set_id(c, id, err);
}

/* run ROOTFS [--] [CMD...]: nsrun's defaults, CMD defaulting to sh. */
static int load_rootfs(struct container *c, struct run_options *o, int argc, char **argv,
		       struct error *err)
{
	if (optind >= argc)
		return error_set(err, EINVAL, "run: ROOTFS is missing (see nsrun --help)");
	c->rootfs = realpath(argv[optind], NULL);
	if (!c->rootfs)
		return error_sys(err, errno, "rootfs \"%s\"", argv[optind]);
	optind++;
	if (optind < argc && strcmp(argv[optind], "--") == 0)
		optind++;
	for (; optind < argc; optind++)
		if (strv_push(&c->args, argv[optind], err) < 0)
			return -1;
	if (c->args.n == 0 && strv_push(&c->args, "sh", err) < 0)
		return -1;
	return set_id(c, o->name, err);
}

/* Applies the options, cap drops first so that --cap-drop ALL --cap-add X
 * keeps X, and --hooks-dir last: matching needs the annotations. */
static int apply_run_options(struct container *c, struct run_options *o,
			     const struct parsed_option *opts, size_t n_opts, struct error *err)
{
	_cleanup_free_ const char **dirs = calloc(n_opts + 1, sizeof(*dirs));
	size_t i, n_dirs = 0;
	int pass;

	if (!dirs)
		return error_sys(err, ENOMEM, "--hooks-dir");
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < n_opts; i++)
			if ((opts[i].opt == OPT_CAP_DROP) == (pass == 0) &&
			    apply_run_option(c, o, opts[i].opt, opts[i].arg, err) < 0)
				return -1;
	if (o->init_set)
		c->init = o->init;
	for (i = 0; i < n_opts; i++)
		if (opts[i].opt == OPT_HOOKS_DIR)
			dirs[n_dirs++] = opts[i].arg;
	return hooks_dirs_load(c, dirs, n_dirs, err);
}

/* The id (random when none was given), and for a ROOTFS its hostname and
 * its "bundle", the state directory. */
static int name_container(struct container *c, bool from_bundle, struct error *err)
{
	if (!c->id && container_random_id(&c->id, err) < 0)
		return -1;
	if (container_check_id(c->id, err) < 0)
		return -1;
	if (from_bundle)
		return 0;
	if (!c->hostname && !(c->hostname = strdup(c->id)))
		return error_sys(err, ENOMEM, "hostname");
	if (asprintf(&c->bundle, NSRUN_STATE_DIR "/%s", c->id) < 0) {
		c->bundle = NULL;
		return error_sys(err, ENOMEM, "bundle");
	}
	return 0;
}

/* `nsrun run`: parses, builds the container, runs it. Returns the exit
 * status, or minus it with err set. */
static int cmd_run(int argc, char **argv, struct error *err)
{
	_cleanup_free_ struct parsed_option *opts = calloc(argc, sizeof(*opts));
	struct run_options o = { 0 };
	struct container c;
	size_t n_opts = 0;
	bool debug = log_debugging();
	int status = EXIT_USAGE, r = -1;

	if (!opts)
		return error_sys(err, ENOMEM, "options");
	if (parse_run_options(argc, argv, &o, opts, &n_opts, &debug, err) < 0)
		return -EXIT_USAGE;
	log_init(PROG, debug);
	if (container_defaults(&c, err) < 0)
		goto out;
	if ((o.bundle ? load_bundle(&c, &o, argc, argv, err)
		      : load_rootfs(&c, &o, argc, argv, err)) < 0 ||
	    apply_run_options(&c, &o, opts, n_opts, err) < 0 ||
	    name_container(&c, o.bundle != NULL, err) < 0)
		goto out;
	if (selfexe_protect(c.caps.bounding, err) < 0)
		goto out;
	r = c.detach ? container_run_detached(&c, &status, err)
		     : container_run(&c, -1, &status, err);
	if (r < 0)
		error_prefix(err, "%s", c.id);
out:
	container_release(&c);
	return r < 0 ? -status : status;
}

int main(int argc, char **argv)
{
	const char *env = getenv("NSRUN_DEBUG");
	struct error err = { 0 };
	int status;

	log_init(PROG, env && strcmp(env, "1") == 0);
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf(PROG " %s\n", PACKAGE_VERSION);
		return 0;
	}
	signals_block();
	if (selfexe_init(argv, &err) < 0) {
		log_error("%s", err.msg);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "run") == 0)
		status = cmd_run(argc - 1, argv + 1, &err);
	else
		status = manage_command(argc - 1, argv + 1, &err);
	if (status < 0 || err.msg[0]) {
		if (err.msg[0])
			log_error("%s", err.msg);
		return status < 0 ? -status : (status ? status : EXIT_USAGE);
	}
	return status;
}
