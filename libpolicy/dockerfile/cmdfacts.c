/*
** cmdfacts.c: program, words and package-manager parse of a simple
** command (see cmdfacts.h).
**
** Everything is derived from argv alone: words keep $VAR references as
** written, so a version such as `curl=${CURL_VERSION}` counts as pinned
** (the build decides it), and nothing here guesses what a variable holds.
*/
#include "cmdfacts.h"

#include <assert.h>
#include <ctype.h>
#include <string.h>

#include "../model/schema.h"

/* Wrappers skipped before the program, each with its own options and
** NAME=value words (sudo -E, env -i A=1, nice -n 5). */
static const char *const wrappers[] = {"sudo", "env", "command", "exec", "nice",
                                       "nohup", "time", NULL};

typedef struct family {
  const char *name;
  const char *value_options;  /* options that take a value, space-separated */
  const char *installs;       /* installing subcommands, space-separated */
} family;

enum { FAM_APT, FAM_APK, FAM_RPM, FAM_ZYPPER, FAM_PIP, FAM_NPM, FAM_GEM, FAM_GO };

static const family families[] = {
    [FAM_APT] = {"apt",
     "-o -c -t --option --config-file --target-release --default-release", "install"},
    [FAM_APK] = {"apk",
     "-t -X -p --virtual --repository --root --arch --cache-dir --keys-dir", "add"},
    [FAM_RPM] = {"rpm",
     "-c -d -e -x -R --installroot --releasever --exclude --setopt --enablerepo "
     "--disablerepo --repo", "install"},
    [FAM_ZYPPER] = {"zypper", "-r -t -R -c -D --repo --type --root --config", "install in"},
    [FAM_PIP] = {"pip",
     "-r -c -e -t -i -f --requirement --constraint --editable --target --index-url "
     "--extra-index-url --find-links --trusted-host --prefix --root --cache-dir "
     "--platform --python-version --src --progress-bar --log --proxy --timeout "
     "--retries --cert", "install"},
    [FAM_NPM] = {"npm",
     "-C -w --prefix --registry --workspace --tag --cache --userconfig "
     "--globalconfig --cwd --loglevel --omit --include --fetch-retries --fetch-timeout "
     "--network-timeout --cache-folder --modules-folder --mutex", "install i add"},
    [FAM_GEM] = {"gem",
     "-v -i -n -s -P --version --install-dir --bindir --source --trust-policy "
     "--platform", "install i"},
    [FAM_GO] = {"go", "-o -C -p -tags -ldflags -gcflags -modfile", "install get"},
};

/* Every manager's name and family, in one table: one pass finds a name. */
static const struct {
  const char *name;
  unsigned char family;
} managers[] = {
    {"apt-get", FAM_APT}, {"apt", FAM_APT}, {"aptitude", FAM_APT}, {"apk", FAM_APK},
    {"yum", FAM_RPM}, {"dnf", FAM_RPM}, {"microdnf", FAM_RPM}, {"tdnf", FAM_RPM},
    {"zypper", FAM_ZYPPER}, {"pip", FAM_PIP}, {"npm", FAM_NPM}, {"yarn", FAM_NPM},
    {"pnpm", FAM_NPM}, {"gem", FAM_GEM}, {"go", FAM_GO},
};

/* True when `w` is one of the space-separated words of `list`. */
static bool in_list(const char *list, const char *w, size_t n) {
  for (const char *p = list; *p;) {
    const char *e = strchr(p, ' ');
    size_t l = e ? (size_t)(e - p) : strlen(p);
    if (l == n && memcmp(p, w, n) == 0) return true;
    p += l + (e != NULL);
  }
  return false;
}

static bool is_one_of(const char *const *names, const char *w) {
  for (; *names; names++) /* the first byte turns most names away cheaply */
    if ((*names)[0] == w[0] && strcmp(*names, w) == 0) return true;
  return false;
}

static const char *basename_of(const char *s) {
  const char *slash = strrchr(s, '/');
  return slash ? slash + 1 : s;
}

/* "pip", "pip3", "pip3.12"; with prefix "python": "python3.11". */
static bool named_with_version(const char *w, const char *prefix) {
  if (w[0] != prefix[0]) return false; /* most words, without a call */
  size_t n = strlen(prefix);
  if (strncmp(w, prefix, n) != 0) return false;
  for (w += n; *w; w++)
    if (!isdigit((unsigned char)*w) && *w != '.') return false;
  return true;
}

static const char *word(const pm_value *argv, size_t i) {
  if (i >= argv->u.arr.len) return NULL;
  const pm_value *v = argv->u.arr.items[i];
  return v && v->type == PM_STR ? v->u.str.s : NULL;
}

