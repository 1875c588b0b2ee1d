/*
** run_int.h: what the files of the run-line builder share: the context of
** one command line, the flags it may hold (run_parse.c), the syntax of
** their values (run_values.c), and what each does to the container
** (run_apply.c, run_mounts.c).
*/
#ifndef POL_RUNLINE_RUN_INT_H
#define POL_RUNLINE_RUN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../model/build.h"
#include "../model/value.h"

/* One value of a flag: its text and the argument that holds it. */
typedef struct run_arg {
  const char *s;
  size_t n;
  size_t index;   /* in argv: the position of everything it sets */
} run_arg;

/* What flags set that is put together at the end (run_finish). */
typedef struct run_pending {
  run_arg health_cmd, health_interval, health_timeout, health_start_period,
      health_start_interval, health_retries;
  bool health_given, no_healthcheck;
  size_t no_healthcheck_at;
  run_arg cpus, cpu_quota, cpu_period;
  bool publish_all;
  size_t publish_all_at;
  pm_value *expose;       /* --expose entries: [expose] */
  bool network_given;
  bool restart_given;
} run_pending;

typedef struct run_ctx {
  pm_builder pm;
  pm_value *doc;
  pm_value *ctr;          /* the one container */
  const char *const *argv;
  size_t argc;
  run_pending p;
} run_ctx;

/* Line 1, column `index`. */
pm_pos run_pos(size_t index);

void run_error(run_ctx *c, size_t index, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
void run_warning(run_ctx *c, size_t index, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* The value as a model string at its argument. */
pm_value *run_str(run_ctx *c, const run_arg *a);

/* ---- flags (run_parse.c, run_apply.c) ----------------------------------- */

typedef enum run_flag_id {
  RUN_F_IGNORED = 0, /* accepted, sets nothing the model has */
  RUN_F_PRIVILEGED, RUN_F_USER, RUN_F_CAP_ADD, RUN_F_CAP_DROP, RUN_F_SECURITY_OPT,
  RUN_F_READ_ONLY, RUN_F_NETWORK, RUN_F_PID, RUN_F_IPC, RUN_F_UTS, RUN_F_USERNS,
  RUN_F_CGROUPNS, RUN_F_PUBLISH, RUN_F_PUBLISH_ALL, RUN_F_EXPOSE, RUN_F_VOLUME,
  RUN_F_MOUNT, RUN_F_TMPFS, RUN_F_DEVICE, RUN_F_MEMORY, RUN_F_MEMORY_SWAP,
  RUN_F_MEMORY_RESERVATION, RUN_F_CPUS, RUN_F_CPU_QUOTA, RUN_F_CPU_PERIOD,
  RUN_F_CPU_SHARES, RUN_F_PIDS_LIMIT, RUN_F_RESTART, RUN_F_ENV, RUN_F_ENV_FILE,
  RUN_F_HEALTH_CMD, RUN_F_HEALTH_INTERVAL, RUN_F_HEALTH_TIMEOUT,
  RUN_F_HEALTH_START_PERIOD, RUN_F_HEALTH_START_INTERVAL, RUN_F_HEALTH_RETRIES,
  RUN_F_NO_HEALTHCHECK, RUN_F_INIT, RUN_F_SYSCTL, RUN_F_ULIMIT, RUN_F_GROUP_ADD,
  RUN_F_NAME, RUN_F_OOM_KILL_DISABLE, RUN_F_CGROUP_PARENT, RUN_F_LOG_DRIVER,
  RUN_F_LOG_OPT,
  /* checked for their syntax only */
  RUN_F_INT, RUN_F_SIZE
} run_flag_id;

typedef struct run_flag {
  const char *name;     /* without "--" */
  char shorthand;       /* 0: none */
  bool boolean;         /* takes no value (an optional =true|false) */
  bool run_only;        /* `docker run` has it, `docker create` not */
  run_flag_id id;
} run_flag;

/* "-m, --memory" or "--memory", as pflag names a flag in its messages. */
const char *run_flag_title(const run_flag *f, char *buf, size_t size);

/* Applies one flag (for a boolean, a->s is "true" or "false" after Go's
** ParseBool accepted it). */
void run_apply(run_ctx *c, const run_flag *f, const run_arg *a);
/* After every flag: the image and what flags set together. */
void run_finish(run_ctx *c, size_t image_index);

/* ---- mounts and devices (run_mounts.c) ---------------------------------- */

void run_volume(run_ctx *c, const run_arg *a);   /* -v, --volume */
void run_mount(run_ctx *c, const run_arg *a);    /* --mount */
void run_device(run_ctx *c, const run_arg *a);   /* --device */

/* ---- values (run_values.c) ---------------------------------------------- */

/* Go's strconv.ParseInt(s, 10, 64). */
bool run_parse_int(const char *s, size_t n, int64_t *out);
/* go-units RAMInBytes: "512m", "1.5g", "1024", "2GiB" (binary units). */
bool run_parse_ram(const char *s, size_t n, int64_t *out);
/* A decimal number ("1.5", "2", ".5"), as --cpus takes it. */
bool run_parse_decimal(const char *s, size_t n, double *out);
/* Go's time.ParseDuration ("30s", "1m30s", "250ms"), in seconds. */
bool run_parse_duration(const char *s, size_t n, double *seconds);

typedef struct run_port_spec {
  const char *ip; size_t ip_len;       /* without brackets; ip_len 0: none */
  long host_lo, host_hi;               /* -1: no host port */
  long lo, hi;                         /* the container port range */
  char proto[8];                       /* tcp, udp, sctp */
} run_port_spec;

/* nat.ParsePortSpec's syntax: [ip:][hostPort:]containerPort[/proto], with
** ranges and an IPv6 address in brackets. NULL on success, else why not. */
const char *run_parse_port_spec(const char *s, size_t n, run_port_spec *out);
/* "80", "8000-8010/udp" (--expose). */
const char *run_parse_port_range(const char *s, size_t n, run_port_spec *out);

#endif
