/*
** archive_lib.h: libarchive, opened (dlopen) the first time a pack
** archive is read or written, not linked into the library: with ICU and
** libxml2 behind it, linking it cost every process that loads libpolicy
** about 5.3M instructions of the dynamic loader's relocations, for a
** feature most runs never use.
**
** Call api_la_open first; after it returned true, api_la holds every
** function pack_archive.c calls, under its libarchive name (the types
** come from archive.h: __typeof__ of each declaration, so a pointer can
** never disagree with the header the library was built with).
*/
#ifndef POL_API_ARCHIVE_LIB_H
#define POL_API_ARCHIVE_LIB_H

#include <archive.h>
#include <archive_entry.h>
#include <stdbool.h>

#include "internal.h"

#define API_LA_FUNCTIONS(X) \
  X(archive_entry_filetype) X(archive_entry_free) X(archive_entry_hardlink) \
  X(archive_entry_new) X(archive_entry_pathname) X(archive_entry_set_filetype) \
  X(archive_entry_set_gid) X(archive_entry_set_mtime) X(archive_entry_set_pathname) \
  X(archive_entry_set_perm) X(archive_entry_set_size) X(archive_entry_set_uid) \
  X(archive_entry_size) X(archive_entry_size_is_set) X(archive_error_string) \
  X(archive_read_data) X(archive_read_free) X(archive_read_new) \
  X(archive_read_next_header) X(archive_read_open_memory) \
  X(archive_read_support_filter_gzip) X(archive_read_support_format_tar) \
  X(archive_write_add_filter_gzip) X(archive_write_close) X(archive_write_data) \
  X(archive_write_free) X(archive_write_header) X(archive_write_new) \
  X(archive_write_open2) X(archive_write_set_format_ustar) X(archive_write_set_options)

typedef struct api_la_functions {
#define API_LA_FIELD(name) __typeof__(name) *name;
  API_LA_FUNCTIONS(API_LA_FIELD)
#undef API_LA_FIELD
} api_la_functions;

/* Set by api_la_open; read-only once it returned true. */
extern api_la_functions api_la;

/* Opens libarchive once per process (thread-safe); true when every
** function was found. Otherwise fails `e` with POLICY_ERR_UNSUPPORTED and
** a message naming the library, and returns false. */
bool api_la_open(policy_engine *e);

#endif
