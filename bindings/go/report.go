package policy

// #include <stdlib.h>
// #include <policy/policy.h>
import "C"

import (
	"runtime"
	"sync"
	"unsafe"
)

// Finding is what a rule found: where (1-based; 0 when unknown) and what.
type Finding struct {
	Rule               string
	Severity           Severity
	Title              string
	Message            string
	File               string
	Line, Column       int
	EndLine, EndColumn int
	Refs               map[string][]string // tool ("hadolint", "cis", ...) -> ids
	Subject            string              // "image build", "container web", ...
	Fingerprint        string              // 16 hex digits, stable when lines move
}

// Suppressed is a finding set aside: by a comment (Kind ""), by a
// configuration exception, or by a baseline (Kind "baseline").
type Suppressed struct {
	Finding
	Reason string
	Kind   string
}

// ReportError is an input that could not be read or parsed (Rule ""), a
// rule that failed or hit a limit (Limit: "instructions", "memory",
// "time", "findings"), or a cancelled check.
type ReportError struct {
	Message      string
	File         string
	Line, Column int
	Rule         string
	Limit        string
}

// ReportWarning is a problem that did not stop a check: Kind "input" (the
// document's own warnings) or "unknown-id" (a suppression comment naming
// no rule).
type ReportWarning struct {
	Message      string
	File         string
	Line, Column int
	Kind         string
}

// Log is what a rule printed.
type Log struct{ Rule, File, Message string }

// Fixed is an entry of an applied baseline that no finding matches any
// more.
type Fixed struct {
	Rule, File, Message, Fingerprint string
	Line                             int
}

// Report is what checks found. The exported lists are read from the C
// report after every change (a check, Merge, AddError, ApplyBaseline);
// they are sorted by file, line, column, rule. One goroutine at a time:
// the methods take the report's lock.
type Report struct {
	mu sync.Mutex
	c  *C.policy_report

	Findings   []Finding
	Suppressed []Suppressed
	Errors     []ReportError
	Warnings   []ReportWarning
	Logs       []Log
	Fixed      []Fixed
	Files      int // files checked or attempted
}

// NewReport makes an empty report, for gathering several checks
// (Engine.CheckInto, Merge).
func NewReport() (*Report, error) {
	r := &Report{}
	if st := C.policy_report_new(&r.c); st != C.POLICY_OK {
		return nil, statusError(st, "")
	}
	runtime.SetFinalizer(r, (*Report).Close)
	return r, nil
}

// Close frees the C report; the lists read so far stay. Closing twice is
// fine.
func (r *Report) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.c != nil {
		C.policy_report_free(r.c)
		r.c = nil
		runtime.SetFinalizer(r, nil)
	}
	return nil
}

func (r *Report) use(fn func(c *C.policy_report) error) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.c == nil {
		return invalid("the report is closed")
	}
	return fn(r.c)
}

// change runs fn, then reads the lists again (whatever fn returned: a
// failed call may have changed part of the report).
func (r *Report) change(fn func(c *C.policy_report) error) error {
	return r.use(func(c *C.policy_report) error {
		err := fn(c)
		r.refresh(c)
		return err
	})
}

