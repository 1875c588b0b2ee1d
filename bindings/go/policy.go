// Package policy is the Go binding of libpolicy, a container-security
// policy engine: it reads Dockerfiles, Compose files, `docker inspect`
// output, Engine API requests and vulnerability scan reports, and runs
// security rules (sandboxed Lua, a built-in pack of Docker practices) over
// them. It calls the C library libpolicy.so.1 through cgo and finds it
// with pkg-config (package libpolicy).
//
//	engine, err := policy.NewEngine(policy.WithLimit(policy.LimitTimeMS, 2000))
//	if err != nil { ... }
//	defer engine.Close()
//	doc, err := engine.ParseFile("Dockerfile", policy.KindAuto)
//	if err != nil { ... }
//	defer doc.Close()
//	report, err := engine.Check(doc)
//	for _, f := range report.Findings {
//		fmt.Printf("%s:%d: %s [%s] %s\n", f.File, f.Line, f.Severity, f.Rule, f.Message)
//	}
//
// # Goroutines
//
// An Engine runs one call at a time: its methods take its lock, so sharing
// one between goroutines is safe but serialised. For parallel checks use
// an Engine per goroutine (engines share nothing; each has its own Lua
// state, and the built-in pack loads in milliseconds), or a Pool, which
// hands engines out. A Document is immutable once parsed: any number of
// goroutines may check it at once, each with its own Engine; Close waits
// until none does. A Report is used by one goroutine at a time (its
// methods take its lock); reports of several goroutines are combined
// with Merge.
//
// Close every Engine, Document, Report and Baseline when done: it frees
// the C memory at once. Finalizers free what was not closed, as a
// backstop only.
//
// Errors are *Error values carrying the C status and the engine's message;
// compare them with errors.Is against ErrNoMemory, ErrInvalid, ErrIO,
// ErrLimit, ErrUnsupported, ErrParse and ErrCancelled.
package policy

// #cgo pkg-config: libpolicy
// #include <stdlib.h>
// #include <policy/policy.h>
import "C"

import (
	"fmt"
)

// Status is a C status of policy.h: 0 or a negative POLICY_ERR_* value.
type Status int

const (
	StatusOK          Status = C.POLICY_OK
	StatusNoMemory    Status = C.POLICY_ERR_NOMEM
	StatusInvalid     Status = C.POLICY_ERR_INVALID
	StatusIO          Status = C.POLICY_ERR_IO
	StatusLimit       Status = C.POLICY_ERR_LIMIT
	StatusUnsupported Status = C.POLICY_ERR_UNSUPPORTED
	StatusParse       Status = C.POLICY_ERR_PARSE
	StatusCancelled   Status = C.POLICY_ERR_CANCELLED
)

// String is the library's fixed text for the status (policy_strerror).
func (s Status) String() string { return C.GoString(C.policy_strerror(C.int(s))) }

// Error is a failed call: its status and the engine's message.
type Error struct {
	Status  Status
	Message string
	cause   error // what cancelled a check (a context's error), or nil
}

func (e *Error) Error() string {
	if e.Message == "" {
		return e.Status.String()
	}
	return e.Message
}

// Is matches another *Error of the same status (the Err... values).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Status == e.Status
}

// Unwrap gives the context error that cancelled a check, if any.
func (e *Error) Unwrap() error { return e.cause }

// Errors to compare with errors.Is.
var (
	ErrNoMemory    = &Error{Status: StatusNoMemory}
	ErrInvalid     = &Error{Status: StatusInvalid}
	ErrIO          = &Error{Status: StatusIO}
	ErrLimit       = &Error{Status: StatusLimit}
	ErrUnsupported = &Error{Status: StatusUnsupported}
	ErrParse       = &Error{Status: StatusParse}
	ErrCancelled   = &Error{Status: StatusCancelled}
)

func statusError(status C.int, message string) error {
	if status == C.POLICY_OK {
		return nil
	}
	return &Error{Status: Status(status), Message: message}
}

func invalid(format string, args ...interface{}) error {
	return &Error{Status: StatusInvalid, Message: fmt.Sprintf(format, args...)}
}

// Kind is what an input is (policy_kind).
type Kind int

