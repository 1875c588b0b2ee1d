/*
** insp.h: what the modules of the inspect builder share.
**
**  - insp_ctx: the document being built, its diagnostics and the model
**    builder (model/build.h: every builder call is a no-op returning NULL
**    once an allocation has failed);
**  - views (fields.c): reading the JSON tree the way the Engine's Go
**    decoder reads it into its structs, with type errors reported;
**  - the pieces of the model each source shares (config_fields.c, ports.c,
**    mounts.c, security.c, container.c, image.c, request.c, route.c).
**
** Source nodes come from posjson.h: every member value's position starts at
** its key. Scalars of the source tree are reused as model values (the tree
** is immutable once parsed); containers of the model are always new nodes.
*/
#ifndef POL_INSPECT_INSP_H
#define POL_INSPECT_INSP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../model/build.h"
#include "../model/value.h"
#include "posjson.h"

/* ---- context and diagnostics (ctx.c) ------------------------------------- */

typedef struct insp_ctx {
  pm_builder pm;              /* the arena and the sticky out-of-memory flag */
  pm_value *doc;
  const char *path;           /* the input's name */
  insp_json_limits lim;       /* for the input and any RequestBody in it */
  bool over_limit;            /* a RequestBody had more than lim.max_nodes */
  /* While a decoded AuthZ RequestBody is read: the RequestBody member in
  ** the file. Diagnostics about body values (whose positions name the
  ** virtual file "<path>#RequestBody") are placed there, the position
  ** inside the body going into the message. */
  pm_pos body_at;
} insp_ctx;

