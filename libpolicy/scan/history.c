/*
** history.c: the layers of a scanned image and which of them the base
** image brought.
**
** A report names the layer a package was found in by its diff ID (the
** digest of the uncompressed layer); the image config lists the diff IDs
** in order (rootfs.diff_ids) and the history of the instructions that
** made them (history[]: created_by, empty_layer).
**
** Which layers are the base image's is not recorded anywhere; it is
** guessed the way Trivy guesses it: an image's own Dockerfile normally
** ends with CMD or ENTRYPOINT (entries that make no layer), and so did
** its base image's. Going back from the end of the history, past the
** image's own trailing entries without a layer, the first CMD entry
** without a layer is taken for the end of the base image: the layers made
** before it are the base image's. No such entry: unknown. The guess is
** wrong for a base image whose own Dockerfile ends without CMD (it is
** then counted with the image's own layers, back to a CMD further up)
** and for a Dockerfile that sets CMD before its last RUN or COPY.
*/
#include <string.h>

#include "scan_int.h"

static bool empty_layer(const pm_value *h) {
  const pm_value *e = pm_get(h, "empty_layer");
  return e && e->type == PM_BOOL && e->u.b;
}

/* CMD as the classic builder (`/bin/sh -c #(nop)  CMD [...]`) and
** BuildKit (`CMD [...]`) record it. */
static bool sets_cmd(const pm_value *h) {
  const pm_value *by = pm_get(h, "created_by");
  if (by == NULL || by->type != PM_STR) return false;
  const char *s = by->u.str.s;
  static const char classic[] = "/bin/sh -c #(nop) ";
  if (strncmp(s, classic, sizeof classic - 1) == 0) s += sizeof classic - 1;
  while (*s == ' ') s++;
  return strncmp(s, "CMD ", 4) == 0 || strncmp(s, "CMD[", 4) == 0;
}

/* The number of layers made before the base image's CMD, or
** SCAN_UNKNOWN_COUNT. */
static size_t guess_base_layers(const pm_value *history) {
  size_t n = history->u.arr.len, end = n;
  while (end > 0 && (history->u.arr.items[end - 1]->type != PM_MAP ||
                     empty_layer(history->u.arr.items[end - 1])))
    end--;
  size_t cmd = SIZE_MAX;
  for (size_t i = end; i > 0 && cmd == SIZE_MAX; i--) {
    const pm_value *h = history->u.arr.items[i - 1];
    if (h->type == PM_MAP && empty_layer(h) && sets_cmd(h)) cmd = i - 1;
  }
  if (cmd == SIZE_MAX) return SCAN_UNKNOWN_COUNT;
  size_t layers = 0;
  for (size_t i = 0; i < cmd; i++)
    if (history->u.arr.items[i]->type == PM_MAP && !empty_layer(history->u.arr.items[i]))
      layers++;
  return layers;
}

void scan_image_layers(scan_ctx *c, const pm_value *diff_ids, const pm_value *history) {
  for (size_t i = 0; diff_ids && i < diff_ids->u.arr.len && !c->oom; i++) {
    const pm_value *d = diff_ids->u.arr.items[i];
    if (d->type != PM_STR) {
      scan_error(c, d->pos, "a layer's diff ID must be a string, not %s", scan_type_name(d->type));
      continue;
    }
    if (pm_getn(c->layer_index, d->u.str.s, d->u.str.len)) continue; /* a layer repeated */
    pm_value *index = pm_int(&c->scratch, (int64_t)i, pm_nopos);
    if (index == NULL) c->oom = true;
    else scan_table_set(c, c->layer_index, d->u.str.s, d->u.str.len, index);
  }
  if (history && diff_ids && diff_ids->u.arr.len > 0) {
    size_t base = guess_base_layers(history);
    if (base != SCAN_UNKNOWN_COUNT && base <= diff_ids->u.arr.len) c->base_layers = base;
  }
}
