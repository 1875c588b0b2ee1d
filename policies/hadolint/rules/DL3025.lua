-- DL3025: CMD or ENTRYPOINT in shell form.
return {
  id = "DL3025",
  title = "CMD or ENTRYPOINT not in JSON form",
  severity = "medium",
  applies_to = "image",
  description = [[
CMD or ENTRYPOINT is written in shell form (plain text) instead of the
JSON (exec) form. Docker then runs it through /bin/sh -c, so the shell
is PID 1 and your program its child: `docker stop` sends SIGTERM to the
shell, which does not pass it on, and the container is killed after the
timeout instead of shutting down cleanly.]],
  remediation = [[
Write the command as a JSON array:
    CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]
    ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]
If you need shell features, put them in a script and start it with
`exec "$@"` so your program replaces the shell.]],
  refs = { hadolint = "DL3025", kics = "b86987e1" },
  check = function(image)
    for _, instr in ipairs(image.instructions) do
      local k = instr.keyword
      if (k == "CMD" or k == "ENTRYPOINT") and not instr.json then
        report(instr, ("%s in shell form runs under /bin/sh -c; use the JSON form [\"...\"]"):format(k))
      end
    end
  end,
}