/* The wrappers' options that take the next word as their value (sudo -u
** root, env -u NAME, nice -n 5), as " -u -g ... " for each. */
static const char *value_options_of(const char *wrapper) {
  if (strcmp(wrapper, "sudo") == 0) return " -u -g -C -D -h -p -r -t -U -T ";
  if (strcmp(wrapper, "env") == 0) return " -u -C -S ";
  if (strcmp(wrapper, "nice") == 0) return " -n ";
  return "";
}

/* True when `opt` is one of the space-separated words of `list`. */
static bool listed(const char *list, const char *opt) {
  size_t n = strlen(opt);
  for (const char *p = strstr(list, opt); p; p = strstr(p + 1, opt))
    if (p[-1] == ' ' && p[n] == ' ') return true;
  return false;
}

/* The index of the program behind the wrappers (argc when none). */
static size_t program_index(const pm_value *argv) {
  size_t i = 0, n = argv->u.arr.len;
  while (i < n && word(argv, i) && is_one_of(wrappers, basename_of(word(argv, i)))) {
    const char *values = value_options_of(basename_of(word(argv, i)));
    i++;
    while (i < n && word(argv, i) &&
           (word(argv, i)[0] == '-' || strchr(word(argv, i), '='))) {
      if (word(argv, i)[0] == '-' && listed(values, word(argv, i))) i++; /* its value */
      i++;
    }
  }
  return i;
}

typedef struct facts {
  pol_arena *a;
  pm_pos pos;
  bool oom;
} facts;

static pm_value *str(facts *f, const char *s, size_t n) {
  pm_value *v = pm_strn(f->a, s, n, f->pos);
  if (v == NULL) f->oom = true;
  return v;
}

/* A string of argv's (or a suffix of one), or a static one: shared, not
** copied. */
static pm_value *argv_str(facts *f, const char *s) {
  pm_value *v = pm_str_shared(f->a, s, strlen(s), f->pos);
  if (v == NULL) f->oom = true;
  return v;
}

/* o.fields[field] = v, o being of type `type` (field: a PM_F_ index of
** that type, so no name is looked up). */
static inline void set(facts *f, pm_value *o, pm_schema_id type, size_t field, pm_value *v) {
  assert(o == NULL || (o->type == PM_OBJ && o->u.obj.schema == type));
  (void)type;
  if (o == NULL || v == NULL || !pm_set_field(f->a, o, field, v)) f->oom = true;
}

static void push(facts *f, pm_value *arr, pm_value *v) {
  if (!pm_push(f->a, arr, v)) f->oom = true;
}

/* Appends {name, value} to options (value NULL: none). */
static void add_option(facts *f, pm_value *options, const char *name, size_t n,
                       const char *value) {
  pm_value *o = pm_obj_typed(f->a, PM_SCHEMA_PACKAGE_OPTION, f->pos);
  if (o == NULL) { f->oom = true; return; }
  set(f, o, PM_SCHEMA_PACKAGE_OPTION, PM_F_PACKAGE_OPTION_NAME, str(f, name, n));
  set(f, o, PM_SCHEMA_PACKAGE_OPTION, PM_F_PACKAGE_OPTION_VALUE, value ? str(f, value, strlen(value)) : pm_null(f->a, f->pos));
  push(f, options, o);
}

/* The position after the name part of a package word: where a version
** operator starts, in the syntax of the family. *vstart receives where
** the version starts (0 when none). */
static size_t split_version(const char *fam, const char *w, size_t n, size_t *vstart) {
  *vstart = 0;
  if (!strcmp(fam, "apt")) {
    const char *eq = memchr(w, '=', n);
    if (eq) *vstart = (size_t)(eq - w) + 1;
    return eq ? (size_t)(eq - w) : n;
  }
  if (!strcmp(fam, "apk") || !strcmp(fam, "pip") || !strcmp(fam, "zypper")) {
    /* apk, zypper: name=1.2 name~1.2 name>1.2 name<1.2 name>=1.2 (zypper
    ** takes =, <, >, <=, >= only); pip specifiers
    ** name==1.2 name>=1 name~=1.4 name!=2 name===x, extras name[a]==1. */
    size_t i = 0;
    while (i < n && !strchr("=<>~!", w[i]) && !(w[i] == ' ' || w[i] == ';')) i++;
    size_t end = i;
    if (!strcmp(fam, "pip")) {
      const char *bracket = memchr(w, '[', end);
      if (bracket) end = (size_t)(bracket - w);
    }
    size_t v = i;
    while (v < n && strchr("=<>~!", w[v])) v++;
    if (i < n && v < n) *vstart = v;
    return end;
  }
  if (!strcmp(fam, "npm") || !strcmp(fam, "go")) {
    /* name@1.2, @scope/name@1.2, path@v1.2 */
    const char *at = n > 1 ? memchr(w + 1, '@', n - 1) : NULL;
    if (at) *vstart = (size_t)(at - w) + 1;
    return at ? (size_t)(at - w) : n;
  }
  if (!strcmp(fam, "gem")) {
    const char *colon = memchr(w, ':', n);
    if (colon) *vstart = (size_t)(colon - w) + 1;
    return colon ? (size_t)(colon - w) : n;
  }
  /* rpm: name-1.2.3 (a dash before a digit) */
  for (size_t i = 1; i + 1 < n; i++) {
    if (w[i] == '-' && isdigit((unsigned char)w[i + 1])) {
      *vstart = i + 1;
      return i;
    }
  }
  return n;
}

