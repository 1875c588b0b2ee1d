/*
** worker.c: untrusted rules in supervised worker processes (see worker.h).
**
** The child talks to the parent in messages of one type byte, a 32-bit
** length and a payload: S j (rule j starts), F j pos hash file message
** subject reason code severity (a finding; code "" when none), E j limit message file (a rule error), L j
** file text (a log), D j (rule j is done), X (all done), and K / R reason
** when it loaded a rule file. Numbers are little-endian; strings are a
** 32-bit length and the bytes. The parent trusts none of it: an unknown
** type, a rule index out of range or not the running one, a size over
** its bound, or a message cut short ends the child as if it had crashed.
*/
#include "worker.h"

#include "sandbox_int.h"

#include <assert.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifdef POL_HAVE_SECCOMP
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <seccomp.h>
#include <sys/prctl.h>
#endif

#include "../core/alloc.h"
#include "../core/cancel.h"

/* Bounds on what a parent accepts in one message: a log of the largest
** POLICY_LIMIT_LOG_BYTES it makes sense to set, and then some. */
#define MAX_MESSAGE ((32u << 20) + 1024u)
/* Grace after a rule's time limit before the parent kills the child: the
** child's own hook usually stops the rule first, with a clean error. */
#define GRACE_MS 100
/* How often the parent looks at the cancel flag while a child runs. */
#define CANCEL_POLL_MS 10

static uint64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

bool eng_worker_supported(void) {
#ifdef POL_HAVE_SECCOMP
  return true;
#else
  return false;
#endif
}

/* ---- the child ------------------------------------------------------ */

typedef struct child {
  int fd;
  size_t j;        /* the rule running */
  pol_buf out;
} child;

static void put_u32(pol_buf *b, uint32_t v) {
  unsigned char x[4] = {(unsigned char)v, (unsigned char)(v >> 8),
                        (unsigned char)(v >> 16), (unsigned char)(v >> 24)};
  pol_buf_append(b, x, 4);
}

static void put_u64(pol_buf *b, uint64_t v) {
  put_u32(b, (uint32_t)v);
  put_u32(b, (uint32_t)(v >> 32));
}

static void put_str(pol_buf *b, const char *s, size_t n) {
  if (s == NULL) n = 0;
  if (n > MAX_MESSAGE - 64) n = MAX_MESSAGE - 64;
  put_u32(b, (uint32_t)n);
  if (n) pol_buf_append(b, s, n);
}

/* Starts a message of `type` in c->out; end_message fills its length. */
static size_t begin_message(child *c, char type) {
  pol_buf_clear(&c->out);
  pol_buf_putc(&c->out, type);
  put_u32(&c->out, 0);
  return c->out.len;
}

/* Writes the message; a parent gone (or memory gone) ends the child. */
static void end_message(child *c) {
  if (c->out.oom) _exit(3);
  uint32_t len = (uint32_t)(c->out.len - 5);
  unsigned char *p = (unsigned char *)c->out.data + 1;
  p[0] = (unsigned char)len, p[1] = (unsigned char)(len >> 8);
  p[2] = (unsigned char)(len >> 16), p[3] = (unsigned char)(len >> 24);
  for (size_t done = 0; done < c->out.len;) {
    ssize_t w = write(c->fd, c->out.data + done, c->out.len - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) _exit(3);
    done += (size_t)w;
  }
}

static void send_index(child *c, char type, size_t j) {
  begin_message(c, type);
  put_u32(&c->out, (uint32_t)j);
  end_message(c);
}

static bool child_finding(void *ud, const eng_eval_finding *f) {
  child *c = ud;
  begin_message(c, 'F');
  put_u32(&c->out, (uint32_t)c->j);
  put_u32(&c->out, f->pos.line);
  put_u32(&c->out, f->pos.col);
  put_u32(&c->out, f->pos.end_line);
  put_u32(&c->out, f->pos.end_col);
  put_u64(&c->out, f->node_hash);
  put_str(&c->out, f->file, f->file ? strlen(f->file) : 0);
  put_str(&c->out, f->message, strlen(f->message));
  put_str(&c->out, f->subject, f->subject ? strlen(f->subject) : 0);
  pol_buf_putc(&c->out, f->reason != NULL);
  put_str(&c->out, f->reason, f->reason ? strlen(f->reason) : 0);
  put_str(&c->out, f->code, f->code ? strlen(f->code) : 0);
  put_u32(&c->out, (uint32_t)f->severity);
  end_message(c);
  return true;
}

