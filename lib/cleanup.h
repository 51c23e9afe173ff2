/* cleanup.h: scope-bound release of memory and file descriptors.
 *
 * Declare a variable with one of these attributes and it is released when it
 * goes out of scope; take ownership away with steal_pointer()/steal_fd(). */
#pragma once

#include <stdlib.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _cleanup_free_ _cleanup_(cleanup_freep)
#define _cleanup_close_ _cleanup_(cleanup_closep)

static inline void cleanup_freep(void *p)
{
	free(*(void **)p);
}

static inline void cleanup_closep(const int *fd)
{
	if (*fd >= 0)
		close(*fd);
}

static inline void *steal_pointer_impl(void *pp)
{
	void **p = pp;
	void *v = *p;
	*p = NULL;
	return v;
}
#define steal_pointer(pp) steal_pointer_impl(pp)

static inline int steal_fd(int *fd)
{
	int v = *fd;
	*fd = -1;
	return v;
}

/* Defines a cleanup function for a pointer type whose release function is
 * func, for use as _cleanup_(name). */
#define DEFINE_CLEANUP_FUNC(name, type, func)                                                      \
	static inline void name(type **p)                                                          \
	{                                                                                          \
		if (*p)                                                                            \
			func(*p);                                                                  \
	}
