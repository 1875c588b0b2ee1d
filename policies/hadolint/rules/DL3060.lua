-- DL3060: yarn install without yarn cache clean in the same RUN.
local clean = require "hadolint_b_clean"

local SPEC = {
  programs = { yarn = true },
  installs = function(cmd)
    local w = cmd.words
    return w[2] == nil or w[2] == "install"
  end,
  cleans = function(cmd)
    local w = cmd.words
    return w[2] == "cache" and w[3] == "clean"
  end,
  cache = { "/usr/local/share/.cache/yarn", "/root/.cache/yarn" },
}

return {
  id = "DL3060",
  title = "yarn install without yarn cache clean",
  severity = "low",
  applies_to = "image",
  description = [[
A RUN runs yarn install but not "yarn cache clean". Yarn keeps a copy of
every package it downloads in its cache, which then stays in the layer
and can double the size of node_modules in the image.]],
  remediation = [[
Clean the cache in the same RUN:
    RUN yarn install --frozen-lockfile && yarn cache clean
(or use RUN --mount=type=cache,target=/usr/local/share/.cache/yarn).]],
  refs = { hadolint = "DL3060" },
  check = function(image, document)
    -- As hadolint, a stage matters when it is the last one or another
    -- stage is built FROM it; ONBUILD triggers matter in every stage.
    local images = document and document.images or { image }
    local used = image.index == nil or image.index == #images - 1
    for _, other in ipairs(images) do
      if other.parent == image.index then used = true end
    end
    clean.check(image, SPEC, "yarn install without yarn cache clean in the same RUN leaves the cache in the layer",
      not used)
  end,
}