static const char *const limit_names[] = {"instructions", "memory", "time", "findings", NULL};

static bool child_error(void *ud, const eng_eval_error *e) {
  child *c = ud;
  begin_message(c, 'E');
  put_u32(&c->out, (uint32_t)c->j);
  unsigned char code = 0;
  for (unsigned char k = 0; e->limit && limit_names[k]; k++)
    if (strcmp(limit_names[k], e->limit) == 0) code = (unsigned char)(k + 1);
  pol_buf_putc(&c->out, (char)code);
  put_str(&c->out, e->message, strlen(e->message));
  put_str(&c->out, e->file, e->file ? strlen(e->file) : 0);
  end_message(c);
  return true;
}

static bool child_log(void *ud, const eng_rule *r, const char *file, const char *text,
                      size_t len) {
  child *c = ud;
  (void)r;
  begin_message(c, 'L');
  put_u32(&c->out, (uint32_t)c->j);
  put_str(&c->out, file, file ? strlen(file) : 0);
  put_str(&c->out, text, len);
  end_message(c);
  return true;
}

/* The child writes to its parent on this descriptor only: the pipe is
** moved there (child_pipe), so one compiled filter serves every child. */
#define CHILD_FD 3

/* First thing in a child: a sanitizer's allocator may have been locked
** by another thread at the fork (pol_alloc_child_heap). */
static void child_heap(void) {
#if POL_SANITIZED
  if (!pol_alloc_child_heap()) _exit(3);
#endif
}

/* Moves the child's end of the pipe to CHILD_FD; in the child only, where
** every other descriptor is a copy it never uses. */
static int child_pipe(int fd) {
  if (fd != CHILD_FD) {
    if (dup2(fd, CHILD_FD) < 0) _exit(4);
    close(fd);
  }
  return CHILD_FD;
}

#ifdef POL_HAVE_SECCOMP
/* The syscall filter, compiled once per process by libseccomp and exported
** as BPF (filter_ready), then loaded by each child with one prctl: building
** it in every child cost more than the rules it guards (libseccomp's
** compiler, its symbols bound lazily, copy-on-write faults). Written once
** under pthread_once, read-only after; len 0 when it could not be built,
** and then no child runs a rule. */
static struct sock_fprog filter;
static pthread_once_t filter_once = PTHREAD_ONCE_INIT;

static void build_filter(void) {
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
  if (ctx == NULL) return;
  static const int allowed[] = {
      SCMP_SYS(exit), SCMP_SYS(exit_group), SCMP_SYS(brk), SCMP_SYS(mmap),
      SCMP_SYS(munmap), SCMP_SYS(mremap), SCMP_SYS(madvise), SCMP_SYS(mprotect),
      SCMP_SYS(futex), SCMP_SYS(rt_sigreturn), SCMP_SYS(clock_gettime),
      SCMP_SYS(gettimeofday), SCMP_SYS(restart_syscall),
      /* harmless questions some runtimes ask when unwinding (a checked
      ** longjmp looks at the signal stack) */
      SCMP_SYS(sigaltstack), SCMP_SYS(gettid), SCMP_SYS(getpid),
#if POL_SANITIZED
      /* a sanitizer that finds a bug in the child reports it: it writes to
      ** standard error and reads its maps to symbolise (test builds only) */
      SCMP_SYS(open), SCMP_SYS(openat), SCMP_SYS(read), SCMP_SYS(close),
      SCMP_SYS(readlink), SCMP_SYS(fstat), SCMP_SYS(newfstatat), SCMP_SYS(lseek),
      SCMP_SYS(rt_sigaction), SCMP_SYS(rt_sigprocmask), SCMP_SYS(tgkill),
      SCMP_SYS(sched_yield), SCMP_SYS(prctl),
#endif
  };
  int rc = 0;
  for (size_t i = 0; i < sizeof allowed / sizeof allowed[0] && rc == 0; i++)
    rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allowed[i], 0);
  if (rc == 0)
    rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(write), 1,
                          SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)CHILD_FD));
#if POL_SANITIZED
  if (rc == 0)
    rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(write), 1,
                          SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)STDERR_FILENO));
