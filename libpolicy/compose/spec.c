/*
** spec.c: the one-string syntaxes of ports, volumes and devices (see
** spec.h).
*/
#include "spec.h"

#include <ctype.h>
#include <string.h>

static bool number(const char *s, size_t n, long *out) {
  if (n == 0 || n > 5) return false;
  long v = 0;
  for (size_t i = 0; i < n; i++) {
    if (!isdigit((unsigned char)s[i])) return false;
    v = v * 10 + (s[i] - '0');
  }
  if (v > 65535) return false;
  *out = v;
  return true;
}

bool cmp_port_range(const char *s, size_t n, long *lo, long *hi) {
  const char *dash = memchr(s, '-', n);
  if (dash == NULL) {
    if (!number(s, n, lo)) return false;
    *hi = *lo;
    return true;
  }
  return number(s, (size_t)(dash - s), lo) &&
         number(dash + 1, n - (size_t)(dash - s) - 1, hi) && *hi >= *lo;
}

/* IPv4 dotted quad. */
static bool ipv4(const char *s, size_t n) {
  int parts = 0;
  size_t i = 0;
  while (i < n) {
    size_t st = i;
    int v = 0;
    while (i < n && isdigit((unsigned char)s[i]) && i - st < 3) v = v * 10 + (s[i++] - '0');
    if (i == st || v > 255) return false;
    parts++;
    if (i < n) {
      if (s[i] != '.' || parts == 4) return false;
      i++;
      if (i == n) return false;
    }
  }
  return parts == 4;
}

/* IPv6 as Go's net.ParseIP takes it (hex groups, one "::", an IPv4 tail). */
static bool ipv6(const char *s, size_t n) {
  int groups = 0;
  bool gap = false;
  size_t i = 0;
  if (n >= 2 && s[0] == ':' && s[1] == ':') { gap = true; i = 2; }
  else if (n > 0 && s[0] == ':') return false;
  while (i < n) {
    size_t st = i;
    while (i < n && isxdigit((unsigned char)s[i]) && i - st < 4) i++;
    if (i < n && s[i] == '.') {
      if (!ipv4(s + st, n - st)) return false;
      groups += 2;
      i = n;
      break;
    }
    if (i == st) return false;
    groups++;
    if (i == n) break;
    if (s[i] != ':') return false;
    i++;
    if (i < n && s[i] == ':') {
      if (gap) return false;
      gap = true;
      i++;
    } else if (i == n) return false;
  }
  return gap ? groups < 8 : groups == 8;
}

bool cmp_port_parse(const char *s, size_t n, cmp_port *p) {
  memset(p, 0, sizeof *p);
  p->host = p->host_end = p->target = p->target_end = -1;
  strcpy(p->proto, "tcp");
  /* The last two ':'-parts are host and container; the rest is the IP. */
  const char *c2 = NULL, *c1 = NULL;
  for (size_t i = n; i-- > 0;)
    if (s[i] == ':') {
      if (c1 == NULL) c1 = s + i;
      else { c2 = s + i; break; }
    }
  const char *cont = c1 ? c1 + 1 : s;
  size_t cont_len = n - (size_t)(cont - s);
  const char *slash = memchr(cont, '/', cont_len);
  if (slash) {
    size_t pl = cont_len - (size_t)(slash - cont) - 1;
    if (pl == 0 || pl >= sizeof p->proto) { p->error = "invalid proto"; return false; }
    for (size_t i = 0; i < pl; i++) p->proto[i] = (char)tolower((unsigned char)slash[1 + i]);
    p->proto[pl] = '\0';
    if (strcmp(p->proto, "tcp") && strcmp(p->proto, "udp") && strcmp(p->proto, "sctp")) {
      p->error = "invalid proto";
      return false;
    }
    cont_len = (size_t)(slash - cont);
  }
  if (cont_len == 0) { p->error = "no port specified"; return false; }
  if (!cmp_port_range(cont, cont_len, &p->target, &p->target_end)) {
    p->error = "invalid containerPort";
    return false;
  }
  if (c1) {
    const char *host = c2 ? c2 + 1 : s;
    size_t hl = (size_t)(c1 - host);
    if (hl > 0 && !cmp_port_range(host, hl, &p->host, &p->host_end)) {
      p->error = "invalid hostPort";
      return false;
    }
    if (c2) {
      const char *ip = s;
      size_t il = (size_t)(c2 - s);
      if (il >= 2 && ip[0] == '[' && ip[il - 1] == ']') { ip++; il -= 2; }
      if (il > 0) {
        if (!ipv4(ip, il) && !ipv6(ip, il)) { p->error = "invalid IP address"; return false; }
        p->ip = ip;
        p->ip_len = il;
      }
    }
  }
  if (p->host >= 0 && p->host_end - p->host != p->target_end - p->target &&
      p->target_end != p->target) {
    p->error = "invalid ranges specified for container and host Ports";
    return false;
  }
  return true;
}

static bool is_letter(char c) { return isalpha((unsigned char)c); }

bool cmp_volume_parse(const char *s, size_t n, cmp_volume *v) {
  memset(v, 0, sizeof *v);
  if (n == 0) { v->error = "invalid empty volume spec"; return false; }
  const char *part[3];
  size_t plen[3], np = 0, start = 0, depth = 0;
  for (size_t i = 0; i <= n; i++) {
    if (i < n && s[i] == '$' && i + 1 < n && s[i + 1] == '{') { depth++; i++; continue; }
    if (i < n && s[i] == '}' && depth) { depth--; continue; }
    if (i < n && (s[i] != ':' || depth)) continue;
    if (i < n && i - start == 1 && is_letter(s[start])) continue; /* C: */
    if (np == 3) { v->error = "too many colons"; return false; }
    part[np] = s + start;
    plen[np++] = i - start;
    start = i + 1;
  }
  if (np == 1 || n <= 2) {
    v->dst = s;
    v->dst_len = n;
    return true;
  }
  v->src = part[0];
  v->src_len = plen[0];
  v->dst = part[1];
  v->dst_len = plen[1];
  if (np == 3) {
    v->opts = part[2];
    v->opts_len = plen[2];
  }
  if (v->src_len == 0) v->src = NULL;
  else {
    char c0 = v->src[0];
    v->bind = c0 == '.' || c0 == '/' || c0 == '~' ||
              (v->src_len >= 2 && c0 == '\\' && v->src[1] == '\\') ||
              (v->src_len >= 2 && is_letter(c0) && v->src[1] == ':');
  }
  if (v->dst_len == 0) { v->error = "invalid volume specification"; return false; }
  return true;
}

bool cmp_device_parse(const char *s, size_t n, cmp_device *d) {
  memset(d, 0, sizeof *d);
  const char *c1 = memchr(s, ':', n);
  const char *c2 = c1 ? memchr(c1 + 1, ':', n - (size_t)(c1 + 1 - s)) : NULL;
  if (c2 && memchr(c2 + 1, ':', n - (size_t)(c2 + 1 - s))) {
    d->error = "invalid device specification";
    return false;
  }
  d->host = s;
  d->host_len = c1 ? (size_t)(c1 - s) : n;
  if (c1) {
    d->container = c1 + 1;
    d->container_len = c2 ? (size_t)(c2 - c1 - 1) : n - (size_t)(c1 + 1 - s);
  }
  if (c2) {
    d->perms = c2 + 1;
    d->perms_len = n - (size_t)(c2 + 1 - s);
  }
  if (d->host_len == 0) { d->error = "invalid device specification"; return false; }
  return true;
}
