/*
** write_github.c: the report as GitHub Actions workflow commands, which
** the runner turns into annotations on the pull request:
**
**   ::error file=F,line=L,endLine=L2,col=C,endColumn=C2,title=T::MESSAGE
**
** High and critical findings and every error are `error`, medium and low
** findings and the warnings `warning`, info `notice`. The runner's escaping: in the message %, CR
** and LF become %25, %0D, %0A; in property values also ':' and ','
** become %3A and %2C. Other control characters are escaped first as in
** text output (\xNN), so no annotation can start another command.
*/
#include <string.h>

#include "policy/policy.h"
#include "report.h"

static const char *command_of(int severity) {
  if (severity >= POLICY_SEVERITY_HIGH) return "error";
  if (severity >= POLICY_SEVERITY_LOW) return "warning";
  return "notice";
}

static void put_escaped(pol_buf *b, const char *s, bool property) {
  pol_buf safe = POL_BUF_INIT;
  rep_put_text(&safe, s ? s : "");
  if (safe.oom) { b->oom = true; pol_buf_free(&safe); return; }
  for (size_t i = 0; i < safe.len; i++) {
    char c = safe.data[i];
    if (c == '%') pol_buf_puts(b, "%25");
    else if (property && c == ':') pol_buf_puts(b, "%3A");
    else if (property && c == ',') pol_buf_puts(b, "%2C");
    else pol_buf_putc(b, c);
  }
  pol_buf_free(&safe);
}

static void put_command(pol_buf *b, const rep_item *it, const char *command,
                        const char *title) {
  pol_buf_printf(b, "::%s file=", command);
  const char *file = it->file ? it->file : "-";
  while (file[0] == '.' && file[1] == '/') file += 2;
  put_escaped(b, file, true);
  if (it->line) {
    pol_buf_printf(b, ",line=%u", (unsigned)it->line);
    if (it->end_line >= it->line) pol_buf_printf(b, ",endLine=%u", (unsigned)it->end_line);
    if (it->column) pol_buf_printf(b, ",col=%u", (unsigned)it->column);
    if (it->end_column && it->end_line >= it->line)
      pol_buf_printf(b, ",endColumn=%u", (unsigned)it->end_column);
  }
  pol_buf_puts(b, ",title=");
  put_escaped(b, title, true);
  pol_buf_puts(b, "::");
  put_escaped(b, it->message, false);
  pol_buf_putc(b, '\n');
}

void rep_write_github(pol_buf *b, const rep_report *r) {
  pol_buf title = POL_BUF_INIT;
  for (size_t i = 0; i < r->errors.len; i++) {
    const rep_item *it = &r->errors.items[i];
    pol_buf_clear(&title);
    if (it->rule) pol_buf_printf(&title, "policy: rule %s failed", it->rule->id);
    else pol_buf_puts(&title, "policy: input error");
    pol_buf_putc(&title, '\0');
    if (title.oom) { b->oom = true; break; }
    put_command(b, it, "error", title.data);
  }
  for (size_t i = 0; i < r->warnings.len; i++)
    put_command(b, &r->warnings.items[i], "warning", "policy: warning");
  for (size_t i = 0; i < r->findings.len; i++) {
    const rep_item *it = &r->findings.items[i];
    pol_buf_clear(&title);
    pol_buf_printf(&title, "%s [%s] %s", rep_severity_name(it->severity), it->rule->id,
                   it->rule->title);
    pol_buf_putc(&title, '\0');
    if (title.oom) { b->oom = true; break; }
    put_command(b, it, command_of(it->severity), title.data);
  }
  pol_buf_free(&title);
}
