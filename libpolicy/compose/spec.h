/*
** spec.h: the short syntaxes of Compose that name ports, volumes and
** devices in one string, split into their parts. Shared by the model
** builder and by merging (which keys list entries by their target).
*/
#ifndef POL_COMPOSE_SPEC_H
#define POL_COMPOSE_SPEC_H

#include <stdbool.h>
#include <stddef.h>

/* [[IP:](HOST|RANGE):](PORT|RANGE)[/PROTO], as Docker's nat.ParsePortSpec
** reads it: more than three ':'-parts make everything before the last two
** the IP; "[v6]" brackets are removed. */
typedef struct cmp_port {
  const char *ip;          /* NULL: not given (all interfaces) */
  size_t ip_len;
  long host, host_end;     /* -1: not given (a random host port) */
  long target, target_end;
  char proto[8];           /* lower case; "tcp" when not given */
  const char *error;       /* why the spec is invalid, or NULL */
} cmp_port;

/* Parses s[0..n); false (with p->error) when it is invalid. */
bool cmp_port_parse(const char *s, size_t n, cmp_port *p);

/* Port numbers and ranges "80", "8000-8010". */
bool cmp_port_range(const char *s, size_t n, long *lo, long *hi);

/* [SOURCE:]TARGET[:OPTIONS] as compose-go reads it: ':' after a single
** letter starts a Windows drive path, not a new part; ':' inside ${...}
** does not split. */
typedef struct cmp_volume {
  const char *src;         /* NULL: an anonymous volume */
  size_t src_len;
  const char *dst;
  size_t dst_len;
  const char *opts;        /* comma-separated, or NULL */
  size_t opts_len;
  bool bind;               /* the source is a path, not a volume name */
  const char *error;
} cmp_volume;

bool cmp_volume_parse(const char *s, size_t n, cmp_volume *v);

/* HOST[:CONTAINER[:PERMISSIONS]]. */
typedef struct cmp_device {
  const char *host, *container, *perms;  /* container, perms may be NULL */
  size_t host_len, container_len, perms_len;
  const char *error;
} cmp_device;

bool cmp_device_parse(const char *s, size_t n, cmp_device *d);

#endif
