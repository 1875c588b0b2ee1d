/*
** test_ref.c: image reference parsing and normalisation.
*/
#include <criterion/criterion.h>
#include <string.h>

#include "model/ref.h"

static void expect(const char *in, const char *registry, const char *repo,
                   const char *tag, const char *digest, bool implicit) {
  pol_arena a = POL_ARENA_INIT;
  pm_value *r = pm_ref_to_model(&a, in, strlen(in), pm_nopos);
  cr_assert_not_null(r);
  cr_assert_null(pm_get(r, "error"), "%s: unexpected error %s", in,
                 pm_get(r, "error") ? pm_get(r, "error")->u.str.s : "");
  cr_assert_str_eq(pm_get(r, "registry")->u.str.s, registry, "%s", in);
  cr_assert_str_eq(pm_get(r, "repository")->u.str.s, repo, "%s", in);
  pm_value *t = pm_get(r, "tag"), *d = pm_get(r, "digest");
  if (tag) cr_assert_str_eq(t->u.str.s, tag, "%s", in);
  else cr_assert_null(t, "%s: tag", in);
  if (digest) cr_assert_str_eq(d->u.str.s, digest, "%s", in);
  else cr_assert_null(d, "%s: digest", in);
  cr_assert_eq(pm_get(r, "implicit_latest")->u.b, implicit, "%s", in);
  pol_arena_free(&a);
}

static void expect_error(const char *in) {
  pol_arena a = POL_ARENA_INIT;
  pm_value *r = pm_ref_to_model(&a, in, strlen(in), pm_nopos);
  cr_assert_not_null(pm_get(r, "error"), "%s should be invalid", in);
  pol_arena_free(&a);
}

#define D "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

Test(ref, official_images_get_library_and_docker_io) {
  expect("ubuntu", "docker.io", "library/ubuntu", NULL, NULL, true);
  expect("python:3.12-slim", "docker.io", "library/python", "3.12-slim", NULL, false);
  expect("index.docker.io/library/nginx:1.25", "docker.io", "library/nginx", "1.25", NULL, false);
  expect("docker.io/nginx", "docker.io", "library/nginx", NULL, NULL, true);
}

Test(ref, user_repositories_on_docker_hub) {
  expect("bitnami/redis:7.2", "docker.io", "bitnami/redis", "7.2", NULL, false);
  expect("a/b/c", "docker.io", "a/b/c", NULL, NULL, true);
}

Test(ref, registries_by_dot_colon_localhost_or_case) {
  expect("ghcr.io/org/app:v1", "ghcr.io", "org/app", "v1", NULL, false);
  expect("localhost:5000/app", "localhost:5000", "app", NULL, NULL, true);
  expect("localhost/app:1", "localhost", "app", "1", NULL, false);
  expect("registry.example.com:443/team/img@" D, "registry.example.com:443", "team/img", NULL, D, false);
  expect("Example/app", "Example", "app", NULL, NULL, true);
}

Test(ref, tag_and_digest_together) {
  expect("alpine:3.20@" D, "docker.io", "library/alpine", "3.20", D, false);
}

Test(ref, port_is_not_a_tag) {
  expect("myhost:5000/img", "myhost:5000", "img", NULL, NULL, true);
}

Test(ref, invalid_references) {
  expect_error("");
  expect_error("UPPER");
  expect_error("ubuntu:");
  expect_error("ubuntu:bad tag");
  expect_error("ubuntu@sha256:short");
  expect_error("a//b");
  expect_error("-leading");
  expect_error("trailing-");
  expect_error("ubuntu:" "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
}

Test(ref, separators_inside_components) {
  expect("my_org/my__app-x.y", "docker.io", "my_org/my__app-x.y", NULL, NULL, true);
  expect_error("my___app");
}
