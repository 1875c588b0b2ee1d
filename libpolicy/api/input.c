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

/* Clears O_NONBLOCK on fd, which open_checked opened with it so that
** opening a FIFO cannot wait for a writer; true when it was set. A
** regular file ignores it, so it is cleared only when a read says
** otherwise (EAGAIN: a file system that honours it). */
static bool blocking(int fd) {
  int flags = fcntl(fd, F_GETFL);
  return flags >= 0 && (flags & O_NONBLOCK) && fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == 0;
}

/* Reads fd to its end, at most `limit` bytes (more is POLICY_ERR_LIMIT);
** *out is pol_malloc'd (NUL-terminated), freed by the caller. `size` >= 0:
** fd was opened here (open_checked), so its O_NONBLOCK may be cleared, and
** fstat gave the regular file that many bytes: a short read that makes
** them all is its end (no read to hear it again; a file that grew gives a
** full read). -1: a descriptor the caller gave. */
static int read_all(policy_engine *e, int fd, uint64_t limit, int64_t size, char **out,
                    size_t *len) {
  bool ours = size >= 0;
  pol_buf b = POL_BUF_INIT;
  char chunk[65536];
  for (;;) {
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN && ours && blocking(fd)) continue;
    if (n < 0) {
      pol_buf_free(&b);
      return api_fail(e, POLICY_ERR_IO, "%s", strerror(errno));
    }
    if (n == 0) break;
    if ((uint64_t)b.len + (uint64_t)n > limit) {
      pol_buf_free(&b);
      return api_fail(e, POLICY_ERR_LIMIT,
                      "input is larger than the limit POLICY_LIMIT_INPUT_BYTES "
                      "(%llu bytes)",
                      (unsigned long long)limit);
    }
    pol_buf_append(&b, chunk, (size_t)n);
    if (b.oom) {
      pol_buf_free(&b);
      return api_fail(e, POLICY_ERR_NOMEM, "out of memory");
    }
    if (size > 0 && (size_t)n < sizeof chunk && (uint64_t)b.len == (uint64_t)size) break;
  }
  *out = pol_buf_detach(&b, len);
  if (*out == NULL) return api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  return POLICY_OK;
}

/* Opens path for reading without blocking on a FIFO, and refuses anything
** but a regular file of at most `limit` bytes. Returns the descriptor, or
** -1 with *status (POLICY_ERR_IO or POLICY_ERR_LIMIT), *err (the errno of
** a failed open, else 0) and *why set. *size: the file's size. */
static int open_checked(const char *path, uint64_t limit, int *status, int *err,
                        const char **why, int64_t *size) {
  *err = 0;
  *status = POLICY_ERR_IO;
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    *err = errno;
    *why = strerror(errno);
    return -1;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    *why = strerror(errno);
    close(fd);
    return -1;
  }
  if (!S_ISREG(st.st_mode)) {
    *why = S_ISDIR(st.st_mode)   ? "is a directory"
           : S_ISFIFO(st.st_mode) ? "is a FIFO, not a regular file"
           : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)
               ? "is a device, not a regular file"
               : "is not a regular file";
    close(fd);
    return -1;
  }
  if ((uint64_t)st.st_size > limit) {
    *status = POLICY_ERR_LIMIT;
    *why = "input is larger than the limit POLICY_LIMIT_INPUT_BYTES";
    close(fd);
    return -1;
  }
  *size = st.st_size;
  return fd; /* O_NONBLOCK stays: a regular file ignores it (see blocking) */
}

static int open_regular(policy_engine *e, const char *path, int *status, int64_t *size) {
  int err;
  const char *why;
  int fd = open_checked(path, e->max_input, status, &err, &why, size);
  if (fd >= 0) return fd;
  if (*status == POLICY_ERR_LIMIT)
    *status = api_fail(e, POLICY_ERR_LIMIT,
                       "input is larger than the limit POLICY_LIMIT_INPUT_BYTES "
                       "(%llu bytes)",
                       (unsigned long long)e->max_input);
  else
    *status = api_fail(e, POLICY_ERR_IO, "%s", why);
  return -1;
}

int api_read_regular(policy_engine *e, const char *path, char **out, size_t *len,
                     pol_buf *why) {
  int status, err;
  const char *reason;
  int64_t size;
  int fd = open_checked(path, e->max_input, &status, &err, &reason, &size);
  if (fd < 0) {
    if (err == ENOENT || err == ENOTDIR) return API_READ_MISSING;
    pol_buf_puts(why, reason);
    return API_READ_FAIL;
  }
  status = read_all(e, fd, e->max_input, size, out, len);
  close(fd);
  if (status == POLICY_ERR_NOMEM) return API_READ_NOMEM;
  if (status != POLICY_OK) {
    pol_buf_puts(why, policy_engine_errmsg(e));
    return API_READ_FAIL;
  }
  return API_READ_OK;
}

int api_read_named(policy_engine *e, const char *path, uint64_t limit,
                   const char *raise, char **out, size_t *len) {
  int status, err;
  const char *why;
  int64_t size;
  int fd = open_checked(path, limit, &status, &err, &why, &size);
  if (fd < 0 && status == POLICY_ERR_LIMIT)
    return api_fail(e, status, "%s: larger than the limit of %llu bytes %s", path,
                    (unsigned long long)limit, raise);
  if (fd < 0) return api_fail(e, status, "%s: %s", path, why);
  status = read_all(e, fd, limit, size, out, len);
  close(fd);
  if (status == POLICY_ERR_LIMIT) /* it grew after the check */
    return api_fail(e, status, "%s: larger than the limit of %llu bytes %s", path,
                    (unsigned long long)limit, raise);
  if (status == POLICY_ERR_IO)
    return api_fail(e, status, "%s: %s", path, policy_engine_errmsg(e));
  return status;
}

int policy_parse_file(policy_document **out, policy_engine *e,
                      const char *path, int kind) {
  if (out == NULL || e == NULL || path == NULL)
    return api_fail(e, POLICY_ERR_INVALID, "policy_parse_file: NULL argument");
  int status = POLICY_OK;
  int64_t size;
  int fd = open_regular(e, path, &status, &size);
  if (fd < 0) return status;
  char *data;
  size_t len;
  status = read_all(e, fd, e->max_input, size, &data, &len);
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
  int status = read_all(e, fd, e->max_input, -1, &data, &len);
  if (status != POLICY_OK) return status;
  status = policy_parse_buffer(out, e, path, data, len, kind);
  pol_free(data);
  return status;
}
