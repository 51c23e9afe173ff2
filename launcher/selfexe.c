/* selfexe.c: non-dumpable nsrun, re-executed from a sealed memfd copy of
 * itself when the container could still reach it. */
#include "selfexe.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"

#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

extern char **environ;

static char **saved_argv;

int selfexe_init(char **argv, struct error *err)
{
	saved_argv = argv;
	/* Children inherit it; an exec of the container's command resets it. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return error_sys(err, errno, "making nsrun non-dumpable");
	return 0;
}

static int reexec_sealed(struct error *err)
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
	fexecve(copy, saved_argv, environ);
	return error_sys(err, errno, "re-executing nsrun from its sealed copy");
}

int selfexe_protect(uint64_t bounding, struct error *err)
{
	if (!(bounding & (UINT64_C(1) << CAP_SYS_PTRACE)))
		return 0;
	return reexec_sealed(err);
}
