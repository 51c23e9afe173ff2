/* Unit tests for refs.c: the reference records of shared resources
 * (VLAN links, promiscuous parents) in a temporary state directory. */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "io.h"
#include "refs.h"
#include "tap.h"

static char state[] = "/tmp/test_refs.XXXXXX";

/* What a claim does: made or not, or fails. */
static bool claim_makes;
static bool claim_fails;
static int claims;

static int claim(const char *name, void *ctx, bool *made, struct error *err)
{
	(void)ctx;
	claims++;
	if (claim_fails)
		return error_set(err, EOPNOTSUPP, "cannot make %s", name);
	*made = claim_makes;
	return 0;
}

static char freed[256];

static void free_resource(const char *name, void *ctx)
{
	(void)ctx;
	snprintf(freed + strlen(freed), sizeof(freed) - strlen(freed), "%s;", name);
}

static struct refs_user user(const char *id, int pid, unsigned long long start)
{
	struct refs_user u = { .pid = pid, .start = start };

	snprintf(u.id, sizeof(u.id), "%s", id);
	return u;
}

static int acquire(const char *kind, const char *name, const char *id, bool makes, bool *added)
{
	struct refs_user u = user(id, 10, 20);
	struct error err;

	claim_makes = makes;
	freed[0] = 0;
	return refs_acquire(kind, name, &u, claim, free_resource, NULL, added, &err);
}

static int release(const char *kind, const char *name, const char *id)
{
	struct error err;

	freed[0] = 0;
	return refs_release(kind, name, id, free_resource, NULL, &err);
}

/* The record's text, or "(none)". */
static const char *record(const char *kind, const char *name)
{
	static char *text;
	struct error err;
	char path[512];
	size_t len;

	free(text);
	text = NULL;
	snprintf(path, sizeof(path), "%s/refs/%s/%s", state, kind, name);
	return read_all_file(path, 4096, &text, &len, &err) < 0 ? "(none)" : text;
}

/* A VLAN link the hook creates for its first container: counted, kept for
 * the second, deleted with the last. */
static void test_vlan_created(void)
{
	bool added;

	tap_ok(acquire("vlan", "lan0.7", "a", true, &added) == 0 && added, "first user added");
	tap_is(record("vlan", "lan0.7"), "owned 1\na 10 20\n", "the hook owns the link it made");
	tap_ok(acquire("vlan", "lan0.7", "b", false, &added) == 0 && added, "second user added");
	tap_is(record("vlan", "lan0.7"), "owned 1\na 10 20\nb 10 20\n",
	       "still owned: the second found the link the first made");
	tap_ok(acquire("vlan", "lan0.7", "b", false, &added) == 0 && !added,
	       "the same id again is not counted twice");
	tap_is(record("vlan", "lan0.7"), "owned 1\na 10 20\nb 10 20\n", "two users");
	tap_ok(release("vlan", "lan0.7", "a") == 0 && !freed[0], "kept while b uses it");
	tap_ok(release("vlan", "lan0.7", "a") == 0 && !freed[0],
	       "releasing a again changes nothing");
	tap_ok(release("vlan", "lan0.7", "b") == 0, "last user released");
	tap_is(freed, "lan0.7;", "deleted with its last user");
	tap_is(record("vlan", "lan0.7"), "(none)", "no record left");
}

/* A VLAN link an admin made is never deleted; one the hook makes after it
 * was deleted is. */
static void test_vlan_admin(void)
{
	bool added;

	acquire("vlan", "lan0.8", "a", false, &added);
	tap_is(record("vlan", "lan0.8"), "owned 0\na 10 20\n", "an admin's link is not owned");
	release("vlan", "lan0.8", "a");
	tap_is(freed, "", "an admin's link is left alone");
	acquire("vlan", "lan0.8", "a", false, &added);
	acquire("vlan", "lan0.8", "b", true, &added);
	tap_is(record("vlan", "lan0.8"), "owned 1\na 10 20\nb 10 20\n",
	       "owned once the hook had to make it again");
	release("vlan", "lan0.8", "a");
	release("vlan", "lan0.8", "b");
	tap_is(freed, "lan0.8;", "then deleted with the last user");
}

/* Promiscuous mode that was on before the first container stays on; a
 * stale owned flag does not outlive the record. */
