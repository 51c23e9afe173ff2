/* io.c: bounded whole-input reads. */
#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "cleanup.h"

int read_all_fd(int fd, size_t max, char **out, size_t *len, struct error *err)
{
	size_t cap = 4096, used = 0;
	_cleanup_free_ char *buf = malloc(cap + 1);

	if (!buf)
		return error_sys(err, ENOMEM, "reading input");
	for (;;) {
		ssize_t n;

		if (used == cap) {
			char *bigger;

			if (cap > max)
				return error_set(err, EFBIG, "input is larger than %zu bytes", max);
			cap *= 2;
			bigger = realloc(buf, cap + 1);
			if (!bigger)
				return error_sys(err, ENOMEM, "reading input");
			buf = bigger;
		}
		n = read(fd, buf + used, cap - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return error_sys(err, errno, "reading input");
		if (n == 0)
			break;
		used += n;
	}
	if (used > max)
		return error_set(err, EFBIG, "input is larger than %zu bytes", max);
	buf[used] = '\0';
	*len = used;
	*out = steal_pointer(&buf);
	return 0;
}

int read_all_file(const char *path, size_t max, char **out, size_t *len, struct error *err)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return error_sys(err, errno, "cannot open %s", path);
	if (read_all_fd(fd, max, out, len, err) < 0)
		return error_prefix(err, "%s", path);
	return 0;
}
