/* exec.h: `nsrun exec`: a new process in a running container's namespaces,
 * with its capabilities, no_new_privs and seccomp filter. */
#pragma once

#include "error.h"

/* Returns the exit status, or -status (125, 126, 127) with err set. */
int cmd_exec(int argc, char **argv, struct error *err);