static void test_promisc(void)
{
	bool added;

	acquire("promisc", "lan0", "a", true, &added);
	release("promisc", "lan0", "a");
	tap_is(freed, "lan0;", "turned off when the hook turned it on");
	acquire("promisc", "lan0", "a", false, &added);
	tap_is(record("promisc", "lan0"), "owned 0\na 10 20\n",
	       "on before the first user: not the hook's");
	release("promisc", "lan0", "a");
	tap_is(freed, "", "left on");
}

static void test_claim_fails(void)
{
	bool added = true;
	char path[512];

	claim_fails = true;
	tap_ok(acquire("vlan", "lan0.9", "a", true, &added) < 0 && !added,
	       "a failed claim adds no user");
	claim_fails = false;
	tap_is(record("vlan", "lan0.9"), "(none)", "and writes no record");

	/* The record cannot be written: its replacement's path is a directory. */
	snprintf(path, sizeof(path), "%s/refs/vlan/lan0.9.new", state);
	mkdir(path, 0700);
	tap_ok(acquire("vlan", "lan0.9", "a", true, &added) < 0 && !added,
	       "a record that cannot be written fails the acquire");
	tap_is(freed, "lan0.9;", "and what the claim made is taken back");
	tap_ok(acquire("vlan", "lan0.9", "a", false, &added) < 0 && !freed[0],
	       "what was there before is left alone");
	rmdir(path);
}

static void test_bad_id(void)
{
	struct refs_user u = user("a b", 1, 2);
	struct error err;
	bool added;

	claims = 0;
	tap_ok(refs_acquire("vlan", "lan0.7", &u, claim, free_resource, NULL, &added, &err) < 0 &&
		       claims == 0,
	       "an id with a space is refused before any change");
	tap_is(err.msg, "state: container id \"a b\" cannot hold a reference", "its message");
}

static void test_release_all(void)
{
	struct error err;
	bool added;

	acquire("vlan", "lan0.1", "a", true, &added);
	acquire("vlan", "lan0.2", "a", true, &added);
	acquire("vlan", "lan0.2", "b", false, &added);
	freed[0] = 0;
	tap_ok(refs_release_all("vlan", "a", free_resource, NULL, &err) == 0, "release all of a");
	tap_is(freed, "lan0.1;", "only the link a alone used goes");
	tap_is(record("vlan", "lan0.2"), "owned 1\nb 10 20\n", "b keeps the other");
	freed[0] = 0;
	tap_ok(refs_release_all("promisc", "a", free_resource, NULL, &err) == 0 && !freed[0],
	       "a kind without records");
	refs_release_all("vlan", "b", free_resource, NULL, &err);
}

static void test_gc(void)
{
	struct refs_user alive = user("alive", getpid(), 0), dead = user("dead", 0, 1);
	_cleanup_free_ char *out = NULL;
	struct error err;
	size_t len;
	bool added;
	FILE *f;

	lease_process_start(getpid(), &alive.start);
	claim_makes = true;
	refs_acquire("promisc", "lan0", &dead, claim, free_resource, NULL, &added, &err);
	refs_acquire("promisc", "lan0", &alive, claim, free_resource, NULL, &added, &err);
	refs_acquire("promisc", "lan1", &dead, claim, free_resource, NULL, &added, &err);
	f = open_memstream(&out, &len);
	freed[0] = 0;
	tap_ok(refs_gc("promisc", f, free_resource, NULL, &err) == 0, "gc");
	fclose(f);
	tap_is(freed, "lan1;", "what only gone containers used is taken back");
	tap_ok(strstr(out, "promisc lan0: dropped container dead (process 0 is gone)\n") &&
		       strstr(out, "promisc lan1: dropped container dead (process 0 is gone)\n"),
	       "a line per dropped user");
	tap_ok(strstr(record("promisc", "lan0"), "alive ") &&
		       !strstr(record("promisc", "lan0"), "dead"),
	       "a running container keeps its reference");
	release("promisc", "lan0", "alive");
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

int main(void)
{
	if (!mkdtemp(state))
		return 1;
	setenv("OCI_MACVLAN_STATE_DIR", state, 1);
	test_vlan_created();
	test_vlan_admin();
	test_promisc();
	test_claim_fails();
	test_bad_id();
	test_release_all();
	test_gc();
	tap_ok(nftw(state, remove_one, 8, FTW_DEPTH | FTW_PHYS) == 0, "state directory removed");
	return tap_done();
}
