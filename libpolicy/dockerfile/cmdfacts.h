/*
** cmdfacts.h: what a simple command of a RUN step does, worked out once
** per document so that no rule derives it again: the program behind its
** wrappers, the words from that program on, and, for a package manager,
** a parse of its command line (manager, subcommand, options, arguments,
** and the packages it installs with the version each is pinned to).
**
** Model fields set on a command object (see docs/model.md):
**   name      basename of argv[1], the word the shell runs (a wrapper
**             such as sudo included): "apt-get" for /usr/bin/apt-get
**   program   basename of the command run after wrappers such as sudo,
**             env, nice, nohup, time, command, exec (with their options
**             and NAME=value words): "apt-get" for
**             `sudo -E /usr/bin/apt-get install x`; null for a command
**             that is only wrappers
**   words     argv from the program on, the first word as a basename
**   package   false when the command runs no package manager, else
**             {manager, family, subcommand, options [{name, value}],
**             args [...], packages [{name, version, raw}] (null for a
**             subcommand that installs nothing)}
**
** Managers and families: apt-get, apt, aptitude (apt); apk (apk); yum,
** dnf, microdnf, tdnf (rpm); zypper (zypper); pip, pip3, pipX.Y and
** `python -m pip` (pip: the manager is "pip"); npm, yarn, pnpm (npm);
** gem (gem); go (go). Options are split as each manager reads them:
** --opt=value, --opt value for options that take one, -abc as -a -b -c,
** -ovalue; "--" ends the options. `packages` lists the package words of
** an installing subcommand (install, add, in, get, i) with their pinned
** version in each manager's syntax (apt and apk `name=1.2`, apk `~`,
** `<`, `>` forms, pip specifiers, npm `name@1.2`, gem `name:1.2` or
** -v, rpm and zypper `name-1.2`, go `path@v1.2`); version is null when
** the word pins none.
*/
#ifndef POL_DF_CMDFACTS_H
#define POL_DF_CMDFACTS_H

#include <stdbool.h>

#include "../core/arena.h"
#include "../model/value.h"

/* Sets program, words and package on the command object `cmd` from its
** argv (an array of strings). The new nodes share argv's strings (see
** pm_str_shared): argv must live in arena `a`. Returns false on
** out-of-memory. */
bool df_cmdfacts(pol_arena *a, pm_value *cmd, const pm_value *argv);

#endif
