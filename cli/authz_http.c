/*
** authz_http.c: the Docker plugin protocol of `policy authz serve` over
** HTTP, served by libmicrohttpd (Debian's libmicrohttpd-dev: the HTTP
** parsing, Content-Length and chunked bodies, connection limits and
** timeouts are its job, not ours).
**
**   POST /Plugin.Activate        -> {"Implements": ["authz"]}
**   POST /AuthZPlugin.AuthZReq   -> {"Allow": bool, "Msg": "...", "Err": "..."}
**   POST /AuthZPlugin.AuthZRes   -> the same, for the daemon's response
**
** One thread per connection (at most max_connections); each waits for
** its answer from the evaluation pool until the deadline. Bounded
** memory: a body over max_body is refused from its Content-Length before
** it is read (or as soon as a chunked body passes it), and the bodies of
** every connection together never hold more than max_buffered bytes. An
** AuthZ call that is refused is still answered 200 with Allow false and
** the reason, so the daemon denies the request and tells the client why.
**
** libmicrohttpd is opened (dlopen) when a server starts, not linked: with
** its TLS and other libraries it was a third of what every `policy` run
** spent starting (the dynamic loader's relocations), for the one command
** that serves. Without it `policy authz serve` fails with a message
** naming it; every other command runs.
*/
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "authz.h"

#ifndef POL_MHD_SONAME
#error "cli/meson.build defines POL_MHD_SONAME (the libmicrohttpd to open)"
#endif

/* The libmicrohttpd functions the server calls, set once by mhd_open
** before the first daemon starts (and so before any of its threads). */
static struct {
  struct MHD_Daemon *(*start_daemon)(unsigned int flags, uint16_t port,
                                     MHD_AcceptPolicyCallback apc, void *apc_cls,
                                     MHD_AccessHandlerCallback dh, void *dh_cls, ...);
  void (*stop_daemon)(struct MHD_Daemon *daemon);
  struct MHD_Response *(*create_response_from_buffer)(size_t size, void *buffer,
                                                      enum MHD_ResponseMemoryMode mode);
  enum MHD_Result (*add_response_header)(struct MHD_Response *response, const char *header,
                                         const char *content);
  enum MHD_Result (*queue_response)(struct MHD_Connection *connection, unsigned int status_code,
                                    struct MHD_Response *response);
  void (*destroy_response)(struct MHD_Response *response);
  const char *(*lookup_connection_value)(struct MHD_Connection *connection,
                                         enum MHD_ValueKind kind, const char *key);
} mhd;

/* Opens libmicrohttpd and finds its functions; false (with a message on
** stderr) when it or one of them is missing. */
static bool mhd_open(void) {
  if (mhd.start_daemon) return true;
  void *h = dlopen(POL_MHD_SONAME, RTLD_NOW | RTLD_LOCAL);
  const char *missing = h ? NULL : dlerror();
  struct { const char *name; void **slot; } fns[] = {
    {"MHD_start_daemon", (void **)&mhd.start_daemon},
    {"MHD_stop_daemon", (void **)&mhd.stop_daemon},
    {"MHD_create_response_from_buffer", (void **)&mhd.create_response_from_buffer},
    {"MHD_add_response_header", (void **)&mhd.add_response_header},
    {"MHD_queue_response", (void **)&mhd.queue_response},
    {"MHD_destroy_response", (void **)&mhd.destroy_response},
    {"MHD_lookup_connection_value", (void **)&mhd.lookup_connection_value},
  };
  for (size_t i = 0; h && !missing && i < sizeof fns / sizeof fns[0]; i++)
    if ((*fns[i].slot = dlsym(h, fns[i].name)) == NULL) missing = fns[i].name;
  if (missing == NULL) return true;
  fprintf(stderr, "policy authz: serving needs libmicrohttpd (%s): %s\n", POL_MHD_SONAME,
          missing);
  mhd.start_daemon = NULL; /* all or nothing */
  return false;
}

enum { ROUTE_ACTIVATE, ROUTE_REQ, ROUTE_RES };

static const char content_type[] = "application/vnd.docker.plugins.v1+json";

