/* seccomp_filter.c: Docker's default deny-list and OCI profiles, through libseccomp. */
#include "seccomp_filter.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include "cleanup.h"
#include "io.h"
#include "json.h"

struct seccomp_filter {
	scmp_filter_ctx ctx; /* the policy; NULL when unconfined */
	scmp_filter_ctx devices; /* device nodes, when ctx does not refuse them */
};

/* The programs as saved for `nsrun exec`, in the order they are loaded. */
static const char *const saved_names[] = { "seccomp.bpf", "devices.bpf" };
#define N_SAVED (sizeof(saved_names) / sizeof(saved_names[0]))

struct seccomp_saved {
	struct sock_fprog prog[N_SAVED];
};

#define ANY_CAP -1
#define BIT(c) (UINT64_C(1) << (c))

/* What Docker's default profile refuses (EPERM) to a container, and the
 * capability that lifts the refusal, as in moby/profiles/seccomp. */
static const struct {
	const char *name;
	int cap;
} denied[] = {
	{ "acct", CAP_SYS_PACCT },
	{ "add_key", ANY_CAP },
	{ "bpf", CAP_SYS_ADMIN },
	{ "clock_adjtime", CAP_SYS_TIME },
	{ "clock_settime", CAP_SYS_TIME },
	{ "create_module", CAP_SYS_MODULE },
	{ "delete_module", CAP_SYS_MODULE },
	{ "finit_module", CAP_SYS_MODULE },
	{ "fsconfig", CAP_SYS_ADMIN },
	{ "fsmount", CAP_SYS_ADMIN },
	{ "fsopen", CAP_SYS_ADMIN },
	{ "fspick", CAP_SYS_ADMIN },
	{ "get_kernel_syms", CAP_SYS_MODULE },
	{ "get_mempolicy", CAP_SYS_NICE },
	{ "init_module", CAP_SYS_MODULE },
	{ "ioperm", CAP_SYS_RAWIO },
	{ "iopl", CAP_SYS_RAWIO },
	{ "kcmp", CAP_SYS_PTRACE },
	{ "kexec_file_load", CAP_SYS_BOOT },
	{ "kexec_load", CAP_SYS_BOOT },
	{ "keyctl", ANY_CAP },
	{ "lookup_dcookie", CAP_SYS_ADMIN },
	{ "mbind", CAP_SYS_NICE },
	{ "mount", CAP_SYS_ADMIN },
	{ "mount_setattr", CAP_SYS_ADMIN },
	{ "move_mount", CAP_SYS_ADMIN },
	{ "move_pages", CAP_SYS_NICE },
	{ "name_to_handle_at", CAP_DAC_READ_SEARCH },
	{ "nfsservctl", ANY_CAP },
	{ "open_by_handle_at", CAP_DAC_READ_SEARCH },
	{ "open_tree", CAP_SYS_ADMIN },
	{ "perf_event_open", CAP_PERFMON },
	{ "pidfd_getfd", CAP_SYS_PTRACE },
	{ "pivot_root", CAP_SYS_ADMIN },
	{ "process_madvise", CAP_SYS_PTRACE },
	{ "process_vm_readv", CAP_SYS_PTRACE },
	{ "process_vm_writev", CAP_SYS_PTRACE },
	{ "ptrace", CAP_SYS_PTRACE },
	{ "query_module", CAP_SYS_MODULE },
	{ "quotactl", CAP_SYS_ADMIN },
	{ "quotactl_fd", CAP_SYS_ADMIN },
	{ "reboot", CAP_SYS_BOOT },
	{ "request_key", ANY_CAP },
	{ "set_mempolicy", CAP_SYS_NICE },
	{ "setns", CAP_SYS_ADMIN },
	{ "settimeofday", CAP_SYS_TIME },
	{ "stime", CAP_SYS_TIME },
	{ "swapoff", CAP_SYS_ADMIN },
	{ "swapon", CAP_SYS_ADMIN },
	{ "syslog", CAP_SYSLOG },
	{ "sysfs", ANY_CAP },
	{ "_sysctl", ANY_CAP },
	{ "umount", CAP_SYS_ADMIN },
	{ "umount2", CAP_SYS_ADMIN },
	{ "unshare", CAP_SYS_ADMIN },
	{ "uselib", ANY_CAP },
	{ "userfaultfd", ANY_CAP },
	{ "ustat", ANY_CAP },
	{ "vm86", CAP_SYS_ADMIN },
	{ "vm86old", CAP_SYS_ADMIN },
};

