-- Compilers and other build tools are installed in the image that ships.

local TOOLS = {
  gcc = true, ["g++"] = true, ["gcc-c++"] = true, clang = true, make = true, cmake = true,
  ["build-essential"] = true, ["build-base"] = true, autoconf = true, automake = true,
  libtool = true, ["pkg-config"] = true, pkgconf = true, golang = true, go = true,
  rustc = true, cargo = true, ["openjdk-17-jdk"] = true, maven = true, gradle = true,
  git = true, curl = true, wget = true,
}
local REMOVE = { remove = true, purge = true, autoremove = true, del = true, erase = true, rm = true }

-- The programs the image runs when it starts or checks its health (its
-- ENTRYPOINT, CMD and HEALTHCHECK, and the health checks of the Compose
-- services that build it): tools it needs at run time, in a new set.
local function runtime_programs(image, document)
  local set = {}
  local function add_words(list)
    local words = list or {}
    for j = 1, #words do
      local word = words[j]
      for part in word:gmatch("[^%s;&|()]+") do set[paths.base(part)] = true end
    end
  end
  add_words(image.entrypoint and image.entrypoint.argv)
  add_words(image.cmd and image.cmd.argv)
  add_words(image.healthcheck and image.healthcheck.test)
  local containers = document.containers
  for j = 1, #containers do
    local c = containers[j]
    if c.build ~= nil and c.healthcheck ~= nil then add_words(c.healthcheck.test) end
  end
  return set
end

-- True when an autoremove follows `apt-mark auto` in the RUN: every
-- package the RUN installed before it is removed again unless `apt-mark
-- manual` names it (the official images' pattern). Returns the index of
-- the apt-mark auto command and the names kept, or nil.
local function marks_all_auto(run)
  local auto_at, kept = nil, {}
  for i = 1, #run do
    local c = run[i]
    local w = c.words
    if c.program == "apt-mark" and w[2] == "auto" then
      auto_at = auto_at or i
    elseif c.program == "apt-mark" and w[2] == "manual" then
      for k = 3, #w do kept[w[k]] = true end
    else
      local p = c.package
      if auto_at and p and p.family == "apt" and (p.subcommand == "autoremove"
          or ((p.subcommand == "purge" or p.subcommand == "remove")
              and packages.option(p, "--auto-remove", "--autoremove"))) then
        return auto_at, kept
      end
    end
  end
  return nil
end

-- Reports the build tools one stage that ships installs and keeps.
local function check_stage(image, runtime)
  -- What later commands of the stage remove (packages or apk virtual names).
  local removed = {}
  local commands_list = image.commands
  for i = 1, #commands_list do
    local cmd = commands_list[i]
    local p = cmd.package
    if p and REMOVE[p.subcommand or ""] then
      for _, name in ipairs(p.args) do removed[name] = i end
    end
  end
  local position = 0
  local runs = shell.runs(image)
  for j = 1, #runs do
    local run = runs[j]
    local auto_at, kept = marks_all_auto(run)
    for k = 1, #run do
      local cmd = run[k]
      position = position + 1
      local p = cmd.package
      local names = p and packages.system(p) and packages.installs(p)
      local virtual = names and packages.option(p, "--virtual", "-t")
      local group = virtual and p.manager == "apk" and virtual.value
      if names and not (group and removed[group] and removed[group] > position) then
        local found = {}
        for m = 1, #names do
          local name = names[m]
          local gone = (removed[name] and removed[name] > position)
                       or (auto_at and k < auto_at and not kept[name])
          if TOOLS[name] and not gone and not runtime[name] then found[#found + 1] = name end
        end
        if #found > 0 then
          report(cmd, ("%s installs %s in the image that ships; build in a separate stage")
            :format(p.manager, table.concat(found, ", ")))
        end
      end
    end
  end
end

return {
  id = "build-tools-in-final-stage",
  title = "Build tools left in the final image",
  severity = "low",
  profile = "strict",
  applies_to = "document",
  description = [[
The image that ships (its final stage, and the stages it is built FROM)
installs compilers and build tools (gcc, make, build-essential,
build-base, git, curl, ...) and does not remove them. They are needed to
build the application, not to run it: in the final image they add size
and vulnerabilities to patch, and they hand an attacker who gets in a
ready toolkit to download and compile more. Tools are not counted when
they are removed later (apt-get purge, apk del of a --virtual group, the
`apt-mark auto '.*'` ... `apt-get purge --auto-remove` pattern of the
official images) or when the image runs them itself: curl in a
HEALTHCHECK, a tool its ENTRYPOINT or CMD calls.]],
  remediation = [[
Build in a separate stage and copy only the result into a clean one:
    FROM python:3.13-slim AS build
    RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev
    RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt
    FROM python:3.13-slim
    COPY --from=build /wheels /wheels
    RUN pip install --no-cache-dir /wheels/* && rm -rf /wheels
If a tool must be installed in the final stage for one step, remove it
in the same RUN (apk add --virtual .build-deps gcc ... && apk del .build-deps).]],
  refs = {
    cis = "4.3",
  },
  check = function(document)
    local chains = model.chains(document)
    for j = 1, #chains do
      local e = chains[j]
      if e.image.final then
        local runtime = runtime_programs(e.image, document)
        local s = e
        while s do
          check_stage(s.image, runtime)
          s = s.parent
        end
      end
    end
  end,
}
