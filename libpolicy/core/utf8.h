/*
** utf8.h: decoding UTF-8 the way Go does (each invalid byte is one
** U+FFFD of width 1), code point columns, and validity checks.
*/
#ifndef POL_UTF8_H
#define POL_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define PUTF8_INVALID 0xFFFFFFFFu

/* Decodes one code point at s[0..len). Returns the bytes consumed (>= 1
** when len > 0) and sets *cp, or PUTF8_INVALID for a byte that does not
** start a valid, shortest-form, non-surrogate sequence (consumed alone). */
size_t pol_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Bytes of ASCII at the start of s[0..n), tested eight at a time (most
** text is ASCII: one byte, one code point, one column). */
static inline size_t pol_utf8_ascii_prefix(const char *s, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    if (w & UINT64_C(0x8080808080808080)) break;
  }
  while (i < n && (unsigned char)s[i] < 0x80) i++;
  return i;
}

/* Number of code points in s[0..len), invalid bytes counting one each. */
size_t pol_utf8_count(const char *s, size_t len);

/* Unicode White_Space as Go's unicode.IsSpace sees it. */
bool pol_utf8_is_space(uint32_t cp);

/* Decodes the last code point of s[0..len) the way Go's DecodeLastRune
** does. Returns its width (0 when len == 0), *cp as in pol_utf8_decode. */
size_t pol_utf8_decode_last(const char *s, size_t len, uint32_t *cp);

/* Approximates Go's unicode.ToLower: ASCII, Latin-1, Latin Extended-A and
** Additional, Greek, Cyrillic, Armenian, fullwidth Latin and a few
** letterlike symbols. Other code points map to themselves. */
uint32_t pol_utf8_to_lower(uint32_t cp);

/* General-category tests over Unicode 15.0 (Go's unicode tables):
** letter = L*, as unicode.IsLetter; digit = Nd, as unicode.IsDigit;
** print = L|M|N|P|S or U+0020, as strconv.IsPrint. */
bool pol_utf8_is_letter(uint32_t cp);
bool pol_utf8_is_digit(uint32_t cp);
bool pol_utf8_is_print(uint32_t cp);

#endif
