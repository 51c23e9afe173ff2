/* io.h: reading whole inputs with a size bound. */
#pragma once

#include <stddef.h>

#include "error.h"

/* Reads fd to EOF into a NUL-terminated buffer of at most max bytes.
 * Fails with EFBIG when the input is longer. */
int read_all_fd(int fd, size_t max, char **out, size_t *len, struct error *err);

/* The same for a file by path. */
int read_all_file(const char *path, size_t max, char **out, size_t *len, struct error *err);