#endif
  /* libseccomp 2.5 exports to a descriptor only: a pipe, which holds
  ** far more than the filter (a few hundred bytes; at most MAX_FILTER). */
  enum { MAX_FILTER = 4096 };
  int p[2];
  if (rc == 0 && pipe(p) == 0) {
    struct sock_filter *code = NULL;
    ssize_t size = -1;
    if (seccomp_export_bpf(ctx, p[1]) == 0) {
      close(p[1]);
      p[1] = -1;
      code = malloc(MAX_FILTER);
      size_t got = 0;
      ssize_t k = 0;
      while (code && got < MAX_FILTER &&
             ((k = read(p[0], (char *)code + got, MAX_FILTER - got)) > 0 ||
              (k < 0 && errno == EINTR)))
        got += k > 0 ? (size_t)k : 0;
      if (k == 0) size = (ssize_t)got; /* the whole filter, up to its end */
    }
    if (code && size > 0 && (size_t)size % sizeof *code == 0) {
      filter.filter = code;
      filter.len = (unsigned short)((size_t)size / sizeof *code);
    } else {
      free(code);
    }
    close(p[0]);
    if (p[1] >= 0) close(p[1]);
  }
  seccomp_release(ctx);
}
#endif

/* Compiles the filter if no child did yet; before every fork, in the
** parent (pthread_once: engines on other threads may fork too). */
static void filter_ready(void) {
#ifdef POL_HAVE_SECCOMP
  pthread_once(&filter_once, build_filter);
#endif
}

/* Limits and the syscall filter, before any untrusted code runs. */
static void confine(int fd, size_t rules_left, const eng_eval_limits *lim) {
  struct rlimit core = {0, 0};
  setrlimit(RLIMIT_CORE, &core);
  uint64_t ms = lim->time_ms ? lim->time_ms : 10000;
  rlim_t cpu = (rlim_t)((ms * (rules_left ? rules_left : 1)) / 1000 + 2);
  struct rlimit cpu_limit = {cpu, cpu + 1};
  setrlimit(RLIMIT_CPU, &cpu_limit);
  if (!POL_SANITIZED) {
    /* The address space held now, the Lua budget on top, and room for
    ** the host's own buffers. */
    long pages = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
      if (fscanf(f, "%ld", &pages) != 1) pages = 0;
      fclose(f);
    }
    if (pages > 0) {
      rlim_t as = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + (rlim_t)lim->memory +
                  ((rlim_t)256 << 20);
      struct rlimit as_limit = {as, as};
      setrlimit(RLIMIT_AS, &as_limit);
    }
  }
#ifdef POL_HAVE_SECCOMP
  /* The filter was compiled before the fork (filter_ready): loading it is
  ** two system calls, with no allocation. */
  assert(fd == CHILD_FD);
  if (filter.len == 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
      prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &filter) != 0)
    _exit(4); /* never run untrusted code unfiltered */
#else
  (void)fd;
  _exit(4);
#endif
}

static void child_eval(child *c, eng_sandbox *sb, const eng_rule *const *rules, size_t from,
                       size_t n, const pm_value *doc, const char *path,
                       const eng_eval_limits *lim) {
  confine(c->fd, n - from, lim);
  eng_eval_sink sink = {child_finding, child_error, child_log, c, NULL};
  /* A child lives for one document: a major collection would write to
  ** every object of the state, and each page it writes is copied from the
  ** parent first. The state is generational (eng_sb_new): minor cycles
  ** walk only what the child made; a major one waits until the heap is
  ** 4x what the last one kept (the default: 2x), which skips it in most
  ** children and still bounds the garbage; a rule that reaches its
  ** budget gets Lua's emergency collection before any refusal counts
  ** (sb_alloc). Setting the parameters keeps the mode: switching it
  ** would itself write to every object. */
  lua_gc(eng_sb_state(sb), LUA_GCGEN, 0, 300);
  eng_eval_begin(sb);
  for (size_t j = from; j < n; j++) {
    c->j = j;
    send_index(c, 'S', j);
    if (!eng_eval_rule(sb, rules[j], doc, path, lim, &sink)) _exit(3);
    if (eng_sb_needs_recycle(sb)) {
      /* The rule went over a budget: the next one gets a fresh child. */
      send_index(c, 'D', j);
      _exit(0);
    }
    send_index(c, 'D', j);
  }
  begin_message(c, 'X');
  end_message(c);
  _exit(0);
}

/* ---- the parent ----------------------------------------------------- */

typedef struct reader {
  int fd;
  pol_buf in;       /* bytes read and not yet handled */
  size_t at;
  bool eof;
} reader;

