-- Compilers and other build tools are installed in the image that ships.

local TOOLS = {
  gcc = true, ["g++"] = true, ["gcc-c++"] = true, clang = true, make = true, cmake = true,
  ["build-essential"] = true, ["build-base"] = true, autoconf = true, automake = true,
  libtool = true, ["pkg-config"] = true, pkgconf = true, golang = true, go = true,
  rustc = true, cargo = true, ["openjdk-17-jdk"] = true, maven = true, gradle = true,
  git = true, curl = true, wget = true,
}
local REMOVE = { remove = true, purge = true, autoremove = true, del = true, erase = true, rm = true }

return {
  id = "build-tools-in-final-stage",
  title = "Build tools left in the final image",
  severity = "low",
  applies_to = "image",
  description = [[
The stage that ships installs compilers and build tools (gcc, make,
build-essential, build-base, git, curl, ...) and does not remove them.
They are needed to build the application, not to run it: in the final
image they add size and vulnerabilities to patch, and they hand an
attacker who gets in a ready toolkit to download and compile more.]],
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
  check = function(image, document)
    if not model.shipped(image, document) then return end
    -- What later commands of the stage remove (packages or apk virtual names).
    local removed = {}
    local parsed = {}
    for i, cmd in ipairs(image.commands) do
      local p = packages.parse(cmd)
      parsed[i] = p
      if p and REMOVE[p.subcommand or ""] then
        for _, name in ipairs(p.args) do removed[name] = i end
      end
    end
    for i, cmd in ipairs(image.commands) do
      local p = parsed[i]
      local names = p and packages.system(p) and packages.installs(p)
      if names then
        local virtual = packages.option(p, "--virtual", "-t")
        local group = virtual and p.manager == "apk" and virtual.value
        if not (group and removed[group] and removed[group] > i) then
          local found = {}
          for _, name in ipairs(names) do
            if TOOLS[name] and not (removed[name] and removed[name] > i) then found[#found + 1] = name end
          end
          if #found > 0 then
            report(cmd, ("%s installs %s in the image that ships; build in a separate stage")
              :format(p.manager, table.concat(found, ", ")))
          end
        end
      end
    end
  end,
}
