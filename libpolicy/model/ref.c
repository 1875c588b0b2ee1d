/*
** ref.c: image reference grammar (see ref.h).
**
** Grammar, as Docker's reference package accepts it after normalisation:
**   reference  := name [ ":" tag ] [ "@" digest ]
**   name       := [ domain "/" ] component ( "/" component )*
**   domain     := the first component when it contains '.' or ':', is
**                 "localhost", or has an upper-case letter
**   component  := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
**   tag        := [A-Za-z0-9_] [A-Za-z0-9_.-]{0,127}
**   digest     := algorithm ":" hex{32,}   (algorithm [a-z0-9]+([+._-][a-z0-9]+)*)
*/
#include "ref.h"

#include <string.h>

static bool is_lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool is_word(char c) {
  return is_lower_alnum(c) || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* One path component: alnum runs joined by ".", "_", "__" or "-"+. */
static bool valid_component(const char *s, size_t n) {
  size_t i = 0;
  if (n == 0 || !is_lower_alnum(s[0])) return false;
  while (i < n) {
    while (i < n && is_lower_alnum(s[i])) i++;
    if (i == n) return true;
    size_t sep = i;
    if (s[i] == '.') i++;
    else if (s[i] == '_') { i++; if (i < n && s[i] == '_') i++; }
    else if (s[i] == '-') { while (i < n && s[i] == '-') i++; }
    else return false;
    if (i == n || !is_lower_alnum(s[i]) || i == sep) return false;
  }
  return true;
}

static bool valid_path(const char *s, size_t n) {
  size_t start = 0;
  for (size_t i = 0; i <= n; i++) {
    if (i == n || s[i] == '/') {
      if (!valid_component(s + start, i - start)) return false;
      start = i + 1;
    }
  }
  return true;
}

static bool valid_domain(const char *s, size_t n) {
  if (n == 0) return false;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (!(is_word(c) || c == '.' || c == '-' || c == ':' || c == '[' ||
          c == ']'))
      return false;
  }
  return true;
}

static bool valid_tag(const char *s, size_t n) {
  if (n == 0 || n > 128 || !is_word(s[0])) return false;
  for (size_t i = 1; i < n; i++)
    if (!is_word(s[i]) && s[i] != '.' && s[i] != '-') return false;
  return true;
}

static bool valid_digest(const char *s, size_t n) {
  const char *colon = memchr(s, ':', n);
  if (colon == NULL || colon == s) return false;
  size_t alg = (size_t)(colon - s);
  for (size_t i = 0; i < alg; i++)
    if (!is_lower_alnum(s[i]) && !(i > 0 && strchr("+._-", s[i])))
      return false;
  size_t hex = n - alg - 1;
  if (hex < 32) return false;
  for (size_t i = alg + 1; i < n; i++)
    if (!is_hex(s[i]) && !(s[i] >= 'A' && s[i] <= 'F')) return false;
  return true;
}

static bool has_upper(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] >= 'A' && s[i] <= 'Z') return true;
  return false;
}

bool pm_ref_split(const char *s, size_t len, pm_ref_parts *out) {
  memset(out, 0, sizeof *out);
  if (len == 0) { out->error = "empty reference"; return false; }

  const char *at = memchr(s, '@', len);
  size_t name_end = len;
  if (at) {
    out->digest = at + 1;
    out->digest_len = len - (size_t)(at - s) - 1;
    name_end = (size_t)(at - s);
  }
  /* The tag is after the last ':' that follows the last '/'. */
  size_t last_slash = 0;
  bool seen_slash = false;
  for (size_t i = 0; i < name_end; i++)
    if (s[i] == '/') { last_slash = i; seen_slash = true; }
  for (size_t i = name_end; i > (seen_slash ? last_slash + 1 : 0); i--) {
    if (s[i - 1] == ':') {
      out->tag = s + i;
      out->tag_len = name_end - i;
      name_end = i - 1;
      break;
    }
  }

  const char *slash = memchr(s, '/', name_end);
  size_t first = slash ? (size_t)(slash - s) : name_end;
  bool domain = slash && (memchr(s, '.', first) || memchr(s, ':', first) ||
                          (first == 9 && memcmp(s, "localhost", 9) == 0) ||
                          has_upper(s, first));
  if (domain) {
    out->registry = s;
    out->registry_len = first;
    out->path = s + first + 1;
    out->path_len = name_end - first - 1;
    if (first == 15 && memcmp(s, "index.docker.io", 15) == 0) {
      out->registry = "docker.io";
      out->registry_len = 9;
    }
  } else {
    out->registry = "docker.io";
    out->registry_len = 9;
    out->path = s;
    out->path_len = name_end;
  }
  bool docker_hub = out->registry_len == 9 &&
                    memcmp(out->registry, "docker.io", 9) == 0;
  out->add_library = docker_hub && memchr(out->path, '/', out->path_len) == NULL;

  if (domain && !valid_domain(out->registry, out->registry_len))
    out->error = "invalid registry host";
  else if (has_upper(out->path, out->path_len))
    out->error = "repository name must be lowercase";
  else if (!valid_path(out->path, out->path_len))
    out->error = "invalid repository name";
  else if (out->tag && !valid_tag(out->tag, out->tag_len))
    out->error = "invalid tag";
  else if (out->digest && !valid_digest(out->digest, out->digest_len))
    out->error = "invalid digest";
  else if (out->path_len + (out->add_library ? 8 : 0) > 255)
    out->error = "repository name must not be longer than 255 characters";
  return out->error == NULL;
}

pm_value *pm_ref_to_model(pol_arena *a, const char *s, size_t len, pm_pos pos) {
  pm_ref_parts p;
  bool ok = pm_ref_split(s, len, &p);
  pm_value *r = pm_obj_typed(a, PM_SCHEMA_REF, pos);
  if (r == NULL || !pm_set(a, r, "raw", pm_strn(a, s, len, pos)))
    return NULL;
  if (!ok) {
    if (!pm_set(a, r, "error", pm_str(a, p.error, pos))) return NULL;
    return r;
  }
  if (!pm_set(a, r, "registry", pm_strn(a, p.registry, p.registry_len, pos)))
    return NULL;
  pm_value *repo;
  if (p.add_library) {
    char buf[8 + 256];
    memcpy(buf, "library/", 8);
    memcpy(buf + 8, p.path, p.path_len);
    repo = pm_strn(a, buf, 8 + p.path_len, pos);
  } else {
    repo = pm_strn(a, p.path, p.path_len, pos);
  }
  if (!pm_set(a, r, "repository", repo)) return NULL;
  if (p.tag && !pm_set(a, r, "tag", pm_strn(a, p.tag, p.tag_len, pos)))
    return NULL;
  if (p.digest &&
      !pm_set(a, r, "digest", pm_strn(a, p.digest, p.digest_len, pos)))
    return NULL;
  if (!pm_set(a, r, "implicit_latest",
              pm_bool(a, p.tag == NULL && p.digest == NULL, pos)))
    return NULL;
  return r;
}
