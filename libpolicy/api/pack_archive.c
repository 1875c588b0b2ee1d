/*
** pack_archive.c: packs as .tar.gz files (see pack.h).
**
** libarchive (Debian's libarchive-dev) reads and writes the archives,
** through api_la (archive_lib.h: opened on first use, not linked);
** nettle (nettle-dev, which libarchive itself uses on Debian) computes
** SHA-256. An archive is untrusted input: its bytes are hashed and checked
** before libarchive sees them, it is read from memory (never extracted to
** disk), and it is refused whole, with the entry named, for anything a
** pack does not hold: links, devices, FIFOs, absolute paths, "." or ".."
** parts, paths or files over the bounds of pack.h. So no entry can reach
** outside the pack, and the gzip stream cannot make us hold more than
** API_PACK_MAX_TOTAL bytes, whatever its headers claim.
*/
#include <ctype.h>
#include <errno.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../core/alloc.h"
#include "../core/buf.h"
#include "archive_lib.h"
#include "pack.h"

/* libarchive's message, which may be missing. */
static const char *why(struct archive *a) {
  const char *s = a ? api_la.archive_error_string(a) : NULL;
  return s ? s : "unknown error";
}

static void hex_digest(struct sha256_ctx *ctx, char out[65]) {
  uint8_t d[SHA256_DIGEST_SIZE];
  sha256_digest(ctx, sizeof d, d);
  for (size_t i = 0; i < sizeof d; i++) snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static bool valid_hex64(const char *s) {
  size_t n = 0;
  for (; s[n]; n++)
    if (!isxdigit((unsigned char)s[n])) return false;
  return n == 64;
}

/* ---- reading -------------------------------------------------------- */

/* The entry's path made relative and checked; false (message set) when
** the archive must be refused. Directories lose their trailing '/'. */
static bool clean_path(policy_engine *e, const char *where, const char *raw, char *out,
                       size_t size, int *status) {
  *status = POLICY_ERR_PARSE;
  if (raw == NULL) {
    api_fail(e, *status, "%s: an entry without a readable name", where);
    return false;
  }
  const char *p = raw;
  while (p[0] == '.' && p[1] == '/') p += 2;
  size_t n = strlen(p);
  while (n > 0 && p[n - 1] == '/') n--;
  if (raw[0] == '/' || strchr(raw, '\\')) {
    api_fail(e, *status, "%s: entry '%.200s' has an absolute or Windows path; a pack's paths are "
             "relative", where, raw);
    return false;
  }
  if (n > API_PACK_MAX_PATH) {
    *status = POLICY_ERR_LIMIT;
    api_fail(e, *status, "%s: entry '%.100s...' has a path longer than %d bytes (a fixed limit "
             "for packs)", where, raw, API_PACK_MAX_PATH);
    return false;
  }
  memcpy(out, p, n);
  out[n] = '\0';
  int depth = 0;
  for (const char *part = out; *part;) {
    size_t len = strcspn(part, "/");
    if (len == 0 || (len == 1 && part[0] == '.') || (len == 2 && part[0] == '.' && part[1] == '.')) {
      api_fail(e, *status, "%s: entry '%.200s' has an empty, '.' or '..' part: a pack's entries "
               "stay inside the pack", where, raw);
      return false;
    }
    if (++depth > API_PACK_MAX_DEPTH + 1) {
      *status = POLICY_ERR_LIMIT;
      api_fail(e, *status, "%s: entry '%.200s' is nested deeper than %d folders (a fixed limit "
               "for packs)", where, raw, API_PACK_MAX_DEPTH);
      return false;
    }
    part += len + (part[len] == '/');
  }
  (void)size;
  return true;
}

/* What kind of entry a pack may not hold, or NULL. */
static const char *refused_kind(struct archive_entry *ent) {
  if (api_la.archive_entry_hardlink(ent)) return "a hard link";
  switch (api_la.archive_entry_filetype(ent)) {
  case AE_IFREG: case AE_IFDIR: return NULL;
  case AE_IFLNK: return "a symbolic link";
  case AE_IFCHR: case AE_IFBLK: return "a device";
  case AE_IFIFO: return "a FIFO";
  case AE_IFSOCK: return "a socket";
  default: return "not a regular file";
  }
}

/* The entry's bytes, at most API_PACK_MAX_FILE and what is left of the
** total; NULL with the message set otherwise. */
static char *read_entry(policy_engine *e, const char *where, struct archive *a,
                        const char *name, size_t room, size_t *len, int *status) {
  pol_buf b = POL_BUF_INIT;
  char chunk[16384];
  size_t cap = room < API_PACK_MAX_FILE ? room : API_PACK_MAX_FILE;
  for (;;) {
    la_ssize_t n = api_la.archive_read_data(a, chunk, sizeof chunk);
    if (n == 0) break;
    if (n < 0) {
      pol_buf_free(&b);
      *status = api_fail(e, POLICY_ERR_PARSE, "%s: %s: %s", where, name, why(a));
      return NULL;
    }
    if ((size_t)n > cap - b.len) {
      pol_buf_free(&b);
      *status = api_fail(e, POLICY_ERR_LIMIT, "%s: %s: the pack's files are larger than %u bytes "
                         "(a fixed limit for packs)", where, name,
                         cap == room ? API_PACK_MAX_TOTAL : API_PACK_MAX_FILE);
      return NULL;
    }
    pol_buf_append(&b, chunk, (size_t)n);
  }
  char *data = pol_buf_detach(&b, len);
  if (data == NULL) *status = api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  return data;
}

/* Takes a single top folder holding pack.yaml off every path. */
static int strip_top(policy_engine *e, api_pack_files *f) {
  if (f->n == 0 || api_pack_files_get(f, "pack.yaml")) return POLICY_OK;
  const char *first = f->items[0].path, *slash = strchr(first, '/');
  if (slash == NULL) return POLICY_OK;
  size_t n = (size_t)(slash - first) + 1;
  for (size_t i = 1; i < f->n; i++)
    if (strncmp(f->items[i].path, first, n) != 0) return POLICY_OK;
  char manifest[API_PACK_MAX_PATH + 16];
  snprintf(manifest, sizeof manifest, "%.*spack.yaml", (int)n, first);
  if (api_pack_files_get(f, manifest) == NULL) return POLICY_OK;
  for (size_t i = 0; i < f->n; i++) {
    char *p = f->items[i].path;
    memmove(p, p + n, strlen(p + n) + 1);
  }
  (void)e;
  return POLICY_OK;
}

int api_pack_read_archive(policy_engine *e, const char *path, const char *sha256,
                          api_pack_files *out, char digest[65]) {
  *out = (api_pack_files){NULL, 0, 0};
  if (sha256 && !valid_hex64(sha256))
    return api_fail(e, POLICY_ERR_INVALID, "%s: the expected SHA-256 must be 64 hex digits", path);
  char *bytes;
  size_t len;
  int rc = api_read_named(e, path, API_PACK_MAX_ARCHIVE, "(a fixed limit for pack archives)",
                          &bytes, &len);
  if (rc != POLICY_OK) return rc;
  struct sha256_ctx ctx;
  sha256_init(&ctx);
  sha256_update(&ctx, len, (const uint8_t *)bytes);
  hex_digest(&ctx, digest);
  if (sha256 && strcasecmp(sha256, digest) != 0) {
    pol_free(bytes);
    return api_fail(e, POLICY_ERR_PARSE, "%s: its SHA-256 is %s, not the %s expected: refused "
                    "(a changed or corrupt pack)", path, digest, sha256);
  }
  if (!api_la_open(e)) {
    pol_free(bytes);
    return POLICY_ERR_UNSUPPORTED;
  }
  struct archive *a = api_la.archive_read_new();
  if (a == NULL) {
    pol_free(bytes);
    return api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  }
  api_la.archive_read_support_filter_gzip(a);
  api_la.archive_read_support_format_tar(a);
  if (api_la.archive_read_open_memory(a, bytes, len) != ARCHIVE_OK)
    rc = api_fail(e, POLICY_ERR_PARSE, "%s: not a .tar.gz archive: %s", path,
                  why(a));
  struct archive_entry *ent;
  size_t entries = 0;
  while (rc == POLICY_OK) {
    int h = api_la.archive_read_next_header(a, &ent);
    if (h == ARCHIVE_EOF) break;
    if (h != ARCHIVE_OK && h != ARCHIVE_WARN) {
      rc = api_fail(e, POLICY_ERR_PARSE, "%s: not a readable .tar.gz archive: %s", path,
                    why(a));
      break;
    }
    if (++entries > API_PACK_MAX_ENTRIES) {
      rc = api_fail(e, POLICY_ERR_LIMIT, "%s: more than %u entries (a fixed limit for packs)",
                    path, API_PACK_MAX_ENTRIES);
      break;
    }
    char rel[API_PACK_MAX_PATH + 1];
    const char *raw = api_la.archive_entry_pathname(ent);
    if (!clean_path(e, path, raw, rel, sizeof rel, &rc)) break;
    rc = POLICY_OK;
    const char *kind = refused_kind(ent);
    if (kind) {
      rc = api_fail(e, POLICY_ERR_PARSE, "%s: entry '%.200s' is %s: a pack holds regular files "
                    "and folders only", path, raw, kind);
      break;
    }
    if (api_la.archive_entry_filetype(ent) == AE_IFDIR || rel[0] == '\0') continue;
    if (api_la.archive_entry_size_is_set(ent) &&
        (api_la.archive_entry_size(ent) < 0 ||
         api_la.archive_entry_size(ent) > (la_int64_t)API_PACK_MAX_FILE)) {
      rc = api_fail(e, POLICY_ERR_LIMIT, "%s: entry '%.200s' is larger than %u bytes (a fixed "
                    "limit for packs)", path, raw, API_PACK_MAX_FILE);
      break;
    }
    size_t n;
    char *data = read_entry(e, path, a, rel, API_PACK_MAX_TOTAL - out->total, &n, &rc);
    if (data == NULL) break;
    rc = api_pack_files_add(e, path, out, rel, data, n);
  }
  api_la.archive_read_free(a);
  pol_free(bytes);
  if (rc == POLICY_OK) rc = api_pack_files_finish(e, path, out);
  if (rc == POLICY_OK) rc = strip_top(e, out);
  if (rc != POLICY_OK) api_pack_files_free(out);
  return rc;
}

/* ---- writing -------------------------------------------------------- */

typedef struct sink {
  FILE *f;
  struct sha256_ctx ctx;
  bool failed;
} sink;

static la_ssize_t sink_write(struct archive *a, void *ud, const void *p, size_t n) {
  (void)a;
  sink *s = ud;
  if (fwrite(p, 1, n, s->f) != n) {
    s->failed = true;
    return -1;
  }
  sha256_update(&s->ctx, n, p);
  return (la_ssize_t)n;
}

static int add_entry(struct archive *a, const char *name, bool dir, const char *data, size_t len) {
  struct archive_entry *ent = api_la.archive_entry_new();
  if (ent == NULL) return ARCHIVE_FATAL;
  api_la.archive_entry_set_pathname(ent, name);
  api_la.archive_entry_set_filetype(ent, dir ? AE_IFDIR : AE_IFREG);
  api_la.archive_entry_set_perm(ent, dir ? 0755 : 0644);
  api_la.archive_entry_set_size(ent, dir ? 0 : (la_int64_t)len);
  api_la.archive_entry_set_mtime(ent, 0, 0);
  api_la.archive_entry_set_uid(ent, 0);
  api_la.archive_entry_set_gid(ent, 0);
  int rc = api_la.archive_write_header(a, ent);
  if (rc == ARCHIVE_OK && !dir && len && api_la.archive_write_data(a, data, len) != (la_ssize_t)len)
    rc = ARCHIVE_FATAL;
  api_la.archive_entry_free(ent);
  return rc;
}

/* Writes the folders of `path` (top/a/b/file: top/a/, top/a/b/) that come
** after `done` (the last folder written). */
static int add_parents(struct archive *a, const char *path, pol_buf *done) {
  for (const char *s = strchr(path, '/'); s; s = strchr(s + 1, '/')) {
    size_t n = (size_t)(s - path) + 1;
    if (done->len >= n && strncmp(done->data, path, n) == 0) continue;
    pol_buf_clear(done);
    pol_buf_append(done, path, n);
    if (done->oom) return ARCHIVE_FATAL; /* (the caller tells it from an I/O failure) */
    if (add_entry(a, done->data, true, NULL, 0) != ARCHIVE_OK) return ARCHIVE_FATAL;
  }
  return ARCHIVE_OK;
}

int api_pack_write_archive(policy_engine *e, const char *path, const char *top,
                           const api_pack_files *files, char digest[65]) {
  if (!api_la_open(e)) return POLICY_ERR_UNSUPPORTED;
  sink s;
  memset(&s, 0, sizeof s);
  s.f = fopen(path, "wb");
  if (s.f == NULL) return api_fail(e, POLICY_ERR_IO, "%s: %s", path, strerror(errno));
  sha256_init(&s.ctx);
  struct archive *a = api_la.archive_write_new();
  int rc = a ? ARCHIVE_OK : ARCHIVE_FATAL;
  if (rc == ARCHIVE_OK) rc = api_la.archive_write_add_filter_gzip(a);
  if (rc == ARCHIVE_OK) rc = api_la.archive_write_set_options(a, "gzip:!timestamp");
  if (rc == ARCHIVE_OK) rc = api_la.archive_write_set_format_ustar(a);
  if (rc == ARCHIVE_OK) rc = api_la.archive_write_open2(a, &s, NULL, sink_write, NULL, NULL);
  pol_buf done = POL_BUF_INIT, name = POL_BUF_INIT;
  for (size_t i = 0; rc == ARCHIVE_OK && i < files->n; i++) {
    pol_buf_clear(&name);
    pol_buf_printf(&name, "%s/%s", top, files->items[i].path);
    if (name.oom) rc = ARCHIVE_FATAL;
    if (rc == ARCHIVE_OK) rc = add_parents(a, name.data, &done);
    if (rc == ARCHIVE_OK)
      rc = add_entry(a, name.data, false, files->items[i].data, files->items[i].len);
  }
  if (rc == ARCHIVE_OK) rc = api_la.archive_write_close(a);
  int status = POLICY_OK;
  if (done.oom || name.oom)
    status = api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  else if (rc != ARCHIVE_OK || s.failed)
    status = api_fail(e, POLICY_ERR_IO, "%s: writing the archive failed: %s", path,
                      s.failed ? strerror(errno) : why(a));
  if (a) api_la.archive_write_free(a);
  if (fclose(s.f) != 0 && status == POLICY_OK)
    status = api_fail(e, POLICY_ERR_IO, "%s: %s", path, strerror(errno));
  pol_buf_free(&done);
  pol_buf_free(&name);
  if (status == POLICY_OK) hex_digest(&s.ctx, digest);
  else remove(path);
  return status;
}
