/*
** timestamp.c: the times scanners write ("2024-05-01T10:00:00.123456789Z",
** "2024-05-01T12:00:00+02:00", "2024-05-01") as seconds since the epoch,
** in UTC, without the C library's time zone machinery.
*/
#include <stdint.h>

#include "scan_int.h"

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian calendar). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/* n digits at s[*i] as a number; false when they are not all digits. */
static bool digits(const char *s, size_t len, size_t *i, size_t n, int64_t *out) {
  if (*i + n > len) return false;
  int64_t v = 0;
  for (size_t k = 0; k < n; k++) {
    char ch = s[*i + k];
    if (ch < '0' || ch > '9') return false;
    v = v * 10 + (ch - '0');
  }
  *i += n;
  *out = v;
  return true;
}

static bool expect(const char *s, size_t len, size_t *i, char ch) {
  if (*i >= len || s[*i] != ch) return false;
  (*i)++;
  return true;
}

bool scan_parse_time(const char *s, size_t len, int64_t *out) {
  static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  size_t i = 0;
  int64_t y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0, off = 0;
  if (!digits(s, len, &i, 4, &y) || !expect(s, len, &i, '-') || !digits(s, len, &i, 2, &mo) ||
      !expect(s, len, &i, '-') || !digits(s, len, &i, 2, &d))
    return false;
  if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1]) return false;
  if (i < len) {
    if (s[i] != 'T' && s[i] != 't' && s[i] != ' ') return false;
    i++;
    if (!digits(s, len, &i, 2, &h) || !expect(s, len, &i, ':') || !digits(s, len, &i, 2, &mi) ||
        !expect(s, len, &i, ':') || !digits(s, len, &i, 2, &se))
      return false;
    if (h > 23 || mi > 59 || se > 60) return false;
    if (i < len && s[i] == '.') {
      i++;
      size_t start = i;
      while (i < len && s[i] >= '0' && s[i] <= '9') i++;
      if (i == start) return false;
    }
    if (i < len && (s[i] == 'Z' || s[i] == 'z')) {
      i++;
    } else if (i < len && (s[i] == '+' || s[i] == '-')) {
      int64_t oh, om, sign = s[i] == '-' ? -1 : 1;
      i++;
      if (!digits(s, len, &i, 2, &oh) || !expect(s, len, &i, ':') || !digits(s, len, &i, 2, &om) ||
          oh > 23 || om > 59)
        return false;
      off = sign * (oh * 3600 + om * 60);
    } else {
      return false; /* a time without a zone is not a point in time */
    }
    if (i != len) return false;
  }
  *out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - off;
  return true;
}
