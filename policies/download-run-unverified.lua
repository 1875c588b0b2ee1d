-- A script is downloaded to a file and run without being checked.

return {
  id = "download-run-unverified",
  title = "Downloaded script run without verification",
  severity = "high",
  applies_to = "image",
  description = [[
A RUN step downloads a script to a file and runs it (`curl -fsSLo
install.sh ... && sh install.sh`, `wget -O get-pip.py ... && python
get-pip.py`, `chmod +x ./install && ./install`) with no checksum or
signature check in between. It is curl-pipe-shell's problem in two
steps: whatever the server sends on the day of the build runs as root in
your image, and a compromised or spoofed server, a changed script or a
truncated download go unnoticed. A script fetched from a branch that
moves (master, main, HEAD) or from the "latest" release changes under
you even when nobody attacks anything.]],
  remediation = [[
Pin what you download and check it before running it:
    ARG GET_PIP_SHA256=<the sha256 you reviewed>
    RUN curl -fsSLo /tmp/get-pip.py https://bootstrap.pypa.io/pip/24.3.1/get-pip.py \
     && echo "${GET_PIP_SHA256}  /tmp/get-pip.py" | sha256sum -c - \
     && python3 /tmp/get-pip.py && rm /tmp/get-pip.py
Download from a tag or commit, not a branch, and prefer the
distribution's package or `ADD --checksum=sha256:... URL`.]],
  refs = {
    cis = "4.11",
  },
  check = function(image)
    local found = downloads.stage(image)
    for i = 1, #found do
      local d = found[i]
      local run = d.run_by
      if run and not d.checked_before_run then
        local where = run.line ~= d.cmd.line and (" on line %d"):format(d.cmd.line) or ""
        local branch = downloads.moving(d.url) and ", from a branch or release that moves," or ""
        local who = run.program == d.name and run.words[1] == d.name and d.name .. " is run"
                    or ("%s runs %s"):format(run.program, d.name)
        report(run, ("%s, downloaded by %s%s%s without a checksum or signature check")
          :format(who, d.cmd.program, where, branch))
      end
    end
  end,
}
