package policy

// #include <stdlib.h>
// #include <policy/policy.h>
// extern int libpolicyGoWrite(void *ctx, char *data, size_t len);
import "C"

import (
	"io"
	"runtime/cgo"
	"unsafe"
)

// streamWrite is what WriteTo hands to the C writer: the destination,
// the bytes written so far and the first error it returned.
type streamWrite struct {
	w   io.Writer
	n   int64
	err error
}

//export libpolicyGoWrite
func libpolicyGoWrite(ctx unsafe.Pointer, data *C.char, n C.size_t) C.int {
	s := (*(*cgo.Handle)(ctx)).Value().(*streamWrite)
	k, err := s.w.Write(C.GoBytes(unsafe.Pointer(data), C.int(n)))
	s.n += int64(k)
	if err == nil && k < int(n) {
		err = io.ErrShortWrite
	}
	if err != nil {
		s.err = err
		return 1
	}
	return 0
}

// WriteTo writes the report in a format (as Write) to w chunk by chunk,
// so the whole text is never in memory, and returns the bytes written.
// An error from w stops the writing and is returned as it is.
func (r *Report) WriteTo(w io.Writer, format string, engine *Engine, pretty bool) (int64, error) {
	cf := cString(format)
	number := C.policy_format_from_name(cf)
	freeString(cf)
	if number == 0 {
		return 0, invalid("unknown format %q", format)
	}
	var flags C.uint32_t
	if pretty {
		flags = C.POLICY_JSON_PRETTY
	}
	s := &streamWrite{w: w}
	// The handle is passed in C memory: a Go pointer to it, or the handle
	// itself as a pointer, would break cgo's pointer rules.
	ctx := C.malloc(C.size_t(unsafe.Sizeof(cgo.Handle(0))))
	if ctx == nil {
		return 0, ErrNoMemory
	}
	defer C.free(ctx)
	*(*cgo.Handle)(ctx) = cgo.NewHandle(s)
	defer (*(*cgo.Handle)(ctx)).Delete()
	write := func(ec *C.policy_engine) error {
		return r.use(func(c *C.policy_report) error {
			st := C.policy_report_write_cb(c, ec, number, flags,
				C.policy_write_fn(C.libpolicyGoWrite), ctx)
			if s.err != nil {
				return s.err
			}
			if st != C.POLICY_OK {
				return statusError(st, "")
			}
			return nil
		})
	}
	var err error
	if engine == nil {
		err = write(nil)
	} else {
		err = engine.use(write)
	}
	return s.n, err
}
