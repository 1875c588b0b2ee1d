-- A container keeps Docker's default capabilities.
-- (An item of the hardening baseline: its words are in lib/hardening.lua.)

return template.hardening_item("cap_drop")
