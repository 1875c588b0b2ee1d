-- A program is downloaded into the image without a checksum.

return {
  id = "download-without-checksum",
  title = "Program downloaded without a checksum",
  severity = "medium",
  applies_to = "image",
  description = [[
A RUN step downloads a program (`curl -Lo /usr/local/bin/kubectl ...`,
`wget ... && chmod +x tool`, an archive unpacked into /usr/local/bin)
and installs it without checking it against a checksum or signature.
Whatever the server (or anyone between it and the build) sends becomes a
program of the image, run later by the application or by you: a
tampered release, a replaced "latest" or a truncated download are all
installed without a warning, and two builds of the same Dockerfile may
ship different programs.]],
  remediation = [[
Pin the version and check the file against the checksum its project
publishes before installing it:
    ARG KUBECTL_VERSION=v1.31.3
    RUN curl -fsSLo /tmp/kubectl "https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/amd64/kubectl" \
     && curl -fsSLo /tmp/kubectl.sha256 "https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/amd64/kubectl.sha256" \
     && echo "$(cat /tmp/kubectl.sha256)  /tmp/kubectl" | sha256sum -c - \
     && install -m 0755 /tmp/kubectl /usr/local/bin/kubectl
or use `ADD --checksum=sha256:... URL`, or the distribution's package.]],
  refs = {
    cis = "4.11",
  },
  check = function(image)
    local found = downloads.stage(image)
    for i = 1, #found do
      local d = found[i]
      -- A file run as a script is download-run-unverified's finding.
      if not d.verified and not d.run_by and (d.executable or d.in_bin) then
        local how = d.unpacked and "and unpacks it into a bin folder"
                    or d.in_bin and "into a bin folder" or "and makes it executable"
        local branch = downloads.moving(d.url) and ", from a release or branch that moves," or ""
        report(d.cmd, ("%s downloads %s %s%s without a checksum or signature check")
          :format(d.cmd.program, d.name, how, branch))
      end
    end
  end,
}