/* One package word of an installing subcommand. `version_option` is a
** version given by option (gem -v 1.2), applying to every package. */
static void add_package(facts *f, pm_value *packages, const char *fam,
                        const char *w, const char *version_option) {
  size_t n = strlen(w), vstart;
  size_t name_end = split_version(fam, w, n, &vstart);
  pm_value *p = pm_obj_typed(f->a, PM_SCHEMA_PACKAGE_REF, f->pos);
  if (p == NULL) { f->oom = true; return; }
  set(f, p, PM_SCHEMA_PACKAGE_REF, PM_F_PACKAGE_REF_NAME, str(f, w, name_end));
  if (vstart && vstart < n) set(f, p, PM_SCHEMA_PACKAGE_REF, PM_F_PACKAGE_REF_VERSION, str(f, w + vstart, n - vstart));
  else if (version_option) set(f, p, PM_SCHEMA_PACKAGE_REF, PM_F_PACKAGE_REF_VERSION, str(f, version_option, strlen(version_option)));
  else set(f, p, PM_SCHEMA_PACKAGE_REF, PM_F_PACKAGE_REF_VERSION, pm_null(f->a, f->pos));
  set(f, p, PM_SCHEMA_PACKAGE_REF, PM_F_PACKAGE_REF_RAW, argv_str(f, w));
  push(f, packages, p);
}

/* The package-manager parse of argv from index `at` (the manager's own
** word) on. */
static pm_value *parse_package(facts *f, const family *fam, const char *manager,
                               const pm_value *argv, size_t at) {
  pm_value *p = pm_obj_typed(f->a, PM_SCHEMA_PACKAGE, f->pos), *options = pm_arr(f->a, f->pos),
           *args = pm_arr(f->a, f->pos);
  if (p == NULL || options == NULL || args == NULL) { f->oom = true; return NULL; }
  const char *sub = NULL;
  const char *version_option = NULL;
  size_t n = argv->u.arr.len;
  for (size_t k = at + 1; k < n && !f->oom; k++) {
    const char *a = word(argv, k);
    if (a == NULL) continue;
    size_t len = strlen(a);
    if (!strcmp(a, "--")) {
      /* gem passes what follows `--` to the build of native extensions:
      ** options, never gems to install. */
      if (!strcmp(fam->name, "gem")) break;
      for (size_t j = k + 1; j < n; j++)
        if (word(argv, j)) push(f, args, argv_str(f, word(argv, j)));
      break;
    }
    if (a[0] == '-' && a[1] == '-') {
      const char *eq = strchr(a, '=');
      if (eq) {
        add_option(f, options, a, (size_t)(eq - a), eq + 1);
      } else if (in_list(fam->value_options, a, len)) {
        add_option(f, options, a, len, word(argv, k + 1));
        if (k + 1 < n) k++;
      } else if (!strcmp(fam->name, "gem") && k + 1 < n && word(argv, k + 1) &&
                 (!strcmp(word(argv, k + 1), "true") || !strcmp(word(argv, k + 1), "false"))) {
        /* gem install --use-system-libraries true: a boolean is the
        ** option's value, not a gem named true. */
        add_option(f, options, a, len, word(argv, k + 1));
        k++;
      } else {
        add_option(f, options, a, len, NULL);
      }
      size_t name_len = eq ? (size_t)(eq - a) : len;
      if (name_len == 9 && !strncmp(a, "--version", 9) && !strcmp(fam->name, "gem"))
        version_option = eq ? eq + 1 : word(argv, k);
    } else if (a[0] == '-' && isalpha((unsigned char)a[1]) && a[2] == '=') {
      add_option(f, options, a, 2, a + 3); /* -q=2 */
    } else if (a[0] == '-' && a[1]) {
      for (size_t j = 1; j < len; j++) {
        char o[3] = {'-', a[j], '\0'};
        if (in_list(fam->value_options, o, 2)) {
          const char *v = a + j + 1;
          if (*v == '\0') {
            v = word(argv, k + 1);
            if (k + 1 < n) k++;
          }
          add_option(f, options, o, 2, v);
          if (o[1] == 'v' && !strcmp(fam->name, "gem")) version_option = v;
          break;
        }
        add_option(f, options, o, 2, NULL);
      }
    } else if (sub == NULL) {
      sub = a;
    } else {
      push(f, args, argv_str(f, a));
    }
  }
  /* the manager (argv's or "pip"), family name and subcommand are whole
  ** strings of argv's or static: shared */
  set(f, p, PM_SCHEMA_PACKAGE, PM_F_PACKAGE_MANAGER, argv_str(f, manager));
  set(f, p, PM_SCHEMA_PACKAGE, PM_F_PACKAGE_FAMILY, argv_str(f, fam->name));
  set(f, p, PM_SCHEMA_PACKAGE, PM_F_PACKAGE_SUBCOMMAND, sub ? argv_str(f, sub) : pm_null(f->a, f->pos));
  set(f, p, PM_SCHEMA_PACKAGE, PM_F_PACKAGE_OPTIONS, options);
  set(f, p, PM_SCHEMA_PACKAGE, PM_F_PACKAGE_ARGS, args);
  if (sub && in_list(fam->installs, sub, strlen(sub))) {
    pm_value *packages = pm_arr(f->a, f->pos);
    if (packages == NULL) { f->oom = true; return NULL; }
    for (size_t i = 0; i < args->u.arr.len && !f->oom; i++)
      add_package(f, packages, fam->name, args->u.arr.items[i]->u.str.s, version_option);
    set(f, p, PM_SCHEMA_PACKAGE, PM_F_PACKAGE_PACKAGES, packages);
  } else {
    set(f, p, PM_SCHEMA_PACKAGE, PM_F_PACKAGE_PACKAGES, pm_null(f->a, f->pos));
  }
  return p;
}

