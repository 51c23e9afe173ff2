/* log.c: stderr + syslog output and debug step timings. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>
#include <time.h>

static const char *log_prog = "oci-macvlan";
static bool log_debug_on;
static struct timespec log_last;

void log_init(const char *prog, bool debug)
{
	log_prog = prog;
	log_debug_on = debug;
	openlog(prog, LOG_PID, LOG_DAEMON);
	clock_gettime(CLOCK_MONOTONIC, &log_last);
}

bool log_debugging(void)
{
	return log_debug_on;
}

static void log_emit(int priority, const char *fmt, va_list ap)
{
	char line[2048];

	vsnprintf(line, sizeof(line), fmt, ap);
	fprintf(stderr, "%s: %s\n", log_prog, line);
	syslog(priority, "%s", line);
}

#define LOG_FORWARD(priority)                                                                      \
	do {                                                                                       \
		va_list ap;                                                                        \
		va_start(ap, fmt);                                                                 \
		log_emit(priority, fmt, ap);                                                       \
		va_end(ap);                                                                        \
	} while (0)

void log_error(const char *fmt, ...)
{
	LOG_FORWARD(LOG_ERR);
}

void log_warn(const char *fmt, ...)
{
	LOG_FORWARD(LOG_WARNING);
}

void log_debug(const char *fmt, ...)
{
	if (log_debug_on)
		LOG_FORWARD(LOG_DEBUG);
}

void log_step(const char *step)
{
	struct timespec now;
	double ms;

	if (!log_debug_on)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (now.tv_sec - log_last.tv_sec) * 1e3 + (now.tv_nsec - log_last.tv_nsec) / 1e6;
	log_last = now;
	log_debug("step %s: %.3f ms", step, ms);
}
