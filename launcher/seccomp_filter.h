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
 * container's capabilities allow) or an OCI linux.seccomp profile. *out is
 * NULL for SECCOMP_UNCONFINED. */
int seccomp_filter_build(const struct container *c, struct seccomp_filter **out, struct error *err);
void seccomp_filter_free(struct seccomp_filter *f);
DEFINE_CLEANUP_FUNC(seccomp_filter_freep, struct seccomp_filter, seccomp_filter_free)
#define _cleanup_seccomp_ _cleanup_(seccomp_filter_freep)

/* Loads the filter into the calling thread. */
int seccomp_filter_load(struct seccomp_filter *f, struct error *err);
/* Writes the filter's BPF program to fd. */
int seccomp_filter_export(struct seccomp_filter *f, int fd, struct error *err);
/* Loads a BPF program that seccomp_filter_export() wrote. */
int seccomp_load_bpf_file(const char *path, struct error *err);
