-- expect: refused
-- A 1 MiB title, which was copied into every one of up to 1000 findings.
return {
  id = "attack-title-huge", title = string.rep("T", 1 << 20), severity = "low",
  applies_to = "image", description = "d", remediation = "r",
  check = function(image)
    for i = 1, 1000 do report(image, "finding " .. i) end
  end,
}
