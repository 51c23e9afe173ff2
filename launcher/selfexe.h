/* selfexe.h: keeping the host's nsrun binary out of the container's reach.
 *
 * A process whose /proc/PID/exe is the host's nsrun must never exec inside
 * a container: `#!/proc/self/exe` would run nsrun there and let the
 * container reopen the binary for writing (runc's CVE-2019-5736). nsrun
 * therefore re-executes itself from a sealed, read-only memfd copy before
 * it creates or enters a container. */
#pragma once

#include "error.h"

/* Re-executes argv from a sealed memfd copy unless already running from one. */
int selfexe_ensure_sealed(char **argv, struct error *err);