/* Reads what is there, waiting until `deadline` (ms, monotonic) at most
** and looking at the cancel flag (may be NULL) every CANCEL_POLL_MS.
** Returns false on timeout or cancel. */
static bool read_some(reader *r, uint64_t deadline, const volatile int *cancel) {
  for (;;) {
    uint64_t now = now_ms();
    if (now >= deadline || pol_cancel_requested(cancel)) return false;
    uint64_t wait = deadline - now > 60000 ? 60000 : deadline - now;
    if (cancel && wait > CANCEL_POLL_MS) wait = CANCEL_POLL_MS;
    struct pollfd p = {r->fd, POLLIN, 0};
    int rc = poll(&p, 1, (int)wait);
    if (rc < 0 && errno == EINTR) continue;
    if (rc <= 0) continue; /* the loop looks at the deadline */
    if (r->at > 0 && r->at == r->in.len) {
      pol_buf_clear(&r->in);
      r->at = 0;
    }
    char buf[16384];
    ssize_t got = read(r->fd, buf, sizeof buf);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      r->eof = true;
      return true;
    }
    pol_buf_append(&r->in, buf, (size_t)got);
    return true;
  }
}

typedef struct msg {
  char type;
  const unsigned char *p, *end;
  bool bad;
} msg;

/* The next whole message, or false when more bytes are needed. */
static bool next_message(reader *r, msg *m) {
  size_t avail = r->in.len - r->at;
  if (avail < 5) return false;
  const unsigned char *p = (const unsigned char *)r->in.data + r->at;
  uint32_t len = (uint32_t)p[1] | (uint32_t)p[2] << 8 | (uint32_t)p[3] << 16 |
                 (uint32_t)p[4] << 24;
  if (len > MAX_MESSAGE) {
    m->type = '?';
    m->bad = true;
    return true;
  }
  if (avail < 5 + (size_t)len) return false;
  m->type = (char)p[0];
  m->p = p + 5;
  m->end = p + 5 + len;
  m->bad = false;
  r->at += 5 + len;
  return true;
}

static uint32_t get_u32(msg *m) {
  if (m->end - m->p < 4) { m->bad = true; return 0; }
  uint32_t v = (uint32_t)m->p[0] | (uint32_t)m->p[1] << 8 | (uint32_t)m->p[2] << 16 |
               (uint32_t)m->p[3] << 24;
  m->p += 4;
  return v;
}

static uint64_t get_u64(msg *m) {
  uint64_t lo = get_u32(m);
  return lo | (uint64_t)get_u32(m) << 32;
}

/* A string of the message, copied NUL-terminated into *buf. */
static const char *get_str(msg *m, pol_buf *buf) {
  uint32_t n = get_u32(m);
  pol_buf_clear(buf);
  if (m->bad || (size_t)(m->end - m->p) < n) {
    m->bad = true;
    return "";
  }
  pol_buf_append(buf, m->p, n);
  m->p += n;
  if (buf->oom) return NULL;
  if (memchr(buf->data ? buf->data : "", '\0', n)) m->bad = true; /* not text */
  return buf->data ? buf->data : "";
}

typedef struct supervisor {
  const eng_rule *const *rules;
  size_t n;
  const char *path;
  const eng_eval_limits *lim;
  const eng_eval_sink *sink;
  size_t running;   /* the rule the child runs, or n before the first S */
  bool nomem;
} supervisor;