#define CLONE_NEW_FLAGS                                                                            \
	(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | \
	 CLONE_NEWCGROUP)

/* Without a device cgroup, CAP_MKNOD would let the container make a node
 * for a host disk and read it: creating block and character devices is
 * refused (FIFOs and sockets are not). */
static int add_device_rules(scmp_filter_ctx ctx, struct error *err)
{
	const scmp_datum_t types[] = { S_IFBLK, S_IFCHR };
	size_t i;
	int r;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(mknod), 1,
				     SCMP_A1(SCMP_CMP_MASKED_EQ, S_IFMT, types[i]));
		if (r == 0)
			r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(mknodat), 1,
					     SCMP_A2(SCMP_CMP_MASKED_EQ, S_IFMT, types[i]));
		if (r < 0 && r != -EOPNOTSUPP)
			return error_sys(err, -r, "seccomp: denying device nodes");
	}
	return 0;
}

static int add_default_rules(scmp_filter_ctx ctx, uint64_t caps, struct error *err)
{
	const int flags[] = { CLONE_NEWNS,  CLONE_NEWUTS, CLONE_NEWIPC,	  CLONE_NEWUSER,
			      CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWCGROUP };
	size_t i;
	int nr, r;

	for (i = 0; i < sizeof(denied) / sizeof(denied[0]); i++) {
		if (denied[i].cap != ANY_CAP && (caps & BIT(denied[i].cap)))
			continue;
		nr = seccomp_syscall_resolve_name(denied[i].name);
		if (nr == __NR_SCMP_ERROR)
			continue; /* not a system call of this architecture */
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0);
		if (r < 0 && r != -EOPNOTSUPP)
			return error_sys(err, -r, "seccomp: denying %s", denied[i].name);
	}
	if ((caps & BIT(CAP_MKNOD)) && add_device_rules(ctx, err) < 0)
		return -1;
	if (caps & BIT(CAP_SYS_ADMIN))
		return 0;
	/* New namespaces need CAP_SYS_ADMIN; clone3's flags are out of reach of
	 * a filter, so it reports ENOSYS and libc falls back to clone. */
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
				     SCMP_A0(SCMP_CMP_MASKED_EQ, (scmp_datum_t)flags[i],
					     (scmp_datum_t)flags[i]));
		if (r < 0)
			return error_sys(err, -r, "seccomp: denying clone of namespaces");
	}
	r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	if (r < 0 && r != -EOPNOTSUPP)
		return error_sys(err, -r, "seccomp: denying clone3");
	return 0;
}

/* ---- OCI profiles ---- */

