/*
** posjson.h: JSON text to a model tree in which every value has a position.
**
** jansson parses and validates (strict RFC 8259: duplicate keys, invalid
** UTF-8, "\u0000" and integers outside int64 are errors); a linear scan of
** the same text records where each value starts and ends, in document
** order, and the two are matched while jansson's tree is converted.
**
** Positions: a value's span covers its text; an object member's value
** starts at its key instead ("Privileged": true spans the key too), so a
** finding about a field points at the key that set it. Columns count code
** points. Objects become PM_MAP, arrays PM_ARR, integers PM_INT, other
** numbers PM_NUM.
*/
#ifndef POL_INSPECT_JSON_H
#define POL_INSPECT_JSON_H

#include <stddef.h>

#include "../core/buf.h"
#include "../model/value.h"

typedef struct insp_json_limits {
  size_t max_depth;  /* arrays and objects nested deeper are an error */
  size_t max_nodes;  /* more values than this: INSP_JSON_LIMIT */
} insp_json_limits;

enum {
  INSP_JSON_OK = 0,
  INSP_JSON_SYNTAX = 1, /* *err holds the message, *err_pos the place */
  INSP_JSON_LIMIT = 2,  /* more than max_nodes values */
  INSP_JSON_NOMEM = 3
};

/* Parses text[0..len) (a leading UTF-8 byte order mark is skipped).
** `file` is stored in every position (NULL: the document's own file). */
int insp_json_parse(pol_arena *a, const char *text, size_t len,
                    const char *file, const insp_json_limits *lim,
                    pm_value **out, pol_buf *err, pm_pos *err_pos);

#endif
