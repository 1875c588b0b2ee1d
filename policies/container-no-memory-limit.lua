-- A container has no memory limit.
-- (An item of the hardening baseline: its words are in lib/hardening.lua.)

return template.hardening_item("memory")
