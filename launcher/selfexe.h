/* selfexe.h: keeping the host's nsrun binary out of the container's reach.
 *
 * While nsrun runs in a container (the setup before exec, the init, an
 * exec'd command before its exec), the container can see its
 * /proc/PID/exe; through it, runc's CVE-2019-5736 reopened the host's
 * binary for writing. nsrun makes its processes non-dumpable from the
 * start, so only a container holding CAP_SYS_PTRACE could follow that
 * link; for such a container nsrun re-executes itself from a sealed,
 * read-only memfd copy first (an exec more, so only then). */
#pragma once

#include <stdint.h>

#include "error.h"

/* Makes nsrun non-dumpable and remembers argv for a re-exec. */
int selfexe_init(char **argv, struct error *err);

/* Re-executes nsrun from a sealed memfd copy (unless already running from
 * one) when a container with this bounding set could follow /proc/PID/exe:
 * when it may hold CAP_SYS_PTRACE. Returns only when no re-exec is needed. */
int selfexe_protect(uint64_t bounding, struct error *err);