struct cli_authz_server {
  struct MHD_Daemon *mhd;
  const cli_authz_opts *o;
  cli_authz_pool *pool;
  int fd;
  pthread_mutex_t mu;
  size_t buffered;        /* body bytes reserved by every connection (under mu) */
  char *unlink_path;      /* the unix socket to remove at the end, or NULL */
};

/* What one HTTP request has sent so far. */
typedef struct conn_state {
  int route;
  char *body;
  size_t len, cap;
  size_t reserved;        /* bytes of the server's budget this request holds */
  const char *refuse;     /* answer a deny with this reason, without judging */
  size_t discarded;       /* bytes read and dropped after a refusal mid-upload */
} conn_state;

/* Takes `n` more bytes of the shared budget; false when it has none. */
static bool reserve(cli_authz_server *s, conn_state *c, size_t n) {
  pthread_mutex_lock(&s->mu);
  bool ok = s->buffered + n <= s->o->max_buffered;
  if (ok) {
    s->buffered += n;
    c->reserved += n;
  }
  pthread_mutex_unlock(&s->mu);
  return ok;
}

static enum MHD_Result send_json(struct MHD_Connection *conn, unsigned status, const char *json) {
  struct MHD_Response *r =
      mhd.create_response_from_buffer(strlen(json), (void *)json, MHD_RESPMEM_MUST_COPY);
  if (r == NULL) return MHD_NO;
  mhd.add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
  enum MHD_Result ret = mhd.queue_response(conn, status, r);
  mhd.destroy_response(r);
  return ret;
}

/* {"Allow":...,"Msg":...,"Err":...}; a failure to build it is a closed
** connection (MHD_NO), which the daemon treats as a denial too. */
static enum MHD_Result send_answer(struct MHD_Connection *conn, const cli_authz_answer *a) {
  cli_authz_buf b = {0};
  cli_authz_buf_puts(&b, a->allow ? "{\"Allow\":true,\"Msg\":" : "{\"Allow\":false,\"Msg\":");
  cli_authz_buf_json(&b, a->msg ? a->msg : "");
  if (a->err) {
    cli_authz_buf_puts(&b, ",\"Err\":");
    cli_authz_buf_json(&b, a->err);
  }
  cli_authz_buf_puts(&b, "}");
  enum MHD_Result ret = b.oom ? MHD_NO : send_json(conn, MHD_HTTP_OK, b.data);
  cli_authz_buf_free(&b);
  return ret;
}

static enum MHD_Result send_refusal(struct MHD_Connection *conn, const char *why) {
  char msg[400];
  snprintf(msg, sizeof msg, "policy authz: %s", why);
  cli_authz_answer a = {false, msg, (char *)why};
  return send_answer(conn, &a);
}

static int route_of(const char *url) {
  if (!strcmp(url, "/Plugin.Activate")) return ROUTE_ACTIVATE;
  if (!strcmp(url, "/AuthZPlugin.AuthZReq")) return ROUTE_REQ;
  if (!strcmp(url, "/AuthZPlugin.AuthZRes")) return ROUTE_RES;
  return -1;
}

/* The first call for a request: its headers. Returns MHD_YES to go on
** reading, or the result of an answer queued at once. */
static enum MHD_Result begin(cli_authz_server *s, struct MHD_Connection *conn, const char *url,
                             const char *method, void **con_cls) {
  int route = route_of(url);
  if (route < 0) {
    char json[200];
    snprintf(json, sizeof json, "{\"Err\":\"policy authz: unknown endpoint (this plugin "
             "implements authz)\"}");
    return send_json(conn, MHD_HTTP_NOT_FOUND, json);
  }
  if (strcmp(method, "POST") != 0)
    return send_json(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "{\"Err\":\"policy authz: POST only\"}");
  conn_state *c = calloc(1, sizeof *c);
  if (c == NULL) return MHD_NO;
  c->route = route;
  *con_cls = c;
  const char *cl = mhd.lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
  if (cl && route != ROUTE_ACTIVATE) {
    char *end;
    errno = 0;
    unsigned long long n = strtoull(cl, &end, 10);
    if (end == cl || *end || errno) c->refuse = "the Content-Length header is not a number";
    else if (n > s->o->max_body) c->refuse = "the request is larger than the plugin's limit (--max-request-bytes)";
    else if (!reserve(s, c, (size_t)n)) c->refuse = "too many request bytes are being read at once";
    else if (n > 0 && (c->body = malloc((size_t)n + 1)) == NULL) c->refuse = "out of memory";
    else c->cap = (size_t)n;
    if (c->refuse) return send_refusal(conn, c->refuse);
  }
  return MHD_YES;
}

