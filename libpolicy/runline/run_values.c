/*
** run_values.c: the syntax of flag values as the docker CLI parses them:
** integers (strconv.ParseInt), sizes (go-units RAMInBytes), decimals
** (--cpus), durations (time.ParseDuration) and port specifications
** (go-connections nat.ParsePortSpec). Pure functions of their text.
*/
#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "run_int.h"

static bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }

bool run_parse_int(const char *s, size_t n, int64_t *out) {
  size_t i = 0;
  bool neg = false;
  if (n > 0 && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    i = 1;
  }
  if (i == n) return false;
  uint64_t v = 0, limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
  for (; i < n; i++) {
    if (!is_digit(s[i])) return false;
    unsigned d = (unsigned)(s[i] - '0');
    if (v > (limit - d) / 10) return false;
    v = v * 10 + d;
  }
  *out = neg ? (int64_t)(0 - v) : (int64_t)v;
  return true;
}

/* Digits with at most one '.', at least one digit: s[0..n) as a double. */
static bool plain_decimal(const char *s, size_t n, double *out) {
  size_t digits = 0, dots = 0;
  for (size_t i = 0; i < n; i++) {
    if (is_digit(s[i])) digits++;
    else if (s[i] == '.' && ++dots == 1) continue;
    else return false;
  }
  if (digits == 0 || n > 64) return false;
  char buf[72];
  memcpy(buf, s, n);
  buf[n] = '\0';
  double v = 0, scale = 0;
  for (size_t i = 0; i < n; i++) {
    if (buf[i] == '.') { scale = 1; continue; }
    if (scale > 0) { scale /= 10; v += (buf[i] - '0') * scale; }
    else v = v * 10 + (buf[i] - '0');
  }
  *out = v;
  return isfinite(v);
}

bool run_parse_ram(const char *s, size_t n, int64_t *out) {
  size_t i = 0;
  while (i < n && (is_digit(s[i]) || s[i] == '.')) i++;
  double v;
  if (!plain_decimal(s, i, &v)) return false;
  if (i < n && s[i] == ' ') i++;
  double mult = 1;
  static const char units[] = "kmgtp";
  if (i < n) {
    const char *u = strchr(units, s[i] | 0x20);
    if (u && *u) {
      mult = pow(1024, (double)(u - units + 1));
      i++;
    }
  }
  if (i < n && (s[i] | 0x20) == 'i') i++;
  if (i < n && (s[i] | 0x20) == 'b') i++;
  if (i != n || v * mult >= 9.2e18) return false;
  *out = (int64_t)(v * mult);
  return true;
}

bool run_parse_decimal(const char *s, size_t n, double *out) {
  return plain_decimal(s, n, out);
}

