/*
** input.c: reading inputs safely. Only regular files are opened for
** reading (FIFOs and devices are refused before any read, so /dev/zero or
** a FIFO with no writer can neither hang nor exhaust memory), and no read
** goes past the input limit.
*/
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/alloc.h"
#include "../core/buf.h"
#include "internal.h"

int api_read_fd(policy_engine *e, const char *path, int fd, uint64_t limit,
                char **out, size_t *len) {
  pol_buf b = POL_BUF_INIT;
  char chunk[65536];
  for (;;) {
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      pbuf_free(&b);
      return api_fail(e, POLICY_ERR_IO, "%s", strerror(errno));
    }
    if (n == 0) break;
    if ((uint64_t)b.len + (uint64_t)n > limit) {
      pbuf_free(&b);
      return api_fail(e, POLICY_ERR_LIMIT,
                      "input is larger than the limit of %llu bytes "
                      "(raise it with --max-input-bytes)",
                      (unsigned long long)limit);
    }
    pbuf_append(&b, chunk, (size_t)n);
    if (b.oom) {
      pbuf_free(&b);
      return api_fail(e, POLICY_ERR_NOMEM, "out of memory");
    }
  }
  *out = pbuf_detach(&b, len);
  if (*out == NULL) return api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  return POLICY_OK;
}

/* Opens path for reading without blocking on a FIFO, and refuses anything
** but a regular file. Returns the descriptor or -1 with the engine's
** message set (*status holds the code). */
static int open_regular(policy_engine *e, const char *path, int *status) {
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    *status = api_fail(e, POLICY_ERR_IO, "%s", strerror(errno));
    return -1;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    *status = api_fail(e, POLICY_ERR_IO, "%s", strerror(errno));
    close(fd);
    return -1;
  }
  if (!S_ISREG(st.st_mode)) {
    const char *what = S_ISDIR(st.st_mode)   ? "is a directory"
                       : S_ISFIFO(st.st_mode) ? "is a FIFO, not a regular file"
                       : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)
                           ? "is a device, not a regular file"
                           : "is not a regular file";
    *status = api_fail(e, POLICY_ERR_IO, "%s", what);
    close(fd);
    return -1;
  }
  if ((uint64_t)st.st_size > e->max_input) {
    *status = api_fail(e, POLICY_ERR_LIMIT,
                       "input is larger than the limit of %llu bytes "
                       "(raise it with --max-input-bytes)",
                       (unsigned long long)e->max_input);
    close(fd);
    return -1;
  }
  int flags = fcntl(fd, F_GETFL);
  if (flags >= 0) fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  return fd;
}

int policy_parse_file(policy_document **out, policy_engine *e,
                      const char *path, int kind) {
  if (out == NULL || e == NULL || path == NULL)
    return api_fail(e, POLICY_ERR_INVALID, "policy_parse_file: NULL argument");
  int status = POLICY_OK;
  int fd = open_regular(e, path, &status);
  if (fd < 0) return status;
  char *data;
  size_t len;
  status = api_read_fd(e, path, fd, e->max_input, &data, &len);
  close(fd);
  if (status != POLICY_OK) return status;
  status = policy_parse_buffer(out, e, path, data, len, kind);
  pol_free(data);
  return status;
}

int policy_parse_fd(policy_document **out, policy_engine *e, const char *path,
                    int fd, int kind) {
  if (out == NULL || e == NULL || fd < 0)
    return api_fail(e, POLICY_ERR_INVALID, "policy_parse_fd: bad argument");
  if (path == NULL) path = "-";
  char *data;
  size_t len;
  int status = api_read_fd(e, path, fd, e->max_input, &data, &len);
  if (status != POLICY_OK) return status;
  status = policy_parse_buffer(out, e, path, data, len, kind);
  pol_free(data);
  return status;
}