func (r *Report) refresh(c *C.policy_report) {
	str := func(list C.int, i C.size_t, f C.int) string {
		return goString(C.policy_report_get_string(c, list, i, f))
	}
	num := func(list C.int, i C.size_t, f C.int) int {
		return int(C.policy_report_get_number(c, list, i, f))
	}
	count := func(list C.int) C.size_t { return C.policy_report_count(c, list) }
	finding := func(list C.int, i C.size_t) Finding {
		f := Finding{
			Rule: str(list, i, C.POLICY_FIELD_RULE), Severity: Severity(num(list, i, C.POLICY_FIELD_SEVERITY)),
			Title: str(list, i, C.POLICY_FIELD_TITLE), Message: str(list, i, C.POLICY_FIELD_MESSAGE),
			File: str(list, i, C.POLICY_FIELD_FILE),
			Line: num(list, i, C.POLICY_FIELD_LINE), Column: num(list, i, C.POLICY_FIELD_COLUMN),
			EndLine: num(list, i, C.POLICY_FIELD_END_LINE), EndColumn: num(list, i, C.POLICY_FIELD_END_COLUMN),
			Subject: str(list, i, C.POLICY_FIELD_SUBJECT), Fingerprint: str(list, i, C.POLICY_FIELD_FINGERPRINT),
			Refs: map[string][]string{},
		}
		for _, tool := range refTools {
			ct := cString(tool)
			if refs := C.policy_report_get_ref(c, list, i, ct); refs != nil {
				f.Refs[tool] = splitRefs(C.GoString(refs))
			}
			freeString(ct)
		}
		return f
	}
	r.Findings = nil
	for i := C.size_t(0); i < count(C.POLICY_LIST_FINDINGS); i++ {
		r.Findings = append(r.Findings, finding(C.POLICY_LIST_FINDINGS, i))
	}
	r.Suppressed = nil
	for i := C.size_t(0); i < count(C.POLICY_LIST_SUPPRESSED); i++ {
		l := C.int(C.POLICY_LIST_SUPPRESSED)
		r.Suppressed = append(r.Suppressed, Suppressed{finding(l, i), str(l, i, C.POLICY_FIELD_REASON), str(l, i, C.POLICY_FIELD_KIND)})
	}
	r.Errors = nil
	for i := C.size_t(0); i < count(C.POLICY_LIST_ERRORS); i++ {
		l := C.int(C.POLICY_LIST_ERRORS)
		r.Errors = append(r.Errors, ReportError{
			Message: str(l, i, C.POLICY_FIELD_MESSAGE), File: str(l, i, C.POLICY_FIELD_FILE),
			Line: num(l, i, C.POLICY_FIELD_LINE), Column: num(l, i, C.POLICY_FIELD_COLUMN),
			Rule: str(l, i, C.POLICY_FIELD_RULE), Limit: str(l, i, C.POLICY_FIELD_LIMIT),
		})
	}
	r.Warnings = nil
	for i := C.size_t(0); i < count(C.POLICY_LIST_WARNINGS); i++ {
		l := C.int(C.POLICY_LIST_WARNINGS)
		r.Warnings = append(r.Warnings, ReportWarning{
			Message: str(l, i, C.POLICY_FIELD_MESSAGE), File: str(l, i, C.POLICY_FIELD_FILE),
			Line: num(l, i, C.POLICY_FIELD_LINE), Column: num(l, i, C.POLICY_FIELD_COLUMN),
			Kind: str(l, i, C.POLICY_FIELD_KIND),
		})
	}
	r.Logs = nil
	for i := C.size_t(0); i < count(C.POLICY_LIST_LOGS); i++ {
		l := C.int(C.POLICY_LIST_LOGS)
		r.Logs = append(r.Logs, Log{str(l, i, C.POLICY_FIELD_RULE), str(l, i, C.POLICY_FIELD_FILE), str(l, i, C.POLICY_FIELD_MESSAGE)})
	}
	r.Fixed = nil
	for i := C.size_t(0); i < count(C.POLICY_LIST_FIXED); i++ {
		l := C.int(C.POLICY_LIST_FIXED)
		r.Fixed = append(r.Fixed, Fixed{
			Rule: str(l, i, C.POLICY_FIELD_RULE), File: str(l, i, C.POLICY_FIELD_FILE),
			Message: str(l, i, C.POLICY_FIELD_MESSAGE), Fingerprint: str(l, i, C.POLICY_FIELD_FINGERPRINT),
			Line: num(l, i, C.POLICY_FIELD_LINE),
		})
	}
	r.Files = int(C.policy_report_file_count(c))
}

// CountAtLeast is the number of findings at or above a severity.
func (r *Report) CountAtLeast(s Severity) int {
	var n int
	_ = r.use(func(c *C.policy_report) error { n = int(C.policy_report_count_at_least(c, C.int(s))); return nil })
	return n
}

// AddError records an input that could not be read.
func (r *Report) AddError(file string, line, column int, message string) error {
	if err := checkString("a file or message", file+message); err != nil {
		return err
	}
	cf, cm := cString(file), cString(message)
	defer freeString(cf)
	defer freeString(cm)
	return r.change(func(c *C.policy_report) error {
		return statusError(C.policy_report_add_error(c, cf, C.uint32_t(line), C.uint32_t(column), cm), "")
	})
}

