/* run.h: starting a container and waiting for it (`nsrun run`). */
#pragma once

#include "container.h"
#include "error.h"

/* Starts c and waits for it. Returns 0 with *status set to the command's
 * exit status, or -1 with *status 125 (nsrun or a hook failed), 126 (the
 * command is not executable) or 127 (not found) and err saying which step
 * failed and why. notify_fd >= 0 (for -d) gets one byte once the command
 * runs and poststart is done; stdio then goes to /dev/null. */
int container_run(struct container *c, int notify_fd, int *status, struct error *err);

/* -d: leaves a monitor process behind that runs c, waits for it and runs
 * poststop. Returns once the command runs (printing the id, *status 0) or
 * start failed (the monitor printed why; *status is its exit status). */
int container_run_detached(struct container *c, int *status, struct error *err);
