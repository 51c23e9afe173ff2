/* selfexe.c: re-executing nsrun from a sealed memfd copy of itself. */
#include "selfexe.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"

#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

extern char **environ;

int selfexe_ensure_sealed(char **argv, struct error *err)
{
	_cleanup_close_ int self = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	_cleanup_close_ int copy = -1;
	struct stat sb;
	off_t off = 0;

	if (self < 0)
		return error_sys(err, errno, "opening /proc/self/exe");
	if (fcntl(self, F_GET_SEALS) == SEALS)
		return 0; /* this is the copy */
	if (fstat(self, &sb) < 0)
		return error_sys(err, errno, "/proc/self/exe");
	copy = memfd_create("nsrun", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (copy < 0)
		return error_sys(err, errno, "memfd_create");
	while (off < sb.st_size) {
		ssize_t n = sendfile(copy, self, &off, sb.st_size - off);

		if (n <= 0)
			return error_sys(err, n < 0 ? errno : EIO, "copying /proc/self/exe");
	}
	if (fcntl(copy, F_ADD_SEALS, SEALS) < 0)
		return error_sys(err, errno, "sealing the copy of nsrun");
	fexecve(copy, argv, environ);
	return error_sys(err, errno, "re-executing nsrun from its sealed copy");
}
