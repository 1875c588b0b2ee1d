-- hadolint_a_config: the pack's settings read from `data`, checked in one
-- place. hadolint's .hadolint.yaml keys live under data.hadolint.

local config = {}

-- The trusted registries (hadolint's trustedRegistries) as a new list of
-- strings; empty when none are configured (DL3026 is then off).
-- Accepted spellings: data.hadolint.trustedRegistries (hadolint's key) and
-- data.hadolint.trusted_registries. A single string counts as a list of one.
function config.trusted_registries(data)
  local h = data and data.hadolint
  local list = h and (h.trustedRegistries or h.trusted_registries)
  local out = {}
  if type(list) == "string" then
    out[1] = list
  elseif list ~= nil then
    for _, r in ipairs(list) do
      if type(r) ~= "string" then
        error("data.hadolint.trustedRegistries must be a list of registry names, found a " .. type(r))
      end
      out[#out + 1] = r
    end
  end
  return out
end

return config
