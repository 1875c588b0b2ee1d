/*
** test_schema.c: the model schema (model/schema.h), the builders that
** fill it (model/build.h, model/container_fill.h) and Go's path.Clean.
*/
#include <criterion/criterion.h>
#include <string.h>

#include "core/pathname.h"
#include "model/build.h"
#include "model/container_fill.h"
#include "model/schema.h"

static pol_arena arena;
static void teardown(void) { pol_arena_free(&arena); }
TestSuite(schema, .fini = teardown);

Test(schema, typed_objects_know_their_fields) {
  pm_value *o = pm_obj_typed(&arena, PM_SCHEMA_CONTAINER, pm_nopos);
  const pm_schema *s = pm_value_schema(o);
  cr_assert_not_null(s);
  cr_assert_str_eq(pm_schema_name(s), "container");
  cr_assert(pm_schema_has(s, "privileged", 10));
  cr_assert(!pm_schema_has(s, "privilege", 9));
  cr_assert(!pm_schema_has(s, "pos", 3));
  cr_assert_null(pm_value_schema(pm_obj(&arena, pm_nopos)));
  cr_assert_null(pm_value_schema(pm_map(&arena, pm_nopos)));
  cr_assert_null(pm_value_schema(NULL));
}

Test(schema, suggests_the_nearest_field) {
  const pm_schema *s = &pm_schemas[PM_SCHEMA_CONTAINER];
  cr_assert_str_eq(pm_schema_suggest(s, "privilged", 9), "privileged");
  cr_assert_str_eq(pm_schema_suggest(s, "cap_drops", 9), "cap_drop");
  cr_assert_str_eq(pm_schema_suggest(s, "usr", 3), "user");
  cr_assert_null(pm_schema_suggest(s, "zzzzzzzz", 8));
  cr_assert_null(pm_schema_suggest(s, "", 0));
  const pm_schema *r = &pm_schemas[PM_SCHEMA_REF];
  cr_assert_str_eq(pm_schema_suggest(r, "tags", 4), "tag");
}

Test(schema, every_type_is_named_and_reachable) {
  for (int i = PM_SCHEMA_NONE + 1; i < PM_SCHEMA_COUNT; i++) {
    const pm_schema *s = &pm_schemas[i];
    cr_assert(s->name[0] != '\0');
    cr_assert(s->nfields > 0, "%s", s->name);
    for (size_t f = 0; f < s->nfields; f++)
      cr_assert(pm_schema_has(s, s->fields[f].name, s->fields[f].name_len));
  }
}

Test(schema, new_objects_have_every_field_empty) {
  pm_builder b = {&arena, false};
  pm_value *c = pm_container_new(&b, "kube", pm_nopos);
  cr_assert_not_null(c);
  const pm_schema *s = pm_value_schema(c);
  cr_assert_eq(c->u.obj.len, s->nfields); /* no optional fields */
  for (size_t i = 0; i < s->nfields; i++)
    cr_assert_str_eq(c->u.obj.items[i].key, s->fields[i].name);
  cr_assert_eq(pm_get(c, "privileged")->type, PM_NULL);
  cr_assert_eq(pm_get(c, "mounts")->type, PM_ARR);
  cr_assert_eq(pm_get(c, "env")->type, PM_MAP);
  const pm_value *sec = pm_get(c, "security");
  cr_assert_eq(pm_value_schema(sec), &pm_schemas[PM_SCHEMA_SECURITY]);
  cr_assert_eq(pm_get(sec, "selinux")->type, PM_ARR);
  cr_assert_str_eq(pm_get(c, "origin")->u.str.s, "kube");
  pm_value *img = pm_b_new(&b, PM_SCHEMA_IMAGE, pm_nopos);
  cr_assert_null(pm_get(img, "repo_tags")); /* optional: not made */
  cr_assert_not_null(pm_get(img, "commands"));
  cr_assert(!b.oom);
}

Test(schema, clone_keeps_the_type) {
  pm_builder b = {&arena, false};
  pm_value *c = pm_container_new(&b, "compose", pm_nopos);
  pm_value *copy = pm_clone(&arena, c);
  cr_assert_eq(pm_value_schema(copy), &pm_schemas[PM_SCHEMA_CONTAINER]);
  cr_assert_eq(pm_value_schema(pm_get(copy, "resources")), &pm_schemas[PM_SCHEMA_RESOURCES]);
}

