/* tap.h: a minimal Test Anything Protocol producer for the unit tests. */
#pragma once

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_count, tap_failures;

__attribute__((format(printf, 2, 3))) static inline int tap_ok(int pass, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - ", pass ? "ok" : "not ok", ++tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!pass)
		tap_failures++;
	return pass;
}

/* Compares two strings (NULL allowed) and shows both when they differ. */
__attribute__((noinline, unused)) static int tap_is(const char *got, const char *want, const char *name)
{
	int pass = (!got && !want) || (got && want && strcmp(got, want) == 0);

	tap_ok(pass, "%s", name);
	if (!pass)
		printf("#   got:  %s\n#   want: %s\n", got ? got : "(null)",
		       want ? want : "(null)");
	return pass;
}

static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failures ? 1 : 0;
}