void insp_error(insp_ctx *c, pm_pos pos, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
void insp_warning(insp_ctx *c, pm_pos pos, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* The source node when it is a non-empty string, else null at `pos`
** (the source's own position when there is a source). */
pm_value *insp_str_or_null(insp_ctx *c, const pm_value *src, pm_pos pos);
/* The source node when there is one (any type), else null at pos. */
pm_value *insp_or_null(insp_ctx *c, const pm_value *src, pm_pos pos);

/* ---- views: Go's decoding of a JSON object into a struct (fields.c) ------
**
** Go's encoding/json matches a key to a struct field by exact name, else
** case-insensitively (Unicode simple folding: "privileged" and
** "PRIVILEGED" both set Privileged, and U+212A KELVIN SIGN and U+017F
** LONG S fold to 'k' and 's'). Members are applied in document order, so
** the last key that matches wins. null leaves a plain value untouched but
** resets a pointer, slice or map (`nullable`); a later object for a struct
** or map field merges into the earlier one. A view is the list of objects
** that make up one struct value under those rules. Keys matched only by
** folding get a warning: they are how a policy that compares exact names
** is bypassed. Map keys (Labels, Sysctls, ...) are data: exact. */

typedef struct insp_view {
  const pm_value **parts; /* PM_MAP nodes, in document order */
  size_t n;
  pm_pos pos;             /* the last object that set it */
  const char *path;       /* "HostConfig", for messages; "" at the top */
} insp_view;

/* Whether obj (a PM_MAP) has a key that sets field `name` (no warning). */
bool insp_has(const pm_value *obj, const char *name);
/* A view of one object (a top-level value or an array element). */
insp_view insp_view_one(insp_ctx *c, const pm_value *obj, const char *path);
/* The struct or map field `name` of v. False (out->n == 0) when absent. */
bool insp_sub(insp_ctx *c, const insp_view *v, const char *name, bool nullable,
              insp_view *out);
/* The value of field `name` when it holds `want` (PM_BOOL, PM_INT, PM_STR,
** PM_ARR, or PM_NULL for any type); NULL when absent or null. A value of
** another type is an error and is ignored, as the Engine rejects the
** request. */
const pm_value *insp_field(insp_ctx *c, const insp_view *v, const char *name,
                           pm_type want, bool nullable);
/* The members of a map field as one PM_MAP of source nodes (exact keys,
** the last one winning); NULL when the view is empty. */
const pm_value *insp_merged(insp_ctx *c, const insp_view *m);
/* "HostConfig.Mounts[3]" and the like, in the arena. */
const char *insp_path(insp_ctx *c, const char *base, const char *name,
                      long index);
/* "an integer", "a string", ... for messages. */
const char *insp_type_name(pm_type t);
/* Calls fn(c, out, item, "<path>[i]") for each item of arr that has type
** `want`, reporting the others; nothing when arr or out is NULL. */
typedef void (*insp_item_fn)(insp_ctx *c, pm_value *out, const pm_value *item,
                             const char *path);
void insp_each(insp_ctx *c, pm_value *out, const pm_value *arr,
               const char *path, pm_type want, insp_item_fn fn);
/* True when item is a string; else reports "<path>[i] must be a string". */
bool insp_str_item(insp_ctx *c, const pm_value *item, const char *path,
                   size_t index);

/* ---- shared pieces of Config (config_fields.c) --------------------------- */

/* Env ["K=V", ...] as a map; "K" alone maps to null. */
pm_value *insp_env(insp_ctx *c, const pm_value *list, const char *path,
                   pm_pos pos);
/* A map of string values (Labels, Sysctls, LogConfig.Config). */
pm_value *insp_string_map(insp_ctx *c, const insp_view *m, pm_pos pos);
/* A list of the strings of an array (non-strings reported and skipped). */
pm_value *insp_string_list(insp_ctx *c, const pm_value *arr, const char *path,
                           pm_pos pos);
/* Config.Healthcheck as the model's healthcheck, or null. */
pm_value *insp_healthcheck(insp_ctx *c, const insp_view *cfg);

/* ---- ports (ports.c) ----------------------------------------------------- */

typedef struct insp_port {
  long port, end_port;
  char proto[8]; /* lower case: tcp, udp, sctp */
} insp_port;

/* "80", "80/tcp", "8000-8010/udp" (Docker's nat.ParsePortSpec for keys of
** ExposedPorts and PortBindings). False when malformed. */
bool insp_parse_port(const char *s, size_t n, insp_port *out);
/* Config.ExposedPorts keys as the image model's expose list. */
pm_value *insp_image_expose(insp_ctx *c, const insp_view *cfg, pm_pos pos);
/* Container ports and expose from HostConfig.PortBindings,
** PublishAllPorts and Config.ExposedPorts. */
void insp_container_ports(insp_ctx *c, const insp_view *cfg,
                          const insp_view *host, pm_value *ctr);

/* ---- mounts (mounts.c) --------------------------------------------------- */

/* Fills `mounts` and `tmpfs` of ctr. `effective` is the top-level Mounts
** list of container inspect (NULL for a create body): when present it is
** used instead of Binds and HostConfig.Mounts. */
void insp_container_mounts(insp_ctx *c, const insp_view *host,
                           const pm_value *effective, const char *eff_path,
                           pm_value *ctr);

/* ---- security (security.c) ----------------------------------------------- */

/* cap_add, cap_drop, security of ctr; `apparmor` is container inspect's
** AppArmorProfile (NULL otherwise). */
void insp_container_security(insp_ctx *c, const insp_view *host,
                             const pm_value *apparmor, pm_value *ctr);

/* ---- containers and images (container.c, image.c) ------------------------ */

typedef struct insp_container_src {
  const char *origin;      /* "inspect" or "request" */
  const pm_value *node;    /* the object the container came from */
  insp_view cfg;           /* Config fields (the body itself for a request) */
  insp_view host;          /* HostConfig (may be empty) */
  const pm_value *name;    /* Name ("/x") or the request's ?name=, or NULL */
  const pm_value *apparmor;/* AppArmorProfile, or NULL */
  const pm_value *image_id;/* inspect's top-level Image (the ID), or NULL */
  const pm_value *mounts;  /* top-level Mounts, or NULL */
  insp_view netset;        /* NetworkSettings (may be empty) */
  insp_view netcfg;        /* NetworkingConfig (may be empty) */
} insp_container_src;

/* Builds one container of the model and appends it to doc.containers.
** Returns it (NULL on out-of-memory). */
pm_value *insp_container(insp_ctx *c, const insp_container_src *src);
/* resources from a view holding Resources fields (HostConfig or an update
** body); cfg may be NULL (Config.Memory of very old engines). */
pm_value *insp_resources(insp_ctx *c, const insp_view *host,
                         const insp_view *cfg);
/* restart from RestartPolicy in v, or null. */
pm_value *insp_restart(insp_ctx *c, const insp_view *v);
/* devices from the Devices field of v (HostConfig or an update body). */
pm_value *insp_devices(insp_ctx *c, const insp_view *v);

/* Image inspect or an image config blob (`lower`: lower-case top-level
** keys) into an image of doc.images. */
void insp_image(insp_ctx *c, const pm_value *node, bool lower);

/* ---- requests (request.c, route.c) --------------------------------------- */

/* A create body on its own (origin "request"). */
void insp_create_body(insp_ctx *c, const pm_value *node);
/* An AuthZ plugin request (AuthZPlugin.AuthZReq or AuthZRes body). */
void insp_authz(insp_ctx *c, const pm_value *node, const char *path);

/* What a request grants beyond a container (request_grants.c): the
** limits an update body lifts and the devices it names (into the
** request_update `u`, from the body's view v); the image an
** /images/create pulls and the privileges a plugin install or upgrade
** grants (into the request `req`; body may be NULL). */
void insp_update_grants(insp_ctx *c, const insp_view *v, pm_value *u);
void insp_request_grants(insp_ctx *c, pm_value *req, const char *route,
                         const char *method, const char *path,
                         const pm_value *body, const pm_value *query, pm_pos pos);

typedef struct insp_route {
  const char *route;  /* "/containers/{id}/exec", or NULL when unknown */
  bool needs_body;    /* the route's settings travel in a JSON body */
} insp_route;

/* The value of a hexadecimal digit, or -1. */
int insp_hex_digit(char ch);
/* Matches a method and a normalised path (see route.c) to the Engine API. */
insp_route insp_route_match(const char *method, const char *path);
/* The path of a request URI as the Engine's router sees it: query cut,
** %XX decoded, "//", "." and ".." resolved, "/v1.NN" prefix removed (into
** *version, NUL-terminated, when there is one; version has room for 16).
** Returns an arena string, or NULL on out-of-memory. */
char *insp_route_path(insp_ctx *c, const char *uri, size_t n, char *version);

#endif
