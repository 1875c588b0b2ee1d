/*
** norm.h: normalising one Compose service into a `container` node
** (docs/model.md). The readers cast values as compose-go does after
** interpolation (booleans from "true"/"yes"/..., numbers from strings);
** a value of the wrong type is an error at its position and leaves the
** field null, never a guessed default. A value that needs a variable
** without a value is unknown: null for booleans and numbers, the text as
** written for strings; its variables go to the container's `unresolved`.
*/
#ifndef POL_COMPOSE_NORM_H
#define POL_COMPOSE_NORM_H

#include "ctx.h"

typedef struct cmp_svc {
  cmp_ctx *c;
  pm_builder *pm;         /* &c->pm */
  const char *name;
  size_t name_len;
  pm_value *src;          /* the service mapping */
  pm_value *ctr;          /* the container being built */
  pm_value *unresolved;   /* its `unresolved` list */
  pm_value *unresolved_seen; /* the same names, as a map */
  pol_buf tmp;
} cmp_svc;

/* Problems with a field: `field` is its path under the service
** ("deploy.resources.limits.memory"). */
void cmp_svc_error(cmp_svc *s, const pm_value *at, const char *field,
                   const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
void cmp_svc_warning(cmp_svc *s, const pm_value *at, const char *field,
                     const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* True when v is a string that needed variables without a value; their
** names are added to `unresolved`. */
bool cmp_unknown(cmp_svc *s, const pm_value *v);

/* True when p[0..n), a part of v's text, needs a variable without a value
** (v is then unknown as a whole; other parts may be known). */
bool cmp_part_unknown(cmp_svc *s, const pm_value *v, const char *p, size_t n);

/* Typed readers: the model value, or a null at v's position when v is
** null, unknown or invalid (invalid: an error). */
pm_value *cmp_read_bool(cmp_svc *s, const pm_value *v, const char *field);
pm_value *cmp_read_int(cmp_svc *s, const pm_value *v, const char *field);
pm_value *cmp_read_number(cmp_svc *s, const pm_value *v, const char *field);
pm_value *cmp_read_string(cmp_svc *s, const pm_value *v, const char *field);
/* Byte sizes ("512m", "1gb", 1024): bytes. */
pm_value *cmp_read_bytes(cmp_svc *s, const pm_value *v, const char *field);
/* Durations ("1m30s"): seconds. */
pm_value *cmp_read_duration(cmp_svc *s, const pm_value *v, const char *field);
/* A list of strings (numbers as text); `single`: one string is a list of
** one. Returns an array (empty when v is null or invalid). */
pm_value *cmp_read_strings(cmp_svc *s, const pm_value *v, const char *field,
                           bool single);
/* A mapping or a "KEY=VALUE" list as a map of strings; KEY alone, or a
** null value, is null. */
pm_value *cmp_read_dict(cmp_svc *s, const pm_value *v, const char *field);

/* The text of a scalar (strings, numbers, booleans) into s->tmp;
** false for other values. */
bool cmp_scalar_text(cmp_svc *s, const pm_value *v);

/* Unknown-key check: every key of `m` must be in `allowed` (NULL-ended)
** or start with "x-". */
void cmp_check_keys(cmp_svc *s, const pm_value *m, const char *field,
                    const char *const *allowed);

/* The parts of the container (service.c, service_volumes.c, service_ports.c,
** resources.c, lifecycle.c, service_env.c). */
void cmp_svc_mounts(cmp_svc *s);
void cmp_svc_ports(cmp_svc *s);
void cmp_svc_resources(cmp_svc *s);
void cmp_svc_lifecycle(cmp_svc *s);
void cmp_svc_environment(cmp_svc *s);

/* The container of one service; *build is set when it builds its image. */
pm_value *cmp_service(cmp_ctx *c, const char *name, size_t name_len,
                      pm_value *svc, cmp_build_req *build, bool *builds);

#endif
