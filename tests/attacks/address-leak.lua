-- expect: findings=1 noaddress
-- tostring of functions and tables showed addresses of libpolicy and
-- liblua (a help to anyone attacking the host).
return {
  id = "attack-address-leak", title = "attack", severity = "low", applies_to = "image",
  description = "d", remediation = "r",
  check = function(image)
    if not image.final then return end
    local ok, p = pcall(string.format, "%p", print)
    report(image, table.concat({ tostring(print), tostring({}), tostring(image),
      tostring(string.upper), string.format("%s %s", print, {}), tostring(ok), tostring(p) }, " | "))
  end,
}
