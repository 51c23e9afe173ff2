/* log.h: messages for the user, to stderr and to syslog.
 *
 * Errors and warnings always go out; debug lines and step timings only when
 * debugging was switched on (a --debug flag or an environment variable). */
#pragma once

#include <stdbool.h>

/* Names the program in every line; opens syslog. */
void log_init(const char *prog, bool debug);
bool log_debugging(void);

void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* When debugging, logs how long has passed since the previous step (or since
 * log_init) under the given step name. */
void log_step(const char *step);
