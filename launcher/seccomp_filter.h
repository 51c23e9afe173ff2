/* seccomp_filter.h: the container's system call filter; the only user of libseccomp.
 *
 * The filter is built (and a profile checked) in nsrun before anything is
 * created, loaded in the container just before exec, and saved as BPF so
 * `nsrun exec` applies exactly the same filter. */
#pragma once

#include <stdint.h>

#include "cleanup.h"
#include "container.h"
#include "error.h"

struct seccomp_filter;

/* Builds the filter c->seccomp asks for: Docker's deny-list (minus what the
 * container's capabilities allow) or an OCI linux.seccomp profile. With
 * CAP_MKNOD in the bounding set, creating device nodes is refused in every
 * mode (nsrun has no device cgroup). *out is NULL when nothing is filtered. */
int seccomp_filter_build(const struct container *c, struct seccomp_filter **out, struct error *err);
void seccomp_filter_free(struct seccomp_filter *f);
DEFINE_CLEANUP_FUNC(seccomp_filter_freep, struct seccomp_filter, seccomp_filter_free)
#define _cleanup_seccomp_ _cleanup_(seccomp_filter_freep)

/* Loads the filter into the calling thread. */
int seccomp_filter_load(struct seccomp_filter *f, struct error *err);
/* Saves the filter's BPF programs in directory dirfd (seccomp.bpf, and
 * devices.bpf when the device rules are a filter of their own). */
int seccomp_filter_save(struct seccomp_filter *f, int dirfd, struct error *err);

/* What seccomp_filter_save() wrote, read back (nothing saved is fine). */
struct seccomp_saved;
int seccomp_saved_read(int dirfd, struct seccomp_saved **out, struct error *err);
int seccomp_saved_load(const struct seccomp_saved *s, struct error *err);
void seccomp_saved_free(struct seccomp_saved *s);
DEFINE_CLEANUP_FUNC(seccomp_saved_freep, struct seccomp_saved, seccomp_saved_free)
