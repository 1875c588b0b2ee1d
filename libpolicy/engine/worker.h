/*
** worker.h: rules that are not trusted run in a supervised worker
** process, so that their limits hold even inside one long C call of the
** system Lua (a table sort over huge strings, a quadratic rehash), which
** nothing inside the process can interrupt.
**
** Per document, the engine forks: the child has the sandbox (every rule
** already compiled) and the document as they are at the fork, so nothing
** is serialised. Before it runs a rule, the child puts itself under
** RLIMIT_CPU and RLIMIT_AS and a seccomp filter that allows only what
** evaluation needs (writing to its pipe, memory, the clock, exiting);
** then it runs the rules one by one, as eng_eval_rule does in-process, and
** streams what they report back over the pipe. The parent reads with a
** deadline per rule; when a rule overruns (or the child dies), the child
** is killed, that rule gets a rule error with limit "time" (or the
** cause), and a new child goes on from the next rule. Nothing a child
** does reaches the parent but the messages it sends, which the parent
** checks (rule index, sizes) before handing them to the sink.
**
** Loading goes through a child too: eng_worker_try_load compiles and runs a
** rule file in a child under the same deadline first, so a file that
** takes too long to compile (thousands of colliding constants) or to run
** is refused before the parent ever compiles it. Lua runs the same way
** twice (no clock, no randomness), so the parent's own load then takes no
** longer than the child's did.
**
** Cost: one fork per document checked, plus one per rule file loaded.
** Measured (bench/README.md): about 3.4 ms per document for the CLI, most of
** it the kernel's copy-on-write faults after the fork (every page either
** process writes is copied or re-mapped), which grow with the parent's
** resident size; the syscall filter is compiled once per process.
**
** Not for every platform: eng_worker_supported() says whether this build can
** fork and filter (Linux with libseccomp). Thread-safety: as the engine;
** distinct engines may fork from distinct threads.
*/
#ifndef POL_ENGINE_WORKER_H
#define POL_ENGINE_WORKER_H

#include <stdbool.h>
#include <stddef.h>

#include "eval.h"

bool eng_worker_supported(void);

/* Runs rules[0..n) (compiled in sb) over the document in worker
** processes; findings, errors and logs go to the sink as eng_eval_rule's
** would. Returns false only when the host ran out of memory. A failure to
** start a worker becomes a rule error for each rule it could not run. */
bool eng_worker_eval(eng_sandbox *sb, const eng_rule *const *rules, size_t n,
                 const pm_value *doc, const char *path,
                 const eng_eval_limits *lim, const eng_eval_sink *sink);

/* Loads the rule file in a child first, with `time_ms` to do it (and the
** sandbox's memory budget). Returns true when the child loaded it (or
** failed with a message the parent's own load will repeat, such as a
** syntax error); false with the reason in *err when it overran or died. */
bool eng_worker_try_load(eng_sandbox *sb, const char *origin, const char *source,
                     size_t len, uint64_t time_ms, pol_buf *err);

#endif
