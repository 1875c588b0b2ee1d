package policy

// #include <stdlib.h>
// #include <policy/policy.h>
import "C"

import (
	"runtime"
	"sync"
	"unsafe"
)

// Document is one parsed input: its model and its own problems. It is
// immutable: any number of goroutines may check it at once.
type Document struct {
	mu sync.RWMutex // readers: checks; writer: Close, LinkScan
	c  *C.policy_document

	Kind     Kind
	Path     string
	Errors   []Diagnostic // problems that make part of the input unusable
	Warnings []Diagnostic // problems that do not
	Files    []string     // the other files it was read from
}

// Diagnostic is a problem of an input: 1-based line and column, 0 when
// unknown.
type Diagnostic struct {
	Message      string
	Line, Column int
}

func newDocument(c *C.policy_document) *Document {
	d := &Document{c: c, Kind: Kind(C.policy_document_kind(c)), Path: goString(C.policy_document_path(c))}
	diagnostics := func(count C.size_t, get func(**C.char, *C.uint32_t, *C.uint32_t, C.size_t) C.int) []Diagnostic {
		var out []Diagnostic
		for i := C.size_t(0); i < count; i++ {
			var m *C.char
			var line, col C.uint32_t
			if get(&m, &line, &col, i) == C.POLICY_OK {
				out = append(out, Diagnostic{goString(m), int(line), int(col)})
			}
		}
		return out
	}
	d.Errors = diagnostics(C.policy_document_error_count(c), func(m **C.char, l, col *C.uint32_t, i C.size_t) C.int {
		return C.policy_document_error(m, l, col, c, i)
	})
	d.Warnings = diagnostics(C.policy_document_warning_count(c), func(m **C.char, l, col *C.uint32_t, i C.size_t) C.int {
		return C.policy_document_warning(m, l, col, c, i)
	})
	for i, n := C.size_t(0), C.policy_document_file_count(c); i < n; i++ {
		d.Files = append(d.Files, goString(C.policy_document_file(c, i)))
	}
	runtime.SetFinalizer(d, (*Document).Close)
	return d
}

// Close frees the document once no goroutine checks it. Closing twice is
// fine.
func (d *Document) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.c != nil {
		C.policy_document_free(d.c)
		d.c = nil
		runtime.SetFinalizer(d, nil)
	}
	return nil
}

// read runs fn with the C document, shared with other readers.
func (d *Document) read(fn func(c *C.policy_document) error) error {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if d.c == nil {
		return invalid("the document is closed")
	}
	return fn(d.c)
}

// JSON is the model as JSON text (the names of docs/model.md); positions
// false leaves out the "pos" members.
func (d *Document) JSON(pretty, positions bool) ([]byte, error) {
	var flags C.uint32_t
	if pretty {
		flags |= C.POLICY_JSON_PRETTY
	}
	if !positions {
		flags |= C.POLICY_JSON_NO_POSITIONS
	}
	var out []byte
	err := d.read(func(c *C.policy_document) error {
		var p *C.char
		var n C.size_t
		if st := C.policy_document_to_json(&p, &n, c, flags); st != C.POLICY_OK {
			return statusError(st, "")
		}
		out = ownedBytes(p, n)
		return nil
	})
	return out, err
}

// LinkScan, for a scan report (KindScan), adds every service, container
// or image of other that ships the scanned image to scan.shipped_by, and
// returns how many. It waits until no goroutine checks d.
func (d *Document) LinkScan(other *Document) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.c == nil {
		return 0, invalid("the document is closed")
	}
	var n C.size_t
	err := other.read(func(o *C.policy_document) error {
		if st := C.policy_document_link_scan(&n, d.c, o); st != C.POLICY_OK {
			return statusError(st, "not a scan report, or out of memory")
		}
		return nil
	})
	return int(n), err
}

// ---- parsing -------------------------------------------------------------------

func (e *Engine) document(fn func(out **C.policy_document, c *C.policy_engine) C.int) (*Document, error) {
	var doc *Document
	err := e.use(func(c *C.policy_engine) error {
		var out *C.policy_document
		if err := e.status(fn(&out, c)); err != nil {
			return err
		}
		doc = newDocument(out)
		return nil
	})
	return doc, err
}