/* Hands one message to the sink. Returns false when the child must be
** stopped (it broke the protocol); sets *done on X. */
static bool handle(supervisor *s, msg *m, size_t *next, bool *done) {
  pol_buf a = POL_BUF_INIT, b = POL_BUF_INIT, c = POL_BUF_INIT, d = POL_BUF_INIT,
          x = POL_BUF_INIT;
  bool ok = true;
  if (m->type == 'X') {
    *done = true;
  } else {
    uint32_t j = get_u32(m);
    bool current = j < s->n && (m->type == 'S' ? j == *next : j == s->running);
    if (m->bad || !current) {
      ok = false;
    } else if (m->type == 'S') {
      s->running = j;
    } else if (m->type == 'D') {
      s->running = s->n;
      *next = j + 1;
    } else if (m->type == 'F') {
      eng_eval_finding f = {0};
      f.rule = s->rules[j];
      f.pos.line = get_u32(m);
      f.pos.col = get_u32(m);
      f.pos.end_line = get_u32(m);
      f.pos.end_col = get_u32(m);
      f.node_hash = get_u64(m);
      f.file = get_str(m, &a);
      f.message = get_str(m, &b);
      f.subject = get_str(m, &c);
      bool suppressed = m->p < m->end && *m->p++ != 0;
      f.reason = get_str(m, &d);
      if (!suppressed) f.reason = NULL;
      f.code = get_str(m, &x);
      if (f.code && !*f.code) f.code = NULL;
      else if (f.code && !eng_rule_has_code(f.rule, f.code)) ok = false; /* not its family */
      uint32_t severity = get_u32(m);
      f.severity = (int)severity;
      if (severity < 1 || severity > 5) ok = false;
      if (f.file && !*f.file) f.file = s->path;
      if (m->bad || !f.file || !f.message || !f.subject || (suppressed && !f.reason)) ok = false;
      else if (!s->sink->finding(s->sink->ud, &f)) s->nomem = true;
    } else if (m->type == 'E') {
      unsigned code = m->p < m->end ? *m->p++ : 255;
      eng_eval_error e = {s->rules[j], get_str(m, &a), get_str(m, &b), NULL};
      if (code > 0 && code <= 4) e.limit = limit_names[code - 1];
      if (m->bad || code > 4 || !e.message || !e.file) ok = false;
      else if (!s->sink->error(s->sink->ud, &e)) s->nomem = true;
    } else if (m->type == 'L') {
      const char *file = get_str(m, &a);
      const char *text = get_str(m, &b);
      if (m->bad || !file || !text) ok = false;
      else if (!s->sink->log(s->sink->ud, s->rules[j], file, text, b.len)) s->nomem = true;
    } else {
      ok = false;
    }
  }
  pol_buf_free(&a);
  pol_buf_free(&b);
  pol_buf_free(&c);
  pol_buf_free(&d);
  pol_buf_free(&x);
  return ok;
}

/* Why a child ended, for the rule it was running. */
static void child_end_reason(int status, char *buf, size_t size, const char **limit) {
  *limit = NULL;
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    if (sig == SIGXCPU || sig == SIGKILL) *limit = "time";
    snprintf(buf, size, "the rule's worker process was killed by signal %d%s", sig,
             sig == SIGXCPU ? " (its CPU time limit)" : "");
  } else if (WIFEXITED(status) && WEXITSTATUS(status) == 4) {
    snprintf(buf, size, "the rule's worker process could not be confined (seccomp), so "
             "the rule was not run");
  } else {
    snprintf(buf, size, "the rule's worker process ended early (exit status %d); "
             "it may have run out of memory", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    *limit = "memory";
  }
}

static void rule_error(supervisor *s, size_t j, const char *message, const char *limit) {
  eng_eval_error e = {s->rules[j], message, s->path, limit};
  if (!s->sink->error(s->sink->ud, &e)) s->nomem = true;
}

static void reap(pid_t pid, int *status) {
  while (waitpid(pid, status, 0) < 0 && errno == EINTR) {
  }
}

/* Runs rules from *next on in one child. Returns false when no child
** could be started. */
static bool one_child(supervisor *s, eng_sandbox *sb, const pm_value *doc, size_t *next) {
  int fds[2];
  if (pipe(fds) != 0) return false;
  filter_ready();
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return false;
  }
  if (pid == 0) {
    child_heap();
    close(fds[0]);
    child c = {child_pipe(fds[1]), *next, POL_BUF_INIT};
    child_eval(&c, sb, s->rules, *next, s->n, doc, s->path, s->lim);
  }
  close(fds[1]);
  reader r = {fds[0], POL_BUF_INIT, 0, false};
  uint64_t ms = s->lim->time_ms ? s->lim->time_ms : 10000;
  uint64_t deadline = now_ms() + ms + GRACE_MS;
  size_t started = *next;
  bool done = false, broken = false, late = false;
  s->running = s->n;
  while (!done && !broken && !late) {
    msg m;
    while (!done && !broken && next_message(&r, &m)) {
      size_t before = s->running;
      broken = m.bad || !handle(s, &m, next, &done);
      if (s->running != before) deadline = now_ms() + ms + GRACE_MS; /* a rule began */
    }
    if (done || broken) break;
    if (r.eof) break;
    if (!read_some(&r, deadline, sb->cancel)) late = true;
    if (r.in.oom) break;
  }
  int status = 0;
  if (!done) kill(pid, SIGKILL);
  reap(pid, &status);
  close(fds[0]);
  if (late && pol_cancel_requested(sb->cancel)) {
    /* The rule it was on stopped as eng_eval_rule's does; none after it
    ** runs. */
    if (s->running < s->n)
      rule_error(s, s->running, "the check was cancelled while the rule ran", "cancelled");
    else
      rule_error(s, *next, "the check was cancelled before the rule ran", "cancelled");
    pol_buf_free(&r.in);
    *next = s->n;
    return true;
  }
  if (r.in.oom) { /* the host's memory, not the rule's fault */
    pol_buf_free(&r.in);
    s->nomem = true;
    return true;
  }
  pol_buf_free(&r.in);
  /* A child that finished a rule over budget ends there, cleanly: the
  ** next child goes on from the next rule. */
  bool clean = !done && !broken && !late && s->running == s->n && *next > started &&
               WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (!done && !clean) {
    /* The rule it was on (or the first it should have started) failed. */
    size_t j = s->running < s->n ? s->running : *next;
    if (j < s->n) {
      char text[256];
      const char *limit;
      if (late) {
        snprintf(text, sizeof text, "the rule ran longer than %llu ms "
                 "(limit POLICY_LIMIT_TIME_MS); its worker process was stopped",
                 (unsigned long long)ms);
        limit = "time";
      } else if (broken) {
        snprintf(text, sizeof text, "the rule's worker process broke its protocol and was stopped");
        limit = NULL;
      } else {
        child_end_reason(status, text, sizeof text, &limit);
      }
      rule_error(s, j, text, limit);
      *next = j + 1;
    }
  }
  assert(*next > started || done);
  return true;
}

