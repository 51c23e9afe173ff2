/* netns.h: finding and entering the container's network namespace.
 *
 * The namespace is taken from the state's pid through a pidfd, so a pid
 * that was reused after the container's process died is detected rather
 * than configured. */
#pragma once

#include <sys/types.h>

#include "error.h"

/* Opens the network namespace of pid. Refuses a missing or zero pid, a
 * process that is gone, and a process that shares the caller's namespace
 * (a container without a network namespace of its own). */
int netns_open_container(pid_t pid, int *nsfd, struct error *err);

/* Moves the calling process into the namespace. */
int netns_enter(int nsfd, struct error *err);