bool run_parse_duration(const char *s, size_t n, double *seconds) {
  static const struct { const char *unit; double secs; } units[] = {
      {"ns", 1e-9}, {"us", 1e-6}, {"\xC2\xB5s", 1e-6}, {"\xCE\xBCs", 1e-6},
      {"ms", 1e-3}, {"s", 1}, {"m", 60}, {"h", 3600}};
  size_t i = 0;
  bool neg = false;
  if (i < n && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
  if (n - i == 1 && s[i] == '0') {
    *seconds = 0;
    return true;
  }
  if (i == n) return false;
  double total = 0;
  while (i < n) {
    size_t start = i;
    while (i < n && (is_digit(s[i]) || s[i] == '.')) i++;
    double v;
    if (!plain_decimal(s + start, i - start, &v)) return false;
    /* the unit: everything up to the next number, looked up exactly */
    size_t ustart = i;
    while (i < n && !is_digit(s[i]) && s[i] != '.') i++;
    double secs = -1;
    for (size_t k = 0; k < sizeof units / sizeof units[0]; k++)
      if (strlen(units[k].unit) == i - ustart && !memcmp(s + ustart, units[k].unit, i - ustart))
        secs = units[k].secs;
    if (secs < 0) return false;
    total += v * secs;
  }
  *seconds = neg ? -total : total;
  return true;
}

/* A decimal port 0..65535; -1 when malformed. */
static long port_number(const char *s, size_t n) {
  int64_t v;
  if (n == 0 || n > 5 || s[0] == '+' || s[0] == '-' || !run_parse_int(s, n, &v) || v > 65535)
    return -1;
  return (long)v;
}

/* "8000" or "8000-8010". */
static bool port_range(const char *s, size_t n, long *lo, long *hi) {
  const char *dash = memchr(s, '-', n);
  *lo = port_number(s, dash ? (size_t)(dash - s) : n);
  *hi = dash ? port_number(dash + 1, n - (size_t)(dash - s) - 1) : *lo;
  return *lo >= 0 && *hi >= *lo;
}

/* "/udp" off the end of s into out->proto; returns the length without it. */
static const char *split_proto(const char *s, size_t *n, run_port_spec *out) {
  const char *slash = memchr(s, '/', *n);
  const char *proto = "tcp";
  size_t pl = 3;
  if (slash) {
    proto = slash + 1;
    pl = *n - (size_t)(slash - s) - 1;
    *n = (size_t)(slash - s);
  }
  if (pl == 0 || pl >= sizeof out->proto) return "invalid proto";
  for (size_t i = 0; i < pl; i++)
    out->proto[i] = (proto[i] >= 'A' && proto[i] <= 'Z') ? (char)(proto[i] | 0x20) : proto[i];
  out->proto[pl] = '\0';
  if (strcmp(out->proto, "tcp") && strcmp(out->proto, "udp") && strcmp(out->proto, "sctp"))
    return "invalid proto";
  return NULL;
}

const char *run_parse_port_range(const char *s, size_t n, run_port_spec *out) {
  memset(out, 0, sizeof *out);
  out->host_lo = out->host_hi = -1;
  const char *why = split_proto(s, &n, out);
  if (why) return why;
  if (!port_range(s, n, &out->lo, &out->hi)) return "invalid containerPort";
  return NULL;
}

/* An IPv4 address or an IPv6 address (hex groups and colons, a "::",
** an embedded IPv4 tail): enough to tell an address from a mistake. */
static bool plausible_ip(const char *s, size_t n) {
  if (n == 0 || n > 45) return false;
  if (memchr(s, ':', n)) {
    for (size_t i = 0; i < n; i++)
      if (!(is_digit(s[i]) || (s[i] >= 'a' && s[i] <= 'f') || (s[i] >= 'A' && s[i] <= 'F') ||
            s[i] == ':' || s[i] == '.' || s[i] == '%'))
        return false;
    return true;
  }
  int parts = 0;
  size_t start = 0;
  for (size_t i = 0; i <= n; i++) {
    if (i < n && s[i] != '.') continue;
    int64_t v;
    if (i == start || i - start > 3 || !run_parse_int(s + start, i - start, &v) ||
        s[start] == '+' || s[start] == '-' || v > 255)
      return false;
    parts++;
    start = i + 1;
  }
  return parts == 4;
}

const char *run_parse_port_spec(const char *s, size_t n, run_port_spec *out) {
  memset(out, 0, sizeof *out);
  out->host_lo = out->host_hi = -1;
  const char *why = split_proto(s, &n, out);
  if (why) return why;
  /* nat's splitParts: the container port is after the last ':', the host
  ** port before it, the address is everything before that. */
  const char *last = NULL, *prev = NULL;
  for (size_t i = 0; i < n; i++)
    if (s[i] == ':') {
      prev = last;
      last = s + i;
    }
  const char *cport = last ? last + 1 : s;
  size_t cl = n - (size_t)(cport - s);
  const char *hport = last ? (prev ? prev + 1 : s) : NULL;
  size_t hl = last ? (size_t)(last - hport) : 0;
  if (prev) {
    out->ip = s;
    out->ip_len = (size_t)(prev - s);
    if (out->ip_len >= 2 && out->ip[0] == '[' && out->ip[out->ip_len - 1] == ']') {
      out->ip++;
      out->ip_len -= 2;
    }
    if (out->ip_len && !plausible_ip(out->ip, out->ip_len)) return "invalid IP address";
  }
  if (cl == 0) return "no port specified";
  if (!port_range(cport, cl, &out->lo, &out->hi)) return "invalid containerPort";
  if (hl > 0) {
    if (!port_range(hport, hl, &out->host_lo, &out->host_hi)) return "invalid hostPort";
    /* A host range for one container port lets the Engine pick one of them. */
    if (out->hi - out->lo != out->host_hi - out->host_lo && out->hi != out->lo)
      return "invalid ranges specified for container and host Ports";
  }
  assert(out->lo <= out->hi);
  return NULL;
}
