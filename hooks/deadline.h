/* deadline.h: bounded waits on a file descriptor, on the monotonic clock.
 *
 * The address probes (arp.c, the IPv6 DAD wait in netlink.c) wait for
 * answers until a deadline, never longer. */
#pragma once

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <time.h>

static inline int64_t deadline_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static inline int64_t deadline_after_ms(int ms)
{
	return deadline_now_ms() + ms;
}

/* Waits until fd is readable (1) or the deadline passes (0); -1 with errno. */
static inline int deadline_wait_readable(int fd, int64_t deadline)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int64_t left;
	int r;

	do {
		left = deadline - deadline_now_ms();
		if (left <= 0)
			return 0;
		r = poll(&p, 1, (int)left);
	} while (r < 0 && errno == EINTR);
	return r < 0 ? -1 : r > 0;
}
