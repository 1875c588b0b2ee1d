/*
** to_json.h: writes a model tree as JSON text.
**
** Schema objects (PM_OBJ) with a position get a "pos" member first:
** {"line", "column", "end_line", "end_column"} plus "file" when the node
** came from another file than the document (a linked Dockerfile). Maps and
** scalars print no position. Strings are escaped per RFC 8259; bytes that
** are not valid UTF-8 print as U+FFFD, since JSON cannot carry them.
*/
#ifndef POL_MODEL_JSON_H
#define POL_MODEL_JSON_H

#include "../core/buf.h"
#include "value.h"

enum pm_json_flags {
  PM_JSON_PRETTY = 1u << 0, /* two-space indentation, one member a line */
  PM_JSON_NO_POS = 1u << 1  /* omit "pos" members */
};

void pm_json_write(pol_buf *out, const pm_value *v, unsigned flags);

#endif
