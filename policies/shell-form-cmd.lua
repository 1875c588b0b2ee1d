-- CMD or ENTRYPOINT is written in shell form.

return {
  id = "shell-form-cmd",
  title = "CMD or ENTRYPOINT in shell form",
  severity = "low",
  applies_to = "image",
  description = [[
The image's CMD or ENTRYPOINT is written in shell form (CMD python
app.py), so Docker runs it as `/bin/sh -c "python app.py"`. The shell
becomes process 1 and does not pass signals on: `docker stop` waits its
10 seconds and kills the application without a clean shutdown. A
shell-form ENTRYPOINT also ignores CMD and `docker run` arguments.]],
  remediation = [==[
Use the exec (JSON) form:
    CMD ["python", "app.py"]
    ENTRYPOINT ["/app/server", "--port", "8080"]
If you need the shell (variables, &&), end with exec so the program
replaces it: CMD ["sh", "-c", "exec python app.py --port \"$PORT\""]]==],
  refs = {
    hadolint = "DL3025",
    kics = "b86987e1",
  },
  check = function(image)
    if not image.final then return end
    local fields = { "entrypoint", "cmd" }
    for i = 1, #fields do
      local field = fields[i]
      local exec = image[field]
      if exec and exec.form == "shell" then
        report(exec, ("%s is in shell form: /bin/sh becomes PID 1 and does not pass on signals")
          :format(field:upper()))
      end
    end
  end,
}
