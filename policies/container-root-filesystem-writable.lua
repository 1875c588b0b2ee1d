-- A container's root file system is writable.
-- (An item of the hardening baseline: its words are in lib/hardening.lua.)

return template.hardening_item("read_only")