// Parse parses an input held in memory. path names it (and decides
// KindAuto by its name); a Compose file reads the files it names relative
// to path's folder, unless SetHostAccess forbids it. Problems of the
// input are in the document (Errors, Warnings), not in err.
func (e *Engine) Parse(data []byte, kind Kind, path string) (*Document, error) {
	if err := checkString("a path", path); err != nil {
		return nil, err
	}
	cp := cStringOrNil(path)
	defer freeString(cp)
	return e.document(func(out **C.policy_document, c *C.policy_engine) C.int {
		return C.policy_parse_buffer(out, c, cp, unsafe.Pointer(bytesPointer(data)), C.size_t(len(data)), C.int(kind))
	})
}

// ParseFile reads and parses a regular file.
func (e *Engine) ParseFile(path string, kind Kind) (*Document, error) {
	if err := checkString("a path", path); err != nil {
		return nil, err
	}
	cp := cString(path)
	defer freeString(cp)
	return e.document(func(out **C.policy_document, c *C.policy_engine) C.int {
		return C.policy_parse_file(out, c, cp, C.int(kind))
	})
}

// ParseFd reads an open descriptor (a pipe, a file) to its end and
// parses it; the descriptor is not closed.
func (e *Engine) ParseFd(fd int, path string, kind Kind) (*Document, error) {
	if err := checkString("a path", path); err != nil {
		return nil, err
	}
	cp := cStringOrNil(path)
	defer freeString(cp)
	return e.document(func(out **C.policy_document, c *C.policy_engine) C.int {
		return C.policy_parse_fd(out, c, cp, C.int(fd), C.int(kind))
	})
}

// ParseCompose parses a Compose project of several files, merged in order
// (docker compose -f a -f b).
func (e *Engine) ParseCompose(paths ...string) (*Document, error) {
	if len(paths) == 0 || len(paths) > 1<<20 {
		return nil, invalid("ParseCompose needs between 1 and 2^20 paths")
	}
	array := (*[1 << 20]*C.char)(C.calloc(C.size_t(len(paths)), C.size_t(unsafe.Sizeof((*C.char)(nil)))))
	if array == nil {
		return nil, ErrNoMemory
	}
	defer C.free(unsafe.Pointer(array))
	for i, p := range paths {
		if err := checkString("a path", p); err != nil {
			return nil, err
		}
		array[i] = cString(p)
		defer freeString(array[i])
	}
	return e.document(func(out **C.policy_document, c *C.policy_engine) C.int {
		return C.policy_parse_compose(out, c, &array[0], C.size_t(len(paths)))
	})
}

// ParseArgv models a `docker run` or `docker create` command line (argv[0]
// is "docker"): a document of KindRun holding the container it would
// create. What docker would refuse is an error of the document; path ("":
// "command-line") names it in messages.
func (e *Engine) ParseArgv(argv []string, path string) (*Document, error) {
	if len(argv) > 1<<20 {
		return nil, invalid("ParseArgv takes at most 2^20 arguments")
	}
	if err := checkString("a path", path); err != nil {
		return nil, err
	}
	n := len(argv)
	if n == 0 {
		n = 1
	}
	array := (*[1 << 20]*C.char)(C.calloc(C.size_t(n), C.size_t(unsafe.Sizeof((*C.char)(nil)))))
	if array == nil {
		return nil, ErrNoMemory
	}
	defer C.free(unsafe.Pointer(array))
	for i, a := range argv {
		if err := checkString("an argument", a); err != nil {
			return nil, err
		}
		array[i] = cString(a)
		defer freeString(array[i])
	}
	cp := cStringOrNil(path)
	defer freeString(cp)
	return e.document(func(out **C.policy_document, c *C.policy_engine) C.int {
		return C.policy_parse_argv(out, c, cp, C.size_t(len(argv)), &array[0])
	})
}

// Count is the number of entries of one of the model's lists: "images",
// "containers", "requests", "vulnerabilities", "errors" or "warnings" (0
// for another name).
func (d *Document) Count(list string) int {
	if checkString("a list name", list) != nil {
		return 0
	}
	cs := cString(list)
	defer freeString(cs)
	var n C.size_t
	_ = d.read(func(c *C.policy_document) error { n = C.policy_document_count(c, cs); return nil })
	return int(n)
}

// RequestField is a text field of the index-th AuthZ request ("method",
// "path", "user", ...: docs/model.md); ok is false when it is null, not
// text, or index is out of range.
func (d *Document) RequestField(index int, field string) (value string, ok bool) {
	if index < 0 || checkString("a field name", field) != nil {
		return "", false
	}
	cs := cString(field)
	defer freeString(cs)
	_ = d.read(func(c *C.policy_document) error {
		if p := C.policy_document_request_string(c, C.size_t(index), cs); p != nil {
			value, ok = C.GoString(p), true
		}
		return nil
	})
	return value, ok
}
