module libpolicy/policy

go 1.19