Test(schema, mounts_are_judged_alike_for_every_source) {
  pm_builder b = {&arena, false};
  pm_value *list = pm_b_arr(&b, pm_nopos);
  pm_mount_in sock = {.type = "bind", .source = pm_b_str(&b, "/var/run/../run/docker.sock", pm_nopos)};
  pm_mount_in etc = {.type = "bind", .source = pm_b_str(&b, "/etc//ssl/", pm_nopos)};
  pm_mount_in vol = {.type = "volume", .source = pm_b_str(&b, "etc", pm_nopos)};
  pm_mount_in unknown = {.type = "bind", .source = pm_b_str(&b, "${DIR}", pm_nopos),
                         .source_unknown = true};
  /* Relative sources a source resolved: judged on where they lead. */
  pm_mount_in up = {.type = "bind", .source = pm_b_str(&b, "../../../etc", pm_nopos),
                    .resolved = "/srv/app/../../../etc"};
  pm_mount_in inside = {.type = "bind", .source = pm_b_str(&b, "./data", pm_nopos),
                        .resolved = "/root/app/data", .within_project = true};
  pm_container_add_mount(&b, list, &sock);
  pm_container_add_mount(&b, list, &etc);
  pm_container_add_mount(&b, list, &vol);
  pm_container_add_mount(&b, list, &unknown);
  pm_container_add_mount(&b, list, &up);
  pm_container_add_mount(&b, list, &inside);
  cr_assert_eq(list->u.arr.len, 6);
  cr_assert(pm_get(list->u.arr.items[4], "sensitive")->u.b);
  cr_assert_str_eq(pm_get(list->u.arr.items[4], "host_path")->u.str.s, "/etc");
  cr_assert(!pm_get(list->u.arr.items[5], "sensitive")->u.b); /* a project under /root */
  cr_assert_str_eq(pm_get(list->u.arr.items[5], "host_path")->u.str.s, "/root/app/data");
  cr_assert_eq(pm_get(list->u.arr.items[2], "host_path")->type, PM_NULL); /* a volume */
  cr_assert_str_eq(pm_get(list->u.arr.items[1], "host_path")->u.str.s, "/etc/ssl");
  cr_assert(pm_get(list->u.arr.items[0], "docker_socket")->u.b);
  cr_assert(pm_get(list->u.arr.items[0], "sensitive")->u.b); /* under /run */
  cr_assert(!pm_get(list->u.arr.items[1], "docker_socket")->u.b);
  cr_assert(pm_get(list->u.arr.items[1], "sensitive")->u.b);
  cr_assert(!pm_get(list->u.arr.items[2], "sensitive")->u.b);
  cr_assert_eq(pm_get(list->u.arr.items[3], "sensitive")->type, PM_NULL);
  cr_assert_eq(pm_get(list->u.arr.items[3], "type")->type, PM_STR);
}

Test(schema, capabilities_and_go_booleans) {
  pm_builder b = {&arena, false};
  cr_assert_str_eq(pm_b_capability(&b, "cap_net_admin", 13, pm_nopos)->u.str.s, "NET_ADMIN");
  cr_assert_str_eq(pm_b_capability(&b, "all", 3, pm_nopos)->u.str.s, "ALL");
  cr_assert_str_eq(pm_b_capability(&b, "CAP_", 4, pm_nopos)->u.str.s, "CAP_");
  cr_assert_eq(pm_parse_go_bool("True", 4), 1);
  cr_assert_eq(pm_parse_go_bool("0", 1), 0);
  cr_assert_eq(pm_parse_go_bool("yes", 3), -1);
  cr_assert_eq(pm_parse_go_bool("true1", 4), 1); /* only the first 4 bytes */
}

Test(schema, path_clean_as_go) {
  static const char *const cases[][2] = {
      {"", "."}, {"/", "/"}, {"//a//b/", "/a/b"}, {"a/./b/..", "a"},
      {"../../x", "../../x"}, {"/../x", "/x"}, {"a/../..", ".."}, {"./", "."}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    cr_assert_str_eq(pol_path_clean(&arena, cases[i][0], strlen(cases[i][0])),
                     cases[i][1], "%s", cases[i][0]);
}