/* Appends an upload chunk; sets c->refuse when the body must not grow. */
static void take(cli_authz_server *s, conn_state *c, const char *data, size_t n) {
  if (c->route == ROUTE_ACTIVATE || c->refuse) return;
  if (c->len + n > s->o->max_body) {
    c->refuse = "the request is larger than the plugin's limit (--max-request-bytes)";
    return;
  }
  if (c->len + n > c->cap) { /* chunked, or more than declared: MHD stops at the length */
    size_t cap = c->cap ? c->cap : 4096;
    while (cap < c->len + n) cap *= 2;
    if (cap > s->o->max_body) cap = s->o->max_body;
    char *grown = reserve(s, c, cap - c->cap) ? realloc(c->body, cap + 1) : NULL;
    if (grown == NULL) {
      c->refuse = "too many request bytes are being read at once";
      return;
    }
    c->body = grown;
    c->cap = cap;
  }
  memcpy(c->body + c->len, data, n);
  c->len += n;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls) {
  (void)version;
  cli_authz_server *s = cls;
  conn_state *c = *con_cls;
  if (c == NULL) return begin(s, conn, url, method, con_cls);
  if (*upload_size > 0) {
    /* A refusal found mid-upload (a chunked body passing the limit) cannot
    ** be queued before the upload ends: the rest is read and dropped, at
    ** most a few limits' worth, then the denial is sent; a sender that goes
    ** on past that loses the connection (the daemon reads that as a deny). */
    if (c->refuse) c->discarded += *upload_size;
    else take(s, c, upload, *upload_size);
    *upload_size = 0;
    if (c->refuse && c->discarded > 4 * s->o->max_body) return MHD_NO;
    return MHD_YES;
  }
  if (c->route == ROUTE_ACTIVATE) return send_json(conn, MHD_HTTP_OK, "{\"Implements\":[\"authz\"]}");
  if (c->refuse) return send_refusal(conn, c->refuse);
  cli_authz_answer a;
  char *body = c->body ? c->body : malloc(1);
  c->body = NULL; /* the pool owns it now */
  if (body == NULL) return send_refusal(conn, "out of memory");
  body[c->len] = '\0';
  cli_authz_judge(s->pool, body, c->len, c->route == ROUTE_REQ ? "request" : "response", &a);
  enum MHD_Result ret = send_answer(conn, &a);
  cli_authz_answer_free(&a);
  return ret;
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                      enum MHD_RequestTerminationCode why) {
  (void)conn;
  (void)why;
  cli_authz_server *s = cls;
  conn_state *c = *con_cls;
  if (c == NULL) return;
  pthread_mutex_lock(&s->mu);
  s->buffered -= c->reserved;
  pthread_mutex_unlock(&s->mu);
  free(c->body);
  free(c);
  *con_cls = NULL;
}

/* ---- listening --------------------------------------------------------------- */

/* The listen backlog: every connection the server takes at once may be
** waiting to be accepted (the kernel caps it at net.core.somaxconn). */
static int backlog(const cli_authz_opts *o) {
  return o->max_connections > 128 ? (int)o->max_connections : 128;
}

static int listen_unix(const cli_authz_opts *o, const char *path, char **unlink_path) {
  struct sockaddr_un sa = {.sun_family = AF_UNIX};
  if (strlen(path) >= sizeof sa.sun_path) {
    fprintf(stderr, "policy authz: the socket path is too long: %s\n", cli_safe(path));
    return -1;
  }
  strcpy(sa.sun_path, path);
  struct stat st;
  /* A socket left by an earlier run is replaced; anything else is not ours. */
  if (lstat(path, &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) {
      fprintf(stderr, "policy authz: %s exists and is not a socket\n", cli_safe(path));
      return -1;
    }
    unlink(path);
  }
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  mode_t old = umask(0117); /* rw for the owner and group: the daemon runs as root */
  bool ok = fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
  umask(old);
  if (!ok || listen(fd, backlog(o)) != 0) {
    fprintf(stderr, "policy authz: cannot listen on %s: %s\n", cli_safe(path), strerror(errno));
    if (fd >= 0) close(fd);
    return -1;
  }
  *unlink_path = strdup(path);
  return fd;
}

