-- apt-get install pulls in recommended packages too.

local function off(v)
  v = (v or ""):lower():gsub("[\"';]", "")
  return v == "false" or v == "0" or v == "no" or v == "off"
end

-- True when a command configures apt to skip recommends (echo
-- 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/...).
local function configures_off(c)
  for i = 2, #c.argv do
    local a = c.argv[i]:lower()
    if a:find("install%-recommends") and (a:find("[\" =]false") or a:find("[\" =]0[\";]") or a:find("[\" =]0$")) then
      return true
    end
  end
  return false
end

return {
  id = "apt-no-install-recommends",
  title = "apt-get install without --no-install-recommends",
  severity = "low",
  applies_to = "image",
  description = [[
apt-get install runs without --no-install-recommends, so besides the
packages you asked for it installs every package they merely recommend:
often dozens of extra programs and libraries. Each one makes the image
bigger and is more code that can have vulnerabilities and must be
patched, for nothing the application uses. A RUN is reported once, at its first such install.]],
  remediation = [[
Add --no-install-recommends, and name any recommended package you do
need explicitly:
    RUN apt-get update \
     && apt-get install -y --no-install-recommends python3 ca-certificates \
     && rm -rf /var/lib/apt/lists/*
(or set it once: RUN echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/90norecommends)]],
  refs = {
    cis = "4.3",
    hadolint = "DL3015",
    trivy = "DS029",
    kics = "7384dfb2",
  },
  check = function(image)
    local reported = {} -- one finding per RUN
    local commands = image.commands
    -- configured: some command up to `scanned` sets recommends off; the
    -- commands are read for it only once an install would be reported.
    local configured, scanned = false, 0
    for k = 1, #commands do
      local cmd = commands[k]
      local p = cmd.package
      if p and (p.manager == "apt-get" or p.manager == "apt") and p.subcommand == "install"
         and not reported[cmd.instruction]
         and not packages.option(p, "--no-install-recommends") then
        local set_off = false
        local options = p.options
        for j = 1, #options do
          local opt = options[j]
          if (opt.name == "-o" or opt.name == "--option") then
            local key, v = (opt.value or ""):match("^([^=]+)=(.*)$")
            if key and key:lower() == "apt::install-recommends" and off(v) then set_off = true end
          end
        end
        while not configured and scanned < k do
          scanned = scanned + 1
          configured = configures_off(commands[scanned])
        end
        if not set_off and not configured then
          reported[cmd.instruction] = true
          report(cmd, p.manager .. " install also installs the recommended packages; add --no-install-recommends")
        end
      end
    end
  end,
}
