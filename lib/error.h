/* error.h: the one error idiom of the project.
 *
 * A function returns >= 0 on success and < 0 on failure, after filling a
 * struct error with an errno-style code and a message that names the thing
 * and the value. Callers add context with error_prefix() as the error rises;
 * only main() prints it. */
#pragma once

#include <stdarg.h>

struct error {
	int code; /* errno value, or 0 when none applies */
	char msg[1024]; /* "what: why" */
};

/* Sets err (code may be 0) and returns -1. */
int error_set(struct error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Like error_set(), appending ": strerror(code)". */
int error_sys(struct error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prepends "context: " to the message and returns -1. */
int error_prefix(struct error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
