-- ADD downloads a file without checking it.

return {
  id = "add-remote-url",
  title = "ADD downloads a file without a checksum",
  severity = "medium",
  applies_to = "image",
  description = [[
An ADD instruction downloads a URL (or clones a git repository) and puts
what it got into the image, with no check that it is the file you meant:
if the server, a proxy or a DNS answer is compromised, or the file is
simply replaced upstream, the image silently changes. A plain http://
URL can be altered by anyone on the way.]],
  remediation = [[
Pin the content with a checksum, which BuildKit verifies:
    ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d \
        https://example.com/tool-1.2.3.tar.gz /tmp/
or download in a RUN step and verify:
    RUN curl -fsSLo /tmp/tool.tgz https://example.com/tool-1.2.3.tar.gz \
     && echo "24454f83...  /tmp/tool.tgz" | sha256sum -c -
For git sources, pin a commit: ADD https://github.com/org/repo.git#<commit-sha> /src]],
  refs = {
    kics = "4b410d24",
  },
  check = function(image)
    local copies = image.copies
    for i = 1, #copies do
      local copy = copies[i]
      if copy.add and copy.git then
        local sources_list = copy.sources
        for k = 1, #sources_list do
          local source = sources_list[k]
          local ref = source:match("#([^:]+)")
          if not (ref and ref:match("^%x+$") and #ref >= 40) then
            report(copy, ("ADD clones %s without pinning a commit"):format(source))
          end
        end
      elseif copy.add and copy.url and not copy.checksum then
        local sources_list = copy.sources
        for k = 1, #sources_list do
          local source = sources_list[k]
          if source:lower():match("^http://") then
            report(copy, ("ADD downloads %s over plain HTTP, without a checksum"):format(source))
          elseif source:match("^%a[%w+.-]*://") then
            report(copy, ("ADD downloads %s without --checksum"):format(source))
          end
        end
      end
    end
  end,
}
