/*
** base64.h: decoding base64 text (RFC 4648's standard alphabet, padded),
** as Go's encoding/json writes a []byte. Line breaks are ignored.
*/
#ifndef POL_BASE64_H
#define POL_BASE64_H

#include <stdbool.h>
#include <stddef.h>

/* Decodes s[0..n) into out, which has room for n bytes (the decoded text
** is never longer); *out_len receives its length. False when s is not
** base64 (a stray character, misplaced padding, a truncated quantum). */
bool pol_base64_decode(const char *s, size_t n, char *out, size_t *out_len);

#endif