bool eng_worker_eval(eng_sandbox *sb, const eng_rule *const *rules, size_t n,
                 const pm_value *doc, const char *path,
                 const eng_eval_limits *lim, const eng_eval_sink *sink) {
  supervisor s = {rules, n, path, lim, sink, n, false};
  size_t next = 0;
  while (next < n && !s.nomem) {
    if (!one_child(&s, sb, doc, &next)) {
      for (; next < n; next++)
        rule_error(&s, next, "no worker process could be started for the rule "
                   "(fork failed); it was not run", NULL);
    }
  }
  return !s.nomem;
}

bool eng_worker_try_load(eng_sandbox *sb, const char *origin, const char *source,
                     size_t len, const eng_mod_set *modules, uint64_t time_ms,
                     pol_buf *err) {
  int fds[2];
  if (pipe(fds) != 0) return true; /* the parent loads it in-process */
  filter_ready();
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return true;
  }
  if (pid == 0) {
    child_heap();
    close(fds[0]);
    child c = {child_pipe(fds[1]), 0, POL_BUF_INIT};
    eng_eval_limits lim = {0, sb->lim.memory_bytes, 0, time_ms, 0};
    confine(c.fd, 1, &lim);
    eng_rule *r;
    bool nomem;
    pol_buf why = POL_BUF_INIT;
    eng_sb_code text = {source, len, NULL, 0, 0};
    bool ok = eng_rule_load(sb, origin, &text, false, modules, &r, &why, &nomem);
    begin_message(&c, ok ? 'K' : 'R');
    end_message(&c);
    _exit(0);
  }
  close(fds[1]);
  reader r = {fds[0], POL_BUF_INIT, 0, false};
  uint64_t ms = time_ms ? time_ms : 10000;
  uint64_t deadline = now_ms() + ms + GRACE_MS;
  bool answered = false, late = false;
  while (!answered && !late && !r.eof) {
    msg m;
    if (next_message(&r, &m)) {
      answered = m.type == 'K' || m.type == 'R';
      break;
    }
    if (!read_some(&r, deadline, NULL)) late = true;
    if (r.in.oom) break;
  }
  int status = 0;
  if (!answered) kill(pid, SIGKILL);
  reap(pid, &status);
  close(fds[0]);
  bool reader_oom = r.in.oom;
  pol_buf_free(&r.in);
  /* Answered, or the host's own memory failed in the child (exit 3) or
  ** here: the parent's load gives the verdict (and reports any failure of
  ** the host itself). */
  bool host = reader_oom || (!late && WIFEXITED(status) && WEXITSTATUS(status) == 3);
  if (answered || host) return true;
  if (late)
    pol_buf_printf(err, "%s: compiling and running the rule file took longer than %llu ms "
                   "(limit POLICY_LIMIT_TIME_MS)", origin, (unsigned long long)ms);
  else {
    char text[256];
    const char *limit;
    child_end_reason(status, text, sizeof text, &limit);
    pol_buf_printf(err, "%s: loading the rule file failed: %s", origin, text);
  }
  return false;
}
