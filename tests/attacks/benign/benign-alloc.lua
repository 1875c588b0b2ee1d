return {
  id = "benign-alloc", title = "benign witness that allocates", severity = "low",
  applies_to = "image",
  description = "Builds 24 MiB of strings: it must get its own memory budget, whatever the rule before it kept.",
  remediation = "None: this is a test.",
  check = function(image)
    local t = {}
    for i = 1, 24 do t[i] = string.rep(string.char(64 + i), 1 << 20) end
    if image.final then report(image, "benign-alloc built " .. #t .. " MiB") end
  end,
}