// Merge adds a copy of every entry of other (unchanged) to r.
func (r *Report) Merge(other *Report) error {
	if other == r {
		return invalid("a report cannot be merged into itself")
	}
	// Both locks, always in the same order, so that a.Merge(b) and
	// b.Merge(a) on two goroutines cannot deadlock.
	first, second := r, other
	if uintptr(unsafe.Pointer(other)) < uintptr(unsafe.Pointer(r)) {
		first, second = other, r
	}
	first.mu.Lock()
	defer first.mu.Unlock()
	second.mu.Lock()
	defer second.mu.Unlock()
	if r.c == nil || other.c == nil {
		return invalid("the report is closed")
	}
	err := statusError(C.policy_report_merge(r.c, other.c), "")
	r.refresh(r.c)
	return err
}

// ApplyBaseline moves the findings the baseline holds to Suppressed and
// lists its entries no finding matches in Fixed. Once, after the checks.
func (r *Report) ApplyBaseline(b *Baseline) error {
	return r.change(func(c *C.policy_report) error {
		return b.read(func(bc *C.policy_baseline) error {
			return statusError(C.policy_report_apply_baseline(c, bc), "")
		})
	})
}

// JSON is the report as JSON (docs/report.md).
func (r *Report) JSON(pretty bool) ([]byte, error) {
	var flags C.uint32_t
	if pretty {
		flags = C.POLICY_JSON_PRETTY
	}
	var out []byte
	err := r.use(func(c *C.policy_report) error {
		var p *C.char
		var n C.size_t
		if st := C.policy_report_to_json(&p, &n, c, flags); st != C.POLICY_OK {
			return statusError(st, "")
		}
		out = ownedBytes(p, n)
		return nil
	})
	return out, err
}

// Text is the report as `file:line:col: severity [rule] message` lines.
func (r *Report) Text(color bool) (string, error) {
	var flags C.uint32_t
	if color {
		flags = C.POLICY_TEXT_COLOR
	}
	var out string
	err := r.use(func(c *C.policy_report) error {
		var p *C.char
		var n C.size_t
		if st := C.policy_report_to_text(&p, &n, c, flags); st != C.POLICY_OK {
			return statusError(st, "")
		}
		out = ownedString(p, n)
		return nil
	})
	return out, err
}

// Write is the report in a format: "text", "json", "sarif", "junit",
// "github", "gitlab", "checkstyle" or "baseline". engine (may be nil)
// gives the loaded rules SARIF and JUnit list.
func (r *Report) Write(format string, engine *Engine, pretty bool) ([]byte, error) {
	cf := cString(format)
	number := C.policy_format_from_name(cf)
	freeString(cf)
	if number == 0 {
		return nil, invalid("unknown format %q", format)
	}
	var flags C.uint32_t
	if pretty {
		flags = C.POLICY_JSON_PRETTY
	}
	var out []byte
	write := func(ec *C.policy_engine) error {
		return r.use(func(c *C.policy_report) error {
			var p *C.char
			var n C.size_t
			if st := C.policy_report_write(&p, &n, c, ec, number, flags); st != C.POLICY_OK {
				return statusError(st, "")
			}
			out = ownedBytes(p, n)
			return nil
		})
	}
	if engine == nil {
		return out, write(nil)
	}
	return out, engine.use(write)
}

// ---- baselines -----------------------------------------------------------------

// Baseline holds known findings (Report.Write("baseline", ...)); it is
// immutable, so reports on several goroutines may apply it at once.
type Baseline struct {
	mu sync.RWMutex
	c  *C.policy_baseline
}

// LoadBaseline reads a baseline file.
func (e *Engine) LoadBaseline(path string) (*Baseline, error) {
	if err := checkString("a path", path); err != nil {
		return nil, err
	}
	cp := cString(path)
	defer freeString(cp)
	b := &Baseline{}
	if err := e.call(func(c *C.policy_engine) C.int { return C.policy_baseline_load(&b.c, c, cp) }); err != nil {
		return nil, err
	}
	runtime.SetFinalizer(b, (*Baseline).Close)
	return b, nil
}

func (b *Baseline) read(fn func(c *C.policy_baseline) error) error {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.c == nil {
		return invalid("the baseline is closed")
	}
	return fn(b.c)
}

// Len is the number of entries.
func (b *Baseline) Len() int {
	var n int
	_ = b.read(func(c *C.policy_baseline) error { n = int(C.policy_baseline_count(c)); return nil })
	return n
}

// Close frees the baseline once no report applies it.
func (b *Baseline) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.c != nil {
		C.policy_baseline_free(b.c)
		b.c = nil
		runtime.SetFinalizer(b, nil)
	}
	return nil
}
