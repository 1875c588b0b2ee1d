return {
  id = "fuzz-rule", title = "t", severity = "high", applies_to = "image,container,document",
  description = "d", remediation = "r", refs = { hadolint = "DL1", cis = {"4.1", "4.2"} },
  check = function(node, doc)
    print(node.kind, doc.kind, #doc.images)
    for i, img in ipairs(doc.images or {}) do
      for k, v in pairs(img) do if type(v) == "string" and v:find("^a") then report(img, k, "x " .. v) end end
      for _, c in ipairs(img.commands or {}) do report(c, "argv", table.concat(c.argv, " ")) end
    end
    if data.allowed[1] == "alpine" then report(node, "found") end
    local s = string.format("%q", tostring(node)):gsub("%w+", string.upper)
    return utf8.len(s), math.floor(1.5)
  end,
}
