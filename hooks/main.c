/* main.c: oci-macvlan-hook's command line: read the state, pick the stage,
 * attach or release, and print the one error line. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "annotations.h"
#include "attach.h"
#include "cleanup.h"
#include "config.h"
#include "ipam.h"
#include "log.h"
#include "netns.h"
#include "parents.h"
#include "shim.h"
#include "state.h"

#define PROG "oci-macvlan-hook"

enum stage { STAGE_ATTACH, STAGE_RELEASE, STAGE_UNSUPPORTED };

static void usage(FILE *out)
{
	fprintf(out, "Usage: " PROG " [--debug] [STAGE] < state.json\n"
		     "       " PROG " [--debug] gc\n"
		     "       " PROG " [--debug] shim up|down NETWORK\n"
		     "\n"
		     "An OCI runtime hook: reads the container's state on stdin and attaches the\n"
		     "macvlan interfaces its oci-macvlan/ annotations ask for.\n"
		     "\n"
		     "STAGE is prestart or createRuntime (attach) or poststop (release the\n"
		     "container's address leases, VLAN links and promiscuous parents);\n"
		     "without it the state's status decides (creating/created: attach,\n"
		     "stopped: release).\n"
		     "\n"
		     "gc releases the leases and the shared VLAN links and promiscuous\n"
		     "parents of containers whose process is gone.\n"
		     "\n"
		     "shim up and shim down create and delete the host shim of a network\n"
		     "with host_shim by hand (the hook does it as the network's leases come\n"
		     "and go).\n"
		     "\n"
		     "  -d, --debug    log each step and its timing (also OCI_MACVLAN_DEBUG=1)\n"
		     "  -h, --help     show this help\n"
		     "  -V, --version  show the version\n");
}

static enum stage stage_from(const char *name, const char *status)
{
	static const struct {
		const char *name;
		enum stage stage;
	} names[] = {
		{ "prestart", STAGE_ATTACH },  { "createRuntime", STAGE_ATTACH },
		{ "poststop", STAGE_RELEASE }, { "creating", STAGE_ATTACH },
		{ "created", STAGE_ATTACH },   { "stopped", STAGE_RELEASE },
	};
	const char *key = name ? name : status ? status : "";
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i].name, key) == 0 && (name != NULL) == (i < 3))
			return names[i].stage;
	return STAGE_UNSUPPORTED;
}

/* Named networks' settings and addresses, then the interfaces, then the
 * networks' host shims (after the leases are committed: ipam.c
 * commit_settled() says why that order is safe); the leases an attach took
 * are given back when any of it fails. */
static int attach(struct hook_request *req, const struct oci_state *st, struct error *err)
{
	_cleanup_close_ int host_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	struct ipam ipam = { .n = 0 };
	struct error ignored;
	int r = host_ns < 0 ? error_sys(err, errno, "/proc/self/ns/net")
			    : ipam_assign(req, st->id, st->pid, &ipam, err);

	log_step("networks");
	if (r == 0)
		r = attach_interfaces(req, st->id, st->pid, err);
	/* attach_interfaces() leaves the hook in the container's namespace; the
	 * shims, and their removal by ipam_undo(), are the host's. */
	if (host_ns >= 0 && netns_enter(host_ns, r < 0 ? &ignored : err) < 0)
		r = -1;
	if (r == 0 && shim_up_for(req, err) == 0)
		return 0;
	ipam_undo(&ipam);
	return -1;
}

/* poststop: what the hook holds for the container: its leases, its
 * references to shared VLAN links and promiscuous parents. The macvlans go
 * with the container's network namespace. */
static int release(const struct oci_state *st, struct error *err)
{
	if (ipam_release(st->id, err) < 0)
		return -1;
	return parents_release(st->id, err);
}

/* gc: what containers whose process is gone still hold. */
static int gc(struct error *err)
{
	if (ipam_gc(stdout, err) < 0)
		return -1;
	return parents_gc(stdout, err);
}

/* "shim up|down NETWORK". */
static bool shim_usage(int argc, char **argv)
{
	return argc == 3 && (strcmp(argv[1], "up") == 0 || strcmp(argv[1], "down") == 0);
}

/* shim up|down NETWORK by hand. */
static int shim(const char *action, const char *network, struct error *err)
{
	struct network net;

	if (network_name_check(network, err) < 0)
		return -1;
	if (strcmp(action, "down") == 0)
		return shim_down(network, err);
	if (network_load(network, &net, err) < 0)
		return -1;
	return shim_up(&net, err);
}

/* Returns the exit status. */
static int run(const char *stage_name, struct error *err)
{
	struct oci_state st;
	struct hook_request req;
	enum stage stage;
	int r = -1;

	if (oci_state_read(STDIN_FILENO, STATE_MAX_BYTES, &st, err) < 0)
		goto out;
	log_step("read state");
	if (oci_state_bundle_annotations(&st, STATE_MAX_BYTES, err) < 0 ||
	    annotations_parse(&st, &req, err) < 0)
		goto out;
	log_step("parse annotations");
	if (req.n == 0) {
		log_debug("%s: no " ANNOTATION_PREFIX " annotation; nothing to do", st.id);
		r = 0;
		goto out;
	}
	stage = stage_from(stage_name, st.status);
	if (stage == STAGE_UNSUPPORTED)
		r = error_set(
			err, EINVAL,
			"stage \"%s\": the hook runs at prestart or createRuntime (attach) and "
			"poststop (release)",
			stage_name  ? stage_name
			: st.status ? st.status
				    : "");
	else if (stage == STAGE_ATTACH)
		r = attach(&req, &st, err);
	else
		r = release(&st, err);
out:
	if (r < 0 && st.id)
		error_prefix(err, "%s", st.id);
	oci_state_release(&st);
	return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "debug", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *env = getenv("OCI_MACVLAN_DEBUG");
	bool debug = env && strcmp(env, "1") == 0, shim_command;
	struct error err = { 0 };
	int c, status;

	while ((c = getopt_long(argc, argv, "+dhV", options, NULL)) != -1) {
		switch (c) {
		case 'd':
			debug = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_SUCCESS;
		case 'V':
			printf(PROG " %s\n", PACKAGE_VERSION);
			return EXIT_SUCCESS;
		default:
			usage(stderr);
			return 2;
		}
	}
	shim_command = optind < argc && strcmp(argv[optind], "shim") == 0;
	if (shim_command ? !shim_usage(argc - optind, argv + optind) : argc - optind > 1) {
		usage(stderr);
		return 2;
	}
	log_init(PROG, debug);
	if (shim_command)
		status = shim(argv[optind + 1], argv[optind + 2], &err) < 0 ? EXIT_FAILURE
									    : EXIT_SUCCESS;
	else if (optind < argc && strcmp(argv[optind], "gc") == 0)
		status = gc(&err) < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
	else
		status = run(optind < argc ? argv[optind] : NULL, &err);
	if (status != EXIT_SUCCESS)
		log_error("%s", err.msg);
	log_step("done");
	return status;
}