/* 127.0.0.1:PORT or [::1]:PORT: loopback only, since the protocol has no
** authentication of its own. */
static int listen_tcp(const cli_authz_opts *o, const char *spec) {
  const char *colon = strrchr(spec, ':');
  char host[64];
  char *end;
  unsigned long port = colon ? strtoul(colon + 1, &end, 10) : 0;
  if (colon == NULL || *end || port == 0 || port > 65535 || (size_t)(colon - spec) >= sizeof host) {
    fprintf(stderr, "policy authz: --listen takes 127.0.0.1:PORT, not '%s'\n", cli_safe(spec));
    return -1;
  }
  memcpy(host, spec, (size_t)(colon - spec));
  host[colon - spec] = '\0';
  struct sockaddr_storage ss = {0};
  socklen_t len;
  struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
  struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
  size_t hl = strlen(host);
  if (hl > 2 && host[0] == '[' && host[hl - 1] == ']') {
    host[hl - 1] = '\0';
    if (inet_pton(AF_INET6, host + 1, &v6->sin6_addr) != 1 || !IN6_IS_ADDR_LOOPBACK(&v6->sin6_addr)) {
      fprintf(stderr, "policy authz: --listen takes a loopback address, not '%s'\n", cli_safe(spec));
      return -1;
    }
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons((uint16_t)port);
    len = sizeof *v6;
  } else {
    if (inet_pton(AF_INET, host, &v4->sin_addr) != 1 || (ntohl(v4->sin_addr.s_addr) >> 24) != 127) {
      fprintf(stderr, "policy authz: --listen takes a loopback address, not '%s'\n", cli_safe(spec));
      return -1;
    }
    v4->sin_family = AF_INET;
    v4->sin_port = htons((uint16_t)port);
    len = sizeof *v4;
  }
  int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  if (fd >= 0) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (fd < 0 || bind(fd, (struct sockaddr *)&ss, len) != 0 || listen(fd, backlog(o)) != 0) {
    fprintf(stderr, "policy authz: cannot listen on %s: %s\n", cli_safe(spec), strerror(errno));
    if (fd >= 0) close(fd);
    return -1;
  }
  return fd;
}

cli_authz_server *cli_authz_http_start(const cli_authz_opts *o, cli_authz_pool *pool) {
  if (!mhd_open()) return NULL;
  cli_authz_server *s = calloc(1, sizeof *s);
  if (s == NULL) return NULL;
  s->o = o;
  s->pool = pool;
  pthread_mutex_init(&s->mu, NULL);
  s->fd = o->listen ? listen_tcp(o, o->listen) : listen_unix(o, o->socket, &s->unlink_path);
  if (s->fd < 0) {
    cli_authz_http_stop(s);
    return NULL;
  }
  unsigned timeout_s = o->deadline_ms / 1000 + 10; /* idle or stalled connections */
  s->mhd = mhd.start_daemon(
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ERROR_LOG, 0,
      NULL, NULL, handle, s,
      MHD_OPTION_LISTEN_SOCKET, s->fd,
      MHD_OPTION_CONNECTION_LIMIT, (unsigned)o->max_connections,
      MHD_OPTION_CONNECTION_TIMEOUT, timeout_s,
      MHD_OPTION_THREAD_STACK_SIZE, (size_t)(512 * 1024),
      MHD_OPTION_NOTIFY_COMPLETED, completed, s,
      MHD_OPTION_END);
  if (s->mhd == NULL) {
    fprintf(stderr, "policy authz: the HTTP server (libmicrohttpd) did not start\n");
    cli_authz_http_stop(s);
    return NULL;
  }
  return s;
}

void cli_authz_http_stop(cli_authz_server *s) {
  if (s == NULL) return;
  if (s->mhd) mhd.stop_daemon(s->mhd); /* waits for the connection threads */
  else if (s->fd >= 0) close(s->fd);
  if (s->unlink_path) unlink(s->unlink_path);
  free(s->unlink_path);
  pthread_mutex_destroy(&s->mu);
  free(s);
}