const (
	KindAuto       Kind = C.POLICY_KIND_AUTO
	KindDockerfile Kind = C.POLICY_KIND_DOCKERFILE
	KindCompose    Kind = C.POLICY_KIND_COMPOSE
	KindInspect    Kind = C.POLICY_KIND_INSPECT
	KindRequest    Kind = C.POLICY_KIND_REQUEST
	KindScan       Kind = C.POLICY_KIND_SCAN
	KindRun        Kind = C.POLICY_KIND_RUN // a docker run / create command line (Engine.ParseArgv)
)

// Severity orders findings; String gives "info" ... "critical".
type Severity int

const (
	SeverityInfo     Severity = C.POLICY_SEVERITY_INFO
	SeverityLow      Severity = C.POLICY_SEVERITY_LOW
	SeverityMedium   Severity = C.POLICY_SEVERITY_MEDIUM
	SeverityHigh     Severity = C.POLICY_SEVERITY_HIGH
	SeverityCritical Severity = C.POLICY_SEVERITY_CRITICAL
	// FailOnNone is what Engine.ConfigFailOn gives for a configuration
	// under which no finding fails (fail_on: none; hadolint's no-fail or
	// failure-threshold: none): above every severity.
	FailOnNone Severity = C.POLICY_FAIL_ON_NONE
)

func (s Severity) String() string {
	if s == FailOnNone {
		return "none"
	}
	name := C.policy_severity_name(C.int(s))
	if name == nil {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return C.GoString(name)
}

// ParseSeverity is the severity named ("high"), or an ErrInvalid error.
func ParseSeverity(name string) (Severity, error) {
	cs := cString(name)
	defer freeString(cs)
	s := Severity(C.policy_severity_from_name(cs))
	if s == 0 {
		return 0, invalid("unknown severity %q (info, low, medium, high, critical)", name)
	}
	return s, nil
}

// Limit names a limit of an engine (policy_limit).
type Limit int

const (
	LimitInputBytes      Limit = C.POLICY_LIMIT_INPUT_BYTES
	LimitLineBytes       Limit = C.POLICY_LIMIT_LINE_BYTES
	LimitModelBytes      Limit = C.POLICY_LIMIT_MODEL_BYTES
	LimitLuaMemoryBytes  Limit = C.POLICY_LIMIT_LUA_MEMORY_BYTES
	LimitInstructions    Limit = C.POLICY_LIMIT_INSTRUCTIONS
	LimitFindingsPerRule Limit = C.POLICY_LIMIT_FINDINGS_PER_RULE
	LimitLogBytes        Limit = C.POLICY_LIMIT_LOG_BYTES
	LimitTimeMS          Limit = C.POLICY_LIMIT_TIME_MS
	LimitToolMS          Limit = C.POLICY_LIMIT_TOOL_MS
)

// Isolation is where rules run (policy_isolation).
type Isolation int

const (
	IsolateNone      Isolation = C.POLICY_ISOLATE_NONE
	IsolateUntrusted Isolation = C.POLICY_ISOLATE_UNTRUSTED
	IsolateAll       Isolation = C.POLICY_ISOLATE_ALL
)

// HostAccess says what parsing may read from the host besides its input
// (policy_host_access); HostNone for a service parsing what it was sent.
type HostAccess uint

const (
	HostNone  HostAccess = 0
	HostFiles HostAccess = C.POLICY_HOST_FILES
	HostEnv   HostAccess = C.POLICY_HOST_ENV
	HostAll   HostAccess = C.POLICY_HOST_ALL
)

// Version is the library's version ("0.1.0"); VersionNumber is MMmmpp;
// ABIVersion the SONAME major (1).
func Version() string       { return C.GoString(C.policy_version_string()) }
func VersionNumber() uint32 { return uint32(C.policy_version_number()) }
func ABIVersion() int       { return int(C.policy_abi_version()) }

// EscapeText makes text safe for a terminal or a line-based log
// (policy_escape_text); keepNewlines leaves newlines as they are.
func EscapeText(text string, keepNewlines bool) (string, error) {
	cs := cString(text)
	defer freeString(cs)
	var flags C.uint32_t
	if keepNewlines {
		flags = C.POLICY_ESCAPE_KEEP_NEWLINES
	}
	var out *C.char
	var n C.size_t
	if st := C.policy_escape_text(&out, &n, cs, flags); st != C.POLICY_OK {
		return "", statusError(st, "")
	}
	return ownedString(out, n), nil
}