static int parse_action(const struct json *v, const struct json *errno_ret, uint32_t *action,
			struct error *err)
{
	static const struct {
		const char *name;
		uint32_t action;
	} actions[] = {
		{ "SCMP_ACT_KILL", SCMP_ACT_KILL_THREAD },
		{ "SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD },
		{ "SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS },
		{ "SCMP_ACT_TRAP", SCMP_ACT_TRAP },
		{ "SCMP_ACT_ALLOW", SCMP_ACT_ALLOW },
		{ "SCMP_ACT_LOG", SCMP_ACT_LOG },
	};
	const char *name = json_string(v);
	long long n = EPERM;
	size_t i;

	if (!name)
		return error_set(err, EINVAL, "action must be a string");
	if (errno_ret && (!json_integer(errno_ret, &n) || n < 0 || n > 4095))
		return error_set(err, EINVAL, "errnoRet must be an errno number");
	if (strcmp(name, "SCMP_ACT_ERRNO") == 0) {
		*action = SCMP_ACT_ERRNO((uint32_t)n);
		return 0;
	}
	if (strcmp(name, "SCMP_ACT_TRACE") == 0) {
		*action = SCMP_ACT_TRACE((uint32_t)n);
		return 0;
	}
	for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (strcmp(actions[i].name, name) == 0) {
			*action = actions[i].action;
			return 0;
		}
	return error_set(err, EINVAL, "action \"%s\" is not supported", name);
}

static int parse_arg(const struct json *a, struct scmp_arg_cmp *cmp, struct error *err)
{
	static const struct {
		const char *name;
		enum scmp_compare op;
	} ops[] = {
		{ "SCMP_CMP_NE", SCMP_CMP_NE },
		{ "SCMP_CMP_LT", SCMP_CMP_LT },
		{ "SCMP_CMP_LE", SCMP_CMP_LE },
		{ "SCMP_CMP_EQ", SCMP_CMP_EQ },
		{ "SCMP_CMP_GE", SCMP_CMP_GE },
		{ "SCMP_CMP_GT", SCMP_CMP_GT },
		{ "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
	};
	const char *op = json_string(json_member(a, "op"));
	long long index, value = 0, two = 0;
	size_t i;

	if (!json_integer(json_member(a, "index"), &index) || index < 0 || index > 5)
		return error_set(err, EINVAL, "args: \"index\" must be 0 to 5");
	if (!json_integer(json_member(a, "value"), &value))
		return error_set(err, EINVAL, "args: \"value\" must be an integer");
	if (json_member(a, "valueTwo") && !json_integer(json_member(a, "valueTwo"), &two))
		return error_set(err, EINVAL, "args: \"valueTwo\" must be an integer");
	for (i = 0; op && i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(ops[i].name, op) == 0) {
			cmp->arg = (unsigned)index;
			cmp->op = ops[i].op;
			cmp->datum_a = (scmp_datum_t)value;
			cmp->datum_b = (scmp_datum_t)two;
			return 0;
		}
	return error_set(err, EINVAL, "args: \"op\" \"%s\" is not supported", op ? op : "");
}

static int add_profile_rule(scmp_filter_ctx ctx, uint32_t default_action, const struct json *rule,
			    struct error *err)
{
	const struct json *names = json_member(rule, "names"), *args = json_member(rule, "args");
	struct scmp_arg_cmp cmps[6];
	size_t i, n_args = json_length(args);
	uint32_t action;
	int nr, r;

	if (json_member(rule, "name") && !names)
		names = json_member(rule, "name");
	if (!names)
		return error_set(err, EINVAL, "\"names\" is missing");
	if (parse_action(json_member(rule, "action"), json_member(rule, "errnoRet"), &action, err) <
	    0)
		return -1;
	if (n_args > 6)
		return error_set(err, EINVAL, "at most 6 args");
	for (i = 0; i < n_args; i++)
		if (parse_arg(json_at(args, i), &cmps[i], err) < 0)
			return -1;
	if (action == default_action)
		return 0;
	for (i = 0; i < json_length(names) || json_type(names) == JSON_STRING; i++) {
		const char *name =
			json_string(json_type(names) == JSON_STRING ? names : json_at(names, i));

		if (!name)
			return error_set(err, EINVAL, "\"names\" must be strings");
		nr = seccomp_syscall_resolve_name(name);
		if (nr == __NR_SCMP_ERROR)
			goto next; /* unknown here, as runc does */
		r = seccomp_rule_add_array(ctx, action, nr, n_args, cmps);
		if (r < 0 && r != -EOPNOTSUPP)
			return error_sys(err, -r, "rule for %s", name);
	next:
		if (json_type(names) == JSON_STRING)
			break;
	}
	return 0;
}

static int add_profile(scmp_filter_ctx *ctx, const char *text, struct error *err)
{
	_cleanup_json_ struct json *doc = NULL;
	const struct json *arches, *syscalls;
	uint32_t default_action;
	size_t i;

	if (json_parse(text, &doc, err) < 0)
		return -1;
	if (json_type(doc) != JSON_OBJECT)
		return error_set(err, EINVAL, "must be an object, not %s", json_type_name(doc));
	for (i = 0; i < json_length(doc); i++) {
		static const char *const known[] = { "defaultAction", "defaultErrnoRet",
						     "architectures", "syscalls", "flags" };
		const char *key = json_key_at(doc, i);
		size_t k;

		for (k = 0; k < sizeof(known) / sizeof(known[0]); k++)
			if (strcmp(known[k], key) == 0)
				break;
		if (k == sizeof(known) / sizeof(known[0]))
			return error_set(err, EINVAL, "\"%s\" is not supported", key);
	}
	if (json_length(json_member(doc, "flags")) > 0)
		return error_set(err, EINVAL, "\"flags\" are not supported");
	if (parse_action(json_member(doc, "defaultAction"), json_member(doc, "defaultErrnoRet"),
			 &default_action, err) < 0)
		return error_prefix(err, "defaultAction");
	*ctx = seccomp_init(default_action);
	if (!*ctx)
		return error_set(err, EINVAL, "cannot create a filter");
	arches = json_member(doc, "architectures");
	for (i = 0; i < json_length(arches); i++) {
		const char *name = json_string(json_at(arches, i));
		char lower[32];
		uint32_t arch;
		size_t k;
		int r;

		if (!name || strncmp(name, "SCMP_ARCH_", 10) != 0 ||
		    strlen(name) - 10 >= sizeof(lower))
			return error_set(err, EINVAL, "architecture \"%s\" is not SCMP_ARCH_*",
					 name ? name : "");
		for (k = 0; name[10 + k]; k++)
			lower[k] = (char)tolower((unsigned char)name[10 + k]);
		lower[k] = '\0';
		arch = seccomp_arch_resolve_name(lower);
		if (!arch)
			return error_set(err, EINVAL, "architecture \"%s\" is unknown", name);
		r = seccomp_arch_add(*ctx, arch);
		if (r < 0 && r != -EEXIST)
			return error_sys(err, -r, "architecture %s", name);
	}
	syscalls = json_member(doc, "syscalls");
	for (i = 0; i < json_length(syscalls); i++)
		if (add_profile_rule(*ctx, default_action, json_at(syscalls, i), err) < 0)
			return error_prefix(err, "syscalls[%zu]", i);
	return 0;
}

static int build_policy(const struct container *c, scmp_filter_ctx *ctx, struct error *err)
{
	if (c->seccomp == SECCOMP_UNCONFINED)
		return 0;
	if (c->seccomp == SECCOMP_PROFILE) {
		if (add_profile(ctx, c->seccomp_profile, err) < 0)
			return error_prefix(err, "seccomp profile");
		return 0;
	}
	*ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!*ctx)
		return error_set(err, EINVAL, "seccomp: cannot create a filter");
	/* Other architectures' calls would escape a deny-list: they kill. */
	seccomp_attr_set(*ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	return add_default_rules(*ctx, c->caps.bounding, err);
}

/* The device rules on their own, for a profile or unconfined: the
 * equivalent of the device cgroup that runc and Docker always set up. */
static int build_devices(const struct container *c, scmp_filter_ctx *ctx, struct error *err)
{
	if (c->seccomp == SECCOMP_DEFAULT || !(c->caps.bounding & BIT(CAP_MKNOD)))
		return 0;
	*ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!*ctx)
		return error_set(err, EINVAL, "seccomp: cannot create a filter");
	if (seccomp_arch_native() == SCMP_ARCH_X86_64) {
		seccomp_arch_add(*ctx, SCMP_ARCH_X86);
		seccomp_arch_add(*ctx, SCMP_ARCH_X32);
	}
	return add_device_rules(*ctx, err);
}

int seccomp_filter_build(const struct container *c, struct seccomp_filter **out, struct error *err)
{
	_cleanup_seccomp_ struct seccomp_filter *f = calloc(1, sizeof(*f));

	*out = NULL;
	if (!f)
		return error_sys(err, ENOMEM, "seccomp");
	if (build_policy(c, &f->ctx, err) < 0 || build_devices(c, &f->devices, err) < 0)
		return -1;
	/* no_new_privs is nsrun's business, not libseccomp's. */
	if (f->ctx)
		seccomp_attr_set(f->ctx, SCMP_FLTATR_CTL_NNP, 0);
	if (f->devices)
		seccomp_attr_set(f->devices, SCMP_FLTATR_CTL_NNP, 0);
	if (f->ctx || f->devices)
		*out = steal_pointer(&f);
	return 0;
}

void seccomp_filter_free(struct seccomp_filter *f)
{
	if (f->ctx)
		seccomp_release(f->ctx);
	if (f->devices)
		seccomp_release(f->devices);
	free(f);
}

int seccomp_filter_load(struct seccomp_filter *f, struct error *err)
{
	int r = 0;

	if (f->ctx)
		r = seccomp_load(f->ctx);
	if (r == 0 && f->devices)
		r = seccomp_load(f->devices);
	if (r < 0)
		return error_sys(err, -r, "loading the seccomp filter");
	return 0;
}

int seccomp_filter_save(struct seccomp_filter *f, int dirfd, struct error *err)
{
	scmp_filter_ctx ctxs[N_SAVED] = { f->ctx, f->devices };
	size_t i;
	int r;

	for (i = 0; i < N_SAVED; i++) {
		_cleanup_close_ int fd = -1;

		if (!ctxs[i])
			continue;
		fd = openat(dirfd, saved_names[i], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0)
			return error_sys(err, errno, "saving %s", saved_names[i]);
		r = seccomp_export_bpf(ctxs[i], fd);
		if (r < 0)
			return error_sys(err, -r, "saving %s", saved_names[i]);
	}
	return 0;
}

static int read_program(int dirfd, const char *name, struct sock_fprog *prog, struct error *err)
{
	_cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	char *buf;
	size_t len;

	if (fd < 0)
		return errno == ENOENT ? 0 : error_sys(err, errno, "%s", name);
	if (read_all_fd(fd, 1024 * 1024, &buf, &len, err) < 0)
		return error_prefix(err, "%s", name);
	if (len == 0 || len % sizeof(struct sock_filter) ||
	    len / sizeof(struct sock_filter) > BPF_MAXINSNS) {
		free(buf);
		return error_set(err, EINVAL, "%s: not a BPF program", name);
	}
	prog->len = (unsigned short)(len / sizeof(struct sock_filter));
	prog->filter = (struct sock_filter *)buf;
	return 0;
}

int seccomp_saved_read(int dirfd, struct seccomp_saved **out, struct error *err)
{
	_cleanup_(seccomp_saved_freep) struct seccomp_saved *s = calloc(1, sizeof(*s));
	size_t i;

	if (!s)
		return error_sys(err, ENOMEM, "seccomp");
	for (i = 0; i < N_SAVED; i++)
		if (read_program(dirfd, saved_names[i], &s->prog[i], err) < 0)
			return -1;
	*out = steal_pointer(&s);
	return 0;
}

int seccomp_saved_load(const struct seccomp_saved *s, struct error *err)
{
	size_t i;

	for (i = 0; i < N_SAVED; i++)
		if (s->prog[i].filter &&
		    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &s->prog[i], 0, 0) < 0)
			return error_sys(err, errno, "loading %s", saved_names[i]);
	return 0;
}

void seccomp_saved_free(struct seccomp_saved *s)
{
	size_t i;

	for (i = 0; i < N_SAVED; i++)
		free(s->prog[i].filter);
	free(s);
}