/* The family whose manager `name` is (pip and python -m pip resolved by
** the caller), or NULL. */
static const family *family_of(const char *name) {
  for (size_t i = 0; i < sizeof managers / sizeof managers[0]; i++)
    if (managers[i].name[0] == name[0] && strcmp(managers[i].name, name) == 0)
      return &families[managers[i].family];
  return NULL;
}

bool df_cmdfacts(pol_arena *a, pm_value *cmd, const pm_value *argv) {
  assert(cmd->type == PM_OBJ && argv->type == PM_ARR);
  facts f = {a, argv->pos, false};
  size_t at = program_index(argv), n = argv->u.arr.len;
  pm_value *words = pm_arr(a, argv->pos);
  if (words == NULL) return false;
  const char *program = at < n ? word(argv, at) : NULL;
  if (program) program = basename_of(program);
  for (size_t i = at; i < n && program; i++) {
    const char *w = i == at ? program : word(argv, i);
    if (w) push(&f, words, argv_str(&f, w));
  }
  const char *first = word(argv, 0);
  first = first ? basename_of(first) : "";
  set(&f, cmd, PM_SCHEMA_COMMAND, PM_F_COMMAND_NAME, argv_str(&f, first));
  set(&f, cmd, PM_SCHEMA_COMMAND, PM_F_COMMAND_PROGRAM, program ? argv_str(&f, program) : pm_null(a, f.pos));
  set(&f, cmd, PM_SCHEMA_COMMAND, PM_F_COMMAND_WORDS, words);
  pm_value *package = NULL;
  if (program) {
    const char *manager = program;
    size_t from = at;
    if (named_with_version(program, "pip")) {
      manager = "pip";
    } else if (named_with_version(program, "python") && word(argv, at + 1) &&
               !strcmp(word(argv, at + 1), "-m") && word(argv, at + 2) &&
               named_with_version(word(argv, at + 2), "pip")) {
      manager = "pip";
      from = at + 2;
    }
    const family *fam = family_of(manager);
    if (fam) package = parse_package(&f, fam, manager, argv, from);
  }
  /* false, not null: a known answer ("no package manager"), and rules ask
  ** it of every command, so it must not cost a lookup that finds nothing */
  set(&f, cmd, PM_SCHEMA_COMMAND, PM_F_COMMAND_PACKAGE, package ? package : pm_bool(a, false, f.pos));
  return !f.oom;
}
